"""The reuse matrix as one Graphviz table: components (rows, grouped by layer) by
products (columns), each cell shaded by how the product uses the component."""

from __future__ import annotations

from layermodel.diagrams.graphviz import INK, MUTED, html, html_attr, quote
from layermodel.diagrams.scene import MatrixScene

__all__ = ["CELL_FILLS", "matrix_dot"]

CELL_FILLS = {2: "#08519c", 1: "#9ecae1", 0: "#ffffff"}
"""Cell shades: uses the component directly, through other components, not at all."""
CELL_MARKS = {2: "&#9679;", 1: "&#9675;", 0: ""}
CELL_TEXT = {2: "#ffffff", 1: "#08306b", 0: INK}


def matrix_dot(scene: MatrixScene) -> str:
    """DOT for the reuse matrix; the whole table is one node named ``matrix``."""
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
            for mark in scene.products:
                use = scene.cells.get((mark.id, cid), 0)
                how = {2: "uses it directly", 1: "uses it through others", 0: "does not use it"}
                cells.append(
                    f'<TD BGCOLOR="{CELL_FILLS[use]}" '
                    f'TOOLTIP="{html_attr(mark.label)} {how[use]}: {html_attr(scene.labels[cid])}" '
                    f'HREF="#{html_attr(mark.id)}/{html_attr(cid)}">'
                    + (f'<FONT COLOR="{CELL_TEXT[use]}">{CELL_MARKS[use]}</FONT>' if use else " ")
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
        f'<TD BGCOLOR="{CELL_FILLS[2]}" WIDTH="16"><FONT COLOR="#ffffff">&#9679;</FONT></TD>'
        '<TD ALIGN="LEFT"><FONT POINT-SIZE="9">uses it directly</FONT></TD>'
        f'<TD BGCOLOR="{CELL_FILLS[1]}" WIDTH="16"><FONT COLOR="#08306b">&#9675;</FONT></TD>'
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
        f'{quote("Helvetica,Arial,sans-serif")}, pad="0.3", id="view-matrix", '
        'class="layermodel matrix", ranksep="0.2"]\n'
        f'  node [shape="plain", fontname={quote("Helvetica,Arial,sans-serif")}]\n'
        f'  matrix [label={table}, id="matrix"];\n'
        f'  __legend [label={legend}, id="legend"];\n'
        "  matrix -> __legend [style=invis];\n"
        "}\n"
    )
