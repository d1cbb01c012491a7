"""What a view shows, independent of the output format.

A :class:`Scene` is the plain data every renderer draws from: the layer bands in
order, the component nodes with what they encode (reuse, sourcing, emphasis), the
dependency edges with their violations, and the products. Graphviz, Mermaid and the
interactive HTML page all read the same scene, so they never disagree about what a
view contains. No renderer computes any analysis; it only reads a scene.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from layermodel.diagrams.theme import PRODUCT_COLOURS
from layermodel.errors import LayermodelError, Problem, plural, suggest

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "Band",
    "Edge",
    "Emphasis",
    "Filter",
    "MatrixScene",
    "Node",
    "ProductMark",
    "Scene",
    "ViewError",
    "build_scene",
    "parse_view",
]

ViewKind = Literal["product", "ecosystem", "impact", "matrix"]
Emphasis = Literal["normal", "focus", "hit", "faded"]
"""How a node or edge is drawn: ``focus`` is the failing component of an impact view,
``hit`` what fails with it, ``faded`` what is unaffected; everything else is
``normal``."""


class ViewError(LayermodelError):
    """A view names something the model does not have, or cannot be drawn."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        self.problem = Problem(message=message, suggestion=suggestion)
        super().__init__(message + (f" ({suggestion})" if suggestion else ""))


@dataclass(frozen=True)
class Filter:
    """Keep only components in these layers, with one of these tags, or owned by one
    of these owners. Empty sets keep everything; the criteria combine with *and*."""

    layers: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()

    @property
    def active(self) -> bool:
        return bool(self.layers or self.tags or self.owners)

    def describe(self) -> str:
        parts = []
        for name, values in (("layer", self.layers), ("tag", self.tags), ("owner", self.owners)):
            if values:
                parts.append(f"{name} {', '.join(sorted(values))}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Node:
    """One component as drawn."""

    id: str
    label: str
    layer: str
    products: tuple[str, ...]
    """Products whose footprint holds the component, in model order."""
    sourcing: str
    owner: str | None = None
    description: str | None = None
    lifecycle: str = "production"
    vendor: str | None = None
    tags: tuple[str, ...] = ()
    emphasis: Emphasis = "normal"
    provenance: tuple[str, ...] = ()
    """Where the component was found (discovered models), one text per place."""

    @property
    def reuse(self) -> int:
        """How many products use the component, directly or through others."""
        return len(self.products)


@dataclass(frozen=True)
class Edge:
    """A dependency, from the consumer (``source``) to the provider (``target``)."""

    source: str
    target: str
    required: bool = True
    violation: str | None = None
    """``upward``, ``bypass`` or ``independent`` when the edge breaks a layering rule."""
    emphasis: Emphasis = "normal"
    kind: str | None = None
    provenance: tuple[str, ...] = ()
    """Where the dependency was found (discovered models), one text per place."""


@dataclass(frozen=True)
class Band:
    """One layer's horizontal band: its components in drawing order."""

    id: str
    label: str
    nodes: tuple[str, ...]
    description: str | None = None


@dataclass(frozen=True)
class ProductMark:
    """A product drawn in the top row, with the colour of its markers."""

    id: str
    label: str
    colour: str
    uses: tuple[str, ...]
    """The entry components it uses directly, among those drawn."""
    emphasis: Emphasis = "normal"
    description: str | None = None
    owner: str | None = None


@dataclass(frozen=True)
class Scene:
    """A product, ecosystem or impact view, ready to draw."""

    kind: ViewKind
    title: str
    subtitle: str
    bands: tuple[Band, ...]
    nodes: Mapping[str, Node]
    edges: tuple[Edge, ...]
    products: tuple[ProductMark, ...]
    product_count: int
    """Products in the whole ecosystem, the top of the reuse scale."""
    focus: str | None = None
    """The failing component of an impact view."""
    markers: bool = True
    """Whether each node shows one coloured marker per product that uses it (off when
    there are too many products to tell the colours apart)."""
    colours: Mapping[str, str] = field(default_factory=dict)
    """Product id to marker colour."""
    product_labels: Mapping[str, str] = field(default_factory=dict)
    """Every product's display name, by id, including products not drawn (a product
    view draws one product, but its components' tooltips name all their users)."""


@dataclass(frozen=True)
class MatrixScene:
    """Products (rows) by components (columns, grouped by layer), shaded by use."""

    title: str
    subtitle: str
    products: tuple[ProductMark, ...]
    groups: tuple[Band, ...]
    """Column groups: one per layer, in layer order."""
    labels: Mapping[str, str]
    cells: Mapping[tuple[str, str], int]
    """(product id, component id) to 2 when the product uses the component directly,
    1 when it is in the product's footprint through other components. Absent: not
    used."""
    reuse: Mapping[str, int]
    kind: ViewKind = "matrix"


MARKER_LIMIT = 12
"""Above this many products, nodes show a count instead of one marker per product."""


def parse_view(text: str) -> tuple[ViewKind, str | None]:
    """Split ``product:ID``, ``impact:ID``, ``ecosystem`` or ``matrix``."""
    name, _, arg = text.partition(":")
    if name in ("product", "impact"):
        if not arg:
            raise ViewError(
                f"view {text!r} needs an id",
                suggestion=f"write it as {name}:ID, e.g. {name}:search",
            )
        return name, arg  # type: ignore[return-value]
    if name in ("ecosystem", "matrix"):
        if arg:
            raise ViewError(f"view {name!r} takes no id, got {text!r}")
        return name, None  # type: ignore[return-value]
    hint = suggest(name, ["product", "ecosystem", "impact", "matrix"])
    raise ViewError(
        f"unknown view {text!r}",
        suggestion=(f"did you mean {hint!r}? " if hint else "")
        + "views are product:ID, ecosystem, impact:ID and matrix",
    )


def _missing(what: str, value: str, known: Iterable[str]) -> ViewError:
    known = list(known)
    hint = suggest(value, known)
    return ViewError(
        f"no {what} {value!r} in the model",
        suggestion=f"did you mean {hint!r}?" if hint else f"the {what}s are: {_few(known)}",
    )


def _few(ids: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _keep(ecosystem: Ecosystem, flt: Filter) -> set[str] | None:
    if not flt.active:
        return None
    for layer in flt.layers:
        if layer not in ecosystem.layer_index:
            raise _missing("layer", layer, ecosystem.layer_index)
    kept = set()
    for c in ecosystem.components:
        if flt.layers and c.layer not in flt.layers:
            continue
        if flt.tags and not flt.tags.intersection(c.tags):
            continue
        if flt.owners and c.owner not in flt.owners:
            continue
        kept.add(c.id)
    if not kept:
        raise ViewError(f"no component matches the filter ({flt.describe()})")
    return kept


def _order_bands(
    ecosystem: Ecosystem, shown: Sequence[str], product_order: Sequence[str]
) -> dict[str, list[str]]:
    """Components per layer, each band ordered by the mean position of what uses it
    in the bands above (a barycentre pass, top to bottom), so that a wrapped band's
    rows and dot's starting order keep related components together. Linear in the
    number of edges drawn."""
    position: dict[str, float] = {}
    shown_set = set(shown)
    entries: dict[str, list[float]] = {}
    for index, pid in enumerate(product_order):
        for cid in ecosystem.product(pid).uses:
            if cid in shown_set:
                entries.setdefault(cid, []).append(index)
    by_layer: dict[str, list[str]] = {layer.id: [] for layer in ecosystem.layers}
    model_order = {cid: i for i, cid in enumerate(shown)}
    for cid in shown:
        by_layer[ecosystem.component(cid).layer].append(cid)
    for layer in ecosystem.layers:
        members = by_layer[layer.id]
        if not members:
            continue

        def key(cid: str) -> tuple[float, int]:
            seen = [position[d] for d in ecosystem.dependents(cid) if d in position]
            seen += entries.get(cid, [])
            mean = sum(seen) / len(seen) if seen else float("inf")
            return (mean, model_order[cid])

        members.sort(key=key)
        for i, cid in enumerate(members):
            position[cid] = i + 0.5 * (len(members) == 1)
    return by_layer


def build_scene(
    ecosystem: Ecosystem,
    view: str = "ecosystem",
    *,
    layers: Iterable[str] = (),
    tags: Iterable[str] = (),
    owners: Iterable[str] = (),
) -> Scene | MatrixScene:
    """The scene for ``view`` (``product:ID``, ``ecosystem``, ``impact:ID`` or
    ``matrix``), keeping only the components that pass the filters.

    Raises :class:`ViewError` for an unknown view, product, component or layer.
    """
    from layermodel.analysis.layering import violations
    from layermodel.graph import blast_of, members, user_bits

    kind, arg = parse_view(view)
    flt = Filter(frozenset(layers), frozenset(tags), frozenset(owners))
    kept = _keep(ecosystem, flt)
    product_ids = [p.id for p in ecosystem.products]
    bits = user_bits(ecosystem)
    used_by = {cid: tuple(members(b, product_ids)) for cid, b in bits.items()}

    focus: str | None = None
    hit: set[str] = set()
    hit_products: set[str] = set()
    if kind == "product":
        assert arg is not None
        if arg not in ecosystem.product_index:
            raise _missing("product", arg, product_ids)
        scope = [c.id for c in ecosystem.components if arg in used_by[c.id]]
        shown_products = [arg]
        title = f"{ecosystem.product(arg).label}"
        name = ecosystem.name

        def subtitle_of(shown: list[str]) -> str:
            return f"Product view of {name}: the {plural(len(shown), 'component')} it uses"

    elif kind == "impact":
        assert arg is not None
        if arg not in ecosystem.component_index:
            raise _missing("component", arg, ecosystem.component_index)
        from layermodel.graph import required_user_bits

        focus = arg
        hit = set(blast_of(ecosystem, arg))
        hit_products = set(members(required_user_bits(ecosystem)[arg], product_ids))
        scope = [c.id for c in ecosystem.components]
        shown_products = product_ids
        title = f"What fails with {ecosystem.component(arg).label}"

        def subtitle_of(shown: list[str]) -> str:
            failing = len(hit.intersection(shown))
            return (
                f"Impact view of {ecosystem.name}: {plural(failing, 'component')} and "
                f"{len(hit_products)} of {plural(len(product_ids), 'product')} fail with it "
                "(required dependencies only)"
            )

    else:
        scope = [c.id for c in ecosystem.components]
        shown_products = product_ids
        title = ecosystem.name

        def subtitle_of(shown: list[str]) -> str:
            products = plural(len(product_ids), "product")
            if kind == "ecosystem":
                return f"Ecosystem view: {products}, {plural(len(shown), 'component')}"
            return f"Reuse matrix: {products} × {plural(len(shown), 'component')}"

    if kept is not None:
        scope = [cid for cid in scope if cid in kept or cid == focus]
    # The subtitle counts what the picture shows, after the filters.
    subtitle = subtitle_of(scope)
    if kept is not None:
        subtitle += f"; filtered to {flt.describe()}"

    colours = {pid: PRODUCT_COLOURS[i % len(PRODUCT_COLOURS)] for i, pid in enumerate(product_ids)}
    shown = set(scope)
    marks = tuple(
        ProductMark(
            id=p.id,
            label=p.label,
            colour=colours[p.id],
            uses=tuple(u for u in p.uses if u in shown),
            emphasis=("normal" if focus is None else ("hit" if p.id in hit_products else "faded")),
            description=p.description,
            owner=p.owner,
        )
        for p in (ecosystem.product(pid) for pid in shown_products)
    )
    by_layer = _order_bands(ecosystem, scope, shown_products)

    if kind == "matrix":
        # One pass over each component's users: linear in the cells filled.
        direct = {(p.id, cid) for p in ecosystem.products for cid in p.uses}
        cells: dict[tuple[str, str], int] = {}
        for cid in scope:
            for pid in used_by[cid]:
                cells[(pid, cid)] = 2 if (pid, cid) in direct else 1
        return MatrixScene(
            title=title,
            subtitle=subtitle,
            products=marks,
            groups=tuple(
                Band(layer.id, layer.label, tuple(by_layer[layer.id]), layer.description)
                for layer in ecosystem.layers
                if by_layer[layer.id]
            ),
            labels={cid: ecosystem.component(cid).label for cid in scope},
            cells=cells,
            reuse={cid: len(used_by[cid]) for cid in scope},
        )

    def emphasis_of(cid: str) -> Emphasis:
        if focus is None:
            return "normal"
        if cid == focus:
            return "focus"
        return "hit" if cid in hit else "faded"

    nodes: dict[str, Node] = {}
    for cid in scope:
        c = ecosystem.component(cid)
        nodes[cid] = Node(
            id=cid,
            label=c.label,
            layer=c.layer,
            products=used_by[cid],
            sourcing=c.sourcing,
            owner=c.owner,
            description=c.description,
            lifecycle=c.lifecycle,
            vendor=c.vendor,
            tags=c.tags,
            emphasis=emphasis_of(cid),
            provenance=tuple(str(p) for p in c.provenance),
        )
    broken = {(v.source, v.target): v.kind for v in violations(ecosystem).violations}
    edges: list[Edge] = []
    for cid in scope:
        for dep in ecosystem.component(cid).depends_on:
            if dep.target not in shown:
                continue
            if focus is None:
                emphasis: Emphasis = "normal"
            elif (
                dep.required
                and (cid in hit or cid == focus)
                and (dep.target in hit or dep.target == focus)
            ):
                emphasis = "hit"
            else:
                emphasis = "faded"
            edges.append(
                Edge(
                    source=cid,
                    target=dep.target,
                    required=dep.required,
                    violation=broken.get((cid, dep.target)),
                    emphasis=emphasis,
                    kind=dep.kind,
                    provenance=tuple(str(p) for p in dep.provenance),
                )
            )
    return Scene(
        kind=kind,
        title=title,
        subtitle=subtitle,
        bands=tuple(
            Band(layer.id, layer.label, tuple(by_layer[layer.id]), layer.description)
            for layer in ecosystem.layers
            if by_layer[layer.id]
        ),
        nodes=nodes,
        edges=tuple(edges),
        products=marks,
        product_count=len(product_ids),
        focus=focus,
        markers=len(product_ids) <= MARKER_LIMIT,
        colours=colours,
        product_labels={p.id: p.label for p in ecosystem.products},
    )
