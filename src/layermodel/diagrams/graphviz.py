"""Scenes to Graphviz DOT, and DOT to SVG, PNG or PDF through the ``dot`` program.

The bands hold by construction, for any model:

- each layer is one ``cluster_<layer id>`` subgraph, named by id and never by label,
  because two clusters with the same name merge;
- ``newrank=true``, and every row of a band is a ``rank=same`` group, so a band's
  components share its ranks and no other band's;
- each row starts with an invisible anchor node, and the anchors are chained by
  invisible edges from the top band to the bottom one, so the bands keep their
  order even where no dependency links them;
- edges that point up, or sideways inside a band, get ``constraint=false`` so they
  never reshape the ranks;
- a layer wider than the row budget wraps onto several rows.

The DOT text is written directly, not through a builder, so that every value is
quoted and escaped in one place and the output is byte-for-byte deterministic.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise

from layermodel.diagrams.layout import MARGIN, POINTS, Route, node_lines, place, wrap
from layermodel.diagrams.metrics import text_width
from layermodel.diagrams.scene import Edge, MatrixScene, Node, ProductMark, Scene
from layermodel.errors import LayermodelError

__all__ = [
    "GraphvizError",
    "GraphvizMissing",
    "LayoutOptions",
    "layout",
    "to_dot",
]

FONT = "Helvetica,Arial,sans-serif"
INK = "#1f2933"
MUTED = "#616e7c"
EDGE = "#7b8794"
VIOLATION = "#d1242f"
FOCUS = "#d1242f"
HIT = "#f0883e"
HIT_FILL = "#ffe3cc"
FADED_INK = "#b8c0c8"
FADED_FILL = "#f5f7f9"

# Soft band fills, one hue per layer, top to bottom; cycled past the last.
BAND_FILLS = ("#fdf3e1", "#e9f5ec", "#e7f0fb", "#f1edf8", "#fbeaea", "#eef3f3")
BAND_EDGES = ("#e8c98f", "#a9d3b5", "#a7c4e8", "#c8b9e3", "#e5b3b3", "#b9cccc")

# Reuse shading: share of all products that use a component, in five steps
# (ColorBrewer "Blues", Harrower & Brewer 2003); dark steps take white text.
REUSE_FILLS = ("#ffffff", "#deebf7", "#9ecae1", "#4292c6", "#08519c")
REUSE_TEXT = (INK, INK, INK, "#ffffff", "#ffffff")

SOURCING_STYLE = {
    # sourcing: (border style, peripheries, legend text)
    "build": ("solid", 1, "build (solid border)"),
    "buy": ("solid", 2, "buy (double border)"),
    "external-api": ("dashed", 1, "external API (dashed border)"),
    "open-source": ("dotted", 1, "open source (dotted border)"),
}


class GraphvizMissing(LayermodelError):
    """The ``dot`` program is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "Graphviz's 'dot' program is needed to draw SVG, PNG and PDF, and it is not "
            "installed (or not on PATH). Install it with 'sudo apt-get install graphviz' "
            "(Debian/Ubuntu), 'brew install graphviz' (macOS) or from "
            "https://graphviz.org/download/, or run 'make demo', which installs it. "
            "DOT, Mermaid and HTML output work without it."
        )


class GraphvizError(LayermodelError):
    """``dot`` failed or ran out of time."""


@dataclass(frozen=True)
class LayoutOptions:
    """Knobs for large diagrams.

    ``row_width`` is the budget, in inches, for one row of a band; wider layers wrap.
    ``None`` picks it from the size of the diagram (at least 15 inches).
    ``timeout`` bounds Graphviz's run, in seconds. (Graphviz's own effort limits,
    ``nslimit`` and ``mclimit``, are not needed: layermodel computes the layout, and
    Graphviz only draws it.)
    """

    row_width: float | None = None
    timeout: float = 60.0


# --- quoting -----------------------------------------------------------------------


_CHUNK = 4000
"""Graphviz's lexer refuses quoted strings longer than 16,384 bytes, so longer values
are written as several quoted pieces joined with DOT's ``+``."""


# Characters XML 1.0 forbids: Graphviz copies strings into SVG as they are, so these
# would make the SVG unreadable. (NUL would also end the string inside Graphviz.)
_NOT_XML = {c: " " for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)}


def _pieces(value: str) -> list[str]:
    value = value.translate(_NOT_XML)
    pieces = []
    start = 0
    while start < len(value):
        cut = min(start + _CHUNK, len(value))
        trailing = len(value[start:cut]) - len(value[start:cut].rstrip("\\"))
        if cut < len(value) and trailing % 2:
            cut -= 1  # never end a piece inside an escape pair such as \\n
        pieces.append(value[start:cut])
        start = cut
    return pieces or [""]


def quote(value: str) -> str:
    """A DOT double-quoted string holding ``value`` exactly.

    The DOT lexer only unescapes ``\\"``, so a backslash before a quote, or at the end,
    must itself be doubled; a newline is kept literal inside the quotes.
    """
    return " + ".join(
        '"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"' for piece in _pieces(value)
    )


class _Quoted(str):
    """A value already quoted for DOT."""

    __slots__ = ()


def esc_string(value: str) -> _Quoted:
    """An escString attribute (tooltip, id) that shows ``value`` literally in SVG.

    Graphviz unescapes these attributes twice (``\\\\`` becomes ``\\``, then ``\\N``
    becomes the node's name), so each backslash is written as four. ``&``, quotes and
    angle brackets are written as XML entities, which Graphviz copies into the SVG as
    they are. Line breaks become ``\\n``, which Graphviz turns into a line break."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = (
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\\", "\\" * 4)
        .replace("\n", "\\n")
    )
    return _Quoted(" + ".join(f'"{piece}"' for piece in _pieces(text)))


def html(text: str) -> str:
    """Text for an HTML-like label: markup characters become entities, control
    characters (which Graphviz's XML parser rejects) become spaces, line breaks
    become ``<BR/>``, and a backslash is doubled (Graphviz would read ``\\N`` as the
    node's name)."""
    out = []
    for ch in text:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&quot;")
        elif ch == "\n":
            out.append("<BR/>")
        elif ch == "\\":
            out.append("\\\\")  # Graphviz expands \N, \G ... in HTML labels too
        elif ord(ch) < 32 or 0xFFFE <= ord(ch) <= 0xFFFF or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(" ")
        elif ord(ch) > 126:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def html_attr(text: str) -> str:
    """Text for an attribute inside an HTML-like label (TOOLTIP, HREF): like
    :func:`html`, with line breaks as spaces."""
    return html(text.replace("\r", " ").replace("\n", " "))


def _attrs(**values: str | None) -> str:
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_")
        if value.startswith("<") and value.endswith(">") and name in ("label", "xlabel"):
            parts.append(f"{name}={value}")  # HTML-like label, already escaped
        else:
            parts.append(f"{name}={value if isinstance(value, _Quoted) else quote(value)}")
    return "[" + ", ".join(parts) + "]"


# --- encodings ---------------------------------------------------------------------


def reuse_step(reuse: int, product_count: int) -> int:
    """Which of the five reuse shades a component gets: 0 for no product, 1 for one
    product, 4 for every product (when there are two or more), and 2 or 3 between."""
    if reuse <= 0:
        return 0
    if reuse == 1 or product_count <= 1:
        return 1 if reuse < product_count or product_count <= 1 else 4
    if reuse >= product_count:
        return 4
    return 2 if reuse / product_count < 0.5 else 3


def _tooltip(node: Node, labels: Mapping[str, str]) -> str:
    used_by = [labels.get(pid, pid) for pid in node.products]
    lines = [f"{node.label} ({node.id})"]
    lines.append(
        f"Products ({len(used_by)}): {', '.join(used_by)}" if used_by else "Products: none"
    )
    lines.append(f"Owner: {node.owner or 'not set'}")
    lines.append(f"Sourcing: {node.sourcing}" + (f" from {node.vendor}" if node.vendor else ""))
    if node.lifecycle != "production":
        lines.append(f"Lifecycle: {node.lifecycle}")
    if node.description:
        lines.append(node.description)
    return "\n".join(lines)


def _node_label(node: Node, scene: Scene, text_colour: str) -> str:
    name, detail, dots = node_lines(node, scene)
    rows = [f'<TR><TD><FONT POINT-SIZE="11" COLOR="{text_colour}">{html(name)}</FONT></TD></TR>']
    sub = MUTED if text_colour == INK else "#e6eef7"
    if node.emphasis == "faded":
        sub = FADED_INK
    rows.append(f'<TR><TD><FONT POINT-SIZE="8" COLOR="{sub}">{html(detail)}</FONT></TD></TR>')
    if dots:
        marks = "".join(
            f'<FONT COLOR="{FADED_INK if node.emphasis == "faded" else scene.colours[p]}">'
            "&#9679;</FONT>"
            for p in node.products
        )
        rows.append(f'<TR><TD><FONT POINT-SIZE="9">{marks}</FONT></TD></TR>')
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
        + "".join(rows)
        + "</TABLE>>"
    )


def _node_statement(
    node: Node, scene: Scene, where: dict[str, str], labels: Mapping[str, str]
) -> str:
    step = reuse_step(node.reuse, scene.product_count)
    fill, ink, border, width = REUSE_FILLS[step], REUSE_TEXT[step], "#3e4c59", "1.2"
    style, peripheries, _ = SOURCING_STYLE.get(node.sourcing, SOURCING_STYLE["build"])
    if node.emphasis == "focus":
        fill, ink, border, width = FOCUS, "#ffffff", "#8b1118", "2.5"
    elif node.emphasis == "hit":
        fill, ink, border, width = HIT_FILL, INK, HIT, "2"
    elif node.emphasis == "faded":
        fill, ink, border = FADED_FILL, FADED_INK, "#d3d9df"
    classes = [
        "component",
        f"layer-{node.layer}",
        f"sourcing-{node.sourcing}",
        f"reuse-{step}",
    ]
    if node.emphasis != "normal":
        classes.append(node.emphasis)
    return f"{quote(node.id)} " + _attrs(
        id=esc_string(f"c-{node.id}"),
        label=_node_label(node, scene, ink),
        fillcolor=fill,
        color=border,
        penwidth=width,
        style=f"rounded,filled,{style}" if peripheries == 1 else "filled",
        peripheries=str(peripheries),
        tooltip=esc_string(_tooltip(node, labels)),
        class_=" ".join(classes),
        **where,
    )


def _product_statement(mark: ProductMark, where: dict[str, str]) -> str:
    name = f"product:{mark.id}"
    faded = mark.emphasis == "faded"
    hit = mark.emphasis == "hit"
    tip = mark.label + (f" ({mark.id})" if mark.label != mark.id else "")
    if mark.owner:
        tip += f"\nOwner: {mark.owner}"
    if mark.description:
        tip += f"\n{mark.description}"
    return (
        quote(name)
        + " "
        + _attrs(
            id=esc_string(f"p-{mark.id}"),
            label=f'<<FONT COLOR="{FADED_INK if faded else "#ffffff"}">'
            f"<B>{html(wrap(mark.label, 18))}</B></FONT>>",
            shape="box",
            style="rounded,filled",
            fillcolor=FADED_FILL if faded else (HIT if hit else mark.colour),
            color="#d3d9df" if faded else "#ffffff",
            fontsize="12",
            margin="0.16,0.06",
            tooltip=esc_string(tip),
            class_="product" + (f" {mark.emphasis}" if mark.emphasis != "normal" else ""),
            **where,
        )
    )


def _edge_statement(edge: Edge, rank: dict[str, tuple[int, int]], pos: str) -> str:
    source_rank, target_rank = rank[edge.source], rank[edge.target]
    downward = (source_rank[0], source_rank[1]) < (target_rank[0], target_rank[1])
    same_band = source_rank[0] == target_rank[0]
    colour, width, style = EDGE, "1", "solid" if edge.required else "dotted"
    classes = ["dependency"]
    if edge.violation is not None:
        colour, width, style = VIOLATION, "1.6", "dashed"
        classes.append(f"violation {edge.violation}")
    elif edge.emphasis == "hit":
        colour, width = HIT, "1.8"
    elif edge.emphasis == "faded":
        colour = "#dde2e7"
    if not edge.required:
        classes.append("optional")
    tip = f"{edge.source} depends on {edge.target}"
    if edge.kind:
        tip += f" ({edge.kind})"
    if not edge.required:
        tip += "; optional"
    if edge.violation:
        tip += f"; {edge.violation} layering violation"
    return f"{quote(edge.source)} -> {quote(edge.target)} " + _attrs(
        color=colour,
        penwidth=width,
        style=style,
        constraint=None if downward and not same_band else "false",
        weight="2" if downward and not same_band and edge.violation is None else None,
        tooltip=esc_string(tip),
        class_=" ".join(classes),
        pos=pos,
    )


def _legend_entries(scene: Scene) -> list[tuple[str, str]]:
    """The legend as (swatch markup, text) rows; a row with an empty swatch is a
    heading."""
    entries: list[tuple[str, str]] = []

    def box(fill: str, border: str = "#3e4c59", style: str = "") -> str:
        styled = f' STYLE="{style}"' if style else ""
        return (
            f'<TD BGCOLOR="{fill}" BORDER="1" COLOR="{border}"{styled} WIDTH="24" HEIGHT="12" '
            'FIXEDSIZE="TRUE"></TD>'
        )

    if scene.kind == "impact":
        entries.append(("", "Impact"))
        entries.append((box(FOCUS), "the failing component"))
        entries.append((box(HIT_FILL, HIT), "fails with it (required dependency)"))
        entries.append((box(FADED_FILL, "#d3d9df"), "unaffected"))
    else:
        entries.append(("", "Fill: products using the component"))
        n = scene.product_count
        steps = [(1, "1 product")]
        if n > 2:
            steps.append((2, "fewer than half"))
            steps.append((3, "half or more"))
        if n > 1:
            steps.append((4, f"all {n} products"))
        steps.append((0, "no product"))
        for step, text in steps:
            entries.append((box(REUSE_FILLS[step]), text))
    entries.append(("", "Border: sourcing"))
    for style, peripheries, text in SOURCING_STYLE.values():
        if peripheries == 2:
            swatch = (
                '<TD BORDER="1" COLOR="#3e4c59" WIDTH="24" HEIGHT="12" FIXEDSIZE="TRUE">'
                '<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" COLOR="#3e4c59">'
                '<TR><TD WIDTH="16" HEIGHT="5" FIXEDSIZE="TRUE"></TD></TR></TABLE></TD>'
            )
        else:
            swatch = box("#ffffff", style=style if style in ("dashed", "dotted") else "")
        entries.append((swatch, text))
    entries.append(("", "Arrows: depends on"))
    entries.append(
        (f'<TD><FONT COLOR="{EDGE}">&#8212;&#8212;&#9654;</FONT></TD>', "required dependency")
    )
    entries.append(
        (
            f'<TD><FONT COLOR="{EDGE}">&#183;&#183;&#183;&#183;&#9654;</FONT></TD>',
            "optional (failure does not spread)",
        )
    )
    entries.append(
        (f'<TD><FONT COLOR="{VIOLATION}">&#8211; &#8211; &#9654;</FONT></TD>', "layering violation")
    )
    if scene.markers and scene.kind != "product" and scene.products:
        entries.append(("", "Dots: products"))
        for mark in scene.products:
            entries.append((f'<TD><FONT COLOR="{mark.colour}">&#9679;</FONT></TD>', mark.label))
    return entries


def _legend_sections(scene: Scene) -> list[list[tuple[str, str]]]:
    sections: list[list[tuple[str, str]]] = []
    for swatch, text in _legend_entries(scene):
        if not swatch:
            sections.append([])
        sections[-1].append((swatch, text))
    return sections


def _legend(sections: list[list[tuple[str, str]]]) -> str:
    """The legend: one column per encoding, side by side."""
    columns = []
    for section in sections:
        cells = []
        for swatch, text in section:
            if not swatch:
                cells.append(
                    '<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="10">'
                    f"<B>{html(text)}</B></FONT></TD></TR>"
                )
            else:
                cells.append(
                    f'<TR>{swatch}<TD ALIGN="LEFT">'
                    f'<FONT POINT-SIZE="9" COLOR="{INK}">{html(text)}</FONT></TD></TR>'
                )
        columns.append(
            '<TD VALIGN="TOP"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" '
            f'CELLPADDING="1">{"".join(cells)}</TABLE></TD>'
        )
    return (
        '<<TABLE BORDER="1" COLOR="#cbd2d9" CELLBORDER="0" CELLSPACING="6" CELLPADDING="2" '
        f'BGCOLOR="#ffffff"><TR>{"".join(columns)}</TR></TABLE>>'
    )


def _legend_width(sections: list[list[tuple[str, str]]]) -> float:
    total = 0.0
    for section in sections:
        widest = 0.0
        for swatch, text in section:
            width = text_width(text, 10, True) if not swatch else 36 + text_width(text, 9)
            widest = max(widest, width)
        total += widest + 18
    return total + 16


def _legend_height(sections: list[list[tuple[str, str]]]) -> float:
    return max(len(section) for section in sections) * 19.0 + 30


def to_dot(scene: Scene | MatrixScene, options: LayoutOptions | None = None) -> str:
    """The DOT text of a scene. Same scene, same bytes."""
    if isinstance(scene, MatrixScene):
        from layermodel.diagrams.matrix import matrix_dot

        return matrix_dot(scene)
    return "\n".join(_dot_lines(scene, options or LayoutOptions())) + "\n"


def _pt(x: float, y: float, height: float) -> str:
    """A point for Graphviz: y flipped upwards, two decimals."""
    return f"{x:.2f},{height - y:.2f}"


def _pos(route: Route, height: float) -> str:
    tip = route.tip
    points = " ".join([f"{x:.1f},{height - y:.1f}" for x, y in route.points])
    return f"e,{tip[0]:.1f},{height - tip[1]:.1f} {points}"


def _dot_lines(scene: Scene, options: LayoutOptions) -> Iterator[str]:
    placed = place(scene, options.row_width)
    legend = _legend_sections(scene)
    legend_w, legend_h = _legend_width(legend), _legend_height(legend)
    height = placed.height + legend_h
    width = max(placed.width, legend_w + 2 * MARGIN)
    boxes = placed.boxes
    labels = scene.product_labels
    marks = {f"product:{p.id}": p for p in scene.products}

    def size(name: str) -> dict[str, str]:
        box = boxes[name]
        return {
            "pos": _pt(box.x, box.y, height),
            "width": f"{box.w / POINTS:.3f}",
            "height": f"{box.h / POINTS:.3f}",
            # The layout sized the node; Graphviz must not grow it out of its band.
            "fixedsize": "true",
        }

    graph = {
        "newrank": "true",
        "rankdir": "TB",
        "fontname": FONT,
        "fontcolor": INK,
        "nodesep": "0.22",
        "ranksep": "0.42",
        "pad": "0.1",
        "outputorder": "edgesfirst",
        "bgcolor": "#ffffff",
        "bb": f"0,0,{width:.2f},{height:.2f}",
        "id": f"view-{scene.kind}",
        "class": f"layermodel {scene.kind}",
    }
    title_w = max(text_width(scene.title, 20, True), text_width(scene.subtitle, 11)) + 4
    yield "// layermodel diagram. The layout is computed by layermodel and stored in"
    yield "// pos/bb attributes: draw it as laid out with  neato -n2 -Tsvg FILE.dot"
    yield "// (plain  dot -Tsvg FILE.dot  lays it out again with Graphviz's own layout)."
    yield "digraph layermodel {"
    yield "  graph " + _attrs(**graph)
    yield "  node " + _attrs(
        shape="box",
        style="rounded,filled",
        fontname=FONT,
        fontsize="11",
        margin="0.10,0.04",
        height="0.3",
    )
    yield "  edge " + _attrs(color=EDGE, arrowsize="0.6", penwidth="1", fontname=FONT)

    yield (
        "  __title "
        + _attrs(
            label=f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="20" COLOR="{INK}"><B>{html(scene.title)}'
            f'</B></FONT></TD></TR><TR><TD ALIGN="LEFT"><FONT POINT-SIZE="11" COLOR="{MUTED}">'
            f"{html(scene.subtitle)}</FONT></TD></TR></TABLE>>",
            shape="plain",
            style="solid",
            id="title",
            class_="title",
            pos=_pt(MARGIN + title_w / 2, MARGIN + 20, height),
        )
        + ";"
    )
    anchors: list[str] = []
    rank: dict[str, tuple[int, int]] = {}
    for index, band in enumerate(placed.bands):
        is_products = band.id == "products" and index == 0 and bool(scene.products)
        if is_products:
            fill, edge_colour, style = "#ffffff", "#cbd2d9", "rounded"
            name = "cluster__products"
            band_id, classes, tip = "band-products", "band products", "Products"
        else:
            k = index - (1 if scene.products else 0)
            layer = scene.bands[k]
            fill = BAND_FILLS[k % len(BAND_FILLS)]
            edge_colour = BAND_EDGES[k % len(BAND_EDGES)]
            style = "filled,rounded"
            name = "cluster_" + band.id
            band_id, classes = f"band-{band.id}", f"band layer-{band.id}"
            tip = layer.description or layer.label
        label_w = text_width(band.label, 13, True)
        yield f"  subgraph {quote(name)} {{"
        yield "    graph " + _attrs(
            label=f"<<B>{html(band.label)}</B>>",
            labeljust="l",
            labelloc="t",
            fontsize="13",
            fontcolor=INK,
            style=style,
            fillcolor=fill,
            color=edge_colour,
            bb=f"{MARGIN:.2f},{height - band.bottom:.2f},{width - MARGIN:.2f},"
            f"{height - band.top:.2f}",
            lp=_pt(MARGIN + 10 + label_w / 2, band.top + 13, height),
            id=esc_string(band_id),
            class_=classes,
            tooltip=esc_string(tip),
        )
        for row_index, row in enumerate(band.rows):
            anchor = f"__row:{band.id if not is_products else '_products'}:{row_index}"
            anchors.append(anchor)
            first = boxes[row[0]]
            yield (
                "    { rank=same; "
                + quote(anchor)
                + " "
                + _attrs(
                    style="invis",
                    width="0",
                    height="0",
                    label="",
                    pos=_pt(MARGIN + 4, first.y, height),
                )
                + ";"
            )
            for node_id in row:
                rank[node_id] = (index, row_index)
                if is_products:
                    yield "      " + _product_statement(marks[node_id], size(node_id)) + ";"
                else:
                    yield (
                        "      "
                        + _node_statement(scene.nodes[node_id], scene, size(node_id), labels)
                        + ";"
                    )
            yield "    }"
        yield "  }"

    # The spine: invisible, heavy edges that stack the rows in order (for dot).
    for upper, lower in pairwise(anchors):
        yield f"  {quote(upper)} -> {quote(lower)} [style=invis, weight=100];"
    # The legend hangs under the last band, on the left.
    if anchors:
        yield (
            "  __legend "
            + _attrs(
                label=_legend(legend),
                shape="plain",
                style="solid",
                id="legend",
                class_="legend",
                pos=_pt(MARGIN + legend_w / 2, placed.height + legend_h / 2 - 8, height),
            )
            + ";"
        )
        yield f"  {quote(anchors[-1])} -> __legend [style=invis, weight=100];"

    for mark in scene.products:
        for target in mark.uses:
            faded = mark.emphasis == "faded"
            route = placed.product_routes[(mark.id, target)]
            yield (
                f"  {quote('product:' + mark.id)} -> {quote(target)} "
                + _attrs(
                    color="#dde2e7" if faded else (HIT if mark.emphasis == "hit" else mark.colour),
                    penwidth="1.3",
                    arrowsize="0.5",
                    class_="uses",
                    tooltip=esc_string(f"{mark.label} uses {target}"),
                    pos=_pos(route, height),
                )
                + ";"
            )
    for index, edge in enumerate(scene.edges):
        yield "  " + _edge_statement(edge, rank, _pos(placed.routes[index], height)) + ";"
    yield "}"


# --- running dot -------------------------------------------------------------------


def dot_program() -> str:
    """The path of Graphviz's ``dot``, or raise :class:`GraphvizMissing`."""
    found = shutil.which("dot")
    if found is None:
        raise GraphvizMissing()
    return found


def layout(
    dot_text: str, fmt: str, *, engine: str = "neato", timeout: float = 60.0, nodes: int = 0
) -> bytes:
    """Draw ``dot_text`` as ``fmt`` with Graphviz; raise :class:`GraphvizError` on
    failure or when it takes longer than ``timeout`` seconds.

    ``engine="neato"`` draws the positions stored in the DOT (``neato -n2``);
    ``engine="dot"`` lays the graph out with Graphviz's ``dot``."""
    program = dot_program()
    command = [program, f"-T{fmt}"]
    if engine == "neato":
        command = [program, "-Kneato", "-n2", f"-T{fmt}"]
    try:
        done = subprocess.run(
            command,
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
        )
    except subprocess.TimeoutExpired:
        size = f" of {nodes} components" if nodes else ""
        raise GraphvizError(
            f"Graphviz did not finish the layout{size} within {timeout:g} s. Draw a "
            "focused view instead (--view product:ID or impact:ID, or filter with "
            "--layer/--tag/--owner), or allow more time with --timeout."
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise GraphvizError(f"Graphviz failed: {message or f'exit status {done.returncode}'}")
    return done.stdout
