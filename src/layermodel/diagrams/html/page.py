"""A self-contained, interactive HTML page for a scene.

One file, no network: the style and the script are inline, and a
Content-Security-Policy forbids every load (its script and style sources are the
hashes of the page's own script and style). The layout is plain HTML and CSS: a top
row of products, then one full-width band per layer, with the components as cards that
wrap when a layer is wide. A script draws the dependency edges as SVG curves over the
cards, and handles the interactions: click a component to highlight what it depends
on and what depends on it, filter by product, search by name or id.

The style and the script are package files (``assets/page.css``, ``assets/matrix.css``
and ``assets/page.js``), read with :mod:`importlib.resources`. The encodings the page
shares with the other formats (reuse shading, sourcing borders, impact colours, band
and product colours) are written as CSS custom properties from
:mod:`layermodel.diagrams.theme`.

Escaping is the default: the page is built from :class:`HTML` strings
(:class:`markupsafe.Markup`), so every value put into one is cleaned
(:func:`clean_text`) and HTML-escaped unless it is itself :class:`HTML`; only the
page's own markup, style, script and policy are marked safe. The script reads the
graph from a JSON island whose ``<``, ``>``, ``&`` and line separators are escaped,
and writes text only through ``textContent``. The same scene always gives the same
bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any, Self

from markupsafe import Markup

from layermodel.diagrams.groups import GroupTree, group_tree
from layermodel.diagrams.legend import LegendEntry, fill_class, legend
from layermodel.diagrams.scene import Band, MatrixScene, Node, ProductMark, Scene
from layermodel.diagrams.theme import (
    BORDER,
    CHANGE,
    EDGE,
    EMPHASIS,
    GHOST,
    MATRIX_CELLS,
    REUSE_SHADES,
    SOURCING,
    VIOLATION,
    band_colours,
    found_in,
    sourcing,
)

__all__ = ["HTML", "clean_text", "json_for_script", "to_html"]

_COLOUR = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_C1 = re.compile("[\x80-\x9f]")
# CSS border widths of the theme's border styles (a double border needs room for two
# lines and the gap between them).
# Dashed and dotted borders are wider than a solid one, so their pattern shows on the
# dark reuse fills too.
_BORDER_WIDTHS = {"solid": "1.5px", "double": "4px", "dashed": "2.5px", "dotted": "3px"}


def clean_text(text: str) -> str:
    """Text as it may appear in the page: line ends as ``\\n``, control characters as
    their visible Unicode control pictures (U+2400...), C1 controls and lone
    surrogates as U+FFFD."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _C1.sub("\ufffd", _SURROGATE.sub("\ufffd", text))
    return _CONTROL.sub(
        lambda m: "\u2421" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), text
    )


class HTML(Markup):
    """Markup for the page. Anything put into it (``format``, ``join``, ``+``) that is
    not itself markup is cleaned with :func:`clean_text` and escaped for an element's
    content or a quoted attribute value, so escaping cannot be forgotten."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any, /) -> Self:
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(html.escape(clean_text(str(s)), quote=True))


def _join(parts: Iterable[HTML]) -> HTML:
    return HTML("").join(parts)


def json_for_script(data: Any) -> str:
    """JSON that can sit inside ``<script type="application/json">``: ``<``, ``>`` and
    ``&`` are written as ``\\u`` escapes, so no ``</script>`` or ``<!--`` can appear,
    and so are U+2028/U+2029, which old JavaScript parsers took for line ends."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@cache
def _asset(name: str) -> str:
    """One of the page's style or script files, from the package."""
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _colour(value: str) -> str:
    return value if _COLOUR.fullmatch(value) else "#6b7280"


def _csp(script: str, style: str) -> HTML:
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    script_src = digest(script) if script else "'none'"
    # Safe: the policy is our own text, and its quotes must stay quotes.
    return HTML(
        "default-src 'none'; "
        f"script-src {script_src}; "
        f"style-src {digest(style)}; "
        "img-src data:; font-src 'none'; connect-src 'none'; media-src 'none'; "
        "object-src 'none'; frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def _page(title: str, body: HTML, style: str, script: str, body_class: str) -> str:
    # The style and the script are the package's own files plus CSS written from the
    # theme here, so they are marked safe; HTML-escaping them would break them.
    head = [
        HTML("<!DOCTYPE html>"),
        HTML('<html lang="en">'),
        HTML("<head>"),
        HTML('<meta charset="utf-8">'),
        HTML('<meta http-equiv="Content-Security-Policy" content="{}">').format(
            _csp(script, style)
        ),
        HTML('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        HTML('<meta name="referrer" content="no-referrer">'),
        HTML('<meta name="generator" content="layermodel">'),
        HTML("<title>{}</title>").format(title),
        HTML("<style>{}</style>").format(HTML(style)),
        HTML("</head>"),
        HTML('<body class="{}">').format(body_class),
        body,
    ]
    if script:
        head.append(HTML("<script>{}</script>").format(HTML(script)))
    head += [HTML("</body>"), HTML("</html>"), HTML("")]
    return str(HTML("\n").join(head))


def _titles(title: str, subtitle: str) -> HTML:
    return HTML(
        '<div class="titles"><h1>{}</h1><p class="subtitle">{}</p>'
        '<p class="subtitle filter-note" id="filter-note" hidden></p></div>'
    ).format(title, subtitle)


def to_html(scene: Scene | MatrixScene) -> str:
    """The interactive page for a product, ecosystem or impact scene, or a table page
    for the reuse matrix. Self-contained and deterministic."""
    if isinstance(scene, MatrixScene):
        return _matrix_page(scene)
    return _scene_page(scene)


# -- the theme as CSS -------------------------------------------------------------------


def _theme_css() -> str:
    """The theme's encodings as CSS custom properties: the colours on ``:root``, a
    class per reuse level (``reuse-N``: fill, text, secondary text), per sourcing
    (``src-KEY``: border width and style) and per matrix cell (``use-N``)."""
    focus, hit, faded = EMPHASIS["focus"], EMPHASIS["hit"], EMPHASIS["faded"]
    root = {
        "--border": BORDER,
        "--bw": _BORDER_WIDTHS["solid"],
        "--bs": "solid",
        "--edge": EDGE,
        "--violation": VIOLATION,
        "--focus-fill": focus.fill,
        "--focus-ink": focus.ink,
        "--focus-sub": focus.sub,
        "--focus-border": focus.border,
        "--focus-glow": focus.fill + "40",
        "--hit": hit.border,
        "--hit-fill": hit.fill,
        "--hit-ink": hit.ink,
        "--hit-sub": hit.sub,
        "--faded-fill": faded.fill,
        "--faded-ink": faded.ink,
        "--faded-sub": faded.sub,
        "--faded-border": faded.border,
    }
    rules = [":root{" + ";".join(f"{k}:{v}" for k, v in root.items()) + "}"]
    for level, shade in enumerate(REUSE_SHADES):
        rules.append(f".reuse-{level}{{--fill:{shade.fill};--ink:{shade.ink};--sub:{shade.sub}}}")
    for way in SOURCING.values():
        rules.append(f".src-{way.key}{{--bw:{_BORDER_WIDTHS[way.border]};--bs:{way.border}}}")
    for change, colour in CHANGE.items():
        rules.append(f".lm-{change}{{--change:{colour}}}")
        rules.append(f":root{{--change-{change}:{colour}}}")
    rules.append(
        f".lm-removed,.lm-moved-from{{--fill:{GHOST.fill};--ink:{GHOST.ink};--sub:{GHOST.sub}}}"
    )
    for use, cell in sorted(MATRIX_CELLS.items()):
        rules.append(f".use-{use}{{--cell:{cell.fill};--cell-ink:{cell.ink}}}")
    return "\n".join(rules) + "\n"


def _product_css(products: Iterable[ProductMark]) -> str:
    return "".join(f".pc-{i}{{--pc:{_colour(mark.colour)}}}" for i, mark in enumerate(products))


def _band_css(count: int) -> str:
    rules = []
    for i in range(count):
        colours = band_colours(i)
        rules.append(f".band-{i}{{--band:{colours.fill};--band-border:{colours.border}}}")
    return "".join(rules)


# -- product, ecosystem and impact views ------------------------------------------------


def _tooltip(node: Node, scene: Scene, layer_label: str, product_labels: Mapping[str, str]) -> str:
    lines = [f"{node.label} ({node.id})", f"Layer: {layer_label}"]
    if node.products:
        names = ", ".join(product_labels.get(p, p) for p in node.products)
        lines.append(f"Products ({node.reuse} of {scene.product_count}): {names}")
    else:
        lines.append("Products: none")
    lines.append(f"Owner: {node.owner or '—'}")
    label = sourcing(node.sourcing).label
    lines.append(f"Sourcing: {label}" + (f" ({node.vendor})" if node.vendor else ""))
    if node.lifecycle != "production":
        lines.append(f"Lifecycle: {node.lifecycle}")
    if node.description:
        lines.append(f"Description: {node.description}")
    lines += found_in(node.provenance)
    if node.change_note:
        lines.append(f"Change: {node.change_note}")
    lines += node.change_details
    return "\n".join(lines)


def _card(
    node: Node,
    scene: Scene,
    layer_label: str,
    product_index: Mapping[str, int],
    product_labels: Mapping[str, str],
) -> HTML:
    classes = ["card", fill_class(node, scene).key, f"src-{sourcing(node.sourcing).key}"]
    if scene.focus is not None or scene.highlight:
        classes.append(f"emph-{node.emphasis}")
    if node.id in scene.highlight:
        classes.append("highlighted")
    if node.lifecycle != "production":
        classes.append(f"life-{'deprecated' if node.lifecycle == 'deprecated' else 'other'}")
    if node.change is not None:
        classes.append(f"lm-{node.change}")
    note = (
        HTML('<span class="change-note">{}</span>').format(node.change_note)
        if node.change is not None and node.change_note
        else HTML("")
    )
    markers = HTML("")
    if scene.markers and node.products:
        dots = _join(
            HTML('<i class="dot pc-{}"></i>').format(product_index[p])
            for p in node.products
            if p in product_index
        )
        markers = HTML('<span class="dots">{}</span>').format(dots)
    used, total = node.reuse, scene.product_count
    badge = HTML(
        '<span class="reuse" aria-label="used by {used} of {total} products">{used}/{total}</span>'
    ).format(used=used, total=total)
    return HTML(
        '<div class="{classes}" data-id="{id}" tabindex="0" role="button" title="{tip}">'
        "{note}"
        '<span class="name">{label}</span>{detail}'
        '<span class="meta">{markers}{badge}</span>'
        "</div>"
    ).format(
        note=note,
        classes=" ".join(classes),
        id=node.id,
        tip=_tooltip(node, scene, layer_label, product_labels),
        label=node.label,
        detail=HTML('<span class="detail">{}</span>').format(node.detail)
        if node.detail
        else HTML(""),
        markers=markers,
        badge=badge,
    )


def _grouped(band: Band, scene: Scene, card: Callable[[Node], HTML]) -> HTML:
    """The band's cards, each group's cards inside a box named after it, subgroups in
    their parent's box, in the band's order of first appearance."""
    top = group_tree(band.nodes, {cid: scene.nodes[cid].group for cid in band.nodes})

    def emit(items: GroupTree) -> HTML:
        parts: list[HTML] = []
        for item in items:
            if isinstance(item, tuple):
                path, inner = item
                size = _size(inner)
                parts.append(
                    HTML(
                        '<div class="group" data-group="{path}" data-size="{size}" role="group"'
                        ' aria-label="{path}">'
                        '<button type="button" class="group-toggle" aria-expanded="true"'
                        ' title="Collapse or expand {path}">'
                        '<span class="group-name">{name}</span>'
                        '<span class="group-size">{size} component{plural}</span></button>'
                        '<span class="group-hits" hidden></span>'
                        '<div class="group-cards">{cards}</div></div>'
                    ).format(
                        path=path,
                        name=path.rpartition("/")[2],
                        size=size,
                        plural="" if size == 1 else "s",
                        cards=emit(inner),
                    )
                )
            else:
                parts.append(card(scene.nodes[item]))
        return _join(parts)

    return emit(top)


def _size(items: GroupTree) -> int:
    """How many cards a group box holds, its subgroups' included."""
    return sum(_size(item[1]) if isinstance(item, tuple) else 1 for item in items)


def _band(
    band: Band,
    index: int,
    scene: Scene,
    product_index: Mapping[str, int],
    product_labels: Mapping[str, str],
) -> HTML:
    cards = _grouped(
        band,
        scene,
        lambda node: _card(node, scene, band.label, product_index, product_labels),
    )
    count = len(band.nodes)
    desc = (
        HTML('<span class="band-desc">{}</span>').format(band.description)
        if band.description
        else HTML("")
    )
    return HTML(
        '<section class="band band-{index}" data-band="{id}" aria-label="{label}">'
        '<header class="band-label"><span class="band-name">{label}</span>{desc}'
        '<span class="band-count" data-total="{count}">{count} component{plural}</span></header>'
        '<div class="cards">{cards}</div>'
        "</section>"
    ).format(
        index=index,
        id=band.id,
        label=band.label,
        desc=desc,
        count=count,
        plural="s" if count != 1 else "",
        cards=cards,
    )


def _products_row(scene: Scene) -> HTML:
    if not scene.products:
        return HTML("")
    chips = []
    for i, mark in enumerate(scene.products):
        classes = ["product", f"pc-{i}"]
        if scene.focus is not None:
            classes.append(f"emph-{mark.emphasis}")
        if mark.change is not None:
            classes.append(f"lm-{mark.change}")
        tip = [f"{mark.label} ({mark.id})"]
        if mark.owner:
            tip.append(f"Owner: {mark.owner}")
        if mark.description:
            tip.append(f"Description: {mark.description}")
        tip.append(f"Uses directly: {len(mark.uses)} component{'s' if len(mark.uses) != 1 else ''}")
        chips.append(
            HTML(
                '<div class="{classes}" data-product="{id}" tabindex="0" role="button"'
                ' title="{tip}"><i class="swatch"></i><span class="name">{label}</span></div>'
            ).format(classes=" ".join(classes), id=mark.id, tip="\n".join(tip), label=mark.label)
        )
    return HTML(
        '<section class="band products-row" data-band="" aria-label="Products">'
        '<header class="band-label"><span class="band-name">Products</span>'
        '<span class="band-count" data-total="{}">{} shown</span></header>'
        '<div class="cards">{}</div>'
        "</section>"
    ).format(len(scene.products), len(scene.products), _join(chips))


def _swatch(entry: LegendEntry) -> HTML:
    if entry.kind == "dot":
        return HTML('<i class="dot pc-{}"></i>').format(entry.key.removeprefix("marker-"))
    if entry.kind == "arrow":
        line = {
            "arrow-required": "ln-normal",
            "arrow-optional": "ln-optional",
            "arrow-violation": "ln-violation",
            "arrow-hit": "ln-hit",
            "arrow-added": "ln-added",
            "arrow-removed": "ln-removed",
        }.get(entry.key, "ln-normal")
        return HTML('<i class="ln {}"></i>').format(line)
    if entry.kind == "border":
        return HTML('<i class="sw card-sw reuse-0 {}"></i>').format(entry.key)
    if entry.kind == "note":  # the count a rollup arrow carries
        return HTML('<b class="sw-count">12</b>')
    if entry.key == "highlighted":
        return HTML('<i class="sw card-sw reuse-0 highlighted"></i>')
    return HTML('<i class="sw card-sw {}"></i>').format(entry.key)


def _legend(scene: Scene) -> HTML:
    """The legend of :func:`layermodel.diagrams.legend.legend`, then what the page adds:
    the product arrows and the selection colours."""
    parts = [HTML('<section class="legend" aria-label="Legend"><h2>Legend</h2>')]
    for section in legend(scene):
        parts.append(HTML("<h3>{}</h3><ul>").format(section.title))
        for entry in section.entries:
            parts.append(HTML("<li>{}{}</li>").format(_swatch(entry), entry.label))
        parts.append(HTML("</ul>"))
    if scene.products and not scene.markers:
        parts.append(
            HTML(
                '<h3>Products</h3><p class="note">Too many products for one colour each: '
                "the badge counts them, and the tooltip names them.</p>"
            )
        )
    parts.append(
        HTML(
            "<h3>On this page</h3><ul>"
            '<li><i class="ln ln-uses"></i>product uses component</li>'
            '<li><i class="sw card-sw st-selected"></i>selected</li>'
            '<li><i class="sw card-sw st-downstream"></i>what it depends on</li>'
            '<li><i class="sw card-sw st-upstream"></i>what depends on it</li>'
            '<li><i class="sw card-sw st-match"></i>search match</li>'
            "</ul>"
        )
    )
    parts.append(HTML("</section>"))
    return _join(parts)


def _fill_css(scene: Scene) -> str:
    """A rule per fill class the scene uses (the reuse levels have theirs already)."""
    rules: dict[str, str] = {}
    for node in scene.nodes.values():
        cls = fill_class(node, scene)
        if not cls.key.startswith("reuse-") and cls.key not in rules:
            shade = cls.shade
            rules[cls.key] = (
                f".{cls.key}{{--fill:{_colour(shade.fill)};--ink:{_colour(shade.ink)};"
                f"--sub:{_colour(shade.sub)}}}"
            )
    return "".join(rules[key] for key in sorted(rules))


def _scene_data(scene: Scene) -> dict[str, Any]:
    layer_labels = {band.id: band.label for band in scene.bands}
    return {
        "kind": scene.kind,
        "focus": scene.focus,
        "productCount": scene.product_count,
        "layers": [[band.id, clean_text(band.label)] for band in scene.bands],
        "nodes": {
            cid: {
                "label": clean_text(node.label),
                "layer": node.layer,
                "layerLabel": clean_text(layer_labels.get(node.layer, node.layer)),
                "products": list(node.products),
                "sourcing": node.sourcing,
                "sourcingLabel": sourcing(node.sourcing).label,
                "owner": clean_text(node.owner) if node.owner else None,
                "vendor": clean_text(node.vendor) if node.vendor else None,
                "description": clean_text(node.description) if node.description else None,
                "lifecycle": node.lifecycle,
                "tags": [clean_text(t) for t in node.tags],
                "emphasis": node.emphasis,
                "change": node.change,
            }
            for band in scene.bands
            for cid in band.nodes
            for node in (scene.nodes[cid],)
        },
        "edges": [
            [
                e.source,
                e.target,
                1 if e.required else 0,
                e.violation,
                e.emphasis,
                e.change,
            ]
            for e in scene.edges
        ],
        "products": [
            {"id": m.id, "label": clean_text(m.label), "uses": list(m.uses), "emphasis": m.emphasis}
            for m in scene.products
        ],
    }


_HINT = (
    "Click a component to see what it depends on and what depends on it. "
    "Click the background or press Esc to reset."
)
_GROUP_HINT = " Click a group's name to collapse or open it."
_ARROWS = ("normal", "violation", "hit", "hi", "dim", "uses")


def _scene_page(scene: Scene) -> str:
    product_index = {mark.id: i for i, mark in enumerate(scene.products)}
    product_labels = scene.product_labels
    style = (
        _asset("page.css")
        + _theme_css()
        + _fill_css(scene)
        + _band_css(len(scene.bands))
        + _product_css(scene.products)
    )
    options = _join(
        HTML('<option value="{}">{}</option>').format(m.id, m.label) for m in scene.products
    )
    filter_control = (
        HTML(
            '<label class="control">Product <select id="product-filter">'
            '<option value="">All products</option>{}</select></label>'
        ).format(options)
        if len(scene.products) > 1
        else HTML("")
    )
    bands = _join(
        _band(band, i, scene, product_index, product_labels) for i, band in enumerate(scene.bands)
    )
    empty = (
        HTML('<p class="empty">This view has no components.</p>') if not scene.bands else HTML("")
    )
    markers = _join(
        HTML(
            '<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5"'
            ' markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M0 1.5 L9 5 L0 8.5 z" class="arrow-{name}"></path></marker>'
        ).format(name=name)
        for name in _ARROWS
    )
    body = HTML(
        '<header class="top">'
        "{titles}"
        '<div class="controls">'
        "{filter_control}"
        '<label class="control search"><span class="sr">Search</span>'
        '<input id="search" type="search" placeholder="Search name or id…"'
        ' autocomplete="off" spellcheck="false"></label>'
        '<button id="reset" type="button">Reset</button>'
        "</div></header>"
        '<div class="layout">'
        '<main id="diagram" class="diagram">'
        '<svg id="edges" class="edges" aria-hidden="true"><defs>{markers}'
        '</defs><g id="edge-layer"></g></svg>'
        "{products}{bands}{empty}"
        "</main>"
        '<aside class="side">'
        '<section class="details" id="details" aria-live="polite"><h2>Details</h2>'
        '<p class="hint">{hint}</p></section>'
        "{legend}"
        "</aside></div>"
        '<noscript><p class="noscript">Edges and interactions need JavaScript; '
        "the layers and components are all listed above.</p></noscript>"
        '<script type="application/json" id="scene-data">{data}</script>'
    ).format(
        titles=_titles(scene.title, scene.subtitle),
        filter_control=filter_control,
        markers=markers,
        products=_products_row(scene),
        bands=bands,
        empty=empty,
        hint=_HINT + (_GROUP_HINT if any(n.group for n in scene.nodes.values()) else ""),
        legend=_legend(scene),
        # Safe for a script element: json_for_script escapes <, > and &.
        data=HTML(json_for_script(_scene_data(scene))),
    )
    kind_class = f"view-{scene.kind}" + (" impact" if scene.focus is not None else "")
    return _page(scene.title, body, style, _asset("page.js"), kind_class)


# -- reuse matrix -----------------------------------------------------------------------

_USE_WORDS = ("not used by", "uses, through other components,", "uses directly")
_USE_GLYPHS = ("", "◦", "●")


def _matrix_page(scene: MatrixScene) -> str:
    n = len(scene.products)
    style = (
        _asset("page.css")
        + _asset("matrix.css")
        + _theme_css()
        + _band_css(len(scene.groups))
        + _product_css(scene.products)
    )
    columns = [cid for group in scene.groups for cid in group.nodes]
    head1 = [HTML('<tr><th class="corner" rowspan="2" scope="col">Product</th>')]
    head2 = [HTML("<tr>")]
    for i, group in enumerate(scene.groups):
        head1.append(
            HTML(
                '<th class="group band-{}" colspan="{}" scope="colgroup" data-band="{}">{}</th>'
            ).format(i, len(group.nodes), group.id, group.label)
        )
        for j, cid in enumerate(group.nodes):
            head2.append(
                HTML(
                    '<th class="col band-{i}{first}" scope="col" data-id="{id}" '
                    'title="{label} ({id}): used by {count} of {n}">'
                    "<span>{label}</span></th>"
                ).format(
                    i=i,
                    first=" first" if j == 0 else "",
                    id=cid,
                    label=scene.labels[cid],
                    count=scene.reuse.get(cid, 0),
                    n=n,
                )
            )
    head1.append(HTML("</tr>"))
    head2.append(HTML("</tr>"))
    first_cols = {group.nodes[0] for group in scene.groups if group.nodes}
    rows = []
    for i, mark in enumerate(scene.products):
        cells = [
            HTML(
                '<tr data-product="{id}"><th class="row" scope="row" title="{label} ({id})">'
                '<i class="dot pc-{i}"></i>{label}</th>'
            ).format(id=mark.id, label=mark.label, i=i)
        ]
        for cid in columns:
            use = scene.cells.get((mark.id, cid), 0)
            cells.append(
                HTML('<td class="use-{}{}" data-id="{}" title="{} {} {}">{}</td>').format(
                    use,
                    " first" if cid in first_cols else "",
                    cid,
                    mark.label,
                    _USE_WORDS[use],
                    scene.labels[cid],
                    _USE_GLYPHS[use],
                )
            )
        cells.append(HTML("</tr>"))
        rows.append(_join(cells))
    foot = [HTML('<tr><th class="row" scope="row">Products using it</th>')]
    for cid in columns:
        foot.append(
            HTML('<td class="count{}">{}</td>').format(
                " first" if cid in first_cols else "", scene.reuse.get(cid, 0)
            )
        )
    foot.append(HTML("</tr>"))
    legend = HTML(
        '<div class="matrix-legend" aria-label="Legend">'
        '<span><i class="cell use-2">●</i>Uses it directly</span>'
        '<span><i class="cell use-1">◦</i>Uses it through other components</span>'
        '<span><i class="cell use-0"></i>Does not use it</span>'
        "</div>"
    )
    table = HTML(
        '<div class="matrix-wrap"><table class="matrix">'
        "<thead>{}{}</thead><tbody>{}</tbody><tfoot>{}</tfoot>"
        "</table></div>"
    ).format(_join(head1), _join(head2), _join(rows), _join(foot))
    empty = HTML('<p class="empty">This view has no components.</p>') if not columns else HTML("")
    body = HTML('<header class="top">{}{}</header><main class="matrix-main">{}{}</main>').format(
        _titles(scene.title, scene.subtitle), legend, table, empty
    )
    return _page(scene.title, body, style, "", "view-matrix")
