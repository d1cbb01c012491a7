"""The data of the Explore page: the whole portfolio as one interactive picture that
stays usable at 10,000 components.

The layout is computed here, once: one band per layer, top to bottom; inside a band,
the components grouped by their ``group`` path (nested groups nested), each group's
members ordered by reuse (most used first) then label; components without a group
come last, in blocks of at most :data:`BLOCK`. The page's script (``assets/explore.js``)
draws a group's cards only when the group is opened, and opens groups at first only
while fewer than about a thousand cards are on the page, so the first paint does not
wait for 10,000 cards. Clicking a card highlights what it depends on and what
depends on it, directly and transitively, from adjacency lists given here.
"""

from __future__ import annotations

from typing import Any

from layermodel.diagrams.theme import band_colours, reuse_level
from layermodel.site.figures import Portfolio
from layermodel.site.names import Pages

__all__ = ["BLOCK", "explore_data"]

BLOCK = 200
"""Ungrouped components of a layer are shown in blocks of at most this many."""


def explore_data(p: Portfolio, pages: Pages) -> dict[str, Any]:
    """The page's data: per component (in model order) its label, page, layer, group
    box, reuse shade and providers; per layer its boxes; per box its name, parent box,
    child boxes and members (in layout order)."""
    eco = p.ecosystem
    products = len(eco.products)
    rank = {layer.id: i for i, layer in enumerate(eco.layers)}
    comps = eco.components
    n = len(comps)
    position = p.positions
    # boxes: per (layer, group path) -> box index
    boxes: list[dict[str, Any]] = []
    key_of: dict[tuple[int, str], int] = {}
    tops: list[list[int]] = [[] for _ in eco.layers]

    def box(layer: int, path: str) -> int:
        found = key_of.get((layer, path))
        if found is not None:
            return found
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        parent_box = box(layer, parent) if parent is not None else -1
        index = key_of[(layer, path)] = len(boxes)
        boxes.append(
            {
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "page": pages.group(path),
                "parent": parent_box,
                "children": [],
                "members": [],
            }
        )
        if parent_box >= 0:
            boxes[parent_box]["children"].append(index)
        else:
            tops[layer].append(index)
        return index

    box_of = [-1] * n
    ungrouped: list[list[int]] = [[] for _ in eco.layers]
    for i, c in enumerate(comps):
        li = rank[c.layer]
        if c.group is None:
            ungrouped[li].append(i)
        else:
            box_of[i] = box(li, c.group)
    reuse = [p.users[i].bit_count() for i in range(n)]
    labels = [c.label for c in comps]

    def order(members: list[int]) -> list[int]:
        return sorted(members, key=lambda i: (-reuse[i], labels[i].casefold(), i))

    for i in range(n):
        if box_of[i] >= 0:
            boxes[box_of[i]]["members"].append(i)
    for b in boxes:
        b["members"] = order(b["members"])
        b["children"].sort(key=lambda k: boxes[k]["name"].casefold())
    for li, top in enumerate(tops):
        top.sort(key=lambda k: boxes[k]["name"].casefold())
        rest = order(ungrouped[li])
        many = len(rest) > BLOCK
        for start in range(0, len(rest), BLOCK):
            chunk = rest[start : start + BLOCK]
            index = len(boxes)
            kind = "Other components" if top else "Components"
            name = f"{kind} {start + 1:,}–{start + len(chunk):,}" if many else kind
            boxes.append(
                {
                    "name": name,
                    "path": None,
                    "page": None,
                    "parent": -1,
                    "children": [],
                    "members": chunk,
                }
            )
            for i in chunk:
                box_of[i] = index
            top.append(index)
    succ = [sorted({position[d.target] for d in c.depends_on}) for c in comps]
    return {
        "name": eco.name,
        "products": products,
        "layers": [
            {
                "id": layer.id,
                "label": layer.label,
                "page": pages.layer(layer.id),
                "fill": band_colours(li).fill,
                "border": band_colours(li).border,
                "boxes": tops[li],
            }
            for li, layer in enumerate(eco.layers)
        ],
        "boxes": boxes,
        "ids": [c.id for c in comps],
        "labels": labels,
        "pages": [pages.component(c.id) for c in comps],
        "layer": [rank[c.layer] for c in comps],
        "box": box_of,
        "reuse": reuse,
        "shade": [reuse_level(r, products) for r in reuse],
        "succ": succ,
    }
