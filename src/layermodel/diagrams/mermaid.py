"""Mermaid flowcharts of a scene, which GitHub and GitLab render inside Markdown.

The chart is ``flowchart TB`` with a top row of products and one ``subgraph`` per
layer band, in layer order. Every identifier Mermaid sees is one this module made:
node ids are the component ids behind a prefix (``c_``, ``p_``, ``l_``), with the
characters Mermaid treats specially spelled out, so no model id can collide with a
keyword (``end``, ``graph``, ``style``...) or with edge syntax (``o``, ``x``). Every
label is quoted and every character that Mermaid, its entity pre-pass or Markdown
could read as syntax is written as a Mermaid entity code (``#35;``), which Mermaid
turns back into the character when it draws.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from layermodel.diagrams.groups import GroupTree, group_tree
from layermodel.diagrams.legend import fill_class, legend
from layermodel.diagrams.scene import Band, Edge, MatrixScene, Scene, ViewError
from layermodel.diagrams.theme import (
    BORDER,
    CHANGE,
    EDGE,
    EMPHASIS,
    FADED_EDGE,
    GHOST,
    GROUP_FILL,
    INK,
    VIOLATION,
    WHITE,
    Shade,
    band_colours,
    sourcing,
)

__all__ = ["mermaid_id", "mermaid_text", "to_mermaid"]

# Characters written as themselves inside a quoted label. Everything else in ASCII is
# written as an entity code: quotes end the label; ``#`` and ``;`` form entity codes;
# ``%`` starts directives (``%%{init}%%`` is found anywhere in the text); ``:`` plus
# ``#`` plus ``;`` on a line that mentions ``style`` is rewritten by Mermaid's entity
# pre-pass; ``<``, ``>`` and ``&`` are HTML; backticks start Markdown strings; brackets
# and braces are shape delimiters.
_PLAIN_ASCII = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_/+!?'@()"
)
# Mermaid hides entity codes behind the sequences ``ﬂ°`` and ``¶ß`` while it parses,
# and turns them back into ``&`` and ``;`` in the finished drawing, so a name holding
# them verbatim would show a different character. A word joiner (invisible) splits them.
_SENTINELS = (("\ufb02\u00b0", "\ufb02\u2060\u00b0"), ("\u00b6\u00df", "\u00b6\u2060\u00df"))
_CONTROL_PICTURES = 0x2400


def _char_code(ch: str) -> str:
    return f"#{ord(ch)};"


def mermaid_text(text: str) -> str:
    """``text`` as the inside of a quoted Mermaid label.

    Printable non-ASCII text (accents, CJK, emoji) stays as it is: Mermaid reads it
    in quoted labels and measures it correctly. Newlines become ``<br>``; other
    control characters are shown as their Unicode control pictures (C1 controls
    and lone surrogates as U+FFFD).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for sequence, split in _SENTINELS:
        text = text.replace(sequence, split)
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in _PLAIN_ASCII:
            out.append(ch)
        elif ch == "\n":
            out.append("<br>")
        elif ch == "\t":
            out.append(" ")
        elif code < 0x20:
            out.append(_char_code(chr(_CONTROL_PICTURES + code)))
        elif code == 0x7F:
            out.append(_char_code("\u2421"))
        elif code < 0x80:
            out.append(_char_code(ch))
        elif code < 0xA0:
            # C1 controls: HTML reads codes 128-159 as Windows-1252 characters.
            out.append(_char_code("\ufffd"))
        elif 0xD800 <= code <= 0xDFFF:
            out.append(_char_code("\ufffd"))
        elif ch.isprintable():
            out.append(ch)
        else:
            # Format and separator characters (U+2028, bidi controls, ...).
            out.append(_char_code(ch))
    return "".join(out)


_ID_ESCAPES = {"_": "__", "-": "_h", ".": "_d"}
_ID_OK = re.compile(r"[A-Za-z0-9]")


def mermaid_id(prefix: str, ident: str) -> str:
    """A Mermaid node id for a model id: ``prefix`` then the id with ``_``, ``-`` and
    ``.`` spelled ``__``, ``_h`` and ``_d`` (one-to-one, so two model ids never share a
    Mermaid id), and any other character as ``_u<hex>_``."""
    out = [prefix]
    for ch in ident:
        if _ID_OK.fullmatch(ch):
            out.append(ch)
        else:
            out.append(_ID_ESCAPES.get(ch) or f"_u{ord(ch):x}_")
    return "".join(out)


# Styles, all from the theme and the legend. The colours (fill, text, border) are the
# fill class (reuse by default, or what --color-by asks for) or the emphasis (impact
# views, highlights); the border's line is sourcing.
# The two never set the same property.
# Mermaid draws one border line, so a double border is drawn as a thick one.
_BORDER_STROKES: dict[str, str] = {
    "solid": "stroke-width:1px",
    "double": "stroke-width:3px",
    "dashed": "stroke-width:2.5px,stroke-dasharray:8 4",
    "dotted": "stroke-width:3px,stroke-dasharray:2 3",
}
_EMPHASIS_CLASSES: dict[str, str] = {
    **{
        name: f"fill:{shade.fill},color:{shade.ink},stroke:{shade.border}"
        for name, shade in EMPHASIS.items()
    },
    "normal": f"fill:{WHITE},color:{INK},stroke:{BORDER}",
}
_PRODUCT_ROW_STYLE = "fill:#f9fafb,stroke:#d1d5db"
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")

_PRODUCT_FADED_CLASS = (
    f"fill:{EMPHASIS['faded'].fill},color:{EMPHASIS['faded'].ink},stroke:{EMPHASIS['faded'].border}"
)

_EDGE_NORMAL = f"stroke:{EDGE},stroke-width:1px"
_EDGE_HIT = f"stroke:{EMPHASIS['hit'].border},stroke-width:2px"
_EDGE_FADED = f"stroke:{FADED_EDGE},stroke-width:1px"
_EDGE_VIOLATION = f"stroke:{VIOLATION},stroke-width:2px,stroke-dasharray:6 4"
_EDGE_PRODUCT = "stroke:#9ca3af,stroke-width:1px"
# A change view's marks, one class per kind of change (``lm_added``...), defined after
# the reuse and sourcing classes so that their border colour wins.
_CHANGE_CLASSES: dict[str, str] = {
    "added": f"stroke:{CHANGE['added']},stroke-width:3px",
    "changed": f"stroke:{CHANGE['changed']},stroke-width:3px",
    "moved": f"stroke:{CHANGE['moved']},stroke-width:3px",
    "removed": f"fill:{GHOST.fill},color:{GHOST.ink},stroke:{CHANGE['removed']},"
    "stroke-width:2px,stroke-dasharray:6 3",
    "moved-from": f"fill:{GHOST.fill},color:{GHOST.ink},stroke:{CHANGE['moved']},"
    "stroke-width:2px,stroke-dasharray:6 3",
}
_EDGE_CHANGE: dict[str, str] = {
    "added": f"stroke:{CHANGE['added']},stroke-width:2px",
    "changed": f"stroke:{CHANGE['changed']},stroke-width:2px",
    "removed": f"stroke:{CHANGE['removed']},stroke-width:1px,stroke-dasharray:6 4",
}


def _change_class(change: str) -> str:
    return "lm_" + change.replace("-", "_")


_EDGE_PRODUCT_FADED = "stroke:#e5e7eb,stroke-width:1px"


def _sourcing_class(key: str) -> str:
    return "src_" + re.sub(r"[^A-Za-z0-9]", "_", sourcing(key).key)


def _sourcing_style(key: str) -> str:
    return _BORDER_STROKES[sourcing(key).border]


def _class_lines(assign: dict[str, list[str]]) -> Iterable[str]:
    for name, ids in assign.items():
        if ids:
            yield f"    class {','.join(ids)} {name}"


def to_mermaid(scene: Scene | MatrixScene) -> str:
    """Mermaid ``flowchart TB`` source for a product, ecosystem or impact scene.

    Raises :class:`ViewError` for the reuse matrix, which is a table, not a graph.
    """
    if isinstance(scene, MatrixScene):
        raise ViewError(
            "the reuse matrix cannot be drawn in Mermaid: it is a table, not a graph",
            suggestion="render the matrix view as svg, png, pdf or html",
        )
    impact = scene.focus is not None
    lines: list[str] = [
        "---",
        f"title: {_yaml_title(scene.title)}",
        "---",
        "flowchart TB",
    ]
    links: list[str] = []
    link_styles: list[str] = []
    gaps: list[str] = []
    styles_after: list[str] = []
    band_of = {cid: i for i, band in enumerate(scene.bands) for cid in band.nodes}

    # Products: a top row, linked to the components they use directly.
    if scene.products:
        lines.append(f'    subgraph products["{mermaid_text("Products")}"]')
        lines.append("        direction LR")
        for mark in scene.products:
            lines.append(f'        {mermaid_id("p_", mark.id)}(["{mermaid_text(mark.label)}"])')
        lines.append("    end")

    # One band per layer, in order.
    for band in scene.bands:
        band_lines, stack = _band_lines(scene, band)
        lines.extend(band_lines)
        links.extend(stack)
        link_styles.extend([""] * len(stack))

    # The legend: the box encodings of the one legend vocabulary, under the bands.
    keys = _legend_lines(scene, lines, styles_after)
    # The bands stack in layer order at any size. Mermaid's layout (dagre) ranks nodes,
    # not subgraphs, and a link to a subgraph binds only one of its nodes; so between
    # each two bands sits an invisible gap node, linked (invisibly) from every node of
    # the band above and to every node of the band below: every node of a band is then
    # ranked below every node of the band above. Dependencies that point up are
    # written target-first (``a <--- b``), so that they never pull a band upwards.
    rows = ([[mermaid_id("p_", m.id) for m in scene.products]] if scene.products else []) + [
        [mermaid_id("c_", cid) for cid in band.nodes] for band in scene.bands
    ]
    if keys:
        rows.append(keys)
    for index, (upper, lower) in enumerate(itertools.pairwise(rows)):
        gap = f"g_{index}"
        lines.append(f'    {gap}[" "]')
        gaps.append(gap)
        for mid in upper:
            links.append(f"    {mid} ~~~ {gap}")
            link_styles.append("")
        for mid in lower:
            links.append(f"    {gap} ~~~ {mid}")
            link_styles.append("")

    for mark in scene.products:
        for cid in mark.uses:
            links.append(f"    {mermaid_id('p_', mark.id)} --> {mermaid_id('c_', cid)}")
            faded = impact and mark.emphasis == "faded"
            link_styles.append(_EDGE_PRODUCT_FADED if faded else _EDGE_PRODUCT)

    for edge in scene.edges:
        source, target = mermaid_id("c_", edge.source), mermaid_id("c_", edge.target)
        label = f"|{edge.count}|" if edge.count > 1 else ""
        if band_of[edge.target] < band_of[edge.source]:
            arrow = "<---" if edge.required else "<-.-"
            links.append(f"    {target} {arrow}{label} {source}")
        else:
            arrow = "-->" if edge.required else "-.->"
            links.append(f"    {source} {arrow}{label} {target}")
        link_styles.append(_edge_style(edge, impact))
    lines.extend(links)

    # Styles: node classes, then link styles grouped by style, in first-use order.
    lines.extend(_node_classes(scene, impact))
    for gap in gaps:
        lines.append(f"    style {gap} fill:none,stroke:none")
    lines.extend(styles_after)
    if scene.products:
        lines.append(f"    style products {_PRODUCT_ROW_STYLE}")
    for index, band in enumerate(scene.bands):
        colours = band_colours(index)
        lines.append(
            f"    style {mermaid_id('l_', band.id)} fill:{colours.fill},stroke:{colours.border}"
        )
    groups: dict[str, list[int]] = {}
    for index, style in enumerate(link_styles):
        if style:
            groups.setdefault(style, []).append(index)
    for style, indexes in groups.items():
        lines.append(f"    linkStyle {','.join(map(str, indexes))} {style}")
    return "\n".join(lines) + "\n"


def _legend_lines(scene: Scene, lines: list[str], styles: list[str]) -> list[str]:
    """Append the legend subgraph (one untitled-box subgraph per section) to ``lines``
    and its styles to ``styles``; return the ids of its swatch nodes."""
    sections = legend(scene, edges=False) if scene.bands else ()
    if not sections:
        return []
    keys: list[str] = []
    lines.append(f'    subgraph legend["{mermaid_text("Legend")}"]')
    for j, section in enumerate(sections):
        lines.append(f'        subgraph k_s{j}["{mermaid_text(section.title)}"]')
        for entry in section.entries:
            key = f"k_{len(keys)}"
            keys.append(key)
            lines.append(f'            {key}["{mermaid_text(entry.label)}"]')
            shade = entry.shade
            if shade is None:
                style = f"fill:{WHITE},color:{INK},stroke:{BORDER}"
            else:
                style = _shade_style(shade)
            if entry.kind == "border":
                style += "," + _BORDER_STROKES[entry.border]
            elif entry.key == "highlighted":
                style += ",stroke-width:3px"
            styles.append(f"    style {key} {style}")
        lines.append("        end")
        styles.append(f"    style k_s{j} fill:none,stroke:none")
    lines.append("    end")
    styles.append(f"    style legend fill:{WHITE},stroke:#cbd2d9")
    return keys


def _yaml_title(title: str) -> str:
    """The title as a YAML double-quoted scalar: everything but plain ASCII as ``\\u``
    escapes, so neither YAML nor Mermaid's pre-passes read syntax in it. Mermaid shows
    the title as text, but sanitises it as HTML as soon as it holds ``<``, dropping
    tags and escaping ``&`` twice; so ``<`` and ``>`` become the look-alike ``‹``
    and ``›`` there (only in the title)."""
    text = " ".join(title.splitlines()).replace("<", "\u2039").replace(">", "\u203a")
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _PLAIN_ASCII:
            out.append(ch)
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")
        elif code > 0xFFFF:
            high, low = divmod(code - 0x10000, 0x400)
            out.append(f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}")
        else:
            out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)


ROW = 8
"""A band with more components than this wraps onto rows of at most this many."""


def _band_lines(scene: Scene, band: Band) -> tuple[list[str], list[str]]:
    """The band's subgraph. A wide band is split into untitled row subgraphs, stacked
    by invisible links, so the diagram wraps instead of growing ever wider. (Mapped
    ids double every ``_``, so ``<band>_r<k>`` cannot clash with another id.)"""
    sid = mermaid_id("l_", band.id)
    lines = [f'    subgraph {sid}["{mermaid_text(band.label)}"]']
    nodes = list(band.nodes)
    if any(scene.nodes[cid].group for cid in nodes):
        lines.extend(_group_lines(scene, band))
        lines.append("    end")
        return lines, []
    if len(nodes) <= ROW:
        for cid in nodes:
            lines.append(f'        {mermaid_id("c_", cid)}["{_label(scene, cid)}"]')
        lines.append("    end")
        return lines, []
    count = -(-len(nodes) // ROW)
    per_row = -(-len(nodes) // count)
    rows = [nodes[i : i + per_row] for i in range(0, len(nodes), per_row)]
    for k, row in enumerate(rows):
        lines.append(f'        subgraph {sid}_r{k}[" "]')
        for cid in row:
            label = _label(scene, cid)
            lines.append(f'            {mermaid_id("c_", cid)}["{label}"]')
        lines.append("        end")
        lines.append(f"        style {sid}_r{k} fill:none,stroke:none")
    lines.append("    end")
    # Links are numbered in order of appearance (linkStyle uses the numbers), so the
    # stacking links go with the other links, not inside the subgraph.
    stack = [f"    {sid}_r{k} ~~~ {sid}_r{k + 1}" for k in range(len(rows) - 1)]
    return lines, stack


def _label(scene: Scene, cid: str) -> str:
    """A node's label: its name, and in a change view the change's badge under it."""
    node = scene.nodes[cid]
    text = node.label if node.change_note is None else f"{node.label}\n{node.change_note}"
    return mermaid_text(text)


def _group_lines(scene: Scene, band: Band) -> list[str]:
    """A grouped band's contents: one titled subgraph per group, subgroups inside
    their parent's, the components without a group directly in the band."""
    top = group_tree(band.nodes, {cid: scene.nodes[cid].group for cid in band.nodes})
    out: list[str] = []

    def emit(items: GroupTree, indent: str) -> None:
        for item in items:
            if isinstance(item, tuple):
                path, inner = item
                gid = mermaid_id("g_", f"{band.id}/{path}")
                name = mermaid_text(path.rpartition("/")[2])
                out.append(f'{indent}subgraph {gid}["{name}"]')
                emit(inner, indent + "    ")
                out.append(f"{indent}end")
                out.append(f"{indent}style {gid} fill:{GROUP_FILL[:7]},stroke:{BORDER}")
            else:
                out.append(f'{indent}{mermaid_id("c_", item)}["{_label(scene, item)}"]')

    emit(top, "        ")
    return out


def _edge_style(edge: Edge, impact: bool) -> str:
    if edge.change is not None and (edge.violation is None or edge.change == "removed"):
        return _EDGE_CHANGE[edge.change]
    if edge.violation is not None:
        return _EDGE_VIOLATION
    if impact:
        return _EDGE_HIT if edge.emphasis == "hit" else _EDGE_FADED
    return _EDGE_NORMAL


def _fill_name(key: str) -> str:
    """The Mermaid class of a legend fill class: ``reuse-3`` is ``reuse3``."""
    return re.sub(r"[^A-Za-z0-9_]", "", key.replace("emph-", "emph_"))


def _shade_style(shade: Shade) -> str:
    return f"fill:{shade.fill},color:{shade.ink},stroke:{shade.border}"


def _node_classes(scene: Scene, impact: bool) -> list[str]:
    lines: list[str] = []
    fills: dict[str, list[str]] = {}
    styles: dict[str, str] = {}
    borders: dict[str, list[str]] = {}
    border_styles: dict[str, str] = {}
    for band in scene.bands:
        for cid in band.nodes:
            node = scene.nodes[cid]
            mid = mermaid_id("c_", cid)
            if impact or node.emphasis != "normal":
                name = f"emph_{node.emphasis}"
                styles[name] = _EMPHASIS_CLASSES[node.emphasis]
            else:
                cls = fill_class(node, scene)
                name = _fill_name(cls.key)
                styles[name] = _shade_style(cls.shade)
            fills.setdefault(name, []).append(mid)
            name = _sourcing_class(node.sourcing)
            borders.setdefault(name, []).append(mid)
            border_styles[name] = _sourcing_style(node.sourcing)
    # Each product in its own colour (by its place in the palette), as in the SVG.
    products: dict[str, list[str]] = {}
    product_styles: dict[str, str] = {}
    for mark in scene.products:
        if impact and mark.emphasis in ("faded", "hit"):
            name = f"product_{mark.emphasis}"
            fill = EMPHASIS["hit"].border
        else:
            fill = mark.colour if _COLOUR.fullmatch(mark.colour) else EDGE
            name = "product_" + fill[1:].lower()
        products.setdefault(name, []).append(mermaid_id("p_", mark.id))
        product_styles[name] = (
            _PRODUCT_FADED_CLASS
            if name == "product_faded"
            else f"fill:{fill},color:{WHITE},stroke:{WHITE}"
        )
    changes: dict[str, list[str]] = {}
    for band in scene.bands:
        for cid in band.nodes:
            change = scene.nodes[cid].change
            if change is not None:
                changes.setdefault(_change_class(change), []).append(mermaid_id("c_", cid))
    for mark in scene.products:
        if mark.change is not None:
            changes.setdefault(_change_class(mark.change), []).append(mermaid_id("p_", mark.id))
    change_styles = {_change_class(k): v for k, v in _CHANGE_CLASSES.items()}
    for name in sorted(fills):
        lines.append(f"    classDef {name} {styles[name]}")
    for name in sorted(borders):
        lines.append(f"    classDef {name} {border_styles[name]}")
    for name in products:
        lines.append(f"    classDef {name} {product_styles[name]}")
    for name in sorted(changes):
        lines.append(f"    classDef {name} {change_styles[name]}")
    lines.extend(_class_lines({name: fills[name] for name in sorted(fills)}))
    lines.extend(_class_lines({name: borders[name] for name in sorted(borders)}))
    lines.extend(_class_lines(products))
    lines.extend(_class_lines({name: changes[name] for name in sorted(changes)}))
    return lines
