"""Read band and node geometry back out of a Graphviz SVG, for the band tests."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    def contains(self, other: Rect, slack: float = 0.01) -> bool:
        return (
            self.left - slack <= other.left
            and self.right + slack >= other.right
            and self.top - slack <= other.top
            and self.bottom + slack >= other.bottom
        )


def _points(element: ET.Element) -> list[tuple[float, float]]:
    found: list[tuple[float, float]] = []
    for shape in element.iter():
        if shape.tag == f"{SVG}polygon" or shape.tag == f"{SVG}polyline":
            text = shape.get("points", "")
        elif shape.tag == f"{SVG}path":
            text = shape.get("d", "")
        else:
            continue
        numbers = [float(n) for n in _NUMBER.findall(text)]
        found.extend(zip(numbers[0::2], numbers[1::2], strict=False))
    return found


def _rect(points: list[tuple[float, float]]) -> Rect:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return Rect(min(xs), min(ys), max(xs), max(ys))


def geometry(svg: str) -> tuple[dict[str, Rect], dict[str, Rect]]:
    """(cluster name -> rectangle, node name -> rectangle), in SVG coordinates (y
    grows downwards; one transform applies to everything, so they compare)."""
    root = ET.fromstring(svg)
    clusters: dict[str, Rect] = {}
    nodes: dict[str, Rect] = {}
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        title = group.find(f"{SVG}title")
        if title is None or title.text is None:
            continue
        name = title.text
        if "cluster" in classes:
            points = _points(group)
            if points:
                clusters[name] = _rect(points)
        elif "node" in classes:
            points = _points(group)
            if points:
                nodes[name] = _rect(points)
    return clusters, nodes
