"""The change view: one layered picture of what changed between two models (as-is
and to-be).

The picture is the new model's ecosystem view, marked with the changes
:func:`layermodel.analysis.diff` finds:

- components, dependencies and products only in the new model are **added**;
- those only in the old model come back as **ghosts** (``removed``): faded, dashed,
  in the band of the layer they were in;
- a component in another layer than before is **moved**: it carries a badge naming
  the layer it came from, and a ghost (``moved-from``) stands in the band it left;
- a component whose other fields differ is **changed**, and its tooltip lists the
  fields with their old and new values.

Each mark reaches every format: classes ``lm-added``, ``lm-removed``, ``lm-moved``,
``lm-moved-from`` and ``lm-changed`` on the SVG node and edge groups and on the HTML
cards, a ``classDef`` per kind in Mermaid.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from layermodel.diagrams.scene import (
    Band,
    Edge,
    Filter,
    Node,
    ProductMark,
    Scene,
    build_scene,
)
from layermodel.diagrams.theme import PRODUCT_COLOURS

if TYPE_CHECKING:
    from layermodel.analysis.diff import Diff, FieldChange
    from layermodel.model.entities import Component, Ecosystem

__all__ = ["GHOST_PREFIX", "build_change_scene"]

GHOST_PREFIX = "was:"
"""The node id of a moved component's ghost is this prefix and the component id (a
colon is never part of a component id)."""

_DETAILS_SHOWN = 12
"""At most this many changed fields are listed in a tooltip; the rest are counted."""


def _value(value: Any, width: int = 48) -> str:
    if value is None:
        return "none"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _details(changes: Iterable[FieldChange]) -> tuple[str, ...]:
    lines: list[str] = []
    for change in changes:
        if change.field.startswith("depends_on."):
            target = change.field.removeprefix("depends_on.")
            if change.old is None:
                lines.append(f"+ depends on {target}")
            elif change.new is None:
                lines.append(f"- no longer depends on {target}")
            else:
                lines.append(f"~ dependency on {target} changed")
        else:
            lines.append(f"{change.field}: {_value(change.old)} → {_value(change.new)}")
    if len(lines) > _DETAILS_SHOWN:
        more = len(lines) - _DETAILS_SHOWN
        lines = [*lines[:_DETAILS_SHOWN], f"and {more} more change{'s' if more != 1 else ''}"]
    return tuple(lines)


def _passes(component: Component, flt: Filter) -> bool:
    if flt.layers and component.layer not in flt.layers:
        return False
    if flt.tags and not flt.tags.intersection(component.tags):
        return False
    return not (flt.owners and component.owner not in flt.owners)


def _ghost(
    component: Component,
    node_id: str,
    products: tuple[str, ...],
    change: str,
    note: str,
) -> Node:
    return Node(
        id=node_id,
        label=component.label,
        layer=component.layer,
        products=products,
        sourcing=component.sourcing,
        owner=component.owner,
        description=component.description,
        lifecycle=component.lifecycle,
        vendor=component.vendor,
        tags=component.tags,
        change=change,  # type: ignore[arg-type]
        change_note=note,
        ref=component.id,
    )


def build_change_scene(
    old: Ecosystem,
    new: Ecosystem,
    *,
    old_name: str = "before",
    new_name: str = "after",
    layers: Iterable[str] = (),
    tags: Iterable[str] = (),
    owners: Iterable[str] = (),
    changes: Diff | None = None,
) -> Scene:
    """The change view from ``old`` to ``new``: the new ecosystem view with added,
    removed (ghost), moved and changed components, dependencies and products
    marked. ``old_name`` and ``new_name`` name the two versions in the subtitle (a
    file, or ``path@revision``). The filters keep components as in
    :func:`build_scene`, ghosts included. ``changes`` is the diff when the caller
    already has it.

    Raises :class:`~layermodel.diagrams.scene.ViewError` as :func:`build_scene`
    does (an unknown layer in the filter, or nothing left after it).

    Complexity: the diff's, plus linear in the components and dependencies of both
    models.
    """
    from layermodel.analysis.diff import diff
    from layermodel.graph import members, user_bits

    d = changes if changes is not None else diff(old, new, violations=False, availability=False)
    flt = Filter(frozenset(layers), frozenset(tags), frozenset(owners))
    base = build_scene(new, "ecosystem", layers=flt.layers, tags=flt.tags, owners=flt.owners)
    assert isinstance(base, Scene)

    old_products = [p.id for p in old.products]
    old_bits = user_bits(old)
    layer_labels = {layer.id: layer.label for layer in old.layers} | {
        layer.id: layer.label for layer in new.layers
    }
    nodes: dict[str, Node] = dict(base.nodes)
    extra: dict[str, list[str]] = {}  # band id -> ghost node ids, in old model order

    for cid in d.components_added:
        if cid in nodes:
            nodes[cid] = replace(nodes[cid], change="added", change_note="added")
    moved: set[str] = set()
    for entity in d.components_changed:
        if entity.id not in nodes:
            continue
        layer_change = next((c for c in entity.changes if c.field == "layer"), None)
        others = [c for c in entity.changes if not c.field.startswith("depends_on.")]
        details = _details(entity.changes)
        if layer_change is not None:
            moved.add(entity.id)
            came_from = layer_labels.get(str(layer_change.old), str(layer_change.old))
            nodes[entity.id] = replace(
                nodes[entity.id],
                change="moved",
                change_note=f"moved from {came_from}",
                change_details=details,
            )
        elif others:
            count = len(others)
            nodes[entity.id] = replace(
                nodes[entity.id],
                change="changed",
                change_note=f"{count} field{'s' if count != 1 else ''} changed",
                change_details=details,
            )
        else:  # only its dependencies changed: the arrows show it; the tooltip lists it
            nodes[entity.id] = replace(nodes[entity.id], change_details=details)

    def old_users(cid: str) -> tuple[str, ...]:
        return tuple(members(old_bits[cid], old_products))

    ghosts_of: dict[str, str] = {}  # component id -> ghost node id
    for component in old.components:
        cid = component.id
        if not _passes(component, flt):
            continue
        if cid in d.components_removed:
            nodes[cid] = _ghost(component, cid, old_users(cid), "removed", "removed")
            ghosts_of[cid] = cid
        elif cid in moved:
            where = layer_labels.get(new.component(cid).layer, new.component(cid).layer)
            ghost_id = GHOST_PREFIX + cid
            nodes[ghost_id] = _ghost(
                component, ghost_id, old_users(cid), "moved-from", f"moved to {where}"
            )
        else:
            continue
        ghost = nodes[cid] if cid in d.components_removed else nodes[GHOST_PREFIX + cid]
        extra.setdefault(ghost.layer, []).append(ghost.id)

    edges = _edges(base, d, old, nodes, ghosts_of)
    bands = _bands(base, old, new, extra)
    products = _products(base, d, old, nodes)
    counts = [
        (len(d.components_added), "added"),
        (len(d.components_removed), "removed"),
        (len(moved), "moved layer"),
        (sum(1 for n in nodes.values() if n.change == "changed"), "changed"),
    ]
    parts = [f"{n} {what}" for n, what in counts if n]
    deps = [
        f"{len(d.dependencies_added)} added" if d.dependencies_added else "",
        f"{len(d.dependencies_removed)} removed" if d.dependencies_removed else "",
    ]
    dep_text = ", ".join(x for x in deps if x)
    subtitle = (
        f"Changes from {old_name} to {new_name}: components "
        + (", ".join(parts) if parts else "unchanged")
        + (f"; dependencies {dep_text}" if dep_text else "")
    )
    if flt.active:
        subtitle += f"; filtered to {flt.describe()}"
    labels = {p.id: p.label for p in old.products} | dict(base.product_labels)
    colours = dict(base.colours) | {m.id: m.colour for m in products if m.change == "removed"}
    return replace(
        base,
        kind="diff",
        title=f"{new.name}: what changed",
        subtitle=subtitle,
        bands=bands,
        nodes=nodes,
        edges=edges,
        products=products,
        product_count=max(base.product_count, len(products)),
        colours=colours,
        product_labels=labels,
    )


def _edges(
    base: Scene,
    d: Diff,
    old: Ecosystem,
    nodes: Mapping[str, Node],
    ghosts_of: Mapping[str, str],
) -> tuple[Edge, ...]:
    added = set(d.dependencies_added)
    changed = {(c.source, c.target): c for c in d.dependencies_changed}
    edges: list[Edge] = []
    for edge in base.edges:
        key = (edge.source, edge.target)
        if key in added:
            edges.append(replace(edge, change="added"))
        elif key in changed:
            edges.append(
                replace(edge, change="changed", change_details=_details(changed[key].changes))
            )
        else:
            edges.append(edge)
    for source, target in d.dependencies_removed:
        s, t = ghosts_of.get(source, source), ghosts_of.get(target, target)
        if s not in nodes or t not in nodes:
            continue
        dep = next(x for x in old.component(source).depends_on if x.target == target)
        edges.append(
            Edge(source=s, target=t, required=dep.required, kind=dep.kind, change="removed")
        )
    return tuple(edges)


def _bands(
    base: Scene, old: Ecosystem, new: Ecosystem, extra: Mapping[str, list[str]]
) -> tuple[Band, ...]:
    """The new model's bands with the ghosts added at the end of theirs; a layer
    only the old model has gets its band after the new layers."""
    shown = {band.id: band for band in base.bands}
    bands: list[Band] = []
    for layer in new.layers:
        band = shown.get(layer.id)
        ghosts = tuple(extra.get(layer.id, ()))
        if band is not None:
            bands.append(replace(band, nodes=band.nodes + ghosts))
        elif ghosts:
            bands.append(Band(layer.id, layer.label, ghosts, layer.description))
    for layer in old.layers:
        if layer.id not in new.layer_index and extra.get(layer.id):
            bands.append(Band(layer.id, f"{layer.label} (removed layer)", tuple(extra[layer.id])))
    return tuple(bands)


def _products(
    base: Scene, d: Diff, old: Ecosystem, nodes: Mapping[str, Node]
) -> tuple[ProductMark, ...]:
    added, changed = set(d.products_added), {p.id for p in d.products_changed}
    marks = [
        replace(
            mark,
            change="added" if mark.id in added else ("changed" if mark.id in changed else None),
        )
        for mark in base.products
    ]
    for pid in d.products_removed:
        product = old.product(pid)
        taken = len(marks)
        marks.append(
            ProductMark(
                id=pid,
                label=product.label,
                colour=PRODUCT_COLOURS[taken % len(PRODUCT_COLOURS)],
                uses=tuple(u for u in product.uses if u in nodes),
                description=product.description,
                owner=product.owner,
                change="removed",
            )
        )
    return tuple(marks)
