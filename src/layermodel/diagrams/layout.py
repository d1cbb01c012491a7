"""The layered layout: where every band, node and edge of a scene goes.

Graphviz's ``dot`` routes an edge that skips a band around the band's cluster, which
turns the UI-to-infrastructure edges of a typical portfolio into long loops around the
sides, and it needs minutes for a few thousand nodes in clusters. So the layout is
computed here, in time linear in the size of the scene (times a few sweeps), and
Graphviz only draws it (``neato -n2`` keeps given positions and splines):

1. **Bands.** The products form the top row, then one band per layer, in layer order.
2. **Order.** Within each band, components are ordered by the barycentre of the
   keys of their neighbours in the bands above, the products keeping model order
   (Sugiyama, Tagawa and Toda 1981, the barycentre heuristic, in one pass over
   absolute keys so that a small edit reorders little: see
   :func:`layermodel.diagrams.order.order_ranks`).
3. **Rows.** A band wider than the row budget wraps onto several rows; each node's
   row comes from its id (jump consistent hashing), so adding or removing a node
   leaves every other node in its row while the band keeps its number of rows. A
   layout lock (:mod:`layermodel.diagrams.lock`) pins rows and order outright, in the
   bands without groups (a band with groups is arranged by its groups, below, from the
   same stable order).
4. **Positions.** In each row, nodes keep their order and minimum spacing and sit as
   close as possible to the mean position of their neighbours: an isotonic regression,
   solved exactly by pool-adjacent-violators in linear time.
   A band whose components have groups is arranged instead in units (one per
   top-level group, one per run of ungrouped components) that keep the band's rows,
   and the units are placed by the same regression (:mod:`~.groups`); the group boxes
   are rectangles around their members, inside the band.
5. **Bands are full width** and stacked without overlap, so every component lies
   inside its own band by construction.
6. **Edges** leave the bottom of the consumer and enter the top of the provider,
   spread along the node's side in the order of where they go, and pass through the
   rows they cross at the nearest gap between nodes.

All coordinates here are in points, with y growing downwards; the DOT writer flips
them for Graphviz.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from layermodel.diagrams.groups import (
    GROUP_LABEL,
    GROUP_PAD,
    Arrangement,
    GroupBox,
    arrange,
    group_boxes,
)
from layermodel.diagrams.legend import sourcing_mark
from layermodel.diagrams.order import jump_row, order_ranks
from layermodel.diagrams.scene import Node, ProductMark, Scene
from layermodel.diagrams.text_width import text_width

__all__ = ["Box", "Lock", "Placement", "Route", "badge", "node_lines", "place"]

POINTS = 72.0
MARGIN = 24.0  # around the whole picture
BAND_PAD_X = 16.0  # between a band's side and its nodes
BAND_LABEL = 26.0  # room for the band's name above its first row
BAND_PAD_BOTTOM = 14.0
BAND_GAP = 34.0  # between bands: room for edges to turn
ROW_GAP = 26.0  # between the rows of a wrapped band
NODE_GAP = 16.0  # between neighbouring nodes in a row
CLEARANCE = 5.0  # an edge passes at least this far from a node it skips
TITLE_HEIGHT = 58.0
ARROW = 6.0  # arrowhead length at arrowsize 0.6
ROUTE_LIMIT = 1000
"""Up to this many nodes, edges are routed through the gaps between the nodes of the
rows they cross. Larger diagrams get one smooth curve per edge, drawn behind the
nodes: routing costs time in proportion to edges times rows, and nobody follows
single edges in a diagram that size anyway."""


@dataclass
class Box:
    """A node's centre and size, in points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w / 2

    @property
    def top(self) -> float:
        return self.y - self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h / 2


@dataclass
class Route:
    """An edge's spline: cubic Bézier control points (3n + 1 of them), and the tip of
    its arrowhead."""

    points: list[tuple[float, float]]
    tip: tuple[float, float]


@dataclass
class BandBox:
    id: str
    label: str
    top: float
    bottom: float
    rows: list[list[str]]


@dataclass
class Placement:
    """Where everything goes, in points, y downwards."""

    width: float
    height: float
    boxes: dict[str, Box]
    """Component ids, and ``product:<id>`` for products."""
    bands: list[BandBox]
    """The products band (id ``products``) first when there are products, then the
    layers."""
    routes: dict[int, Route] = field(default_factory=dict)
    """Scene edge index to its route."""
    product_routes: dict[tuple[str, str], Route] = field(default_factory=dict)
    """(product id, component id) to the route of the product's ``uses`` edge."""
    row_of: dict[str, int] = field(default_factory=dict)
    legend: Box | None = None
    groups: list[GroupBox] = field(default_factory=list)
    """The group boxes, band by band, each parent before its subgroups."""


# --- sizes -------------------------------------------------------------------------


def wrap(text: str, width: int = 22) -> str:
    """Break a long name at spaces into lines of about ``width`` characters."""
    if len(text) <= width or "\n" in text:
        return text
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def node_lines(node: Node, scene: Scene) -> tuple[str, str, bool]:
    """The wrapped name, the detail line, and whether product dots are drawn."""
    if node.detail is not None:
        detail = node.detail
    elif node.reuse == 0:
        detail = "no product"
    elif scene.product_count > 1 and node.reuse == scene.product_count:
        detail = f"all {node.reuse} products"
    else:
        detail = f"{node.reuse} product" + ("s" if node.reuse != 1 else "")
    if node.lifecycle != "production":
        detail += f" · {node.lifecycle}"
    mark = sourcing_mark(node.sourcing)
    if mark:
        detail += f" · {mark}"
    dots = scene.markers and scene.kind != "product" and bool(node.products)
    return wrap(node.label), detail, dots


def badge(node: Node) -> str | None:
    """A change view's badge on the node (``moved from Data``), wrapped, or None."""
    if node.change is None or not node.change_note:
        return None
    return wrap(node.change_note, 24)


def node_size(node: Node, scene: Scene) -> tuple[float, float]:
    name, detail, dots = node_lines(node, scene)
    lines = name.count("\n") + 1
    note = badge(node)
    width = max(
        text_width(name, 11),
        text_width(detail, 8),
        len(node.products) * 5.6 if dots else 0.0,
        text_width(note, 8, bold=True) * 1.1 if note else 0.0,
    )
    badge_lines = note.count("\n") + 1 if note else 0
    height = lines * 13.5 + 11 + (11 if dots else 0) + 13 * badge_lines + 12
    return max(54.0, width + 24), height


def product_size(mark: ProductMark) -> tuple[float, float]:
    name = wrap(mark.label, 18)
    lines = name.count("\n") + 1
    return max(60.0, text_width(name, 12, bold=True) + 30), lines * 15 + 14


# --- ordering ----------------------------------------------------------------------


def _pav(targets: Sequence[float], offsets: Sequence[float]) -> list[float]:
    """Positions x_i closest (least squares) to ``targets`` with x_{i+1} - x_i at least
    the difference of the cumulative ``offsets``: isotonic regression of
    targets - offsets by pool-adjacent-violators, O(n)."""
    values: list[float] = []
    weights: list[int] = []
    for t, o in zip(targets, offsets, strict=True):
        values.append(t - o)
        weights.append(1)
        while len(values) > 1 and values[-2] > values[-1]:
            w = weights[-2] + weights[-1]
            v = (values[-2] * weights[-2] + values[-1] * weights[-1]) / w
            values[-2:] = [v]
            weights[-2:] = [w]
    result: list[float] = []
    for v, w in zip(values, weights, strict=True):
        result.extend([v] * w)
    return [r + o for r, o in zip(result, offsets, strict=True)]


def _wrap(
    rank: list[str],
    sizes: dict[str, tuple[float, float]],
    budget: float,
    locked: Sequence[Sequence[str]] | None,
) -> list[list[str]]:
    """The rows of one band: as many as its width over the row budget needs (or as
    the lock has), each node in the row :func:`jump_row` gives it or the lock names,
    each row in the band's order except that locked nodes keep the lock's order."""
    total = sum(sizes[v][0] + NODE_GAP for v in rank)
    count = max(1, -(-int(total) // int(budget)))
    where: dict[str, tuple[int, int]] = {}
    if locked:
        for r, row in enumerate(locked):
            for i, v in enumerate(row):
                where.setdefault(v, (r, i))
    rows: list[list[str]] = [[] for _ in range(max(count, len(locked or ())))]
    for v in rank:
        rows[where[v][0] if v in where else (jump_row(v, count) if count > 1 else 0)].append(v)
    for row in rows:
        pinned = sorted((v for v in row if v in where), key=lambda v: where[v][1])
        if pinned:
            slots = iter(pinned)
            row[:] = [next(slots) if v in where else v for v in row]
    return [row for row in rows if row]


# --- placement ---------------------------------------------------------------------


Lock = Mapping[str, Sequence[Sequence[str]]]
"""Rows to keep: layer id (the empty text for the products band) to its rows, each
the node ids in left-to-right order, products as ``product:<id>`` or their bare id
(see :mod:`layermodel.diagrams.lock`)."""


def place(scene: Scene, row_width: float | None = None, lock: Lock | None = None) -> Placement:
    """Lay out ``scene``; ``row_width`` is the row budget in inches. By default it is
    15 inches, or for large scenes the side of a square holding all the nodes, so a
    big diagram grows both ways instead of into hundreds of rows. ``lock`` keeps the
    rows and order it names; nodes it does not name are placed among them."""
    sizes: dict[str, tuple[float, float]] = {
        nid: node_size(node, scene) for nid, node in scene.nodes.items()
    }
    for mark in scene.products:
        sizes[f"product:{mark.id}"] = product_size(mark)

    # Undirected neighbours, for ordering and positions.
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in scene.edges:
        # An aggregated edge pulls as hard as the dependencies it stands for.
        neighbours[edge.source].extend([edge.target] * edge.count)
        neighbours[edge.target].extend([edge.source] * edge.count)
    for mark in scene.products:
        for target in mark.uses:
            neighbours[f"product:{mark.id}"].append(target)
            neighbours[target].append(f"product:{mark.id}")

    ranks: list[list[str]] = []
    band_ids: list[str] = []
    if scene.products:
        ranks.append([f"product:{m.id}" for m in scene.products])
        band_ids.append("products")
    for band in scene.bands:
        ranks.append(list(band.nodes))
        band_ids.append(band.id)
    rank_of = {v: r for r, rank in enumerate(ranks) for v in rank}
    order_ranks(ranks, neighbours, rank_of, {v: i for i, v in enumerate(scene.nodes)})

    # Wrap wide bands into rows.
    if row_width is None:
        area = sum((w + NODE_GAP) * (h + ROW_GAP) for w, h in sizes.values())
        budget = max(15 * POINTS, area**0.5 * 1.2)
        if scene.grouped:
            # Group boxes leave room around their members: about half as wide again.
            budget *= 1.5
        if scene.rollup is not None:
            # A rollup has few, wide nodes: keep each band on one row up to 30 inches.
            widest = max(
                (sum(sizes[v][0] + NODE_GAP for v in band.nodes) for band in scene.bands),
                default=0.0,
            )
            # (a fifth more for the group boxes' padding)
            budget = max(budget, min(widest * 1.2, 30 * POINTS))
    else:
        budget = row_width * POINTS
    pinned = dict(lock or {})
    if scene.products and pinned.get(""):
        pinned[""] = [[f"product:{p}" for p in row] for row in pinned[""]]
    band_rows: list[list[list[str]]] = []
    # A band with groups is arranged in units (see diagrams.groups); others in rows,
    # each node in the row the lock names or jump_row gives it.
    arranged: list[Arrangement | None] = []
    group_of = {nid: node.group for nid, node in scene.nodes.items()}
    for k, (band_id, rank) in enumerate(zip(band_ids, ranks, strict=True)):
        if any(group_of.get(v) for v in rank):
            units = arrange(rank, group_of, lambda v: sizes[v][0], budget, NODE_GAP)
            band_rows.append(units.rows)
            arranged.append(units)
            continue
        locked = pinned.get("" if k == 0 and scene.products else band_id)
        band_rows.append(_wrap(rank, sizes, budget, locked))
        arranged.append(None)
    rows = [row for rowset in band_rows for row in rowset]
    row_of = {v: i for i, row in enumerate(rows) for v in row}
    first_row = [0]
    for rowset in band_rows[:-1]:
        first_row.append(first_row[-1] + len(rowset))
    band_of_row = [b for b, rowset in enumerate(band_rows) for _ in rowset]

    # x: pack, then pull each node towards its neighbours, keeping order and spacing.
    x: dict[str, float] = {}
    for b, rowset in enumerate(band_rows):
        arrangement = arranged[b]
        if arrangement is not None:
            cursor = 0.0
            for unit in arrangement.units:
                for v, offset in unit.offsets.items():
                    x[v] = cursor + unit.width / 2 + offset
                cursor += unit.width + NODE_GAP
            continue
        for row in rowset:
            cursor = 0.0
            for v in row:
                w = sizes[v][0]
                x[v] = cursor + w / 2
                cursor += w + NODE_GAP

    def settle_units(b: int, lo: int, hi: int, blend: float) -> None:
        """Pull a grouped band's units towards their members' neighbours in rows lo
        to hi - 1 outside the band, keeping the units' order and spacing."""
        arrangement = arranged[b]
        assert arrangement is not None
        own = range(first_row[b], first_row[b] + len(band_rows[b]))
        units = arrangement.units
        offsets = [0.0]
        for a, c in pairwise(units):
            offsets.append(offsets[-1] + (a.width + c.width) / 2 + NODE_GAP)
        targets = []
        for unit in units:
            first = next(iter(unit.offsets))
            current = x[first] - unit.offsets[first]
            total, count = 0.0, 0
            for v, offset in unit.offsets.items():
                for u in neighbours[v]:
                    r = row_of[u]
                    if lo <= r < hi and r not in own:
                        total += x[u] - offset
                        count += 1
            want = total / count if count else current
            targets.append(blend * want + (1 - blend) * current)
        for unit, centre in zip(units, _pav(targets, offsets), strict=True):
            for v, offset in unit.offsets.items():
                x[v] = centre + offset

    def settle(row: list[str], lo: int, hi: int, blend: float) -> None:
        """Pull the row towards its neighbours in rows lo to hi - 1."""
        offsets = [0.0]
        for a, b in pairwise(row):
            offsets.append(offsets[-1] + (sizes[a][0] + sizes[b][0]) / 2 + NODE_GAP)
        targets = []
        for v in row:
            seen = [x[u] for u in neighbours[v] if lo <= row_of[u] < hi]
            want = sum(seen) / len(seen) if seen else x[v]
            targets.append(blend * want + (1 - blend) * x[v])
        for v, value in zip(row, _pav(targets, offsets), strict=True):
            x[v] = value

    def sweep(i: int, lo: int, hi: int, blend: float, at_first: bool) -> None:
        b = band_of_row[i]
        if arranged[b] is None:
            settle(rows[i], lo, hi, blend)
        elif i == (first_row[b] if at_first else first_row[b] + len(band_rows[b]) - 1):
            settle_units(b, lo, hi, blend)

    n_rows = len(rows)
    for i in range(1, n_rows):
        sweep(i, 0, i, 1.0, True)
    for i in range(n_rows - 2, -1, -1):
        sweep(i, i + 1, n_rows, 0.5, False)
    for i in range(1, n_rows):
        sweep(i, 0, n_rows, 0.5, True)

    left = min((x[v] - sizes[v][0] / 2 for v in x), default=0.0)
    right = max((x[v] + sizes[v][0] / 2 for v in x), default=0.0)
    for arrangement in arranged:
        for unit in arrangement.units if arrangement is not None else ():
            first = next(iter(unit.offsets))
            centre = x[first] - unit.offsets[first]
            left = min(left, centre - unit.width / 2)
            right = max(right, centre + unit.width / 2)
    shift = MARGIN + BAND_PAD_X - left
    inner = right - left
    width = max(inner + 2 * (MARGIN + BAND_PAD_X), text_width(scene.title, 20, True) + 60)
    width = max(width, text_width(scene.subtitle, 11) + 2 * MARGIN)

    # y: stack bands and rows.
    boxes: dict[str, Box] = {}
    bands: list[BandBox] = []
    y = MARGIN + TITLE_HEIGHT
    labels = {"products": "Products"} | {b.id: b.label for b in scene.bands}
    for band_id, rowset, arrangement in zip(band_ids, band_rows, arranged, strict=True):
        top = y
        y += BAND_LABEL
        depth = arrangement.depth if arrangement is not None else 0
        y += depth * GROUP_LABEL
        for k, row in enumerate(rowset):
            height = max(sizes[v][1] for v in row)
            for v in row:
                w, h = sizes[v]
                boxes[v] = Box(x[v] + shift, y + height / 2, w, h)
            y += height + (ROW_GAP if k < len(rowset) - 1 else 0)
        y += BAND_PAD_BOTTOM + depth * GROUP_PAD
        bands.append(BandBox(band_id, labels[band_id], top, y, rowset))
        y += BAND_GAP
    height = y - BAND_GAP + MARGIN

    placement = Placement(width=width, height=height, boxes=boxes, bands=bands, row_of=row_of)
    for band_id, arrangement in zip(band_ids, arranged, strict=True):
        if arrangement is not None:
            placement.groups.extend(group_boxes(arrangement, band_id, boxes))
    _route_all(scene, placement, rows)
    return placement


# --- edges -------------------------------------------------------------------------


def _gap_x(row: list[Box], lefts: list[float], want: float) -> float:
    """The x nearest ``want`` that is clear of every node in the row."""
    i = bisect_left(lefts, want)
    # Candidates: inside the gap before node i (after node i-1), or clear of the
    # node we landed in.
    for j in (i - 1, i):
        if 0 <= j < len(row):
            box = row[j]
            if box.left - CLEARANCE < want < box.right + CLEARANCE:
                low, high = box.left - CLEARANCE, box.right + CLEARANCE
                # Step to the nearer side; the gap there is wide enough by spacing.
                return low if want - low <= high - want else high
    return want


def _route_all(scene: Scene, placement: Placement, rows: list[list[str]]) -> None:
    boxes = placement.boxes
    row_boxes = [[boxes[v] for v in row] for row in rows]
    row_lefts = [[b.left for b in row] for row in row_boxes]
    row_top = [min(b.top for b in row) for row in row_boxes]
    row_bottom = [max(b.bottom for b in row) for row in row_boxes]
    row_of = placement.row_of
    slot = {v: i for row in rows for i, v in enumerate(row)}

    def adjacent(a: str, b: str) -> bool:
        return row_of[a] == row_of[b] and abs(slot[a] - slot[b]) == 1

    # (key, ends, through-points); ports assigned after all paths are known.
    pending: list[tuple[object, str, str, list[tuple[float, float]], str]] = []

    avoid = len(boxes) <= ROUTE_LIMIT

    def path(source: str, target: str) -> tuple[list[tuple[float, float]], str]:
        rs, rt = row_of[source], row_of[target]
        if rs == rt:
            return [], "same"
        step = 1 if rt > rs else -1
        if not avoid:
            return [], "down" if step == 1 else "up"
        a, b = boxes[source], boxes[target]
        points: list[tuple[float, float]] = []
        span = rt - rs
        current = a.x
        for r in range(rs + step, rt, step):
            t = (r - rs) / span
            want = a.x + (b.x - a.x) * t
            want = 0.5 * want + 0.5 * current
            gx = _gap_x(row_boxes[r], row_lefts[r], want)
            first, last = (row_top[r], row_bottom[r]) if step == 1 else (row_bottom[r], row_top[r])
            if points and abs(points[-1][0] - gx) < 0.5:
                points[-1] = (gx, last + step * 4)  # straight on through this row
            else:
                points.append((gx, first - step * 4))
                points.append((gx, last + step * 4))
            current = gx
        return points, "down" if step == 1 else "up"

    for index, edge in enumerate(scene.edges):
        through, direction = path(edge.source, edge.target)
        pending.append((index, edge.source, edge.target, through, direction))
    for mark in scene.products:
        pid = f"product:{mark.id}"
        for target in mark.uses:
            through, direction = path(pid, target)
            pending.append(((mark.id, target), pid, target, through, direction))

    # Ports: on each side of each node, spread the edges in the order of where the
    # other end (or the first point through a row) lies.
    sides: dict[tuple[str, str], list[tuple[float, int, bool]]] = defaultdict(list)
    for k, (_, source, target, through, direction) in enumerate(pending):
        if direction == "same" and adjacent(source, target):
            continue
        if direction == "same":
            side_s = side_t = "bottom"
            toward_s, toward_t = boxes[target].x, boxes[source].x
        else:
            side_s = "bottom" if direction == "down" else "top"
            side_t = "top" if direction == "down" else "bottom"
            toward_s = through[0][0] if through else boxes[target].x
            toward_t = through[-1][0] if through else boxes[source].x
        sides[(source, side_s)].append((toward_s, k, True))
        sides[(target, side_t)].append((toward_t, k, False))
    port: dict[tuple[int, bool], float] = {}
    for (node, _side), ends in sides.items():
        box = boxes[node]
        ends.sort()
        usable = box.w * 0.7
        for i, (_, k, is_source) in enumerate(ends):
            port[(k, is_source)] = box.x - usable / 2 + usable * (i + 1) / (len(ends) + 1)

    for k, (key, source, target, through, direction) in enumerate(pending):
        a, b = boxes[source], boxes[target]
        if direction == "same" and adjacent(source, target):
            rightward = b.x > a.x
            start = (a.right if rightward else a.left, a.y)
            tip = (b.left if rightward else b.right, b.y)
            end = (tip[0] - ARROW if rightward else tip[0] + ARROW, b.y)
            third = (end[0] - start[0]) / 3
            points = [start, (start[0] + third, a.y), (end[0] - third, b.y), end]
        elif direction == "same":
            sx, tx = port[(k, True)], port[(k, False)]
            start = (sx, a.bottom)
            tip = (tx, b.bottom)
            end = (tx, b.bottom + ARROW)
            dip = max(a.bottom, b.bottom) + min(BAND_GAP * 0.7, 10 + abs(tx - sx) * 0.08)
            points = [start, (sx, dip), (tx, dip), end]
        else:
            sx, tx = port[(k, True)], port[(k, False)]
            down = direction == "down"
            start = (sx, a.bottom if down else a.top)
            tip = (tx, b.top if down else b.bottom)
            end = (tx, tip[1] - ARROW if down else tip[1] + ARROW)
            chain = [start, *through, end]
            points = [chain[0]]
            for p, q in pairwise(chain):
                mid = (q[1] - p[1]) / 2
                points += [(p[0], p[1] + mid), (q[0], q[1] - mid), q]
        route = Route(points=points, tip=tip)
        if isinstance(key, int):
            placement.routes[key] = route
        else:
            placement.product_routes[key] = route  # type: ignore[index]
