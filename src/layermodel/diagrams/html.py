"""A self-contained, interactive HTML page for a scene.

One file, no network: the CSS and the script are inline, and a Content-Security-Policy
forbids every load (its script and style sources are the hashes of the page's own
script and style). The layout is plain HTML and CSS: a top row of products, then one
full-width band per layer, with the components as cards that wrap when a layer is
wide. A script draws the dependency edges as SVG curves over the cards, and handles
the interactions: click a component to highlight what it depends on and what
depends on it, filter by product, search by name or id.

The page is built on the server side with every piece of model text escaped
(:func:`html.escape`); the script reads the graph from a JSON island whose ``<``,
``>``, ``&`` and line separators are escaped, and writes text only through
``textContent``. The same scene always gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from layermodel.diagrams.scene import Band, MatrixScene, Node, ProductMark, Scene

__all__ = ["clean_text", "json_for_script", "reuse_level", "to_html"]

SOURCING_LABELS: dict[str, str] = {
    "build": "Build (in house)",
    "buy": "Buy (vendor product)",
    "external-api": "External API",
    "open-source": "Open source",
}
REUSE_LEVELS = 5
# Card fill by reuse level: white to a strong blue, mixed in equal perceptual-ish steps.
_REUSE_MIX = (0.0, 0.07, 0.18, 0.32, 0.52, 0.78)
_REUSE_BASE = (0x2F, 0x5A, 0xA8)
# Soft, distinct band fills (fill, border, label colour), cycled past the sixth layer.
BAND_COLOURS: tuple[tuple[str, str, str], ...] = (
    ("#fdf3e4", "#ecd2a6", "#8a5a14"),
    ("#e9f5ec", "#b5dcbf", "#256b3a"),
    ("#e8f1fb", "#b3cdeb", "#24538f"),
    ("#f2ecf9", "#cfbfe6", "#5b3b8c"),
    ("#fbecec", "#e8b9b9", "#8c2f2f"),
    ("#eef1f4", "#c4ccd5", "#3d4a57"),
)
_COLOUR = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_C1 = re.compile("[\x80-\x9f]")


def clean_text(text: str) -> str:
    """Text as it may appear in the page: line ends as ``\\n``, control characters as
    their visible Unicode control pictures (U+2400...), C1 controls and lone
    surrogates as U+FFFD."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _C1.sub("\ufffd", _SURROGATE.sub("\ufffd", text))
    return _CONTROL.sub(
        lambda m: "\u2421" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), text
    )


def _t(text: str | None) -> str:
    """Escaped text for an element's content or a quoted attribute value."""
    return escape(clean_text(text or ""), quote=True)


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


def reuse_level(reuse: int, product_count: int) -> int:
    """0 for a component no product uses, else 1 to 5: the share of all products that
    use it, rounded up to fifths."""
    if reuse <= 0 or product_count <= 0:
        return 0
    return min(REUSE_LEVELS, max(1, -(-reuse * REUSE_LEVELS // product_count)))


def _mix(t: float) -> str:
    r, g, b = (round(255 + (c - 255) * t) for c in _REUSE_BASE)
    return f"#{r:02x}{g:02x}{b:02x}"


def _colour(value: str) -> str:
    return value if _COLOUR.fullmatch(value) else "#6b7280"


def _csp(script: str, style: str) -> str:
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    script_src = digest(script) if script else "'none'"
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        f"style-src {digest(style)}; "
        "img-src data:; font-src 'none'; connect-src 'none'; media-src 'none'; "
        "object-src 'none'; frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def _page(title: str, body: str, style: str, script: str, body_class: str) -> str:
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_csp(script, style)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="generator" content="layermodel">',
        f"<title>{_t(title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        f'<body class="{body_class}">',
        body,
    ]
    if script:
        head.append(f"<script>{script}</script>")
    head += ["</body>", "</html>", ""]
    return "\n".join(head)


def _titles(title: str, subtitle: str) -> str:
    return f'<div class="titles"><h1>{_t(title)}</h1><p class="subtitle">{_t(subtitle)}</p></div>'


def to_html(scene: Scene | MatrixScene) -> str:
    """The interactive page for a product, ecosystem or impact scene, or a table page
    for the reuse matrix. Self-contained and deterministic."""
    if isinstance(scene, MatrixScene):
        return _matrix_page(scene)
    return _scene_page(scene)


# -- product, ecosystem and impact views ------------------------------------------------


def _product_css(products: Iterable[ProductMark]) -> str:
    return "".join(f".pc-{i}{{--pc:{_colour(mark.colour)}}}" for i, mark in enumerate(products))


def _band_css(count: int) -> str:
    rules = []
    for i in range(count):
        fill, border, ink = BAND_COLOURS[i % len(BAND_COLOURS)]
        rules.append(f".band-{i}{{--band:{fill};--band-border:{border};--band-ink:{ink}}}")
    return "".join(rules)


def _reuse_css() -> str:
    rules = []
    for level, t in enumerate(_REUSE_MIX):
        ink = "#ffffff" if t >= 0.5 else "#111827"
        sub = "rgba(255,255,255,.82)" if t >= 0.5 else "#4b5563"
        rules.append(f".reuse-{level}{{--fill:{_mix(t)};--ink:{ink};--sub:{sub}}}")
    return "".join(rules)


def _tooltip(node: Node, scene: Scene, layer_label: str, product_labels: Mapping[str, str]) -> str:
    lines = [f"{node.label} ({node.id})", f"Layer: {layer_label}"]
    if node.products:
        names = ", ".join(product_labels.get(p, p) for p in node.products)
        lines.append(f"Products ({node.reuse} of {scene.product_count}): {names}")
    else:
        lines.append("Products: none")
    lines.append(f"Owner: {node.owner or '—'}")
    sourcing = SOURCING_LABELS.get(node.sourcing, node.sourcing)
    lines.append(f"Sourcing: {sourcing}" + (f" ({node.vendor})" if node.vendor else ""))
    if node.lifecycle != "production":
        lines.append(f"Lifecycle: {node.lifecycle}")
    if node.description:
        lines.append(f"Description: {node.description}")
    return "\n".join(lines)


def _card(
    node: Node,
    scene: Scene,
    layer_label: str,
    product_index: Mapping[str, int],
    product_labels: Mapping[str, str],
) -> str:
    level = reuse_level(node.reuse, scene.product_count)
    sourcing = node.sourcing if node.sourcing in SOURCING_LABELS else "build"
    classes = ["card", f"reuse-{level}", f"src-{sourcing}"]
    if scene.focus is not None:
        classes.append(f"emph-{node.emphasis}")
    if node.lifecycle != "production":
        classes.append(f"life-{'deprecated' if node.lifecycle == 'deprecated' else 'other'}")
    markers = ""
    if scene.markers and node.products:
        dots = "".join(
            f'<i class="dot pc-{product_index[p]}"></i>'
            for p in node.products
            if p in product_index
        )
        markers = f'<span class="dots">{dots}</span>'
    used, total = node.reuse, scene.product_count
    badge = (
        f'<span class="reuse" aria-label="used by {used} of {total} products">{used}/{total}</span>'
    )
    return (
        f'<div class="{" ".join(classes)}" data-id="{_t(node.id)}" tabindex="0" role="button"'
        f' title="{_t(_tooltip(node, scene, layer_label, product_labels))}">'
        f'<span class="name">{_t(node.label)}</span>'
        f'<span class="meta">{markers}{badge}</span>'
        "</div>"
    )


def _band(
    band: Band,
    index: int,
    scene: Scene,
    product_index: Mapping[str, int],
    product_labels: Mapping[str, str],
) -> str:
    cards = "".join(
        _card(scene.nodes[cid], scene, band.label, product_index, product_labels)
        for cid in band.nodes
    )
    count = len(band.nodes)
    desc = f'<span class="band-desc">{_t(band.description)}</span>' if band.description else ""
    return (
        f'<section class="band band-{index}" data-band="{_t(band.id)}"'
        f' aria-label="{_t(band.label)}">'
        f'<header class="band-label"><span class="band-name">{_t(band.label)}</span>{desc}'
        f'<span class="band-count">{count} component{"s" if count != 1 else ""}</span></header>'
        f'<div class="cards">{cards}</div>'
        "</section>"
    )


def _products_row(scene: Scene) -> str:
    if not scene.products:
        return ""
    chips = []
    for i, mark in enumerate(scene.products):
        classes = ["product", f"pc-{i}"]
        if scene.focus is not None:
            classes.append(f"emph-{mark.emphasis}")
        tip = [f"{mark.label} ({mark.id})"]
        if mark.owner:
            tip.append(f"Owner: {mark.owner}")
        if mark.description:
            tip.append(f"Description: {mark.description}")
        tip.append(f"Uses directly: {len(mark.uses)} component{'s' if len(mark.uses) != 1 else ''}")
        chips.append(
            f'<div class="{" ".join(classes)}" data-product="{_t(mark.id)}"'
            ' tabindex="0" role="button"'
            f' title="{_t(chr(10).join(tip))}"><i class="swatch"></i>'
            f'<span class="name">{_t(mark.label)}</span></div>'
        )
    return (
        '<section class="band products-row" data-band="" aria-label="Products">'
        '<header class="band-label"><span class="band-name">Products</span>'
        f'<span class="band-count">{len(scene.products)} shown</span></header>'
        f'<div class="cards">{"".join(chips)}</div>'
        "</section>"
    )


def _legend(scene: Scene) -> str:
    parts = ['<section class="legend" aria-label="Legend"><h2>Legend</h2>']
    n = scene.product_count
    impact = scene.focus is not None
    if impact:
        parts.append(
            "<h3>Impact</h3><ul>"
            '<li><i class="sw card-sw emph-focus"></i>The failing component</li>'
            '<li><i class="sw card-sw emph-hit"></i>Fails with it (required dependencies)</li>'
            '<li><i class="sw card-sw emph-faded"></i>Unaffected</li>'
            '<li><i class="ln ln-hit"></i>Dependency that carries the failure</li>'
            "</ul>"
        )
    parts.append('<h3>Reuse (fill)</h3><ul class="scale">')
    for level in range(1, REUSE_LEVELS + 1):
        low = (level - 1) * n // REUSE_LEVELS + 1
        high = level * n // REUSE_LEVELS
        if n and low <= high:
            label = f"{low}" if low == high else f"{low}–{high}"
            parts.append(
                f'<li><i class="sw card-sw reuse-{level}"></i>'
                f"used by {label} of {n} product{'s' if n != 1 else ''}</li>"
            )
    parts.append('<li><i class="sw card-sw reuse-0"></i>used by no product</li></ul>')
    parts.append("<h3>Sourcing (border)</h3><ul>")
    for key, label in SOURCING_LABELS.items():
        parts.append(f'<li><i class="sw card-sw reuse-0 src-{key}"></i>{escape(label)}</li>')
    parts.append("</ul>")
    if scene.products and scene.markers:
        parts.append("<h3>Products (markers)</h3><ul>")
        for i, mark in enumerate(scene.products):
            parts.append(f'<li><i class="dot pc-{i}"></i>{_t(mark.label)}</li>')
        parts.append("</ul>")
    elif scene.products:
        parts.append(
            '<h3>Products</h3><p class="note">Too many products for one colour each: '
            "the badge counts them, and the tooltip names them.</p>"
        )
    parts.append(
        "<h3>Dependencies (consumer → provider)</h3><ul>"
        '<li><i class="ln ln-normal"></i>Required</li>'
        '<li><i class="ln ln-optional"></i>Optional</li>'
        '<li><i class="ln ln-violation"></i>Layer violation</li>'
        '<li><i class="ln ln-uses"></i>Product uses component</li>'
        "</ul>"
        "<h3>Selection</h3><ul>"
        '<li><i class="sw card-sw st-selected"></i>Selected</li>'
        '<li><i class="sw card-sw st-downstream"></i>What it depends on</li>'
        '<li><i class="sw card-sw st-upstream"></i>What depends on it</li>'
        '<li><i class="sw card-sw st-match"></i>Search match</li>'
        "</ul>"
    )
    parts.append("</section>")
    return "".join(parts)


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
                "owner": clean_text(node.owner) if node.owner else None,
                "vendor": clean_text(node.vendor) if node.vendor else None,
                "description": clean_text(node.description) if node.description else None,
                "lifecycle": node.lifecycle,
                "tags": [clean_text(t) for t in node.tags],
                "emphasis": node.emphasis,
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
            ]
            for e in scene.edges
        ],
        "products": [
            {"id": m.id, "label": clean_text(m.label), "uses": list(m.uses), "emphasis": m.emphasis}
            for m in scene.products
        ],
    }


def _scene_page(scene: Scene) -> str:
    product_index = {mark.id: i for i, mark in enumerate(scene.products)}
    product_labels = scene.product_labels
    style = _CSS + _reuse_css() + _band_css(len(scene.bands)) + _product_css(scene.products)
    options = "".join(f'<option value="{_t(m.id)}">{_t(m.label)}</option>' for m in scene.products)
    filter_control = (
        '<label class="control">Product <select id="product-filter">'
        f'<option value="">All products</option>{options}</select></label>'
        if len(scene.products) > 1
        else ""
    )
    bands = "".join(
        _band(band, i, scene, product_index, product_labels) for i, band in enumerate(scene.bands)
    )
    empty = '<p class="empty">This view has no components.</p>' if not scene.bands else ""
    hint = (
        "Click a component to see what it depends on and what depends on it. "
        "Click the background or press Esc to reset."
    )
    body = (
        '<header class="top">'
        f"{_titles(scene.title, scene.subtitle)}"
        '<div class="controls">'
        f"{filter_control}"
        '<label class="control search"><span class="sr">Search</span>'
        '<input id="search" type="search" placeholder="Search name or id…"'
        ' autocomplete="off" spellcheck="false"></label>'
        '<button id="reset" type="button">Reset</button>'
        "</div></header>"
        '<div class="layout">'
        '<main id="diagram" class="diagram">'
        '<svg id="edges" class="edges" aria-hidden="true"><defs>'
        + "".join(
            f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5"'
            ' markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0 1.5 L9 5 L0 8.5 z" class="arrow-{name}"></path></marker>'
            for name in ("normal", "violation", "hit", "hi", "dim", "uses")
        )
        + '</defs><g id="edge-layer"></g></svg>'
        f"{_products_row(scene)}{bands}{empty}"
        "</main>"
        '<aside class="side">'
        '<section class="details" id="details" aria-live="polite"><h2>Details</h2>'
        f'<p class="hint">{hint}</p></section>'
        f"{_legend(scene)}"
        "</aside></div>"
        '<noscript><p class="noscript">Edges and interactions need JavaScript; '
        "the layers and components are all listed above.</p></noscript>"
        '<script type="application/json" id="scene-data">'
        f"{json_for_script(_scene_data(scene))}</script>"
    )
    kind_class = f"view-{scene.kind}" + (" impact" if scene.focus is not None else "")
    return _page(scene.title, body, style, _JS, kind_class)


# -- reuse matrix -----------------------------------------------------------------------


def _matrix_page(scene: MatrixScene) -> str:
    n = len(scene.products)
    style = _CSS + _MATRIX_CSS + _band_css(len(scene.groups)) + _product_css(scene.products)
    columns = [cid for group in scene.groups for cid in group.nodes]
    head1 = ['<tr><th class="corner" rowspan="2" scope="col">Product</th>']
    head2 = ["<tr>"]
    for i, group in enumerate(scene.groups):
        head1.append(
            f'<th class="group band-{i}" colspan="{len(group.nodes)}" scope="colgroup"'
            f' data-band="{_t(group.id)}">'
            f"{_t(group.label)}</th>"
        )
        for j, cid in enumerate(group.nodes):
            first = " first" if j == 0 else ""
            head2.append(
                f'<th class="col band-{i}{first}" scope="col" data-id="{_t(cid)}" '
                f'title="{_t(scene.labels[cid])} ({_t(cid)}):'
                f' used by {scene.reuse.get(cid, 0)} of {n}">'
                f"<span>{_t(scene.labels[cid])}</span></th>"
            )
    head1.append("</tr>")
    head2.append("</tr>")
    first_cols = {group.nodes[0] for group in scene.groups if group.nodes}
    rows = []
    for i, mark in enumerate(scene.products):
        cells = [
            f'<tr data-product="{_t(mark.id)}"><th class="row" scope="row"'
            f' title="{_t(mark.label)} ({_t(mark.id)})">'
            f'<i class="dot pc-{i}"></i>{_t(mark.label)}</th>'
        ]
        for cid in columns:
            use = scene.cells.get((mark.id, cid), 0)
            word = ("not used by", "uses, through other components,", "uses directly")[use]
            glyph = ("", "◦", "●")[use]
            first = " first" if cid in first_cols else ""
            cells.append(
                f'<td class="use-{use}{first}" data-id="{_t(cid)}" '
                f'title="{_t(mark.label)} {word} {_t(scene.labels[cid])}">{glyph}</td>'
            )
        cells.append("</tr>")
        rows.append("".join(cells))
    foot = ['<tr><th class="row" scope="row">Products using it</th>']
    for cid in columns:
        first = " first" if cid in first_cols else ""
        foot.append(f'<td class="count{first}">{scene.reuse.get(cid, 0)}</td>')
    foot.append("</tr>")
    legend = (
        '<div class="matrix-legend" aria-label="Legend">'
        '<span><i class="cell use-2">●</i>Uses it directly</span>'
        '<span><i class="cell use-1">◦</i>Uses it through other components</span>'
        '<span><i class="cell use-0"></i>Does not use it</span>'
        "</div>"
    )
    table = (
        '<div class="matrix-wrap"><table class="matrix">'
        f"<thead>{''.join(head1)}{''.join(head2)}</thead>"
        f"<tbody>{''.join(rows)}</tbody>"
        f"<tfoot>{''.join(foot)}</tfoot>"
        "</table></div>"
    )
    empty = '<p class="empty">This view has no components.</p>' if not columns else ""
    body = (
        '<header class="top">'
        f"{_titles(scene.title, scene.subtitle)}"
        f"{legend}</header>"
        f'<main class="matrix-main">{table}{empty}</main>'
    )
    return _page(scene.title, body, style, "", "view-matrix")


# -- the page's style and script -------------------------------------------------------

_CSS = """
:root{--page:#f5f6f8;--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--accent:#2563eb;
--sel:#111827;--down:#0072b2;--up:#d55e00;--match:#f59e0b;--violation:#d62728;--hit:#c62828;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif,
"Apple Color Emoji","Segoe UI Emoji";font-size:14px;color:var(--ink);background:var(--page)}
*{box-sizing:border-box}
body{margin:0}
.top{display:flex;flex-wrap:wrap;align-items:flex-end;justify-content:space-between;gap:12px 24px;
padding:16px 24px 14px;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;
z-index:10}
h1{font-size:20px;line-height:1.25;margin:0 0 2px;font-weight:650;white-space:pre-line;
overflow-wrap:anywhere}
.subtitle{margin:0;color:var(--muted);font-size:13px;white-space:pre-line;overflow-wrap:anywhere}
.controls{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.control{display:flex;gap:6px;align-items:center;color:var(--muted);font-size:13px}
select,input[type=search],button{font:inherit;font-size:13px;border:1px solid #d1d5db;
border-radius:6px;
background:#fff;color:var(--ink);padding:6px 10px;height:32px}
input[type=search]{width:220px}
button{cursor:pointer}button:hover{background:#f3f4f6}
select:focus,input:focus,button:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.layout{display:flex;align-items:flex-start;gap:20px;padding:20px 24px 32px}
.diagram{position:relative;flex:1 1 auto;min-width:0;display:flex;flex-direction:column;gap:10px}
.edges{position:absolute;left:0;top:0;width:100%;height:100%;pointer-events:none;z-index:1;
overflow:visible}
.band{display:flex;align-items:stretch;background:var(--band,#fff);
border:1px solid var(--band-border,var(--line));
border-radius:10px;min-height:72px}
.band-label{flex:0 0 168px;display:flex;flex-direction:column;justify-content:center;gap:3px;
padding:12px 14px;
border-right:1px solid var(--band-border,var(--line))}
.band-name{font-weight:700;font-size:12.5px;letter-spacing:.05em;text-transform:uppercase;
color:var(--band-ink,var(--ink));white-space:pre-line;overflow-wrap:break-word;min-width:0}
.band-desc{font-size:12px;color:var(--muted);white-space:pre-line;overflow-wrap:anywhere}
.band-count{font-size:11px;color:var(--muted)}
.cards{flex:1 1 auto;display:flex;flex-wrap:wrap;justify-content:center;align-content:center;
gap:22px 18px;
padding:18px 16px}
.products-row{background:#fff;border-style:solid}
.products-row .cards{gap:12px 14px}
.card,.product{position:relative;z-index:2;cursor:pointer;user-select:none}
.card{display:flex;flex-direction:column;justify-content:space-between;gap:6px;flex:0 1 156px;
min-width:116px;min-height:58px;
padding:8px 10px 7px;border-radius:8px;background:var(--fill,#fff);color:var(--ink,#111827);
border:1.5px solid #4b5563;box-shadow:0 1px 2px rgba(17,24,39,.08);
transition:opacity .15s,box-shadow .15s,outline-color .15s}
.card .name{color:var(--ink);font-weight:600;font-size:13px;line-height:1.25;white-space:pre-line;
overflow-wrap:anywhere}
.card .meta{display:flex;align-items:center;justify-content:space-between;gap:6px;min-height:12px}
.card .reuse{margin-left:auto;font-size:11px;color:var(--sub);font-variant-numeric:tabular-nums}
.dots{display:flex;flex-wrap:wrap;gap:3px}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;background:var(--pc,#6b7280);
border:1.5px solid #fff;box-shadow:0 0 0 .5px rgba(0,0,0,.25)}
.src-build{border:1.5px solid #4b5563}
.src-buy{border:4px double #6d28d9}
.src-external-api{border:2px dashed #b45309}
.src-open-source{border:2.5px dotted #047857}
.life-deprecated .name{text-decoration:line-through;text-decoration-thickness:1px}
.product{display:flex;align-items:center;gap:8px;padding:7px 14px 7px 10px;border-radius:999px;
background:#1f2937;
color:#fff;font-weight:600;font-size:13px;box-shadow:0 1px 2px rgba(17,24,39,.15);
transition:opacity .15s}
.product .name{white-space:pre-line;overflow-wrap:anywhere}
.product .swatch{width:12px;height:12px;border-radius:50%;background:var(--pc);
border:2px solid #fff}
.card:focus-visible,.product:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.card:hover{box-shadow:0 3px 10px rgba(17,24,39,.18)}
/* impact emphasis, shown while nothing is selected or searched */
body:not(.active) .card.emph-focus{--fill:#c62828;--ink:#fff;--sub:rgba(255,255,255,.85);
border-color:#7f1d1d;
box-shadow:0 0 0 4px rgba(198,40,40,.25)}
body:not(.active) .card.emph-hit{--fill:#fde2df;--ink:#7f1d1d;--sub:#9f3a3a;border-color:#c62828}
body:not(.active) .card.emph-faded,body:not(.active) .product.emph-faded{opacity:.38}
/* interactive state */
.card.selected,.product.selected{outline:3px solid var(--sel);outline-offset:2px;
box-shadow:0 4px 14px rgba(17,24,39,.3)}
.card.downstream,.product.downstream{outline:3px solid var(--down);outline-offset:1px}
.card.upstream,.product.upstream{outline:3px solid var(--up);outline-offset:1px}
.card.match,.product.match{outline:3px solid var(--match);outline-offset:1px;
box-shadow:0 0 0 6px rgba(245,158,11,.25)}
.card.dim,.product.dim{opacity:.22}
.hidden{display:none!important}
/* edges */
.edge{fill:none;stroke:#6b7280;stroke-width:1.3;opacity:.75;transition:opacity .15s}
.edge.optional{stroke-dasharray:2 4;stroke-linecap:round}
.edge.violation{stroke:var(--violation);stroke-width:2;stroke-dasharray:7 4;opacity:.95}
.edge.uses{stroke:#9ca3af;stroke-width:1;opacity:.55}
body:not(.active) .edge.hit{stroke:var(--hit);stroke-width:2.2;opacity:.95}
body:not(.active) .edge.faded{opacity:.18}
.edge.hi{stroke:#1f2937;stroke-width:2.2;opacity:.95}
.edge.hi.violation{stroke:var(--violation)}
.edge.dim{opacity:.07}
.edge.touch{stroke:var(--accent);stroke-width:2.4;opacity:1}
.arrow-normal{fill:#6b7280}.arrow-violation{fill:var(--violation)}.arrow-hit{fill:var(--hit)}
.arrow-hi{fill:#1f2937}.arrow-dim{fill:#d1d5db}.arrow-uses{fill:#9ca3af}
/* side panel */
.side{flex:0 0 280px;position:sticky;top:88px;display:flex;flex-direction:column;gap:14px;
max-height:calc(100vh - 108px);
overflow:auto}
.details,.legend{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.side h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;margin:0 0 8px;color:#374151}
.side h3{font-size:12px;margin:12px 0 6px;color:#374151;font-weight:650}
.side ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:5px}
.side li{display:flex;align-items:center;gap:8px;font-size:12.5px;color:#374151;
overflow-wrap:anywhere}
.hint,.note{font-size:12.5px;color:var(--muted);margin:0;line-height:1.45}
.sw{flex:0 0 auto;display:inline-block;width:26px;height:16px;border-radius:4px;
background:var(--fill,#fff)}
.card-sw{border:1.5px solid #4b5563}
.card-sw.src-buy{border:4px double #6d28d9}.card-sw.src-external-api{border:2px dashed #b45309}
.card-sw.src-open-source{border:2.5px dotted #047857}
.sw.emph-focus{background:#c62828;border-color:#7f1d1d}.sw.emph-hit{background:#fde2df;
border-color:#c62828}
.sw.emph-faded{background:#fff;opacity:.38}
.sw.st-selected{outline:3px solid var(--sel);outline-offset:1px}.sw.st-downstream{
outline:3px solid var(--down)}
.sw.st-upstream{outline:3px solid var(--up)}.sw.st-match{outline:3px solid var(--match)}
.ln{flex:0 0 auto;display:inline-block;width:26px;height:0;border-top:1.6px solid #6b7280}
.ln-optional{border-top:2px dotted #6b7280}.ln-violation{border-top:2px dashed var(--violation)}
.ln-hit{border-top:2.4px solid var(--hit)}.ln-uses{border-top:1px solid #9ca3af}
.details dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:4px 10px;font-size:12.5px}
.details dt{color:var(--muted)}.details dd{margin:0;overflow-wrap:anywhere;white-space:pre-line}
.details .title{font-size:15px;font-weight:650;margin:0 0 2px;white-space:pre-line;
overflow-wrap:anywhere}
.details .ident{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted);
margin:0 0 8px;
overflow-wrap:anywhere}
.details .desc{font-size:12.5px;margin:8px 0 0;white-space:pre-line;overflow-wrap:anywhere}
.empty,.noscript{color:var(--muted);padding:24px}
@media (prefers-reduced-motion:reduce){.card,.product,.edge{transition:none}}
@media (max-width:900px){.layout{flex-direction:column}.side{position:static;max-height:none;
width:100%}
.band-label{flex-basis:100px}}
"""

_MATRIX_CSS = """
.matrix-main{padding:20px 24px 32px}
.matrix-wrap{overflow:auto;background:#fff;border:1px solid var(--line);border-radius:10px;
max-height:calc(100vh - 120px)}
.matrix{border-collapse:separate;border-spacing:0;font-size:12.5px}
.matrix th,.matrix td{border-bottom:1px solid var(--line);padding:0}
.matrix thead th{position:sticky;background:#fff;z-index:2}
.matrix thead tr:first-child th{top:0;height:34px}
.matrix thead tr:nth-child(2) th{top:34px}
.matrix .corner{left:0;z-index:4;text-align:left;padding:8px 12px;vertical-align:bottom;
min-width:180px}
.matrix .group{background:var(--band);color:var(--band-ink);text-transform:uppercase;
letter-spacing:.05em;font-size:11.5px;
padding:8px 10px;text-align:left;border-left:2px solid var(--band-border);white-space:nowrap}
.matrix .col{background:var(--band);vertical-align:bottom;height:180px;width:30px;min-width:30px;
padding:8px 0}
.matrix .col span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block;
max-height:168px;overflow:hidden;
text-overflow:ellipsis;white-space:nowrap;font-weight:600;color:#374151}
.matrix .first{border-left:2px solid var(--line)}
.matrix .col.first{border-left:2px solid var(--band-border)}
.matrix th.row{position:sticky;left:0;background:#fff;z-index:1;text-align:left;padding:6px 12px;
white-space:nowrap;
font-weight:600;display:flex;align-items:center;gap:8px;max-width:320px;overflow:hidden;
text-overflow:ellipsis}
.matrix td{width:30px;min-width:30px;height:30px;text-align:center;vertical-align:middle;color:#fff;
font-size:13px}
.matrix td.use-2{background:#2f5aa8}
.matrix td.use-1{background:#c6d6ef;color:#2f5aa8}
.matrix td.use-0{background:#fff}
.matrix tbody tr:hover td,.matrix tbody tr:hover th.row{
box-shadow:inset 0 0 0 9999px rgba(245,158,11,.12)}
.matrix tfoot td{color:var(--muted);font-variant-numeric:tabular-nums;border-bottom:0;
font-size:11.5px}
.matrix tfoot th.row{color:var(--muted);font-weight:500;border-bottom:0}
.matrix-legend{display:flex;gap:18px;flex-wrap:wrap;font-size:12.5px;color:#374151}
.matrix-legend span{display:flex;align-items:center;gap:6px}
.cell{display:inline-flex;width:20px;height:20px;align-items:center;justify-content:center;
border:1px solid var(--line);
border-radius:3px;font-style:normal;color:#fff}
.cell.use-2{background:#2f5aa8}.cell.use-1{background:#c6d6ef;color:#2f5aa8}.cell.use-0{
background:#fff}
"""

_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("scene-data").textContent);
  var body = document.body;
  var diagram = document.getElementById("diagram");
  var svg = document.getElementById("edges");
  var layer = document.getElementById("edge-layer");
  var details = document.getElementById("details");
  var search = document.getElementById("search");
  var filter = document.getElementById("product-filter");
  var SVGNS = "http://www.w3.org/2000/svg";
  var EDGE_LIMIT = 1500;
  // Maps keyed by model ids, which may be "constructor" or "toString": no prototype.
  function dict() { return Object.create(null); }

  var cards = dict();
  Array.prototype.forEach.call(document.querySelectorAll(".card[data-id]"), function (el) {
    cards[el.getAttribute("data-id")] = el;
  });
  var chips = dict();
  Array.prototype.forEach.call(document.querySelectorAll(".product[data-product]"), function (el) {
    chips[el.getAttribute("data-product")] = el;
  });
  var ids = Object.keys(cards);
  var out = dict(), into = dict();
  ids.forEach(function (id) { out[id] = []; into[id] = []; });
  var edges = data.edges.map(function (e) {
    var edge = {s: e[0], t: e[1], required: !!e[2], violation: e[3], emphasis: e[4], uses: false};
    if (out[edge.s] && into[edge.t]) { out[edge.s].push(edge.t); into[edge.t].push(edge.s); }
    return edge;
  });
  data.products.forEach(function (p) {
    p.uses.forEach(function (cid) {
      edges.push({s: p.id, t: cid, required: true, violation: null, emphasis: p.emphasis,
                  uses: true});
    });
  });
  var productById = dict();
  data.products.forEach(function (p) { productById[p.id] = p; });

  function closure(start, next) {
    var seen = dict(), stack = start.slice();
    while (stack.length) {
      var id = stack.pop();
      (next[id] || []).forEach(function (n) { if (!seen[n]) { seen[n] = true; stack.push(n); } });
    }
    return seen;
  }

  var state = {selected: null, product: null, filter: "", query: ""};

  function matches(id, label, q) {
    return !!q && (id.toLowerCase().indexOf(q) >= 0 || label.toLowerCase().indexOf(q) >= 0);
  }

  function curve(x0, y0, x1, y1, x2, y2, x3, y3) {
    return "M" + x0 + " " + y0 + " C" + x1 + " " + y1 + " " + x2 + " " + y2 + " " + x3 + " " + y3;
  }

  function visibleCard(id) {
    return !state.filter || data.nodes[id].products.indexOf(state.filter) >= 0;
  }

  function apply() {
    var sel = null, down = dict(), up = dict();
    if (state.selected) {
      sel = state.selected;
      down = closure([sel], out);
      up = closure([sel], into);
      delete down[sel]; delete up[sel];
    } else if (state.product) {
      var uses = productById[state.product].uses;
      down = closure(uses, out);
      uses.forEach(function (u) { down[u] = true; });
    }
    var q = state.query.trim().toLowerCase();
    var active = !!(state.selected || state.product || q);
    body.classList.toggle("active", active);
    var upProducts = dict();
    if (sel) {
      data.products.forEach(function (p) {
        if (p.uses.some(function (u) { return u === sel || up[u]; })) upProducts[p.id] = true;
      });
    }
    ids.forEach(function (id) {
      var el = cards[id], n = data.nodes[id];
      var match = matches(id, n.label, q);
      var related = (sel === id) || !!down[id] || !!up[id];
      el.classList.toggle("hidden", !visibleCard(id));
      el.classList.toggle("selected", sel === id);
      el.classList.toggle("downstream", !!down[id] && sel !== id);
      el.classList.toggle("upstream", !!up[id] && sel !== id);
      el.classList.toggle("match", match);
      var dim = (sel || state.product) ? !related : (q ? !match : false);
      el.classList.toggle("dim", dim);
    });
    Object.keys(chips).forEach(function (pid) {
      var el = chips[pid], p = productById[pid];
      var match = matches(pid, p.label, q);
      el.classList.toggle("hidden", !!state.filter && state.filter !== pid);
      el.classList.toggle("selected", state.product === pid);
      el.classList.toggle("upstream", !!upProducts[pid]);
      el.classList.toggle("match", match);
      var dim = sel ? !upProducts[pid]
        : (state.product ? state.product !== pid : (q ? !match : false));
      el.classList.toggle("dim", dim);
    });
    Array.prototype.forEach.call(document.querySelectorAll(".band[data-band]"), function (band) {
      var any = band.querySelector(".card:not(.hidden), .product:not(.hidden)");
      band.classList.toggle("hidden", !any);
    });
    state.down = down; state.up = up;
    showDetails();
    draw();
  }

  function edgeClass(e) {
    var c = ["edge"];
    if (e.uses) c.push("uses");
    if (!e.required) c.push("optional");
    if (e.violation) c.push("violation");
    if (data.focus && !e.uses) c.push(e.emphasis === "hit" ? "hit" : "faded");
    if (data.focus && e.uses && e.emphasis === "faded") c.push("faded");
    var sel = state.selected, down = state.down || dict(), up = state.up || dict();
    if (sel) {
      var hi = !e.uses && (((e.s === sel || down[e.s]) && down[e.t]) ||
                           (up[e.s] && (e.t === sel || up[e.t])));
      if (e.uses && (e.t === sel || up[e.t])) hi = true;
      c.push(hi ? "hi" : "dim");
    } else if (state.product) {
      var on = e.uses ? e.s === state.product : (down[e.s] && down[e.t]);
      c.push(on ? "hi" : "dim");
    } else if (state.query.trim()) {
      c.push("dim");
    }
    return c;
  }

  function marker(cls) {
    if (cls.indexOf("dim") >= 0) return "dim";
    if (cls.indexOf("violation") >= 0) return "violation";
    if (cls.indexOf("hi") >= 0) return "hi";
    if (!body.classList.contains("active") && cls.indexOf("hit") >= 0) return "hit";
    if (cls.indexOf("uses") >= 0) return "uses";
    return "normal";
  }

  function draw() {
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    var box = diagram.getBoundingClientRect();
    svg.setAttribute("width", String(diagram.scrollWidth));
    svg.setAttribute("height", String(diagram.scrollHeight));
    var rects = dict();
    function rect(id, isProduct) {
      var key = (isProduct ? "p:" : "c:") + id;
      if (!(key in rects)) {
        var el = isProduct ? chips[id] : cards[id];
        if (!el || el.classList.contains("hidden")) { rects[key] = null; }
        else {
          var r = el.getBoundingClientRect();
          rects[key] = {l: r.left - box.left, r: r.right - box.left,
                        t: r.top - box.top, b: r.bottom - box.top,
                        cx: (r.left + r.right) / 2 - box.left};
        }
      }
      return rects[key];
    }
    var many = edges.length > EDGE_LIMIT;
    var drawn = [];
    edges.forEach(function (e) {
      var a = rect(e.s, e.uses), b = rect(e.t, false);
      if (!a || !b) return;
      var cls = edgeClass(e);
      if (many && cls.indexOf("hi") < 0) return;
      var dir = b.t >= a.b - 2 ? "down" : (b.b <= a.t + 2 ? "up" : "side");
      drawn.push({e: e, a: a, b: b, cls: cls, dir: dir});
    });
    // Spread the ends of the edges along each card's side, ordered by where they go.
    var slots = dict();
    function slot(key, item, end, other) {
      (slots[key] = slots[key] || []).push({item: item, end: end, other: other});
    }
    drawn.forEach(function (d) {
      if (d.dir === "side") {
        // Same row: from the facing sides, arched over what lies between.
        var right = d.b.cx >= d.a.cx;
        d.sx = right ? d.a.r : d.a.l; d.tx = right ? d.b.l : d.b.r;
        d.sy = (d.a.t + d.a.b) / 2; d.ty = (d.b.t + d.b.b) / 2;
        return;
      }
      var sSide = d.dir === "up" ? "t" : "b", tSide = d.dir === "down" ? "t" : "b";
      slot((d.e.uses ? "p:" : "c:") + d.e.s + ":" + sSide, d, "sx", d.b.cx);
      slot("c:" + d.e.t + ":" + tSide, d, "tx", d.a.cx);
      d.sy = sSide === "t" ? d.a.t : d.a.b;
      d.ty = tSide === "t" ? d.b.t : d.b.b;
    });
    Object.keys(slots).forEach(function (key) {
      var list = slots[key];
      list.sort(function (x, y) { return x.other - y.other; });
      var r = list[0].end === "sx" ? list[0].item.a : list[0].item.b;
      var w = (r.r - r.l) * 0.7, left = (r.l + r.r) / 2 - w / 2;
      list.forEach(function (s, i) { s.item[s.end] = left + w * (i + 1) / (list.length + 1); });
    });
    var frag = document.createDocumentFragment();
    drawn.forEach(function (d) {
      var sx = d.sx, sy = d.sy, tx = d.tx, ty = d.ty, path;
      if (d.dir === "side") {
        var gap = Math.abs(tx - sx), lift = gap > 40 ? Math.min(70, 18 + gap / 5) : 0;
        var third = (tx - sx) / 3;
        path = curve(sx, sy, sx + third, sy - lift, tx - third, ty - lift, tx, ty);
      } else {
        var k = Math.max(24, Math.abs(ty - sy) * 0.45) * (d.dir === "down" ? 1 : -1);
        path = curve(sx, sy, sx, sy + k, tx, ty - k, tx, ty);
      }
      var p = document.createElementNS(SVGNS, "path");
      p.setAttribute("d", path);
      p.setAttribute("class", d.cls.join(" "));
      p.setAttribute("data-source", d.e.s);
      p.setAttribute("data-target", d.e.t);
      p.setAttribute("marker-end", "url(#arrow-" + marker(d.cls) + ")");
      frag.appendChild(p);
    });
    layer.appendChild(frag);
  }

  function addRow(dl, term, value) {
    if (value === null || value === undefined || value === "") return;
    var dt = document.createElement("dt"); dt.textContent = term;
    var dd = document.createElement("dd"); dd.textContent = value;
    dl.appendChild(dt); dl.appendChild(dd);
  }

  function count(obj) { return Object.keys(obj).length; }

  function para(cls, text) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    details.appendChild(p);
  }

  function showDetails() {
    while (details.firstChild) details.removeChild(details.firstChild);
    var h = document.createElement("h2"); h.textContent = "Details"; details.appendChild(h);
    var id = state.selected;
    if (!id) {
      var hint = document.createElement("p"); hint.className = "hint";
      if (state.product) {
        hint.textContent = productById[state.product].label + ": " + count(state.down) +
          " components in its footprint. Click the background or press Esc to reset.";
      } else {
        hint.textContent = "Click a component to see what it depends on and what depends on it. " +
          "Click the background or press Esc to reset.";
      }
      details.appendChild(hint);
      return;
    }
    var n = data.nodes[id];
    para("title", n.label);
    para("ident", id);
    var dl = document.createElement("dl");
    addRow(dl, "Layer", n.layerLabel);
    addRow(dl, "Products", n.products.map(function (p) {
      return productById[p] ? productById[p].label : p;
    }).join(", ") || "none");
    addRow(dl, "Owner", n.owner || "—");
    addRow(dl, "Sourcing", n.sourcing + (n.vendor ? " (" + n.vendor + ")" : ""));
    if (n.lifecycle !== "production") addRow(dl, "Lifecycle", n.lifecycle);
    if (n.tags.length) addRow(dl, "Tags", n.tags.join(", "));
    addRow(dl, "Depends on", out[id].length + " directly, " + count(state.down) + " in all");
    addRow(dl, "Used by", into[id].length + " directly, " + count(state.up) + " in all");
    details.appendChild(dl);
    if (n.description) {
      para("desc", n.description);
    }
  }

  function select(id) {
    state.selected = id; state.product = null; apply();
  }
  function reset() {
    state.selected = null; state.product = null; state.query = "";
    if (search) search.value = "";
    apply();
  }

  ids.forEach(function (id) {
    var el = cards[id];
    el.addEventListener("click", function (ev) {
      ev.stopPropagation();
      select(state.selected === id ? null : id);
    });
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        select(state.selected === id ? null : id);
      }
    });
    el.addEventListener("mouseenter", function () { touch(id, true); });
    el.addEventListener("mouseleave", function () { touch(id, false); });
  });
  Object.keys(chips).forEach(function (pid) {
    var el = chips[pid];
    function pick(ev) {
      ev.stopPropagation();
      state.selected = null;
      state.product = state.product === pid ? null : pid;
      apply();
    }
    el.addEventListener("click", pick);
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(ev); }
    });
  });

  function touch(id, on) {
    Array.prototype.forEach.call(layer.childNodes, function (p) {
      if (p.getAttribute("data-source") === id || p.getAttribute("data-target") === id) {
        p.classList.toggle("touch", on);
      }
    });
  }

  diagram.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest(".card, .product")) return;
    if (state.selected || state.product) { state.selected = null; state.product = null; apply(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") reset();
  });
  document.getElementById("reset").addEventListener("click", function () {
    if (filter) filter.value = "";
    state.filter = "";
    reset();
  });
  if (search) {
    search.addEventListener("input", function () {
      state.query = search.value; state.selected = null; state.product = null; apply();
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        var first = document.querySelector(".card.match:not(.hidden)");
        if (first) {
          first.scrollIntoView({block: "center"});
          state.query = "";
          search.value = "";
          select(first.getAttribute("data-id"));
        }
      }
    });
  }
  if (filter) {
    filter.addEventListener("change", function () {
      state.filter = filter.value;
      if (state.selected && !visibleCard(state.selected)) state.selected = null;
      state.product = null;
      apply();
    });
  }
  var pending = false;
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; draw(); });
  }
  if (window.ResizeObserver) new ResizeObserver(redraw).observe(diagram);
  window.addEventListener("resize", redraw);
  apply();
  body.setAttribute("data-ready", "true");
})();
"""
