"""Diff of two models: what was added, removed or changed, and how reuse, layering
violations and availability moved (design §3, "Diff").

Entities are matched by id. A component's dependencies are compared by target, so
listing them in another order is not a change; likewise the order of a product's
``uses``. The order of layers does matter: it is reported when layers present in
both models appear in a different relative order.

Reuse moves come from the cached one-pass users bitsets of both models
(:mod:`layermodel.analysis.footprint`); there is no per-product search. Layering
violations and availability come from :mod:`layermodel.analysis.layering` and
:mod:`layermodel.analysis.reliability`, imported only when asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layermodel.analysis.sections import Section, Table, table
from layermodel.graph import user_bits

if TYPE_CHECKING:
    from layermodel.model.entities import Component, Ecosystem

__all__ = [
    "AvailabilityMove",
    "DependencyChange",
    "Diff",
    "EntityChange",
    "FieldChange",
    "ReuseMove",
    "ViolationChange",
    "diff",
    "reuse_moves",
]

_SHOWN = 25
"""Rows per table in text and Markdown reports; ``to_dict()`` keeps every row."""


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs. Values are JSON-ready; ``None`` means unset or
    absent (for a dependency: not there)."""

    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class EntityChange:
    """A layer, component or product present in both models whose fields differ.

    For a component, a dependency shows as the field ``depends_on.<target>`` with the
    dependency's attributes (``kind``, ``required``, ``description``) as the old and
    new values, or ``None`` where there is no such dependency.
    """

    id: str
    changes: tuple[FieldChange, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: field name to ``{"old", "new"}``."""
        return {c.field: {"old": c.old, "new": c.new} for c in self.changes}


@dataclass(frozen=True)
class DependencyChange:
    """A dependency edge present in both models whose attributes differ."""

    source: str
    target: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ReuseMove:
    """A component whose reuse count (number of user products) changed."""

    id: str
    before: int
    after: int

    @property
    def change(self) -> int:
        """``after - before``."""
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"component": self.id, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class ViolationChange:
    """A layering violation that appeared or disappeared, keyed by (kind, source, target)."""

    kind: str
    source: str
    target: str
    chain: tuple[str, ...]
    products: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "source": self.source,
            "target": self.target,
            "chain": list(self.chain),
            "products": list(self.products),
        }


@dataclass(frozen=True)
class AvailabilityMove:
    """A product whose estimated availability changed."""

    product: str
    before: float
    after: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"product": self.product, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Diff:
    """What changed between two models. Id lists are sorted; moves are sorted by size.

    ``violations_introduced``/``violations_resolved`` are ``None`` when violations were
    not compared (``diff(..., violations=False)``), and ``availability_moves`` is
    ``None`` when availability was not compared.
    """

    old_name: str
    new_name: str
    model_changes: tuple[FieldChange, ...]
    """Changes to the ecosystem's own fields: name, description, policy, properties."""
    layers_added: tuple[str, ...]
    layers_removed: tuple[str, ...]
    layers_changed: tuple[EntityChange, ...]
    layer_order: tuple[tuple[str, ...], tuple[str, ...]] | None
    """(old order, new order) of all layers, when the layers common to both models
    are in a different relative order; otherwise ``None``."""
    components_added: tuple[str, ...]
    components_removed: tuple[str, ...]
    components_changed: tuple[EntityChange, ...]
    dependencies_added: tuple[tuple[str, str], ...]
    """(source, target) edges only in the new model."""
    dependencies_removed: tuple[tuple[str, str], ...]
    dependencies_changed: tuple[DependencyChange, ...]
    products_added: tuple[str, ...]
    products_removed: tuple[str, ...]
    products_changed: tuple[EntityChange, ...]
    reuse_moves: tuple[ReuseMove, ...]
    """Components in both models whose reuse count changed, largest move first."""
    violations_introduced: tuple[ViolationChange, ...] | None = None
    violations_resolved: tuple[ViolationChange, ...] | None = None
    availability_moves: tuple[AvailabilityMove, ...] | None = None
    """Products in both models whose estimated availability changed, largest first."""

    @property
    def is_empty(self) -> bool:
        """True when nothing differs (in the parts that were compared)."""
        return not (
            self.model_changes
            or self.layers_added
            or self.layers_removed
            or self.layers_changed
            or self.layer_order
            or self.components_added
            or self.components_removed
            or self.components_changed
            or self.dependencies_added
            or self.dependencies_removed
            or self.dependencies_changed
            or self.products_added
            or self.products_removed
            or self.products_changed
            or self.reuse_moves
            or self.violations_introduced
            or self.violations_resolved
            or self.availability_moves
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""

        def section(
            added: tuple[str, ...], removed: tuple[str, ...], changed: tuple[EntityChange, ...]
        ) -> dict[str, Any]:
            return {
                "added": list(added),
                "removed": list(removed),
                "changed": {c.id: c.to_dict() for c in changed},
            }

        layers = section(self.layers_added, self.layers_removed, self.layers_changed)
        layers["order"] = (
            None
            if self.layer_order is None
            else {"old": list(self.layer_order[0]), "new": list(self.layer_order[1])}
        )
        return {
            "old": self.old_name,
            "new": self.new_name,
            "is_empty": self.is_empty,
            "model": [c.to_dict() for c in self.model_changes],
            "layers": layers,
            "components": section(
                self.components_added, self.components_removed, self.components_changed
            ),
            "dependencies": {
                "added": [list(e) for e in self.dependencies_added],
                "removed": [list(e) for e in self.dependencies_removed],
                "changed": [
                    {
                        "source": d.source,
                        "target": d.target,
                        "changes": {c.field: {"old": c.old, "new": c.new} for c in d.changes},
                    }
                    for d in self.dependencies_changed
                ],
            },
            "products": section(self.products_added, self.products_removed, self.products_changed),
            "reuse_moves": [m.to_dict() for m in self.reuse_moves],
            "violations": None
            if self.violations_introduced is None or self.violations_resolved is None
            else {
                "introduced": [v.to_dict() for v in self.violations_introduced],
                "resolved": [v.to_dict() for v in self.violations_resolved],
            },
            "availability_moves": None
            if self.availability_moves is None
            else [m.to_dict() for m in self.availability_moves],
        }

    def summary_lines(self) -> tuple[str, ...]:
        """One line per part that changed, with counts."""

        def counts(added: int, removed: int, changed: int) -> str:
            return f"{added} added, {removed} removed, {changed} changed"

        lines = []
        if self.model_changes:
            lines.append("Model: " + ", ".join(c.field for c in self.model_changes) + " changed")
        for label, added, removed, changed in (
            ("Layers", self.layers_added, self.layers_removed, self.layers_changed),
            ("Components", self.components_added, self.components_removed, self.components_changed),
            (
                "Dependencies",
                self.dependencies_added,
                self.dependencies_removed,
                self.dependencies_changed,
            ),
            ("Products", self.products_added, self.products_removed, self.products_changed),
        ):
            if added or removed or changed:
                lines.append(f"{label}: {counts(len(added), len(removed), len(changed))}")
        if self.layer_order is not None:
            lines.append("Layer order: " + " > ".join(self.layer_order[1]))
        if self.reuse_moves:
            up = sum(1 for m in self.reuse_moves if m.change > 0)
            lines.append(f"Reuse counts: {up} up, {len(self.reuse_moves) - up} down")
        if self.violations_introduced or self.violations_resolved:
            lines.append(
                f"Layering violations: {len(self.violations_introduced or ())} introduced, "
                f"{len(self.violations_resolved or ())} resolved"
            )
        if self.availability_moves:
            lines.append(f"Availability moves: {len(self.availability_moves)}")
        return tuple(lines)

    def sections(self, limit: int = _SHOWN) -> list[Section]:
        """Report sections for text and Markdown: a summary, then one section per part
        that changed. Tables show at most ``limit`` rows."""
        title = f"Diff: {self.old_name} -> {self.new_name}"
        if self.is_empty:
            return [Section(title, lines=("No differences.",))]
        out = [Section(title, lines=self.summary_lines())]
        if self.model_changes:
            out.append(
                Section(
                    "Model",
                    tables=(_field_table((), [((), c) for c in self.model_changes]),),
                )
            )
        out.extend(
            _entity_sections(
                "Layers", self.layers_added, self.layers_removed, self.layers_changed, limit
            )
        )
        if self.layer_order is not None:
            out.append(
                Section(
                    "Layer order",
                    lines=(
                        "before: " + " > ".join(self.layer_order[0]),
                        "after:  " + " > ".join(self.layer_order[1]),
                    ),
                )
            )
        out.extend(
            _entity_sections(
                "Components",
                self.components_added,
                self.components_removed,
                self.components_changed,
                limit,
            )
        )
        deps: list[Table] = []
        if self.dependencies_added:
            deps.append(table(["added: source", "target"], self.dependencies_added, limit=limit))
        if self.dependencies_removed:
            deps.append(
                table(["removed: source", "target"], self.dependencies_removed, limit=limit)
            )
        if self.dependencies_changed:
            deps.append(
                _field_table(
                    ("source", "target"),
                    [
                        ((d.source, d.target), c)
                        for d in self.dependencies_changed
                        for c in d.changes
                    ],
                    limit,
                )
            )
        if deps:
            out.append(Section("Dependencies", tables=tuple(deps)))
        out.extend(
            _entity_sections(
                "Products", self.products_added, self.products_removed, self.products_changed, limit
            )
        )
        if self.reuse_moves:
            out.append(reuse_section("Reuse moves (users per component)", self.reuse_moves, limit))
        if self.violations_introduced or self.violations_resolved:
            rows = [
                ("introduced", v.kind, f"{v.source} -> {v.target}", v.products)
                for v in self.violations_introduced or ()
            ] + [
                ("resolved", v.kind, f"{v.source} -> {v.target}", v.products)
                for v in self.violations_resolved or ()
            ]
            out.append(
                Section(
                    "Layering violations",
                    tables=(table(["", "kind", "dependency", "products"], rows, limit=limit),),
                )
            )
        if self.availability_moves:
            out.append(
                Section(
                    "Availability moves (estimated, per product)",
                    tables=(
                        table(
                            ["product", "before", "after", "change"],
                            [
                                (
                                    m.product,
                                    _availability(m.before),
                                    _availability(m.after),
                                    f"{(m.after - m.before) * 100:+.4f} pts",
                                )
                                for m in self.availability_moves
                            ],
                            "lrrr",
                            limit,
                        ),
                    ),
                )
            )
        return out


# -- rendering helpers -----------------------------------------------------------------


def _show(value: Any, width: int = 60) -> str:
    """A field value for a table cell: text as is, other data as compact JSON."""
    if value is None:
        return "-"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 3] + "..."


def _field_table(
    key_columns: tuple[str, ...],
    rows: Sequence[tuple[tuple[str, ...], FieldChange]],
    limit: int | None = None,
) -> Table:
    """One row per field change: the key columns, the field, its value before and after."""
    return table(
        [*key_columns, "field", "before", "after"],
        [(*key, c.field, _show(c.old), _show(c.new)) for key, c in rows],
        limit=limit,
    )


def _entity_sections(
    title: str,
    added: tuple[str, ...],
    removed: tuple[str, ...],
    changed: tuple[EntityChange, ...],
    limit: int,
) -> list[Section]:
    if not (added or removed or changed):
        return []
    lines = []
    if added:
        lines.append(f"added ({len(added)}): " + _id_list(added, limit))
    if removed:
        lines.append(f"removed ({len(removed)}): " + _id_list(removed, limit))
    if changed:
        lines.append(f"changed ({len(changed)}): " + _id_list([e.id for e in changed], limit))
    # Dependency changes have their own section, by edge; here only the other fields.
    rows = [
        ((e.id,), c) for e in changed for c in e.changes if not c.field.startswith("depends_on.")
    ]
    tables = (_field_table((title[:-1].lower(),), rows, limit),) if rows else ()
    return [Section(title, lines=tuple(lines), tables=tables)]


def _id_list(ids: Iterable[str], limit: int) -> str:
    ids = list(ids)
    shown = ", ".join(ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit:,} more"


def _availability(value: float) -> str:
    return f"{value * 100:.4f}%"


def reuse_section(title: str, moves: tuple[ReuseMove, ...], limit: int = _SHOWN) -> Section:
    """A table of reuse moves: component, users before, after and the change."""
    return Section(
        title,
        tables=(
            table(
                ["component", "before", "after", "change"],
                [(m.id, m.before, m.after, f"{m.change:+d}") for m in moves],
                "lrrr",
                limit,
            ),
        ),
    )


# -- computing -------------------------------------------------------------------------


def reuse_moves(before: Ecosystem, after: Ecosystem) -> tuple[ReuseMove, ...]:
    """Components in both models whose reuse count (number of users) changed.

    Sorted by the size of the move, largest first, then by id.

    Complexity: the cached one-pass users bitsets of both models, then
    O(components) popcounts.
    """
    old_bits = user_bits(before)
    new_bits = user_bits(after)
    moves = []
    for cid, old in old_bits.items():
        new = new_bits.get(cid)
        if new is None or new == old:
            continue
        b, a = old.bit_count(), new.bit_count()
        if a != b:
            moves.append(ReuseMove(cid, b, a))
    moves.sort(key=lambda m: (-abs(m.change), m.id))
    return tuple(moves)


def _dumped(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json")  # type: ignore[no-any-return]


def _field_changes(old: dict[str, Any], new: dict[str, Any], skip: str = "") -> list[FieldChange]:
    return [
        FieldChange(key, old.get(key), new.get(key))
        for key in dict.fromkeys([*old, *new])
        if key != skip and old.get(key) != new.get(key)
    ]


def _dependency_attributes(component: Component) -> dict[str, dict[str, Any]]:
    return {
        d.target: {"kind": d.kind, "required": d.required, "description": d.description}
        for d in component.depends_on
    }


def _split(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...], list[str]]:
    """(added ids, removed ids, ids in both whose records differ), sorted."""
    added = tuple(sorted(k for k in new if k not in old))
    removed = tuple(sorted(k for k in old if k not in new))
    common = sorted(k for k, v in old.items() if k in new and new[k] is not v and new[k] != v)
    return added, removed, common


def diff(
    old: Ecosystem, new: Ecosystem, *, violations: bool = True, availability: bool = True
) -> Diff:
    """Compare two models: additions, removals and changes, and how reuse, layering
    violations and product availability moved.

    Args:
        old: the model before.
        new: the model after.
        violations: compare layering violations, keyed by (kind, source, target),
            using :func:`layermodel.analysis.layering.violations`.
        availability: compare each product's estimated availability, using
            :func:`layermodel.analysis.reliability.availability`.

    Returns:
        A :class:`Diff`; ``diff(a, a).is_empty`` is true.

    Complexity: O(layers + components + products) equality checks; field-by-field
    work only for records that differ, plus the cached one-pass users bitsets of
    both models. Violations and availability cost whatever those analyses cost
    (each is cached per model).
    """
    old_components = old.component_index
    new_components = new.component_index
    c_added, c_removed, c_common = _split(old_components, new_components)

    components_changed = []
    dependencies_changed = []
    edges_added: list[tuple[str, str]] = []
    edges_removed: list[tuple[str, str]] = []
    for cid in c_added:
        edges_added.extend((cid, t) for t in new_components[cid].targets)
    for cid in c_removed:
        edges_removed.extend((cid, t) for t in old_components[cid].targets)
    for cid in c_common:
        a, b = old_components[cid], new_components[cid]
        changes = _field_changes(_dumped(a), _dumped(b), skip="depends_on")
        old_deps, new_deps = _dependency_attributes(a), _dependency_attributes(b)
        for target in sorted(old_deps.keys() | new_deps.keys()):
            was, now = old_deps.get(target), new_deps.get(target)
            if was == now:
                continue
            changes.append(FieldChange(f"depends_on.{target}", was, now))
            if was is None:
                edges_added.append((cid, target))
            elif now is None:
                edges_removed.append((cid, target))
            else:
                dependencies_changed.append(
                    DependencyChange(cid, target, tuple(_field_changes(was, now)))
                )
        if changes:
            components_changed.append(EntityChange(cid, tuple(changes)))

    old_products = old.product_index
    new_products = new.product_index
    p_added, p_removed, p_common = _split(old_products, new_products)
    products_changed = []
    for pid in p_common:
        a_dump, b_dump = _dumped(old_products[pid]), _dumped(new_products[pid])
        changes = _field_changes(a_dump, b_dump, skip="uses")
        if set(a_dump["uses"]) != set(b_dump["uses"]):
            changes.append(FieldChange("uses", sorted(a_dump["uses"]), sorted(b_dump["uses"])))
        if changes:
            products_changed.append(EntityChange(pid, tuple(changes)))

    old_layers = old.layer_index
    new_layers = new.layer_index
    l_added, l_removed, l_common = _split(old_layers, new_layers)
    layers_changed = [
        EntityChange(lid, tuple(changes))
        for lid in l_common
        if (changes := _field_changes(_dumped(old_layers[lid]), _dumped(new_layers[lid])))
    ]
    old_order = tuple(layer.id for layer in old.layers)
    new_order = tuple(layer.id for layer in new.layers)
    both = old_layers.keys() & new_layers.keys()
    layer_order = (
        (old_order, new_order)
        if [x for x in old_order if x in both] != [x for x in new_order if x in both]
        else None
    )

    model_changes = [
        FieldChange(key, *values)
        for key, values in (
            ("name", (old.name, new.name)),
            ("description", (old.description, new.description)),
            ("policy", (old.policy, new.policy)),
            ("properties", (old.properties, new.properties)),
        )
        if values[0] != values[1]
    ]

    introduced, resolved = _violation_changes(old, new) if violations else (None, None)
    return Diff(
        old_name=old.name,
        new_name=new.name,
        model_changes=tuple(model_changes),
        layers_added=l_added,
        layers_removed=l_removed,
        layers_changed=tuple(layers_changed),
        layer_order=layer_order,
        components_added=c_added,
        components_removed=c_removed,
        components_changed=tuple(components_changed),
        dependencies_added=tuple(sorted(edges_added)),
        dependencies_removed=tuple(sorted(edges_removed)),
        dependencies_changed=tuple(dependencies_changed),
        products_added=p_added,
        products_removed=p_removed,
        products_changed=tuple(products_changed),
        reuse_moves=reuse_moves(old, new),
        violations_introduced=introduced,
        violations_resolved=resolved,
        availability_moves=_availability_moves(old, new) if availability else None,
    )


def _violation_changes(
    old: Ecosystem, new: Ecosystem
) -> tuple[tuple[ViolationChange, ...], tuple[ViolationChange, ...]]:
    """(introduced, resolved) violations, each sorted by (kind, source, target)."""
    from layermodel.analysis.layering import violations

    def keyed(eco: Ecosystem) -> dict[tuple[str, str, str], ViolationChange]:
        found: dict[tuple[str, str, str], ViolationChange] = {}
        for v in violations(eco).violations:
            key = (str(v.kind), str(v.source), str(v.target))
            if key not in found:
                found[key] = ViolationChange(
                    *key,
                    chain=tuple(str(x) for x in v.chain),
                    products=tuple(sorted(str(p) for p in v.products)),
                )
        return found

    before, after = keyed(old), keyed(new)
    return (
        tuple(after[k] for k in sorted(after.keys() - before.keys())),
        tuple(before[k] for k in sorted(before.keys() - after.keys())),
    )


_AVAILABILITY_TOLERANCE = 1e-12
"""Smaller moves are floating-point noise from multiplying in another order."""


def _availability_moves(old: Ecosystem, new: Ecosystem) -> tuple[AvailabilityMove, ...]:
    from layermodel.analysis.reliability import availability

    before = availability(old).products
    after = availability(new).products
    moves = []
    for pid in sorted(before.keys() & after.keys()):
        b = before[pid].availability
        a = after[pid].availability
        if abs(a - b) > _AVAILABILITY_TOLERANCE:
            moves.append(AvailabilityMove(pid, b, a))
    moves.sort(key=lambda m: (-abs(m.after - m.before), m.product))
    return tuple(moves)
