"""Edge geometry read back out of a Graphviz SVG: node boxes and sampled edge curves,
to check that no edge is drawn through a node it does not start or end at."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    name: str
    left: float
    top: float
    right: float
    bottom: float

    def holds(self, point: Point, inset: float) -> bool:
        """Whether ``point`` is inside the box shrunk by ``inset`` on every side."""
        x, y = point
        return (
            self.left + inset < x < self.right - inset
            and self.top + inset < y < self.bottom - inset
        )


@dataclass(frozen=True)
class Curve:
    source: str
    target: str
    points: tuple[Point, ...]
    """Points sampled along the drawn path."""


def _numbers(text: str) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text)]


def _shape_points(group: etree._Element) -> list[Point]:
    found: list[Point] = []
    for shape in group.iter(f"{SVG}polygon", f"{SVG}path", f"{SVG}polyline"):
        text = shape.get("points") or shape.get("d") or ""
        numbers = _numbers(text)
        found.extend(zip(numbers[0::2], numbers[1::2], strict=False))
    return found


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int) -> list[Point]:
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        out.append(
            (
                u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
            )
        )
    return out


def _sample(d: str, steps: int = 24) -> list[Point]:
    """Points along an SVG path of the form Graphviz writes: ``M x,y C`` followed by
    cubic segments (three points each)."""
    numbers = _numbers(d)
    points = list(zip(numbers[0::2], numbers[1::2], strict=False))
    if not points:
        return []
    out = [points[0]]
    for k in range(0, len(points) - 3, 3):
        out.extend(_bezier(points[k], points[k + 1], points[k + 2], points[k + 3], steps)[1:])
    return out


def read(svg: str) -> tuple[dict[str, Box], list[Curve]]:
    """(node name -> its drawn box, every edge's sampled curve), in SVG coordinates."""
    root = etree.fromstring(svg.encode("utf-8"))
    boxes: dict[str, Box] = {}
    curves: list[Curve] = []
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        title = group.find(f"{SVG}title")
        if title is None or title.text is None:
            continue
        if "node" in classes:
            points = _shape_points(group)
            if points:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                boxes[title.text] = Box(title.text, min(xs), min(ys), max(xs), max(ys))
        elif "edge" in classes:
            source, _, target = title.text.partition("->")
            for path in group.iter(f"{SVG}path"):
                curves.append(Curve(source, target, tuple(_sample(path.get("d") or ""))))
    return boxes, curves


def crossings(svg: str, inset: float = 1.0) -> list[tuple[str, str, str]]:
    """Every (edge source, edge target, node) where the edge's curve passes inside a
    node box other than its own two ends (boxes shrunk by ``inset`` points, so an
    edge that only touches a border does not count)."""
    boxes, curves = read(svg)
    found = []
    for curve in curves:
        for box in boxes.values():
            if box.name in (curve.source, curve.target):
                continue
            if any(box.holds(p, inset) for p in curve.points):
                found.append((curve.source, curve.target, box.name))
    return found
