"""Cross-reference checks and derived indexes of an ecosystem, computed in one pass.

Checks: ids are unique; every ``layer``, ``depends_on`` and ``uses`` reference
resolves; no component depends on the same target twice and no product lists the
same component twice. Cycles and layering violations are *not* checked here: they
are findings of the analysis, not load errors.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from layermodel.errors import Problem, show_value, suggest
from layermodel.model.elements import Component, Dependency, Layer, Product

UNCHECKED = "\x00unchecked"
"""Stands in for a reference that was itself invalid, so it is not reported twice."""


@dataclass
class Index:
    """Id lookups of an ecosystem, built while checking it."""

    layer_rank: dict[str, int] = field(default_factory=dict)
    layers: dict[str, Layer] = field(default_factory=dict)
    components: dict[str, Component] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)


def _unique(
    items: Sequence[Layer | Component | Product],
    section: str,
    kind: str,
    problems: list[Problem],
) -> dict[str, int]:
    """Map id to first position; report every later duplicate."""
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        seen = first.setdefault(item.id, i)
        if seen != i:
            problems.append(
                Problem(
                    f"duplicate {kind} id {item.id!r}",
                    path=(section, i, "id"),
                    see=(section, seen, "id"),
                )
            )
    return first


_MAX_SUGGESTIONS = 200
"""Near-miss suggestions cost a scan of all ids each; past this many, skip them."""


def _unknown(
    kind: str, value: str, known: Collection[str], path: tuple[str | int, ...], count: int
) -> Problem:
    real = [k for k in known if k != UNCHECKED] if len(known) <= 12 else known
    near = suggest(value, known) if count < _MAX_SUGGESTIONS else None
    if near == UNCHECKED:
        near = None
    expected = ""
    if len(known) <= 12:
        expected = "; expected one of " + ", ".join(sorted(real)) if real else f"; no {kind}s exist"
    return Problem(f"unknown {kind} {show_value(value)}{expected}", path=path, suggestion=near)


def check_and_index(
    layers: Sequence[Layer],
    components: Sequence[Component],
    products: Sequence[Product],
    *,
    extra_layers: Collection[str] = (),
    extra_components: Collection[str] = (),
    extra_products: Collection[str] = (),
) -> tuple[list[Problem], Index]:
    """Check references and build the indexes of a model, in one pass over its edges.

    ``extra_*`` are ids known to exist although their records were invalid; references
    to them are not reported again.

    Complexity: O(layers + components + dependencies + product uses).
    """
    problems: list[Problem] = []
    if not layers:
        problems.append(Problem("at least one layer is required", path=("layers",)))

    layer_index = {layer.id: layer for layer in layers}
    if len(layer_index) != len(layers):
        _unique(layers, "layers", "layer", problems)
    rank = {layer_id: i for i, layer_id in enumerate(layer_index)}

    component_index = {c.id: c for c in components}
    if len(component_index) != len(components):
        _unique(components, "components", "component", problems)
        # keep the first definition, as the problem message says
        component_index = {}
        for c in components:
            component_index.setdefault(c.id, c)

    product_index = {p.id: p for p in products}
    if len(product_index) != len(products):
        _unique(products, "products", "product", problems)
        product_index = {}
        for p in products:
            product_index.setdefault(p.id, p)

    known_layers: Collection[str] = layer_index
    if extra_layers:
        known_layers = set(layer_index) | set(extra_layers)
    known_components: Collection[str] = component_index
    if extra_components:
        known_components = set(component_index) | set(extra_components)
    del extra_products  # products are never referenced by id inside a model

    # Fast path: one pass gathers the layers and targets in use, then set operations
    # say whether anything is wrong at all; the precise, per-record problems are
    # worked out only when something is.
    layers_used: set[str] = set()
    targets: set[str] = set()
    repeated = False
    for c in components:
        layers_used.add(c.layer)
        deps = c.depends_on
        if deps:
            if len(deps) == 1:
                targets.add(deps[0].target)
            else:
                mine = {d.target for d in deps}
                if len(mine) != len(deps):
                    repeated = True
                targets |= mine
    if layers_used.difference(known_layers):
        for i, c in enumerate(components):
            if c.layer not in known_layers:
                path = ("components", i, "layer")
                problems.append(_unknown("layer", c.layer, known_layers, path, len(problems)))
    broken = bool(targets.difference(known_components))
    if broken or repeated:
        for i, c in enumerate(components):
            deps = c.depends_on
            if deps and (broken or len({d.target for d in deps}) != len(deps)):
                problems.extend(_bad_dependencies(i, c, known_components, len(problems)))
    used = {u for p in products for u in p.uses}
    if used.difference(known_components) or any(len(set(p.uses)) != len(p.uses) for p in products):
        problems.extend(_bad_uses(products, known_components, len(problems)))

    if problems:
        problems.sort(key=_order)
    index = Index(
        layer_rank=rank,
        layers=layer_index,
        components=component_index,
        products=product_index,
    )
    return problems, index


def neighbours(
    layers: Sequence[Layer], components: Sequence[Component], products: Sequence[Product]
) -> tuple[
    dict[str, tuple[Component, ...]], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]
]:
    """Components per layer, direct dependents, and products using each component
    directly, for a model whose references are known to resolve."""
    by_layer: dict[str, list[Component]] = {layer.id: [] for layer in layers}
    dependents: dict[str, list[str]] = {}
    for c in components:
        by_layer[c.layer].append(c)
        cid = c.id
        for dep in c.depends_on:
            found = dependents.get(dep.target)
            if found is None:
                dependents[dep.target] = [cid]
            else:
                found.append(cid)
    direct: dict[str, list[str]] = {}
    for p in products:
        for u in p.uses:
            direct.setdefault(u, []).append(p.id)
    return (
        {k: tuple(v) for k, v in by_layer.items()},
        {k: tuple(v) for k, v in dependents.items()},
        {k: tuple(v) for k, v in direct.items()},
    )


def _bad_uses(products: Sequence[Product], known: Collection[str], count: int) -> list[Problem]:
    """Every unknown or repeated entry of the products' ``uses`` (slow path)."""
    problems: list[Problem] = []
    for i, p in enumerate(products):
        first: dict[str, int] = {}
        for j, used in enumerate(p.uses):
            path: tuple[str | int, ...] = ("products", i, "uses", j)
            if used not in known:
                problems.append(_unknown("component", used, known, path, count + len(problems)))
                continue
            seen = first.setdefault(used, j)
            if seen != j and used != UNCHECKED:
                problems.append(
                    Problem(
                        f"product uses component {used!r} twice",
                        path=path,
                        see=("products", i, "uses", seen),
                    )
                )
    return problems


_SECTION_ORDER = {"layers": 0, "components": 1, "products": 2}


def _order(problem: Problem) -> tuple[int, int]:
    path = problem.path
    section = _SECTION_ORDER.get(str(path[0]), 3) if path else -1
    position = path[1] if len(path) > 1 and isinstance(path[1], int) else -1
    return section, position


def _bad_dependencies(i: int, c: Component, known: Collection[str], count: int) -> list[Problem]:
    """Every problem in one component's ``depends_on`` (slow path, only on error)."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for j, dep in enumerate(c.depends_on):
        path: tuple[str | int, ...] = ("components", i, "depends_on", j)
        if dep.target not in known:
            problems.append(_unknown("component", dep.target, known, path, count + len(problems)))
            continue
        seen = first.setdefault(dep.target, j)
        if seen != j and dep.target != UNCHECKED:
            problems.append(
                Problem(
                    f"component depends on {dep.target!r} twice",
                    path=path,
                    see=("components", i, "depends_on", seen),
                )
            )
    return problems


def partial_record(kind: type[Any], raw: Any) -> Any:
    """The references of a record that failed validation, so they can still be checked.

    Returns None when the record has no usable id. Invalid references are replaced
    by :data:`UNCHECKED`, which keeps positions (``depends_on[2]``) aligned.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None
    ident = raw["id"]
    if kind is Layer:
        return Layer.model_construct(id=ident)
    if kind is Component:
        layer = raw.get("layer")
        deps = raw.get("depends_on")
        targets: list[Dependency] = []
        if isinstance(deps, list):
            for d in deps:
                target = d.get("target") if isinstance(d, dict) else d
                if isinstance(d, Dependency):
                    target = d.target
                targets.append(
                    Dependency.model_construct(
                        target=target if isinstance(target, str) else UNCHECKED
                    )
                )
        return Component.model_construct(
            id=ident,
            layer=layer if isinstance(layer, str) else UNCHECKED,
            depends_on=tuple(targets),
        )
    uses = raw.get("uses")
    return Product.model_construct(
        id=ident,
        uses=tuple(u if isinstance(u, str) else UNCHECKED for u in uses)
        if isinstance(uses, list)
        else (),
    )
