"""Group boxes inside the layer bands: how a band's components are arranged when some
of them belong to groups (``Component.group``, nested with ``/``).

A band with groups is laid out as a sequence of *units*, side by side: each top-level
group is one unit, and each run of components without a group is another (with no
box). Every unit uses the band's rows (at most ``rows`` of them), so the band's rows
stay global rows that edges pass through; inside a unit, a group's own components
fill a small grid, row by row, and its subgroups sit beside them, each in its own box.
The group boxes are rectangles that hold their members and subgroups, with room for
their name on top; they never overlap each other or leave their band, because each
unit is measured with its padding before it is placed.

The layout module places the units along the band (keeping their order, pulled
towards their neighbours) and asks :func:`group_boxes` for the rectangles once every
node has its position. Everything here is linear in the band's components, times the
few row counts tried.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

__all__ = [
    "GROUP_LABEL",
    "GROUP_PAD",
    "Arrangement",
    "GroupBox",
    "GroupTree",
    "arrange",
    "group_boxes",
    "group_tree",
]

GROUP_PAD = 9.0
"""Between a group box's side (or bottom) and what it holds."""
GROUP_LABEL = 21.0
"""Room for a group's name above what it holds."""


class _BoxLike(Protocol):
    @property
    def left(self) -> float: ...
    @property
    def right(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def bottom(self) -> float: ...


@dataclass
class _Group:
    path: str
    items: list[str | _Group] = field(default_factory=list)


@dataclass
class Unit:
    """One top-level group, or one run of components without a group, as placed along
    the band: its width and each member's centre relative to the unit's centre."""

    width: float
    offsets: dict[str, float]
    rows: dict[str, int]
    """Member to its row in the band (0 = the band's first row)."""
    group: _Group | None


@dataclass
class Arrangement:
    """A grouped band: its units in order, and its rows (members left to right)."""

    units: list[Unit]
    rows: list[list[str]]
    depth: int
    """The deepest nesting of groups in the band (1 = groups without subgroups)."""


@dataclass(frozen=True)
class GroupBox:
    """A group's rectangle in one band, in points (y downwards)."""

    path: str
    label: str
    band: str
    depth: int
    """1 for a top-level group, 2 for its subgroups, and so on."""
    left: float
    top: float
    right: float
    bottom: float
    members: tuple[str, ...]
    """Every node inside, subgroups' included."""


def _tree(rank: Sequence[str], group_of: Mapping[str, str | None]) -> list[str | _Group]:
    """The band's members as a forest of groups, each level ordered by the mean
    position of its members in ``rank`` (so the barycentre order survives)."""
    root: list[str | _Group] = []
    groups: dict[str, _Group] = {}

    def group(path: str) -> _Group:
        found = groups.get(path)
        if found is None:
            found = groups[path] = _Group(path)
            parent = path.rpartition("/")[0]
            (group(parent).items if parent else root).append(found)
        return found

    for v in rank:
        path = group_of.get(v)
        (group(path).items if path else root).append(v)
    position = {v: i for i, v in enumerate(rank)}

    def order(items: list[str | _Group]) -> tuple[float, int]:
        total, count = 0.0, 0
        means: dict[int, float] = {}
        for k, item in enumerate(items):
            if isinstance(item, str):
                s, n = float(position[item]), 1
            else:
                s, n = order(item.items)
            means[k] = s / n
            total, count = total + s, count + n
        ordered = sorted(range(len(items)), key=means.__getitem__)
        items[:] = [items[k] for k in ordered]
        return total, count

    order(root)
    return root


def _depth(item: _Group) -> int:
    return 1 + max((_depth(i) for i in item.items if isinstance(i, _Group)), default=0)


@dataclass
class _Block:
    width: float
    offsets: dict[str, float]  # member centre from the block's left side
    rows: dict[str, int]


def _grid(leaves: list[str], rows: int, width_of: Callable[[str], float], gap: float) -> _Block:
    columns = -(-len(leaves) // rows)
    widths = [0.0] * columns
    for i, v in enumerate(leaves):
        widths[i % columns] = max(widths[i % columns], width_of(v))
    lefts = [0.0]
    for w in widths[:-1]:
        lefts.append(lefts[-1] + w + gap)
    offsets = {v: lefts[i % columns] + widths[i % columns] / 2 for i, v in enumerate(leaves)}
    return _Block(lefts[-1] + widths[-1], offsets, {v: i // columns for i, v in enumerate(leaves)})


def _sequence(
    items: list[str | _Group], rows: int, width_of: Callable[[str], float], gap: float
) -> _Block:
    """Items side by side: runs of leaves as grids, subgroups as padded blocks."""
    blocks: list[_Block] = []
    run: list[str] = []
    for item in [*items, None]:
        if isinstance(item, str):
            run.append(item)
            continue
        if run:
            blocks.append(_grid(run, rows, width_of, gap))
            run = []
        if item is not None:
            inner = _sequence(item.items, rows, width_of, gap)
            blocks.append(
                _Block(
                    inner.width + 2 * GROUP_PAD,
                    {v: o + GROUP_PAD for v, o in inner.offsets.items()},
                    inner.rows,
                )
            )
    offsets: dict[str, float] = {}
    placed: dict[str, int] = {}
    cursor = 0.0
    for block in blocks:
        offsets.update({v: cursor + o for v, o in block.offsets.items()})
        placed.update(block.rows)
        cursor += block.width + gap
    return _Block(max(0.0, cursor - gap), offsets, placed)


def _units(
    forest: list[str | _Group], rows: int, width_of: Callable[[str], float], gap: float
) -> list[Unit]:
    units: list[Unit] = []
    run: list[str] = []
    for item in [*forest, None]:
        if isinstance(item, str):
            run.append(item)
            continue
        if run:
            block = _grid(run, rows, width_of, gap)
            units.append(Unit(block.width, block.offsets, block.rows, None))
            run = []
        if item is not None:
            block = _sequence([item], rows, width_of, gap)
            units.append(Unit(block.width, block.offsets, block.rows, item))
    for unit in units:
        half = unit.width / 2
        unit.offsets = {v: o - half for v, o in unit.offsets.items()}
    return units


def arrange(
    rank: Sequence[str],
    group_of: Mapping[str, str | None],
    width_of: Callable[[str], float],
    budget: float,
    gap: float,
) -> Arrangement:
    """Arrange one band: the fewest rows (from one up) whose units fit in ``budget``
    points side by side with ``gap`` between them, or as many rows as it takes."""
    forest = _tree(rank, group_of)
    total = sum(width_of(v) + gap for v in rank)
    rows = max(1, -(-int(total) // max(1, int(budget))))
    while True:
        units = _units(forest, rows, width_of, gap)
        width = sum(u.width for u in units) + gap * (len(units) - 1)
        if width <= budget or rows >= len(rank):
            break
        rows += 1
    used = 1 + max((r for u in units for r in u.rows.values()), default=0)
    band_rows: list[list[str]] = [[] for _ in range(used)]
    for unit in units:
        for v in sorted(unit.offsets, key=unit.offsets.__getitem__):
            band_rows[unit.rows[v]].append(v)
    depth = max((_depth(u.group) for u in units if u.group is not None), default=0)
    return Arrangement(units, band_rows, depth)


def group_boxes(
    arrangement: Arrangement, band: str, boxes: Mapping[str, _BoxLike]
) -> list[GroupBox]:
    """The rectangles of the band's groups, parents before their subgroups, each
    holding its members' boxes and its subgroups' rectangles with padding around and
    room for its name on top."""
    found: list[GroupBox] = []

    def visit(group: _Group, depth: int) -> tuple[float, float, float, float, list[str]]:
        left = top = float("inf")
        right = bottom = float("-inf")
        members: list[str] = []
        mine = len(found)
        found.append(GroupBox(group.path, "", band, depth, 0, 0, 0, 0, ()))  # placeholder
        for item in group.items:
            if isinstance(item, str):
                box = boxes[item]
                edges = (box.left, box.top, box.right, box.bottom)
                members.append(item)
            else:
                *edges_, inner = visit(item, depth + 1)
                edges = (edges_[0], edges_[1], edges_[2], edges_[3])
                members.extend(inner)
            left, top = min(left, edges[0]), min(top, edges[1])
            right, bottom = max(right, edges[2]), max(bottom, edges[3])
        rect = (left - GROUP_PAD, top - GROUP_LABEL, right + GROUP_PAD, bottom + GROUP_PAD)
        found[mine] = GroupBox(
            group.path,
            group.path.rpartition("/")[2],
            band,
            depth,
            *rect,
            members=tuple(members),
        )
        return (*rect, members)

    for unit in arrangement.units:
        if unit.group is not None:
            visit(unit.group, 1)
    return found


GroupTree = list[str | tuple[str, "GroupTree"]]
"""A band's contents as nested groups: a node id, or (group path, what it holds)."""


def group_tree(nodes: Sequence[str], group_of: Mapping[str, str | None]) -> GroupTree:
    """``nodes`` (one band's, in order) nested in their groups: each group path as one
    item where its first member (or subgroup) appears, subgroups inside their parent,
    nodes without a group at the top. O(nodes + group path depth)."""
    top: GroupTree = []
    held: dict[str, GroupTree] = {}

    def holder(path: str) -> GroupTree:
        if path not in held:
            parent = path.rpartition("/")[0]
            held[path] = []
            (holder(parent) if parent else top).append((path, held[path]))
        return held[path]

    for nid in nodes:
        group = group_of.get(nid)
        (holder(group) if group else top).append(nid)
    return top
