"""The one legend vocabulary of every diagram, and what a component's fill says.

A component's fill encodes one property, chosen with ``colour_by``: its reuse (how many
products use it, the default), its owner, its sourcing, its lifecycle or the product
that uses it. :func:`fill_class` gives the class a component falls in and its colours;
:func:`legend` gives the legend of a scene as plain data (sections of entries), holding
only the classes that occur in the view: the SVG, PNG and PDF drawings, the HTML page,
the Mermaid text and the stack style all draw this one legend, each in its own syntax,
so they never disagree.

The qualitative palette (owners, sourcing) is Paul Tol's "light" scheme, made for
filled areas with labels on them and distinguishable with the common forms of colour
blindness (Tol 2021, "Colour Schemes", SRON/EPS/TN/09-002). Owners take its colours in
the alphabetical order of the owners in the model, so an owner has the same colour in
every view of a model; past nine owners, the eight that own the most components keep
a colour and the others share the grey "other owners". Products take the colours of
their markers (Okabe and Ito 2008).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from layermodel.diagrams.theme import (
    BORDER,
    CHANGE,
    CHANGE_LEGEND,
    COLOUR_BY,
    EDGE,
    EMPHASIS,
    GHOST,
    GROUP_FILL,
    INK,
    MINOR_EDGE,
    MUTED,
    REUSE_SHADES,
    SOURCING,
    VIOLATION,
    WHITE,
    BorderStyle,
    Shade,
    reuse_legend,
    reuse_level,
    sourcing,
)

if TYPE_CHECKING:
    from layermodel.diagrams.scene import Node, Scene

__all__ = [
    "COLOUR_BY",
    "HIGHLIGHT_BORDER",
    "QUALITATIVE",
    "ColourBy",
    "FillClass",
    "LegendEntry",
    "LegendSection",
    "border_width",
    "fill_class",
    "legend",
    "node_shade",
    "shade_for",
    "sourcing_mark",
]

ColourBy = Literal["reuse", "owner", "sourcing", "lifecycle", "product"]

QUALITATIVE: tuple[str, ...] = (
    "#77AADD",
    "#EE8866",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
    "#DDDDDD",
)
"""Paul Tol's colour-blind-safe "light" scheme, for fills that carry a label."""

_LIFECYCLE: dict[str, tuple[str, str]] = {
    "experimental": ("#EEDD88", "experimental"),
    "production": ("#99DDFF", "production"),
    "deprecated": ("#DDDDDD", "deprecated"),
}
_SHARED = "#3e4c59"
_NONE = WHITE

HIGHLIGHT_BORDER = "#d1242f"
"""The border of a highlighted component (``--highlight``)."""

_BORDER_WIDTHS: dict[str, float] = {"solid": 1.2, "double": 1.2, "dashed": 2.2, "dotted": 2.6}
_MARKS: dict[str, str] = {"build": "", "buy": "bought", "external-api": "API", "open-source": "OSS"}


def shade_for(fill: str) -> Shade:
    """The colours of a box with this fill: dark text on a light fill, white on a dark
    one (relative luminance, WCAG 2.1)."""

    def channel(hex2: str) -> float:
        value = int(hex2, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(fill[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    if luminance < 0.3:
        return Shade(fill, WHITE, "#e6eef7")
    return Shade(fill, INK, MUTED)


def border_width(style: BorderStyle) -> float:
    """A sourcing border's width in points: dashed and dotted borders are drawn wider
    so that their pattern shows on dark fills too."""
    return _BORDER_WIDTHS[style]


def sourcing_mark(key: str) -> str:
    """The short word a box carries for its sourcing (``bought``, ``API``, ``OSS``;
    nothing for ``build``), so the sourcing reads without telling border patterns apart."""
    return _MARKS.get(sourcing(key).key, "")


@dataclass(frozen=True)
class FillClass:
    """A class of components that share a fill: a key (``reuse-3``, ``owner-2``...),
    the legend text and the colours."""

    key: str
    label: str
    shade: Shade
    order: int = 0
    """Its place in the legend."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def fill_class(node: Node, scene: Scene) -> FillClass:
    """The fill class of ``node`` under the scene's ``colour_by``."""
    by = scene.colour_by
    if by == "owner":
        if not node.owner:
            return FillClass("owner-none", "no owner", shade_for(_NONE), 10_000)
        if node.owner not in scene.owners:
            return FillClass("owner-other", "other owners", shade_for(QUALITATIVE[-1]), 9_999)
        index = scene.owners.index(node.owner)
        return FillClass(
            f"owner-{index}",
            node.owner,
            shade_for(QUALITATIVE[index % len(QUALITATIVE)]),
            index,
        )
    if by == "sourcing":
        keys = list(SOURCING)
        way = sourcing(node.sourcing)
        index = keys.index(way.key)
        return FillClass(f"sourcing-{way.key}", way.label, shade_for(QUALITATIVE[index]), index)
    if by == "lifecycle":
        fill, label = _LIFECYCLE.get(node.lifecycle, (_NONE, node.lifecycle))
        order = list(_LIFECYCLE).index(node.lifecycle) if node.lifecycle in _LIFECYCLE else 9
        return FillClass(f"lifecycle-{_slug(node.lifecycle)}", label, shade_for(fill), order)
    if by == "product":
        if not node.products:
            return FillClass("product-none", "no product", shade_for(_NONE), 10_001)
        if len(node.products) > 1:
            return FillClass(
                "product-shared", "shared by 2 or more products", shade_for(_SHARED), 10_000
            )
        pid = node.products[0]
        ids = list(scene.product_labels)
        index = ids.index(pid) if pid in ids else 0
        return FillClass(
            f"product-{index}",
            f"only {scene.product_labels.get(pid, pid)}",
            shade_for(scene.colours.get(pid, QUALITATIVE[0])),
            index,
        )
    level = reuse_level(node.reuse, scene.product_count)
    texts = dict(reuse_legend(scene.product_count))
    order = [lv for lv, _ in reuse_legend(scene.product_count)].index(level)
    return FillClass(f"reuse-{level}", texts[level], REUSE_SHADES[level], order)


def node_shade(node: Node, scene: Scene) -> Shade:
    """The colours ``node`` is drawn in: its emphasis (impact views, highlights) when it
    has one, else its fill class."""
    if node.emphasis != "normal":
        return EMPHASIS[node.emphasis]
    return fill_class(node, scene).shade


# --- the legend -----------------------------------------------------------------------

EntryKind = Literal["fill", "border", "arrow", "dot", "note"]


@dataclass(frozen=True)
class LegendEntry:
    """One row of a legend: a swatch and its text.

    ``kind`` says how the swatch is drawn: ``fill`` (a box in ``shade``, with a
    ``border`` line style), ``border`` (a white box with that border), ``arrow`` (a
    line in ``colour``, ``border`` giving its style), ``dot`` (a product marker in
    ``colour``) or ``note`` (text only). ``key`` is the class the entry stands for, the
    same in every format (``reuse-3``, ``owner-0``, ``src-buy``, ``arrow-violation``...).
    """

    kind: EntryKind
    key: str
    label: str
    shade: Shade | None = None
    border: BorderStyle = "solid"
    colour: str | None = None
    width: float = 1.2


@dataclass(frozen=True)
class LegendSection:
    """A titled group of legend rows, one per encoding."""

    title: str
    entries: tuple[LegendEntry, ...]


_FILL_TITLES = {
    "reuse": "Fill: products using it",
    "owner": "Fill: owner",
    "sourcing": "Fill: sourcing",
    "lifecycle": "Fill: lifecycle",
    "product": "Fill: product",
}


def legend(scene: Scene, *, edges: bool = True) -> tuple[LegendSection, ...]:
    """The legend of ``scene``: only the classes that occur in it. ``edges=False``
    leaves out the arrows and product markers (the stack style draws neither)."""
    nodes = [scene.nodes[cid] for band in scene.bands for cid in band.nodes]
    sections: list[LegendSection] = []
    if scene.focus is not None:
        present = {n.emphasis for n in nodes}
        rows = [
            ("focus", "the failing component"),
            ("hit", "fails with it (required dependency)"),
            ("faded", "unaffected"),
        ]
        sections.append(
            LegendSection(
                "Impact",
                tuple(
                    LegendEntry("fill", f"emph-{key}", text, EMPHASIS[key])
                    for key, text in rows
                    if key in present
                ),
            )
        )
    else:
        fills: dict[str, FillClass] = {}
        for node in nodes:
            if scene.highlight and node.id not in scene.highlight:
                continue
            cls = fill_class(node, scene)
            fills.setdefault(cls.key, cls)
        ordered = sorted(fills.values(), key=lambda c: (c.order, c.label))
        sections.append(
            LegendSection(
                _FILL_TITLES.get(scene.colour_by, _FILL_TITLES["reuse"]),
                tuple(LegendEntry("fill", c.key, c.label, c.shade) for c in ordered),
            )
        )
    if scene.highlight:
        sections.append(
            LegendSection(
                "Highlight",
                (
                    LegendEntry(
                        "fill",
                        "highlighted",
                        "what this picture is about",
                        Shade(WHITE, INK, MUTED, HIGHLIGHT_BORDER),
                        width=3.0,
                    ),
                    LegendEntry("fill", "emph-faded", "everything else", EMPHASIS["faded"]),
                ),
            )
        )
    if scene.kind == "diff":
        present_changes = {n.change for n in nodes if n.change is not None}
        present_changes |= {"moved" if c == "moved-from" else c for c in set(present_changes)}
        changes: list[LegendEntry] = []
        for change, text in CHANGE_LEGEND:
            if change not in present_changes:
                continue
            if change == "removed":
                shade = Shade(GHOST.fill, GHOST.ink, GHOST.sub, CHANGE[change])
                changes.append(LegendEntry("fill", f"lm-{change}", text, shade, border="dashed"))
            else:
                shade = Shade(WHITE, INK, MUTED, CHANGE[change])
                changes.append(LegendEntry("fill", f"lm-{change}", text, shade, width=2.6))
        sections.append(LegendSection("Change (border)", tuple(changes)))
    view: list[LegendEntry] = []
    if scene.centre is not None:
        view.append(LegendEntry("fill", "emph-focus", "the component in focus", EMPHASIS["focus"]))
    if scene.grouped:
        group = Shade(GROUP_FILL[:7], INK, MUTED, BORDER)
        view.append(LegendEntry("fill", "group", "a group of components", group))
    if scene.rollup is not None and edges:
        view.append(
            LegendEntry("note", "rollup-count", "dependencies an arrow stands for", colour=EDGE)
        )
        view.append(LegendEntry("arrow", "arrow-minor", "just one", colour=MINOR_EDGE))
    if view:
        sections.append(LegendSection("This view", tuple(view)))
    ways = {sourcing(n.sourcing).key for n in nodes}
    sections.append(
        LegendSection(
            "Border: sourcing",
            tuple(
                LegendEntry(
                    "border",
                    f"src-{way.key}",
                    way.label + (f" ({_MARKS[way.key]})" if _MARKS[way.key] else ""),
                    border=way.border,
                    width=border_width(way.border),
                )
                for way in SOURCING.values()
                if way.key in ways
            ),
        )
    )
    if edges:
        arrows: list[LegendEntry] = []
        if any(e.required and e.violation is None for e in scene.edges):
            arrows.append(LegendEntry("arrow", "arrow-required", "required", colour=EDGE))
        if any(not e.required and e.violation is None for e in scene.edges):
            arrows.append(
                LegendEntry(
                    "arrow",
                    "arrow-optional",
                    "optional (failure does not spread)",
                    colour=EDGE,
                    border="dotted",
                )
            )
        if any(e.violation is not None for e in scene.edges):
            arrows.append(
                LegendEntry(
                    "arrow",
                    "arrow-violation",
                    "layering violation",
                    colour=VIOLATION,
                    border="dashed",
                )
            )
        if scene.kind == "diff":
            changed = {e.change for e in scene.edges}
            if "added" in changed:
                arrows.append(
                    LegendEntry("arrow", "arrow-added", "added dependency", colour=CHANGE["added"])
                )
            if "removed" in changed:
                arrows.append(
                    LegendEntry(
                        "arrow",
                        "arrow-removed",
                        "removed dependency",
                        colour=CHANGE["removed"],
                        border="dashed",
                    )
                )
        if scene.focus is not None and any(e.emphasis == "hit" for e in scene.edges):
            arrows.append(
                LegendEntry(
                    "arrow", "arrow-hit", "carries the failure", colour=EMPHASIS["hit"].border
                )
            )
        if arrows:
            sections.append(LegendSection("Arrows: depends on", tuple(arrows)))
        if scene.markers and scene.kind != "product" and scene.products:
            sections.append(
                LegendSection(
                    "Dots: products",
                    tuple(
                        LegendEntry("dot", f"marker-{i}", mark.label, colour=mark.colour)
                        for i, mark in enumerate(scene.products)
                    ),
                )
            )
    return tuple(section for section in sections if section.entries)
