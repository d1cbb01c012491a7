"""Rollup scenes: a component scene redrawn one level up, by group, owner or layer.

The figures come from :func:`layermodel.analysis.rollup.rollup`; this module only
turns them into a :class:`~layermodel.diagrams.scene.Scene` every writer can draw:
one node per (key, layer) in its layer's band, worded "12 components · shared by 3
of 5 products", and one edge per pair of nodes, labelled with how many dependencies
it stands for. In a rollup by group, nested groups (``Payments/Risk``) sit inside
their parent's box.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from layermodel.analysis.rollup import UNGROUPED, Rollup, RollupNode, rollup
from layermodel.diagrams.scene import Band, Edge, Node, ProductMark, Scene

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = ["node_detail", "rollup_scene"]


def node_detail(node: RollupNode, product_count: int) -> str:
    """ "12 components · shared by 3 of 5 products"."""
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


def _prefixes(path: str) -> list[str]:
    """``A/B/C`` -> ``A``, ``A/B`` (the groups that hold it)."""
    parts = path.split("/")
    return ["/".join(parts[:k]) for k in range(1, len(parts))]


def _label(ecosystem: Ecosystem, node: RollupNode, by: str) -> str:
    if by == "layer":
        return ecosystem.layer(node.key).label
    if by == "group" and node.key != UNGROUPED:
        return node.key.rpartition("/")[2]
    return node.key


def rollup_scene(ecosystem: Ecosystem, scene: Scene, by: str) -> Scene:
    """``scene`` (an ecosystem or product view) rolled up by ``by``."""
    result: Rollup = rollup(ecosystem, by, components=list(scene.nodes))
    node_of = {cid: n.id for n in result.nodes for cid in n.members}
    # A group with subgroups in the same layer gets a box, its own node inside it
    # beside its subgroups' nodes; any other node sits in its parent's box, if any.
    parents = {
        (n.layer, prefix)
        for n in result.nodes
        if by == "group" and n.key != UNGROUPED
        for prefix in _prefixes(n.key)
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
            label=_label(ecosystem, n, by),
            layer=n.layer,
            products=n.products,
            # One border when the members agree on their sourcing; build otherwise.
            sourcing=next(iter(ways)) if len(ways) == 1 else "build",
            owner=next(iter(owners)) if len(owners) == 1 else None,
            description=(
                f"{n.internal} dependencies between its own components" if n.internal else None
            ),
            group=box,
            detail=node_detail(n, scene.product_count),
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
    )
