"""The DOT text of each view: product, ecosystem and impact scenes, and the reuse
matrix. Graphviz draws it (see :mod:`layermodel.diagrams.dot.run`).

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
- a group is a ``cluster_<layer id>/group:<path>`` subgraph inside its band's
  cluster (a subgroup inside its parent's), drawn at the rectangle the layout gave it.

The DOT text is written directly, not through a builder, so that every value is
quoted and escaped in one place (:mod:`layermodel.diagrams.dot.syntax`) and the
output is byte-for-byte deterministic. Every colour, reuse shade and border style
comes from :mod:`layermodel.diagrams.theme`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise

from layermodel.diagrams.dot.syntax import attr_list, esc_string, html, html_attr, quote
from layermodel.diagrams.groups import GroupBox
from layermodel.diagrams.layout import (
    MARGIN,
    POINTS,
    Lock,
    Placement,
    Route,
    badge,
    node_lines,
    place,
    wrap,
)
from layermodel.diagrams.legend import (
    HIGHLIGHT_BORDER,
    LegendEntry,
    border_width,
    fill_class,
    legend,
    node_shade,
)
from layermodel.diagrams.scene import Edge, MatrixScene, Node, ProductMark, Scene
from layermodel.diagrams.text_width import text_width
from layermodel.diagrams.theme import (
    BORDER,
    CHANGE,
    EDGE,
    EMPHASIS,
    FADED_EDGE,
    FONT,
    GHOST,
    GROUP_FILL,
    INK,
    MATRIX_CELLS,
    MINOR_EDGE,
    MUTED,
    VIOLATION,
    WHITE,
    Shade,
    band_colours,
    found_in,
    sourcing,
)

__all__ = ["LayoutOptions", "matrix_dot", "to_dot"]

FOCUS = EMPHASIS["focus"]
HIT = EMPHASIS["hit"]
FADED = EMPHASIS["faded"]
_EMPHASIS_WIDTHS = {"focus": "2.5", "hit": "2"}


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
    lock: Lock | None = None
    """Rows and order to keep (see :mod:`layermodel.diagrams.lock`)."""


def _few(ids: tuple[str, ...], limit: int = 12) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _tooltip(node: Node, labels: Mapping[str, str]) -> str:
    used_by = [labels.get(pid, pid) for pid in node.products]
    lines = [f"{node.label} ({node.id})"]
    if node.members:
        lines.append(f"{len(node.members)} components: {_few(node.members)}")
    if node.group:
        lines.append(f"Group: {node.group}")
    lines.append(
        f"Products ({len(used_by)}): {', '.join(used_by)}" if used_by else "Products: none"
    )
    lines.append(f"Owner: {node.owner or 'not set'}")
    label = sourcing(node.sourcing).label
    lines.append(f"Sourcing: {label}" + (f" from {node.vendor}" if node.vendor else ""))
    if node.lifecycle != "production":
        lines.append(f"Lifecycle: {node.lifecycle}")
    if node.description:
        lines.append(node.description)
    lines += found_in(node.provenance)
    lines += _change_lines(node.change, node.change_note, node.change_details)
    return "\n".join(lines)


_CHANGE_HEADINGS = {
    "added": "Added in the new version",
    "removed": "Removed in the new version",
    "changed": "Changed:",
    "moved": "Moved layer ({note}); changed:",
    "moved-from": "Moved away ({note}): this is where it was",
}


def _change_lines(change: str | None, note: str | None, details: tuple[str, ...]) -> list[str]:
    """The change view's tooltip lines: what happened, then each changed field."""
    if change is None and not details:
        return []
    lines = [""]
    if change is not None:
        lines.append(_CHANGE_HEADINGS[change].format(note=note or ""))
    elif details:
        lines.append("Dependencies changed:")
    lines += [f"  {line}" for line in details]
    return lines


def _badge_row(node: Node) -> str:
    note = badge(node)
    if node.change is None or note is None:
        return ""
    # On a white pill, so that the colour reads on every reuse fill.
    return (
        f'<TR><TD BGCOLOR="{WHITE}" STYLE="rounded" CELLPADDING="2">'
        f'<FONT POINT-SIZE="8" COLOR="{CHANGE[node.change]}"><B>{html(note)}</B></FONT>'
        "</TD></TR>"
    )


def _node_label(node: Node, scene: Scene, ink: str, sub: str) -> str:
    name, detail, dots = node_lines(node, scene)
    rows = [_badge_row(node)] if badge(node) is not None else []
    rows.append(f'<TR><TD><FONT POINT-SIZE="11" COLOR="{ink}">{html(name)}</FONT></TD></TR>')
    rows.append(f'<TR><TD><FONT POINT-SIZE="8" COLOR="{sub}">{html(detail)}</FONT></TD></TR>')
    if dots:
        marks = "".join(
            f'<FONT COLOR="{FADED.ink if node.emphasis == "faded" else scene.colours[p]}">'
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
    fill = fill_class(node, scene)
    shade = node_shade(node, scene)
    border = sourcing(node.sourcing).border
    width = f"{border_width(border):g}"
    if node.emphasis != "normal":
        width = _EMPHASIS_WIDTHS.get(node.emphasis, width)
    colour = shade.border
    if node.id in scene.highlight:
        colour, width = HIGHLIGHT_BORDER, "3"
    style = "solid" if border == "double" else border  # a double border is two solid ones
    peripheries = 2 if border == "double" else 1
    classes = [
        "component",
        f"layer-{node.layer}",
        f"sourcing-{node.sourcing}",
        fill.key,
    ]
    if node.emphasis != "normal":
        classes.append(node.emphasis)
    if node.change in ("removed", "moved-from"):
        shade, width, style, peripheries = GHOST, "1.6", "dashed", 1
        classes.append(f"lm-{node.change}")
    elif node.change is not None:
        shade = Shade(shade.fill, shade.ink, shade.sub, CHANGE[node.change])
        width = "2.6"
        classes.append(f"lm-{node.change}")
    if node.id in scene.highlight:
        classes.append("highlighted")
    return f"{quote(node.id)} " + attr_list(
        id=esc_string(f"c-{node.id}"),
        label=_node_label(node, scene, shade.ink, shade.sub),
        fillcolor=shade.fill,
        color=colour,
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
    classes = "product" + (f" {mark.emphasis}" if mark.emphasis != "normal" else "")
    fill = FADED.fill if faded else (HIT.border if hit else mark.colour)
    ink, border, pen, style = (
        FADED.ink if faded else WHITE,
        FADED.border if faded else WHITE,
        "1",
        "",
    )
    if mark.change is not None:
        classes += f" lm-{mark.change}"
        tip += "\n\n" + {
            "added": "Added in the new version",
            "removed": "Removed in the new version",
            "changed": "Changed (what it uses, or its fields)",
        }.get(mark.change, mark.change)
        border, pen = CHANGE[mark.change], "3"
        if mark.change == "removed":
            fill, ink, style = GHOST.fill, GHOST.ink, ",dashed"
    return (
        quote(name)
        + " "
        + attr_list(
            id=esc_string(f"p-{mark.id}"),
            label=f'<<FONT COLOR="{ink}"><B>{html(wrap(mark.label, 18))}</B></FONT>>',
            shape="box",
            style="rounded,filled" + style,
            fillcolor=fill,
            color=border,
            penwidth=pen if mark.change is not None else None,
            fontsize="12",
            margin="0.16,0.06",
            tooltip=esc_string(tip),
            class_=classes,
            **where,
        )
    )


def _count_width(count: int) -> str:
    """An aggregated edge's pen width: 1 for one dependency, growing with the log of
    the count up to 4."""
    return f"{min(4.0, 1.0 + 0.7 * math.log2(count)):.1f}"


def _edge_statement(
    edge: Edge,
    rank: dict[str, tuple[int, int]],
    pos: str,
    label_at: str | None = None,
    minor: bool = False,
) -> str:
    source_rank, target_rank = rank[edge.source], rank[edge.target]
    downward = (source_rank[0], source_rank[1]) < (target_rank[0], target_rank[1])
    same_band = source_rank[0] == target_rank[0]
    colour, width, style = EDGE, "1", "solid" if edge.required else "dotted"
    classes = ["dependency"]
    if edge.violation is not None:
        colour, width, style = VIOLATION, "1.6", "dashed"
        classes.append(f"violation {edge.violation}")
    elif edge.emphasis == "hit":
        colour, width = HIT.border, "1.8"
    elif edge.emphasis == "faded":
        colour = FADED_EDGE
    elif minor:
        # In a rollup, a single dependency between two boxes stays in the background.
        colour, width = MINOR_EDGE, "0.8"
    if not edge.required:
        classes.append("optional")
    if edge.change is not None:
        classes.append(f"lm-{edge.change}")
        if edge.violation is None or edge.change == "removed":
            colour = CHANGE[edge.change]
            width = "1.4" if edge.change == "removed" else "2.2"
        if edge.change == "removed":
            style = "dashed"
    if edge.count > 1:
        width = _count_width(edge.count) if edge.violation is None else width
        tip = f"{edge.count} dependencies from {edge.source} to {edge.target}"
        if edge.kinds:
            tip += f" ({', '.join(edge.kinds)})"
        if not edge.required:
            tip += "; all optional"
    else:
        tip = f"{edge.source} depends on {edge.target}"
        if edge.kind or edge.kinds:
            tip += f" ({edge.kind or ', '.join(edge.kinds)})"
        if not edge.required:
            tip += "; optional"
    if edge.violation:
        tip += f"; {edge.violation} layering violation"
    label = None
    if edge.count > 1 and label_at is not None:
        label = (
            '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" '
            f'BGCOLOR="{WHITE}"><TR><TD><FONT POINT-SIZE="9" COLOR="{colour}">'
            f"{edge.count}</FONT></TD></TR></TABLE>>"
        )
    tip = "\n".join(
        [tip, *found_in(edge.provenance), *_change_lines(edge.change, None, edge.change_details)]
    )
    return f"{quote(edge.source)} -> {quote(edge.target)} " + attr_list(
        id=esc_string(f"dep:{edge.source}->{edge.target}"),
        color=colour,
        penwidth=width,
        style=style,
        constraint=None if downward and not same_band else "false",
        weight="2" if downward and not same_band and edge.violation is None else None,
        tooltip=esc_string(tip),
        class_=" ".join(classes),
        pos=pos,
        label=label,
        lp=label_at if label is not None else None,
    )


def _swatch(entry: LegendEntry) -> str:
    """A legend row's swatch as a Graphviz HTML table cell."""
    if entry.kind == "dot":
        return f'<TD><FONT COLOR="{entry.colour}">&#9679;</FONT></TD>'
    if entry.kind == "note":  # the count a rollup arrow carries
        return f'<TD><FONT COLOR="{entry.colour or EDGE}" POINT-SIZE="9"><B>12</B></FONT></TD>'
    if entry.kind == "arrow":
        glyph = {
            "solid": "&#8212;&#8212;&#9654;",
            "dotted": "&#183;&#183;&#183;&#183;&#9654;",
            "dashed": "&#8211; &#8211; &#9654;",
        }.get(entry.border, "&#8212;&#8212;&#9654;")
        return f'<TD><FONT COLOR="{entry.colour}">{glyph}</FONT></TD>'
    if entry.border == "double":
        return (
            f'<TD BORDER="1" COLOR="{BORDER}" WIDTH="24" HEIGHT="12" FIXEDSIZE="TRUE">'
            f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" COLOR="{BORDER}">'
            '<TR><TD WIDTH="16" HEIGHT="5" FIXEDSIZE="TRUE"></TD></TR></TABLE></TD>'
        )
    fill = entry.shade.fill if entry.shade is not None else WHITE
    border = entry.shade.border if entry.shade is not None else BORDER
    style = f' STYLE="{entry.border}"' if entry.border in ("dashed", "dotted") else ""
    return (
        f'<TD BGCOLOR="{fill}" BORDER="1" COLOR="{border}"{style} WIDTH="24" '
        'HEIGHT="12" FIXEDSIZE="TRUE"></TD>'
    )


def _legend_entries(scene: Scene) -> list[tuple[str, str]]:
    """The legend (:func:`layermodel.diagrams.legend.legend`) as (swatch markup, text)
    rows; a row with an empty swatch is a heading."""
    entries: list[tuple[str, str]] = []
    for section in legend(scene):
        entries.append(("", section.title))
        entries.extend((_swatch(entry), entry.label) for entry in section.entries)
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
        f'BGCOLOR="{WHITE}"><TR>{"".join(columns)}</TR></TABLE>>'
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
    if not sections:
        return 0.0
    return max(len(section) for section in sections) * 19.0 + 30


def to_dot(
    scene: Scene | MatrixScene,
    options: LayoutOptions | None = None,
    placement: Placement | None = None,
) -> str:
    """The DOT text of a scene (laid out as ``placement`` when given). Same scene,
    same bytes."""
    if isinstance(scene, MatrixScene):
        return matrix_dot(scene)
    return "\n".join(_dot_lines(scene, options or LayoutOptions(), placement)) + "\n"


def _pt(x: float, y: float, height: float) -> str:
    """A point for Graphviz: y flipped upwards, two decimals."""
    return f"{x:.2f},{height - y:.2f}"


def _pos(route: Route, height: float) -> str:
    tip = route.tip
    points = " ".join([f"{x:.1f},{height - y:.1f}" for x, y in route.points])
    return f"e,{tip[0]:.1f},{height - tip[1]:.1f} {points}"


def _dot_lines(
    scene: Scene, options: LayoutOptions, placement: Placement | None = None
) -> Iterator[str]:
    placed = placement or place(scene, options.row_width, options.lock)
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
        "bgcolor": WHITE,
        "bb": f"0,0,{width:.2f},{height:.2f}",
        "id": f"view-{scene.kind}",
        "class": f"layermodel {scene.kind}",
    }
    title_w = max(text_width(scene.title, 20, True), text_width(scene.subtitle, 11)) + 4
    yield "// layermodel diagram. The layout is computed by layermodel and stored in"
    yield "// pos/bb attributes: draw it as laid out with  neato -n2 -Tsvg FILE.dot"
    yield "// (plain  dot -Tsvg FILE.dot  lays it out again with Graphviz's own layout)."
    yield "digraph layermodel {"
    yield "  graph " + attr_list(**graph)
    yield "  node " + attr_list(
        shape="box",
        style="rounded,filled",
        fontname=FONT,
        fontsize="11",
        margin="0.10,0.04",
        height="0.3",
    )
    yield "  edge " + attr_list(color=EDGE, arrowsize="0.6", penwidth="1", fontname=FONT)

    yield (
        "  __title "
        + attr_list(
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
            fill, edge_colour, style = WHITE, "#cbd2d9", "rounded"
            name = "cluster__products"
            band_id, classes, tip = "band-products", "band products", "Products"
        else:
            k = index - (1 if scene.products else 0)
            layer = scene.bands[k]
            fill, edge_colour = band_colours(k).fill, band_colours(k).border
            style = "filled,rounded"
            name = "cluster_" + band.id
            band_id, classes = f"band-{band.id}", f"band layer-{band.id}"
            tip = layer.description or layer.label
        label_w = text_width(band.label, 13, True)
        yield f"  subgraph {quote(name)} {{"
        yield "    graph " + attr_list(
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
                + attr_list(
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
        if not is_products:
            yield from _group_clusters(
                [g for g in placed.groups if g.band == band.id], edge_colour, height
            )
        yield "  }"

    # The spine: invisible, heavy edges that stack the rows in order (for dot).
    for upper, lower in pairwise(anchors):
        yield f"  {quote(upper)} -> {quote(lower)} [style=invis, weight=100];"
    # The legend hangs under the last band, on the left.
    if anchors and legend:
        yield (
            "  __legend "
            + attr_list(
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
                + attr_list(
                    color=FADED_EDGE
                    if faded
                    else (HIT.border if mark.emphasis == "hit" else mark.colour),
                    penwidth="1.3",
                    arrowsize="0.5",
                    class_="uses",
                    tooltip=esc_string(f"{mark.label} uses {target}"),
                    pos=_pos(route, height),
                )
                + ";"
            )
    for index, edge in enumerate(scene.edges):
        route = placed.routes[index]
        label_at = None
        if edge.count > 1:
            mx, my = _label_point(route)
            label_at = _pt(mx, my, height)
        minor = scene.rollup is not None and edge.count == 1
        yield "  " + _edge_statement(edge, rank, _pos(route, height), label_at, minor) + ";"
    yield "}"


def _label_point(route: Route) -> tuple[float, float]:
    """Where an aggregated edge's count goes: a quarter of the way along its first
    segment, just past the source. Edges leave a node at ports spread along its side,
    so the counts of one node's edges sit side by side instead of piling up halfway
    down the gap between the bands."""
    p0, p1, p2, p3 = route.points[:4]
    t = 0.25
    u = 1 - t
    return (
        u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
        u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
    )


def _group_clusters(boxes: list[GroupBox], colour: str, height: float) -> Iterator[str]:
    """One ``cluster`` subgraph per group box, nested as the groups nest, each naming
    the nodes directly inside it. Cluster names hold the band id and the group path,
    so two groups never merge."""
    children: dict[str, list[GroupBox]] = {}
    for box in boxes:
        children.setdefault(box.path.rpartition("/")[0] if box.depth > 1 else "", []).append(box)

    def cluster(box: GroupBox, indent: str) -> Iterator[str]:
        inner = children.get(box.path, [])
        nested = {m for child in inner for m in child.members}
        label_w = text_width(box.label, 10, True)
        yield f"{indent}subgraph {quote(f'cluster_{box.band}/group:{box.path}')} {{"
        yield f"{indent}  graph " + attr_list(
            label=f"<<B>{html(box.label)}</B>>",
            labeljust="l",
            labelloc="t",
            fontsize="10",
            fontcolor=INK,
            style="filled,rounded",
            fillcolor=GROUP_FILL,
            color=colour,
            penwidth="1",
            bb=f"{box.left:.2f},{height - box.bottom:.2f},{box.right:.2f},{height - box.top:.2f}",
            lp=_pt(box.left + 6 + label_w / 2, box.top + 11, height),
            id=esc_string(f"group-{box.band}-{box.path}"),
            class_="group",
            tooltip=esc_string(f"{box.path}: {len(box.members)} in this layer"),
        )
        for member in box.members:
            if member not in nested:
                yield f"{indent}  {quote(member)};"
        for child in inner:
            yield from cluster(child, indent + "  ")
        yield f"{indent}}}"

    for box in children.get("", []):
        yield from cluster(box, "    ")


# --- the reuse matrix -----------------------------------------------------------------

_CELL_MARKS = {2: "&#9679;", 1: "&#9675;", 0: ""}
_CELL_USE = {2: "uses it directly", 1: "uses it through others", 0: "does not use it"}


def matrix_dot(scene: MatrixScene) -> str:
    """DOT for the reuse matrix, one Graphviz table: components (rows, grouped by
    layer) by products (columns), each cell shaded by how the product uses the
    component. The whole table is one node named ``matrix``."""
    columns = len(scene.products)
    rows: list[str] = []
    head = [
        '<TD ALIGN="LEFT" BGCOLOR="#ffffff"><FONT POINT-SIZE="10" COLOR="#616e7c">'
        "component</FONT></TD>"
    ]
    for mark in scene.products:
        head.append(
            f'<TD BGCOLOR="{mark.colour}" TOOLTIP="{html_attr(mark.label)}" '
            f'HREF="#p-{html_attr(mark.id)}">'
            f'<FONT COLOR="#ffffff" POINT-SIZE="10"><B>{html(mark.label)}</B></FONT></TD>'
        )
    head.append('<TD BGCOLOR="#ffffff"><FONT POINT-SIZE="10" COLOR="#616e7c">used by</FONT></TD>')
    rows.append("<TR>" + "".join(head) + "</TR>")
    for group in scene.groups:
        rows.append(
            f'<TR><TD COLSPAN="{columns + 2}" ALIGN="LEFT" BGCOLOR="#eef2f6">'
            f'<FONT POINT-SIZE="11"><B>{html(group.label)}</B></FONT></TD></TR>'
        )
        # Most shared first, so the platform rows stand out at the top of each layer.
        for cid in sorted(group.nodes, key=lambda c: -scene.reuse[c]):
            cells = [
                f'<TD ALIGN="LEFT" TOOLTIP="{html_attr(cid)}" HREF="#c-{html_attr(cid)}">'
                f'<FONT POINT-SIZE="10" COLOR="{INK}">{html(scene.labels[cid])}</FONT></TD>'
            ]
            label = html_attr(scene.labels[cid])
            for mark in scene.products:
                use = scene.cells.get((mark.id, cid), 0)
                cell = MATRIX_CELLS[use]
                cells.append(
                    f'<TD BGCOLOR="{cell.fill}" '
                    f'TOOLTIP="{html_attr(mark.label)} {_CELL_USE[use]}: {label}" '
                    f'HREF="#{html_attr(mark.id)}/{html_attr(cid)}">'
                    + (f'<FONT COLOR="{cell.ink}">{_CELL_MARKS[use]}</FONT>' if use else " ")
                    + "</TD>"
                )
            count = scene.reuse[cid]
            cells.append(
                f'<TD ALIGN="RIGHT"><FONT POINT-SIZE="10" COLOR="{MUTED}">{count}</FONT></TD>'
            )
            rows.append("<TR>" + "".join(cells) + "</TR>")
    table = (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="#cbd2d9">'
        + "".join(rows)
        + "</TABLE>>"
    )
    legend = (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4"><TR>'
        f'<TD BGCOLOR="{MATRIX_CELLS[2].fill}" WIDTH="16">'
        f'<FONT COLOR="{MATRIX_CELLS[2].ink}">&#9679;</FONT></TD>'
        '<TD ALIGN="LEFT"><FONT POINT-SIZE="9">uses it directly</FONT></TD>'
        f'<TD BGCOLOR="{MATRIX_CELLS[1].fill}" WIDTH="16">'
        f'<FONT COLOR="{MATRIX_CELLS[1].ink}">&#9675;</FONT></TD>'
        '<TD ALIGN="LEFT"><FONT POINT-SIZE="9">uses it through other components</FONT></TD>'
        '<TD BORDER="1" COLOR="#cbd2d9" WIDTH="16"> </TD>'
        '<TD ALIGN="LEFT"><FONT POINT-SIZE="9">does not use it</FONT></TD>'
        "</TR></TABLE>>"
    )
    title = (
        f'<<FONT POINT-SIZE="20"><B>{html(scene.title)}</B></FONT><BR ALIGN="LEFT"/>'
        f'<FONT POINT-SIZE="11" COLOR="{MUTED}">{html(scene.subtitle)}</FONT>'
        '<BR ALIGN="LEFT"/>>'
    )
    return (
        "digraph layermodel {\n"
        f'  graph [label={title}, labelloc="t", labeljust="l", fontname='
        f'{quote(FONT)}, pad="0.3", id="view-matrix", '
        'class="layermodel matrix", ranksep="0.2"]\n'
        f'  node [shape="plain", fontname={quote(FONT)}]\n'
        f'  matrix [label={table}, id="matrix"];\n'
        f'  __legend [label={legend}, id="legend"];\n'
        "  matrix -> __legend [style=invis];\n"
        "}\n"
    )
