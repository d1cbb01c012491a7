"""The stack style: one box per component inside its layer band, no edges, for slides.

This is the picture of the seed figure ("the layers of Google Search"): what a product
leader puts in a deck. Edges are for the analysis views; the stack is for telling. The
geometry (:func:`stack_layout`) is computed once, in points with y growing downwards,
and drawn by two writers: :func:`stack_dot` (DOT whose positions Graphviz keeps, for
SVG, PNG and PDF) and the slide deck (:mod:`layermodel.diagrams.pptx`, native shapes).

The layout is made for a 16:9 slide: every box has the same size (the widest wrapped
name sets it), the bands' labels sit in a column on the left, each band wraps its
boxes onto rows, and the number of boxes per row is the one whose picture (title,
bands and legend) comes closest to 16:9. Everything is linear in the number of
components, times the few row widths tried. Fills, borders and the legend come from
:mod:`layermodel.diagrams.legend`, so a stack picture says what the other formats say.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from layermodel.diagrams.dot.syntax import attr_list, esc_string, html, quote
from layermodel.diagrams.legend import (
    HIGHLIGHT_BORDER,
    LegendEntry,
    border_width,
    fill_class,
    legend,
    node_shade,
    sourcing_mark,
)
from layermodel.diagrams.scene import Node, Scene
from layermodel.diagrams.text_width import text_width
from layermodel.diagrams.theme import (
    BORDER,
    FONT,
    INK,
    MUTED,
    WHITE,
    BorderStyle,
    Shade,
    band_colours,
    sourcing,
)

__all__ = ["STACK_RATIO", "StackBand", "StackBox", "StackLayout", "StackText", "stack_dot"]

STACK_RATIO = 16 / 9
"""The shape the layout aims for: a widescreen slide."""

NAME_PT = 14.0
MARK_PT = 9.5
TITLE_PT = 26.0
SUBTITLE_PT = 13.0
BAND_PT = 16.0
LEGEND_PT = 11.0
LEGEND_TITLE_PT = 11.0

MARGIN = 24.0
GAP = 12.0  # between boxes, and between a band's side and its boxes
BAND_GAP = 10.0
LINE = 1.22  # line height, in font sizes
BOX_PAD = 10.0
MIN_BOX = 110.0
MAX_BOX = 176.0
SWATCH_W, SWATCH_H = 26.0, 14.0


@dataclass(frozen=True)
class StackBox:
    """One component's box: its top-left corner, size, text and look."""

    id: str
    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]
    mark: str
    """The sourcing word under the name (empty for ``build``)."""
    shade: Shade
    border: BorderStyle
    border_width: float
    border_colour: str
    classes: tuple[str, ...]
    tooltip: str


@dataclass(frozen=True)
class StackBand:
    """A layer's band: its rectangle, its label lines and colours."""

    id: str
    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]
    fill: str
    border: str
    tooltip: str


@dataclass(frozen=True)
class StackText:
    """A run of text, or a legend swatch, placed at its top-left corner."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False
    colour: str = INK
    swatch: LegendEntry | None = None
    """When set, this is a legend swatch of ``SWATCH_W`` by ``SWATCH_H``, not text."""


@dataclass(frozen=True)
class StackLayout:
    """Where everything of a stack picture goes, in points, y downwards."""

    width: float
    height: float
    title: StackText
    subtitle: StackText
    bands: tuple[StackBand, ...]
    boxes: tuple[StackBox, ...]
    legend: tuple[StackText, ...] = field(default_factory=tuple)
    name_size: float = NAME_PT


def wrap_to(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into lines at most ``width`` points wide (a single
    word wider than that keeps its own line)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and text_width(trial, size, bold) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    lines.append(line)
    return lines


def _tooltip(node: Node, scene: Scene) -> str:
    names = [scene.product_labels.get(p, p) for p in node.products]
    lines = [f"{node.label} ({node.id})"]
    lines.append(f"Products ({len(names)}): {', '.join(names)}" if names else "Products: none")
    lines.append(f"Owner: {node.owner or 'not set'}")
    way = sourcing(node.sourcing).label
    lines.append(f"Sourcing: {way}" + (f" from {node.vendor}" if node.vendor else ""))
    if node.lifecycle != "production":
        lines.append(f"Lifecycle: {node.lifecycle}")
    if node.description:
        lines.append(node.description)
    return "\n".join(lines)


def _legend_flow(
    scene: Scene, left: float, top: float, width: float
) -> tuple[list[StackText], float]:
    """The legend as runs of text and swatches flowing left to right, wrapped to
    ``width``; returns them and the height they take."""
    items: list[StackText] = []
    x, y = left, top
    row_h = SWATCH_H + 8
    width -= 24  # the widths are estimates: keep clear of the right edge
    for section in legend(scene, edges=False):
        title_w = text_width(section.title, LEGEND_TITLE_PT, True)
        first_w = title_w + 10 + SWATCH_W + 6 + text_width(section.entries[0].label, LEGEND_PT)
        if x > left and x + first_w > left + width:
            x, y = left, y + row_h
        items.append(StackText(x, y, section.title, LEGEND_TITLE_PT, bold=True))
        x += title_w + 10
        for entry in section.entries:
            # A double border draws a second line outside the swatch.
            pad = 10.0 if entry.border == "double" else 6.0
            w = SWATCH_W + pad + text_width(entry.label, LEGEND_PT)
            if x > left and x + w > left + width:
                x, y = left + 12, y + row_h
            items.append(StackText(x, y, "", LEGEND_PT, swatch=entry))
            items.append(StackText(x + SWATCH_W + pad, y, entry.label, LEGEND_PT, colour=INK))
            x += w + 14
        x += 16
    return items, (y - top) + row_h


def stack_layout(scene: Scene, ratio: float = STACK_RATIO) -> StackLayout:
    """The stack picture of ``scene``: bands of equal boxes, no edges, shaped as close
    to ``ratio`` (width over height) as the number of boxes per row allows."""
    nodes = [scene.nodes[cid] for band in scene.bands for cid in band.nodes]
    widest = max((text_width(n.label, NAME_PT) for n in nodes), default=MIN_BOX)
    inner = min(MAX_BOX, max(MIN_BOX, widest))
    wrapped = {n.id: wrap_to(n.label, NAME_PT, inner) for n in nodes}
    inner = max(
        [inner] + [text_width(line, NAME_PT) for lines in wrapped.values() for line in lines]
    )
    box_w = inner + 2 * BOX_PAD
    most_lines = max((len(lines) for lines in wrapped.values()), default=1)
    marks = {n.id: sourcing_mark(n.sourcing) for n in nodes}
    box_h = (
        most_lines * NAME_PT * LINE + 2 * BOX_PAD + (MARK_PT * LINE if any(marks.values()) else 0)
    )

    label_w = 0.0
    band_lines: dict[str, list[str]] = {}
    for band in scene.bands:
        band_lines[band.id] = wrap_to(band.label, BAND_PT, 150, bold=True)
        label_w = max(label_w, *(text_width(t, BAND_PT, True) for t in band_lines[band.id]))
    label_col = max(90.0, label_w + 2 * GAP)

    title_h = TITLE_PT * LINE + SUBTITLE_PT * LINE + 14
    largest = max((len(b.nodes) for b in scene.bands), default=1)

    def shape(cols: int) -> tuple[float, float, float]:
        width = 2 * MARGIN + label_col + cols * (box_w + GAP) + GAP
        bands_h = sum(
            -(-len(b.nodes) // cols) * (box_h + GAP) + GAP + BAND_GAP for b in scene.bands
        )
        _, legend_h = _legend_flow(scene, MARGIN, 0, width - 2 * MARGIN)
        height = MARGIN + title_h + bands_h + legend_h + MARGIN
        return width, height, abs(width / height - ratio)

    cols = min(range(1, largest + 1), key=lambda c: (shape(c)[2], c))
    cols = max(cols, min(3, largest))
    width, _, _ = shape(cols)

    title = StackText(MARGIN, MARGIN, scene.title, TITLE_PT, bold=True)
    subtitle = StackText(
        MARGIN, MARGIN + TITLE_PT * LINE + 4, scene.subtitle, SUBTITLE_PT, colour=MUTED
    )
    y = MARGIN + title_h
    bands: list[StackBand] = []
    boxes: list[StackBox] = []
    content_left = MARGIN + label_col
    content_w = width - MARGIN - content_left
    for index, band in enumerate(scene.bands):
        rows = -(-len(band.nodes) // cols)
        band_h = rows * (box_h + GAP) + GAP
        colours = band_colours(index)
        bands.append(
            StackBand(
                band.id,
                MARGIN,
                y,
                width - 2 * MARGIN,
                band_h,
                tuple(band_lines[band.id]),
                colours.fill,
                colours.border,
                band.description or band.label,
            )
        )
        for row in range(rows):
            members = band.nodes[row * cols : (row + 1) * cols]
            row_w = len(members) * (box_w + GAP) - GAP
            x = content_left + (content_w - row_w) / 2
            top = y + GAP + row * (box_h + GAP)
            for k, cid in enumerate(members):
                node = scene.nodes[cid]
                way = sourcing(node.sourcing)
                shade = node_shade(node, scene)
                highlighted = node.id in scene.highlight
                classes = ["component", f"layer-{node.layer}", f"sourcing-{way.key}"]
                classes.append(fill_class(node, scene).key)
                if node.emphasis != "normal":
                    classes.append(node.emphasis)
                if highlighted:
                    classes.append("highlighted")
                boxes.append(
                    StackBox(
                        id=cid,
                        x=x + k * (box_w + GAP),
                        y=top,
                        w=box_w,
                        h=box_h,
                        lines=tuple(wrapped[cid]),
                        mark=marks[cid],
                        shade=shade,
                        border=way.border,
                        border_width=3.0 if highlighted else border_width(way.border),
                        border_colour=HIGHLIGHT_BORDER if highlighted else shade.border,
                        classes=tuple(classes),
                        tooltip=_tooltip(node, scene),
                    )
                )
        y += band_h + BAND_GAP
    items, legend_h = _legend_flow(scene, MARGIN, y + 4, width - 2 * MARGIN)
    height = y + 4 + legend_h + MARGIN
    return StackLayout(width, height, title, subtitle, tuple(bands), tuple(boxes), tuple(items))


# --- DOT ------------------------------------------------------------------------------

POINTS = 72.0
_TABLE = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'


def _pt(x: float, y: float, height: float) -> str:
    return f"{x:.2f},{height - y:.2f}"


def _text_label(text: str, size: float, colour: str, bold: bool) -> str:
    inner = html(text)
    if bold:
        inner = f"<B>{inner}</B>"
    return f'<<FONT POINT-SIZE="{size:g}" COLOR="{colour}">{inner}</FONT>>'


def _text_node(name: str, item: StackText, height: float, cls: str) -> str:
    w = text_width(item.text, item.size, item.bold)
    return f"  {quote(name)} " + attr_list(
        label=_text_label(item.text, item.size, item.colour, item.bold),
        shape="plain",
        class_=cls,
        pos=_pt(item.x + w / 2, item.y + item.size * LINE / 2, height),
    )


def _box_label(box: StackBox, size: float) -> str:
    rows = [
        f'<TR><TD><FONT POINT-SIZE="{size:g}" COLOR="{box.shade.ink}">{html(line)}</FONT></TD></TR>'
        for line in box.lines
    ]
    if box.mark:
        rows.append(
            f'<TR><TD><FONT POINT-SIZE="{MARK_PT:g}" COLOR="{box.shade.sub}">'
            f"{html(box.mark)}</FONT></TD></TR>"
        )
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
        + "".join(rows)
        + "</TABLE>>"
    )


def _swatch_node(name: str, item: StackText, height: float) -> str:
    entry = item.swatch
    assert entry is not None
    shade = entry.shade or Shade(WHITE, INK, MUTED)
    border = entry.border
    style = "solid" if border == "double" else border
    return f"  {quote(name)} " + attr_list(
        label="",
        shape="box",
        style=f"rounded,filled,{style}",
        fillcolor=shade.fill,
        color=shade.border if entry.shade is not None else BORDER,
        penwidth=f"{entry.width:g}",
        peripheries="2" if border == "double" else "1",
        width=f"{SWATCH_W / POINTS:.3f}",
        height=f"{SWATCH_H / POINTS:.3f}",
        fixedsize="true",
        class_=f"legend-swatch {entry.key}",
        pos=_pt(item.x + SWATCH_W / 2, item.y + SWATCH_H / 2, height),
    )


def stack_dot(scene: Scene) -> str:
    """The DOT text of ``scene`` in the stack style: bands of boxes, no edges. Draw it
    with ``neato -n2`` (as :class:`~layermodel.diagrams.api.Diagram` does), which keeps
    the positions. Same scene, same bytes."""
    return "\n".join(_stack_lines(scene, stack_layout(scene))) + "\n"


def _stack_lines(scene: Scene, layout: StackLayout) -> Iterator[str]:
    height = layout.height
    yield "// layermodel stack picture: draw it as laid out with  neato -n2 -Tsvg FILE.dot"
    yield "digraph layermodel {"
    yield "  graph " + attr_list(
        bgcolor=WHITE,
        bb=f"0,0,{layout.width:.2f},{height:.2f}",
        fontname=FONT,
        id=f"view-{scene.kind}",
        class_=f"layermodel stack {scene.kind}",
        pad="0.1",
    )
    yield "  node " + attr_list(fontname=FONT, shape="box", margin="0")
    title, sub = layout.title, layout.subtitle
    title_w = max(text_width(title.text, title.size, True), text_width(sub.text, sub.size))
    rows = "".join(
        f'<TR><TD ALIGN="LEFT">{_text_label(t.text, t.size, t.colour, t.bold)[1:-1]}</TD></TR>'
        for t in (title, sub)
    )
    yield (
        "  __title "
        + attr_list(
            label=f"<{_TABLE}{rows}</TABLE>>",
            shape="plain",
            id="title",
            class_="title",
            pos=_pt(title.x + title_w / 2, (title.y + sub.y + sub.size * LINE) / 2, height),
        )
        + ";"
    )
    for band in layout.bands:
        yield f"  subgraph {quote('cluster_' + band.id)} {{"
        yield "    graph " + attr_list(
            label="",
            style="filled,rounded",
            fillcolor=band.fill,
            color=band.border,
            bb=f"{band.x:.2f},{height - band.y - band.h:.2f},{band.x + band.w:.2f},"
            f"{height - band.y:.2f}",
            id=esc_string(f"band-{band.id}"),
            class_=f"band layer-{band.id}",
            tooltip=esc_string(band.tooltip),
        )
        label = "".join(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{BAND_PT:g}" COLOR="{INK}"><B>{html(t)}'
            "</B></FONT></TD></TR>"
            for t in band.lines
        )
        label_w = max(text_width(t, BAND_PT, True) for t in band.lines)
        yield (
            f"    {quote('__band:' + band.id)} "
            + attr_list(
                label=f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">{label}'
                "</TABLE>>",
                shape="plain",
                class_="band-label",
                pos=_pt(band.x + GAP + label_w / 2, band.y + band.h / 2, height),
            )
            + ";"
        )
        for box in (b for b in layout.boxes if scene.nodes[b.id].layer == band.id):
            style = "solid" if box.border == "double" else box.border
            yield (
                f"    {quote(box.id)} "
                + attr_list(
                    id=esc_string(f"c-{box.id}"),
                    label=_box_label(box, layout.name_size),
                    style=f"rounded,filled,{style}" if box.border != "double" else "filled",
                    peripheries="2" if box.border == "double" else "1",
                    fillcolor=box.shade.fill,
                    color=box.border_colour,
                    penwidth=f"{box.border_width:g}",
                    width=f"{box.w / POINTS:.3f}",
                    height=f"{box.h / POINTS:.3f}",
                    fixedsize="true",
                    tooltip=esc_string(box.tooltip),
                    class_=" ".join(box.classes),
                    pos=_pt(box.x + box.w / 2, box.y + box.h / 2, height),
                )
                + ";"
            )
        yield "  }"
    for index, item in enumerate(layout.legend):
        name = f"__legend:{index}"
        if item.swatch is not None:
            yield _swatch_node(name, item, height) + ";"
        else:
            yield _text_node(name, item, height, "legend") + ";"
    yield "}"
