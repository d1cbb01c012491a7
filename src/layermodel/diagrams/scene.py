"""What a view shows, independent of the output format.

A :class:`Scene` is the plain data every renderer draws from: the layer bands in
order, the component nodes with what they encode (reuse, sourcing, emphasis), the
dependency edges with their violations, and the products. Graphviz, Mermaid and the
interactive HTML page all read the same scene, so they never disagree about what a
view contains. No renderer computes any analysis; it only reads a scene.

Two variations on the ecosystem and product views: a *rollup* scene
(``build_scene(..., rollup="group")``) has one node per group, owner or layer in each
layer, with the figures of :func:`layermodel.analysis.rollup.rollup`, and one edge per
pair of nodes that counts the dependencies it stands for; a *focus* scene
(``focus=ID``) keeps one component's neighbourhood (:mod:`~.focus`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from layermodel.diagrams.order import order_ranks
from layermodel.diagrams.theme import COLOUR_BY, PRODUCT_COLOURS
from layermodel.errors import LayermodelError, Problem, plural, suggest

if TYPE_CHECKING:
    from layermodel.analysis.rollup import RollupNode
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

ViewKind = Literal["product", "ecosystem", "impact", "matrix", "diff"]
Emphasis = Literal["normal", "focus", "hit", "faded"]
"""How a node or edge is drawn: ``focus`` is the failing component of an impact view,
``hit`` what fails with it, ``faded`` what is unaffected; everything else is
``normal``."""
Change = Literal["added", "removed", "moved", "changed", "moved-from"]
"""What a change (diff) view says about a node, edge or product: ``added`` (only in
the new model), ``removed`` (only in the old one, drawn as a ghost), ``moved`` (in
another layer than before), ``changed`` (some field differs) and ``moved-from`` (the
ghost of a moved component, in the band it left)."""


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
    change: Change | None = None
    """In a change view: what happened to the component."""
    change_note: str | None = None
    """In a change view: the short badge drawn on the node (``moved from Data``)."""
    change_details: tuple[str, ...] = ()
    """In a change view: one tooltip line per changed field."""
    ref: str | None = None
    """The component id this node stands for, when it differs from the node id (the
    ghost of a moved component)."""
    group: str | None = None
    """The group path the node is drawn in (``Payments/Risk``), or None."""
    detail: str | None = None
    """The line under the name, when the view words it itself (a rollup node's count
    and reuse); None for the usual products line."""
    members: tuple[str, ...] = ()
    """The components a rollup node stands for (empty for a component)."""

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
    change: Change | None = None
    """In a change view: ``added``, ``removed`` or ``changed``."""
    change_details: tuple[str, ...] = ()
    """In a change view: one tooltip line per changed attribute."""
    count: int = 1
    """How many dependencies the edge stands for (more than one in a rollup)."""
    kinds: tuple[str, ...] = ()
    """The distinct kinds among the dependencies of an aggregated edge."""


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
    change: Change | None = None
    """In a change view: ``added``, ``removed`` or ``changed``."""


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
    rollup: str | None = None
    """``group``, ``owner`` or ``layer`` when each node stands for many components."""
    centre: str | None = None
    """The component a focus view is centred on (drawn with the ``focus`` emphasis)."""

    @property
    def grouped(self) -> bool:
        """Whether any node sits in a group (so the diagram draws group boxes)."""
        return any(node.group for node in self.nodes.values())

    colour_by: str = "reuse"
    """What a component's fill says (see :mod:`layermodel.diagrams.legend`)."""
    highlight: frozenset[str] = frozenset()
    """The components the picture is about; every other component is faded."""
    owners: tuple[str, ...] = ()
    """The owners with a colour of their own, sorted: the order of the owner colours
    (every owner, up to nine; else the eight with the most components)."""


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


def _highlighted(
    ecosystem: Ecosystem, kind: str, colour_by: str, highlight: Iterable[str]
) -> frozenset[str]:
    """Check ``colour_by`` and the highlighted ids; the ids as a set."""
    if colour_by not in COLOUR_BY:
        hint = suggest(colour_by, COLOUR_BY)
        raise ViewError(
            f"cannot colour by {colour_by!r}",
            suggestion=(f"did you mean {hint!r}? " if hint else "")
            + f"colour by one of {', '.join(COLOUR_BY)}",
        )
    marked = frozenset(highlight)
    for cid in sorted(marked):
        if cid not in ecosystem.component_index:
            raise _missing("component", cid, ecosystem.component_index)
    if marked and kind == "impact":
        raise ViewError(
            "an impact view already picks out what fails; --highlight does not apply",
            suggestion="highlight components in a product or ecosystem view",
        )
    return marked


OWNER_COLOURS = 9
"""Owners get a colour each up to this many; past it, the eight owners of the most
components do, and the rest share one "other owners" fill."""


def _coloured_owners(ecosystem: Ecosystem) -> tuple[str, ...]:
    """The owners that get a colour of their own, sorted by name."""
    counts: dict[str, int] = {}
    for c in ecosystem.components:
        if c.owner:
            counts[c.owner] = counts.get(c.owner, 0) + 1
    if len(counts) > OWNER_COLOURS:
        most = sorted(counts, key=lambda owner: (-counts[owner], owner))[: OWNER_COLOURS - 1]
        return tuple(sorted(most))
    return tuple(sorted(counts))


def _order_bands(
    ecosystem: Ecosystem, shown: Sequence[str], product_order: Sequence[str]
) -> dict[str, list[str]]:
    """Components per layer, each band in the order the layout draws it
    (:func:`~layermodel.diagrams.order.order_ranks`: keyed from the products down,
    ties in model order), so that every format shows the same order and a small
    edit reorders little. Linear in the components and dependencies drawn, plus the
    sorts."""
    shown_set = set(shown)
    neighbours: dict[str, list[str]] = {}

    def link(a: str, b: str) -> None:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)

    for cid in shown:
        for dep in ecosystem.component(cid).depends_on:
            if dep.target in shown_set:
                link(cid, dep.target)
    for pid in product_order:
        for cid in ecosystem.product(pid).uses:
            if cid in shown_set:
                link(f"product:{pid}", cid)
    by_layer: dict[str, list[str]] = {layer.id: [] for layer in ecosystem.layers}
    for cid in shown:
        by_layer[ecosystem.component(cid).layer].append(cid)
    ranks = [[f"product:{pid}" for pid in product_order]] if product_order else []
    ranks += [by_layer[layer.id] for layer in ecosystem.layers if by_layer[layer.id]]
    rank_of = {v: r for r, rank in enumerate(ranks) for v in rank}
    order_ranks(ranks, neighbours, rank_of, {cid: i for i, cid in enumerate(shown)})
    return by_layer


def build_scene(
    ecosystem: Ecosystem,
    view: str = "ecosystem",
    *,
    layers: Iterable[str] = (),
    tags: Iterable[str] = (),
    owners: Iterable[str] = (),
    rollup: str | None = None,
    focus: str | None = None,
    depth: int = 1,
    colour_by: str = "reuse",
    highlight: Iterable[str] = (),
) -> Scene | MatrixScene:
    """The scene for ``view`` (``product:ID``, ``ecosystem``, ``impact:ID`` or
    ``matrix``), keeping only the components that pass the filters.

    ``rollup`` (``group``, ``owner`` or ``layer``) draws one node per group, owner or
    layer in each layer instead of one per component, with aggregated dependencies.
    ``focus`` keeps only the component of that id and its neighbourhood: what it
    depends on and what depends on it, up to ``depth`` hops either way.
    ``colour_by`` picks what a component's fill says (``reuse``, ``owner``,
    ``sourcing``, ``lifecycle`` or ``product``); ``highlight`` names the components the
    picture is about, and fades the others.

    Raises :class:`ViewError` for an unknown view, product, component, layer, colouring
    or highlighted id, a negative depth, or a rollup or focus on a view that cannot
    have one.
    """
    from layermodel.analysis.layering import violations
    from layermodel.graph import blast_of, members, user_bits

    kind, arg = parse_view(view)
    _check_scoping(ecosystem, kind, rollup, focus, depth)
    marked = _highlighted(ecosystem, kind, colour_by, highlight)
    flt = Filter(frozenset(layers), frozenset(tags), frozenset(owners))
    kept = _keep(ecosystem, flt)
    product_ids = [p.id for p in ecosystem.products]
    bits = user_bits(ecosystem)
    used_by = {cid: tuple(members(b, product_ids)) for cid, b in bits.items()}

    failing: str | None = None
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

        failing = arg
        hit = set(blast_of(ecosystem, arg))
        hit_products = set(members(required_user_bits(ecosystem)[arg], product_ids))
        scope = [c.id for c in ecosystem.components]
        shown_products = product_ids
        title = f"What fails with {ecosystem.component(arg).label}"

        def subtitle_of(shown: list[str]) -> str:
            down = len(hit.intersection(shown))
            return (
                f"Impact view of {ecosystem.name}: {plural(down, 'component')} and "
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
        scope = [cid for cid in scope if cid in kept or cid == failing]
    # The subtitle counts what the picture shows, after the filters.
    subtitle = subtitle_of(scope)
    if kept is not None:
        subtitle += f"; filtered to {flt.describe()}"
    if focus is not None:
        from layermodel.diagrams.focus import neighbourhood

        near = neighbourhood(ecosystem, focus, depth)
        scope = [cid for cid in scope if cid in near]
        if focus not in scope:
            raise ViewError(
                f"component {focus!r} is not in this view, so it cannot be its focus",
                suggestion="focus on a component the view shows, or drop a filter",
            )
        title = f"Around {ecosystem.component(focus).label}"
        hops = f"{depth} hop" + ("s" if depth != 1 else "")
        subtitle = (
            f"Focus view of {ecosystem.name}: {ecosystem.component(focus).label} and the "
            f"{len(scope) - 1} components within {hops} of it, either way"
            + (f"; filtered to {flt.describe()}" if kept is not None else "")
        )

    colours = {pid: PRODUCT_COLOURS[i % len(PRODUCT_COLOURS)] for i, pid in enumerate(product_ids)}
    shown = set(scope)
    marks = tuple(
        ProductMark(
            id=p.id,
            label=p.label,
            colour=colours[p.id],
            uses=tuple(u for u in p.uses if u in shown),
            emphasis=(
                "normal" if failing is None else ("hit" if p.id in hit_products else "faded")
            ),
            description=p.description,
            owner=p.owner,
        )
        for p in (ecosystem.product(pid) for pid in shown_products)
    )
    if focus is not None:
        # Only the products that reach into the neighbourhood directly.
        marks = tuple(mark for mark in marks if mark.uses)
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
        if marked:
            return "normal" if cid in marked else "faded"
        if failing is None:
            return "focus" if cid == focus else "normal"
        if cid == failing:
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
            group=c.group,
        )
    broken = {(v.source, v.target): v.kind for v in violations(ecosystem).violations}
    edges: list[Edge] = []
    for cid in scope:
        for dep in ecosystem.component(cid).depends_on:
            if dep.target not in shown:
                continue
            if failing is None:
                emphasis: Emphasis = "normal"
            elif (
                dep.required
                and (cid in hit or cid == failing)
                and (dep.target in hit or dep.target == failing)
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
    scene = Scene(
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
        focus=failing,
        markers=len(product_ids) <= MARKER_LIMIT,
        colours=colours,
        product_labels={p.id: p.label for p in ecosystem.products},
        centre=focus,
        colour_by=colour_by,
        highlight=marked,
        owners=_coloured_owners(ecosystem),
    )
    if rollup is not None:
        return _rolled_up(ecosystem, scene, rollup)
    return scene


def _check_scoping(
    ecosystem: Ecosystem, kind: ViewKind, rollup: str | None, focus: str | None, depth: int
) -> None:
    """Refuse a rollup or focus the view cannot have, before any work."""
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise ViewError(
            f"the focus depth must be a whole number of hops, 0 or more; got {depth!r}",
            suggestion="use --depth 1 for the direct neighbours, 2 for theirs too",
        )
    if rollup is not None:
        from layermodel.analysis.rollup import ROLLUP_KEYS

        if rollup not in ROLLUP_KEYS:
            hint = suggest(rollup, ROLLUP_KEYS)
            raise ViewError(
                f"cannot roll up by {rollup!r}",
                suggestion=(f"did you mean {hint!r}? " if hint else "")
                + "roll up by group, owner or layer",
            )
    if rollup is not None and focus is not None:
        raise ViewError(
            "a view is either rolled up or focused, not both",
            suggestion="drop --rollup to focus on one component, or --focus to roll up",
        )
    for name, value in (("rollup", rollup), ("focus", focus)):
        if value is not None and kind not in ("ecosystem", "product"):
            raise ViewError(
                f"the {kind} view has no {name}",
                suggestion=f"use --{name} with the ecosystem or a product view",
            )
    if focus is not None and focus not in ecosystem.component_index:
        raise _missing("component", focus, ecosystem.component_index)


# -- rollups -----------------------------------------------------------------------


def _rollup_detail(node: RollupNode, product_count: int) -> str:
    """The line under a rollup node's name: "12 components · shared by 3 of 5
    products"."""
    size = f"{node.size} component" + ("s" if node.size != 1 else "")
    users = len(node.products)
    if users == 0:
        reach = "no product"
    elif users == 1:
        reach = f"1 of {product_count} products" if product_count > 1 else "1 product"
    elif users == product_count:
        reach = f"all {users} products"
    else:
        reach = f"shared by {users} of {product_count} products"
    return f"{size} · {reach}"


def _group_prefixes(path: str) -> list[str]:
    """``A/B/C`` -> ``A``, ``A/B`` (the groups that hold it)."""
    parts = path.split("/")
    return ["/".join(parts[:k]) for k in range(1, len(parts))]


def _rollup_label(ecosystem: Ecosystem, node: RollupNode, by: str) -> str:
    from layermodel.analysis.rollup import UNGROUPED

    if by == "layer":
        return ecosystem.layer(node.key).label
    if by == "group" and node.key != UNGROUPED:
        return node.key.rpartition("/")[2]
    return node.key


def _rolled_up(ecosystem: Ecosystem, scene: Scene, by: str) -> Scene:
    """``scene`` (an ecosystem or product view) rolled up by ``by``."""
    from layermodel.analysis.rollup import UNGROUPED, rollup

    result = rollup(ecosystem, by, components=list(scene.nodes))
    node_of = {cid: n.id for n in result.nodes for cid in n.members}
    # A group with subgroups in the same layer gets a box, its own node inside it
    # beside its subgroups' nodes; any other node sits in its parent's box, if any.
    parents = {
        (n.layer, prefix)
        for n in result.nodes
        if by == "group" and n.key != UNGROUPED
        for prefix in _group_prefixes(n.key)
    }
    nodes: dict[str, Node] = {}
    for n in result.nodes:
        ways = Counter(scene.nodes[cid].sourcing for cid in n.members)
        owners = {scene.nodes[cid].owner for cid in n.members}
        box = None
        if by == "group" and n.key != UNGROUPED:
            box = n.key if (n.layer, n.key) in parents else (n.key.rpartition("/")[0] or None)
        nodes[n.id] = Node(
            id=n.id,
            label=_rollup_label(ecosystem, n, by),
            layer=n.layer,
            products=n.products,
            # One border when the members agree on their sourcing; build otherwise.
            sourcing=next(iter(ways)) if len(ways) == 1 else "build",
            owner=next(iter(owners)) if len(owners) == 1 else None,
            description=(
                f"{n.internal} dependencies between its own components" if n.internal else None
            ),
            group=box,
            detail=_rollup_detail(n, scene.product_count),
            members=n.members,
        )
    edges = tuple(
        Edge(
            source=e.source,
            target=e.target,
            required=e.required > 0,
            violation=e.violation if e.violations else None,
            count=e.count,
            kinds=e.kinds,
        )
        for e in result.edges
    )
    marks = tuple(
        ProductMark(
            id=m.id,
            label=m.label,
            colour=m.colour,
            uses=tuple(dict.fromkeys(node_of[cid] for cid in m.uses if cid in node_of)),
            emphasis=m.emphasis,
            description=m.description,
            owner=m.owner,
        )
        for m in scene.products
    )
    bands = tuple(
        Band(band.id, band.label, tuple(n.id for n in result.nodes if n.layer == band.id))
        for band in scene.bands
    )
    internal = sum(n.internal for n in result.nodes)
    keys = len({n.key for n in result.nodes})
    noun = {"group": "groups", "owner": "owners", "layer": "layers"}[by]
    subtitle = (
        f"{scene.subtitle}; rolled up by {by}: {keys} {noun} in {len(nodes)} boxes, "
        f"{sum(e.count for e in result.edges)} dependencies between them in "
        f"{len(edges)} arrows, {internal} inside one box"
    )
    return Scene(
        kind=scene.kind,
        title=scene.title,
        subtitle=subtitle,
        bands=tuple(band for band in bands if band.nodes),
        nodes=nodes,
        edges=edges,
        products=marks,
        product_count=scene.product_count,
        markers=scene.markers,
        colours=scene.colours,
        product_labels=scene.product_labels,
        rollup=by,
        colour_by=scene.colour_by,
        highlight=frozenset(m for m in scene.highlight if m in node_of),
        owners=scene.owners,
    )
