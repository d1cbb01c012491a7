"""A banded grid layout: one horizontal band per layer, top to bottom.

Deterministic and dependency-free: nodes keep model order within their band and
wrap onto extra rows when a band is wider than ``columns``. Used for the ArchiMate
diagram view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Band", "Box", "banded_grid"]


@dataclass(frozen=True)
class Box:
    """A rectangle: top-left corner, width and height, in pixels."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class Band:
    """One band: its label, its rectangle, and the rectangle of each of its nodes."""

    label: str
    box: Box
    nodes: tuple[tuple[str, Box], ...]


def banded_grid(
    bands: Sequence[tuple[str, Sequence[str]]],
    *,
    columns: int = 6,
    node_w: int = 160,
    node_h: int = 60,
    gap: int = 30,
    header: int = 30,
    margin: int = 20,
) -> tuple[Band, ...]:
    """Place ``(label, node ids)`` bands one below the other.

    Every band is as wide as the widest one, so bands line up; empty bands keep a
    row so that every layer is visible.
    """
    if columns < 1:
        raise ValueError(f"columns must be at least 1, got {columns}")
    widest = max((min(len(ids), columns) for _, ids in bands), default=1) or 1
    band_w = 2 * gap + widest * node_w + (widest - 1) * gap
    out: list[Band] = []
    y = margin
    for label, ids in bands:
        rows = max(1, -(-len(ids) // columns))
        band_h = header + rows * node_h + (rows - 1) * gap + gap
        nodes = []
        for i, node in enumerate(ids):
            row, col = divmod(i, columns)
            nodes.append(
                (
                    node,
                    Box(
                        margin + gap + col * (node_w + gap),
                        y + header + row * (node_h + gap),
                        node_w,
                        node_h,
                    ),
                )
            )
        out.append(Band(label, Box(margin, y, band_w, band_h), tuple(nodes)))
        y += band_h + gap
    return tuple(out)
