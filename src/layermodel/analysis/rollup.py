"""Rollups: the portfolio seen one level up, by group, owner or layer.

Each rollup node stands for the components of one key (a group path, an owner, or a
layer) *in one layer*, so a rollup still reads top to bottom like the component
diagrams: a group that spans three layers gives three nodes. Components without the
key (no group, no owner) roll up into one ``(ungrouped)`` node per layer.

Dependencies between two nodes are merged into one aggregated edge that counts them;
dependencies inside one node (a self-loop once rolled up) are not edges: they are
counted on the node as ``internal``. The whole rollup is one pass over the
components and one over their dependencies.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from layermodel.analysis.sections import Section, table
from layermodel.errors import LayermodelError, Problem, suggest

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "ROLLUP_KEYS",
    "UNGROUPED",
    "Rollup",
    "RollupEdge",
    "RollupError",
    "RollupNode",
    "rollup",
]

RollupKey = Literal["group", "owner", "layer"]
ROLLUP_KEYS: tuple[str, ...] = ("group", "owner", "layer")
UNGROUPED = "(ungrouped)"
"""The key of components that have no group (or no owner)."""


class RollupError(LayermodelError):
    """A rollup asked for a key layermodel cannot roll up by."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        self.problem = Problem(message=message, suggestion=suggestion)
        super().__init__(message + (f" ({suggestion})" if suggestion else ""))


@dataclass(frozen=True)
class RollupNode:
    """The components of one key in one layer."""

    id: str
    """``<layer>:<key>``, unique in the rollup."""
    key: str
    """The group path, owner or layer id; ``(ungrouped)`` when the components have none."""
    layer: str
    members: tuple[str, ...]
    """Component ids, in model order."""
    products: tuple[str, ...]
    """Products whose footprint holds at least one member, in model order."""
    internal: int = 0
    """Dependencies between two members (not drawn as edges)."""

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class RollupEdge:
    """Every dependency from the members of ``source`` to the members of ``target``."""

    source: str
    target: str
    count: int
    required: int
    """How many of them are required (the rest are optional)."""
    kinds: tuple[str, ...] = ()
    """The distinct dependency kinds among them, sorted."""
    violations: int = 0
    """How many of them break a layering rule."""
    violation: str | None = None
    """The rule the first of them breaks (``upward``, ``bypass`` or ``independent``)."""


@dataclass(frozen=True)
class Rollup:
    """A portfolio rolled up by ``by``: nodes in layer order, then first appearance."""

    by: str
    nodes: tuple[RollupNode, ...]
    edges: tuple[RollupEdge, ...]
    product_count: int

    def node(self, node_id: str) -> RollupNode:
        """The node with this id."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by": self.by,
            "product_count": self.product_count,
            "nodes": [
                {
                    "id": n.id,
                    "key": n.key,
                    "layer": n.layer,
                    "members": list(n.members),
                    "products": list(n.products),
                    "internal": n.internal,
                }
                for n in self.nodes
            ],
            "edges": [
                {
                    "source": e.source,
                    "target": e.target,
                    "count": e.count,
                    "required": e.required,
                    "kinds": list(e.kinds),
                    "violations": e.violations,
                    "violation": e.violation,
                }
                for e in self.edges
            ],
        }

    def sections(self, limit: int = 30) -> list[Section]:
        """Report sections for text and Markdown."""
        nodes = table(
            ("layer", self.by, "components", "products", "internal"),
            [
                (n.layer, n.key, n.size, f"{len(n.products)} of {self.product_count}", n.internal)
                for n in self.nodes
            ],
            align="llrrr",
            limit=limit,
        )
        heaviest = sorted(self.edges, key=lambda e: -e.count)
        edges = table(
            ("from", "to", "dependencies"),
            [(e.source, e.target, e.count) for e in heaviest],
            align="llr",
            limit=limit,
        )
        return [
            Section(
                f"Rollup by {self.by}",
                (
                    f"{len(self.nodes)} nodes and {len(self.edges)} aggregated dependencies "
                    f"(from {sum(e.count for e in self.edges)} component dependencies; "
                    f"{sum(n.internal for n in self.nodes)} stay inside one node).",
                ),
                (nodes, edges),
            )
        ]


def rollup(
    ecosystem: Ecosystem,
    by: str = "group",
    components: Collection[str] | None = None,
) -> Rollup:
    """Roll ``ecosystem`` up by ``by`` (``group``, ``owner`` or ``layer``).

    Args:
        ecosystem: the portfolio.
        by: what one node stands for.
        components: only these component ids (all when None); dependencies to
            components outside are left out.

    Returns:
        The rollup: one node per (key, layer) that has components, and one aggregated
        edge per pair of nodes that some dependency links.

    Raises:
        RollupError: for an unknown ``by``, with a suggestion.

    Complexity: O(components + dependencies + products x nodes).
    """
    from layermodel.analysis.layering import violations
    from layermodel.graph import members, user_bits

    if by not in ROLLUP_KEYS:
        hint = suggest(by, ROLLUP_KEYS)
        raise RollupError(
            f"cannot roll up by {by!r}",
            suggestion=(f"did you mean {hint!r}? " if hint else "")
            + "roll up by group, owner or layer",
        )
    keep = None if components is None else set(components)
    product_ids = [p.id for p in ecosystem.products]
    bits = user_bits(ecosystem)

    def key_of(cid: str) -> str:
        c = ecosystem.component(cid)
        value = c.layer if by == "layer" else (c.group if by == "group" else c.owner)
        return value or UNGROUPED

    node_of: dict[str, str] = {}
    grouped: dict[str, list[str]] = {}
    node_bits: dict[str, int] = {}
    order = {layer.id: i for i, layer in enumerate(ecosystem.layers)}
    for c in ecosystem.components:
        if keep is not None and c.id not in keep:
            continue
        nid = f"{c.layer}:{key_of(c.id)}"
        node_of[c.id] = nid
        grouped.setdefault(nid, []).append(c.id)
        node_bits[nid] = node_bits.get(nid, 0) | bits[c.id]

    broken = {(v.source, v.target): v.kind for v in violations(ecosystem).violations}
    internal: dict[str, int] = {}
    counts: dict[tuple[str, str], list[int]] = {}
    kinds: dict[tuple[str, str], set[str]] = {}
    rule: dict[tuple[str, str], str] = {}
    for cid, nid in node_of.items():
        for dep in ecosystem.component(cid).depends_on:
            other = node_of.get(dep.target)
            if other is None:
                continue
            if other == nid:
                internal[nid] = internal.get(nid, 0) + 1
                continue
            pair = (nid, other)
            figures = counts.setdefault(pair, [0, 0, 0])
            figures[0] += 1
            figures[1] += dep.required
            kind = broken.get((cid, dep.target))
            if kind is not None:
                figures[2] += 1
                rule.setdefault(pair, kind)
            if dep.kind:
                kinds.setdefault(pair, set()).add(dep.kind)

    # Layer order, then (the sort is stable) first appearance in the model.
    ids = sorted(grouped, key=lambda nid: order[nid.partition(":")[0]])
    nodes = tuple(
        RollupNode(
            id=nid,
            key=nid.partition(":")[2],
            layer=nid.partition(":")[0],
            members=tuple(grouped[nid]),
            products=tuple(members(node_bits[nid], product_ids)),
            internal=internal.get(nid, 0),
        )
        for nid in ids
    )
    edges = tuple(
        RollupEdge(
            source=s,
            target=t,
            count=figures[0],
            required=figures[1],
            kinds=tuple(sorted(kinds.get((s, t), ()))),
            violations=figures[2],
            violation=rule.get((s, t)),
        )
        for (s, t), figures in counts.items()
    )
    return Rollup(by=by, nodes=nodes, edges=edges, product_count=len(product_ids))
