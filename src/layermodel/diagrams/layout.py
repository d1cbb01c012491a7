"""The layered layout: where every band, node and edge of a scene goes.

Graphviz's ``dot`` routes an edge that skips a band around the band's cluster, which
turns the UI-to-infrastructure edges of a typical portfolio into long loops around the
sides, and it needs minutes for a few thousand nodes in clusters. So the layout is
computed here, in time linear in the size of the scene (times a few sweeps), and
Graphviz only draws it (``neato -n2`` keeps given positions and splines):

1. **Bands.** The products form the top row, then one band per layer, in layer order.
2. **Order.** Within each band, components are ordered by the barycentre of their
   neighbours in the bands above, then below, then above again (Sugiyama, Tagawa and
   Toda 1981, the barycentre heuristic).
3. **Rows.** A band wider than the row budget wraps onto several rows.
4. **Positions.** In each row, nodes keep their order and minimum spacing and sit as
   close as possible to the mean position of their neighbours: an isotonic regression,
   solved exactly by pool-adjacent-violators in linear time.
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from layermodel.diagrams.legend import sourcing_mark
from layermodel.diagrams.scene import Node, ProductMark, Scene
from layermodel.diagrams.text_width import text_width

__all__ = ["Box", "Placement", "Route", "node_lines", "place"]

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
    if node.reuse == 0:
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


def node_size(node: Node, scene: Scene) -> tuple[float, float]:
    name, detail, dots = node_lines(node, scene)
    lines = name.count("\n") + 1
    width = max(
        text_width(name, 11),
        text_width(detail, 8),
        len(node.products) * 5.6 if dots else 0.0,
    )
    height = lines * 13.5 + 11 + (11 if dots else 0) + 12
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


def _order(
    ranks: list[list[str]], neighbours: dict[str, list[str]], rank_of: dict[str, int]
) -> None:
    """Barycentre sweeps over the ranks, in place: down, up, down."""
    position: dict[str, float] = {}

    def number(rank: list[str]) -> None:
        n = len(rank)
        for i, v in enumerate(rank):
            position[v] = (i + 0.5) / n

    for rank in ranks:
        number(rank)
    for direction in (1, -1, 1):
        indices = range(len(ranks)) if direction == 1 else range(len(ranks) - 1, -1, -1)
        for r in indices:
            rank = ranks[r]

            def key(v: str, r: int = r, direction: int = direction) -> float:
                seen = [
                    position[u]
                    for u in neighbours[v]
                    if (rank_of[u] < r if direction == 1 else rank_of[u] > r)
                ]
                return sum(seen) / len(seen) if seen else position[v]

            rank.sort(key=key)
            number(rank)


# --- placement ---------------------------------------------------------------------


def place(scene: Scene, row_width: float | None = None) -> Placement:
    """Lay out ``scene``; ``row_width`` is the row budget in inches. By default it is
    15 inches, or for large scenes the side of a square holding all the nodes, so a
    big diagram grows both ways instead of into hundreds of rows."""
    sizes: dict[str, tuple[float, float]] = {
        nid: node_size(node, scene) for nid, node in scene.nodes.items()
    }
    for mark in scene.products:
        sizes[f"product:{mark.id}"] = product_size(mark)

    # Undirected neighbours, for ordering and positions.
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in scene.edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)
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
    _order(ranks, neighbours, rank_of)

    # Wrap wide bands into rows.
    if row_width is None:
        area = sum((w + NODE_GAP) * (h + ROW_GAP) for w, h in sizes.values())
        budget = max(15 * POINTS, area**0.5 * 1.2)
    else:
        budget = row_width * POINTS
    band_rows: list[list[list[str]]] = []
    for rank in ranks:
        total = sum(sizes[v][0] + NODE_GAP for v in rank)
        count = max(1, -(-int(total) // int(budget)))
        per_row = -(-len(rank) // count)
        band_rows.append([rank[i : i + per_row] for i in range(0, len(rank), per_row)])
    rows = [row for rowset in band_rows for row in rowset]
    row_of = {v: i for i, row in enumerate(rows) for v in row}

    # x: pack, then pull each node towards its neighbours, keeping order and spacing.
    x: dict[str, float] = {}
    for row in rows:
        cursor = 0.0
        for v in row:
            w = sizes[v][0]
            x[v] = cursor + w / 2
            cursor += w + NODE_GAP

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

    n_rows = len(rows)
    for i in range(1, n_rows):
        settle(rows[i], 0, i, 1.0)
    for i in range(n_rows - 2, -1, -1):
        settle(rows[i], i + 1, n_rows, 0.5)
    for i in range(1, n_rows):
        settle(rows[i], 0, n_rows, 0.5)

    left = min((x[v] - sizes[v][0] / 2 for v in x), default=0.0)
    right = max((x[v] + sizes[v][0] / 2 for v in x), default=0.0)
    shift = MARGIN + BAND_PAD_X - left
    inner = right - left
    width = max(inner + 2 * (MARGIN + BAND_PAD_X), text_width(scene.title, 20, True) + 60)
    width = max(width, text_width(scene.subtitle, 11) + 2 * MARGIN)

    # y: stack bands and rows.
    boxes: dict[str, Box] = {}
    bands: list[BandBox] = []
    y = MARGIN + TITLE_HEIGHT
    labels = {"products": "Products"} | {b.id: b.label for b in scene.bands}
    for band_id, rowset in zip(band_ids, band_rows, strict=True):
        top = y
        y += BAND_LABEL
        for k, row in enumerate(rowset):
            height = max(sizes[v][1] for v in row)
            for v in row:
                w, h = sizes[v]
                boxes[v] = Box(x[v] + shift, y + height / 2, w, h)
            y += height + (ROW_GAP if k < len(rowset) - 1 else 0)
        y += BAND_PAD_BOTTOM
        bands.append(BandBox(band_id, labels[band_id], top, y, rowset))
        y += BAND_GAP
    height = y - BAND_GAP + MARGIN

    placement = Placement(width=width, height=height, boxes=boxes, bands=bands, row_of=row_of)
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
