"""Pictures the site draws itself, as small inline SVG: the layer rollup of a large
portfolio (one band per layer, with its counts, largest groups and the dependencies
between layers), and history sparklines.

Everything interpolated is escaped (the SVG is built from :class:`~.markup.Html`).
"""

from __future__ import annotations

from collections.abc import Sequence

from layermodel.diagrams.theme import EDGE, INK, MUTED, VIOLATION, band_colours
from layermodel.site.figures import Portfolio
from layermodel.site.markup import Html, join

__all__ = ["layer_rollup", "sparkline"]

_WIDTH = 760
_BAND = 74
_GAP = 46
_LEFT = 120
_RIGHT = 600


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def layer_rollup(p: Portfolio, root: str, hrefs: dict[str, str]) -> Html:
    """One band per layer, top to bottom, with its component count, how many are
    shared and its largest groups; an arrow between two layers for the dependencies
    from one to the other, labelled with their count (upward ones dashed red). Each
    band links to its layer's page (``hrefs``, relative to the root)."""
    eco = p.ecosystem
    layers = eco.layers
    rank = {layer.id: i for i, layer in enumerate(layers)}
    layer_of = [rank[c.layer] for c in eco.components]
    counts = [0] * len(layers)
    shared = [0] * len(layers)
    for i, li in enumerate(layer_of):
        counts[li] += 1
        if p.users[i].bit_count() >= 2:
            shared[li] += 1
    flows: dict[tuple[int, int], int] = {}
    position = p.positions
    for i, c in enumerate(eco.components):
        a = layer_of[i]
        for d in c.depends_on:
            b = layer_of[position[d.target]]
            if a != b:
                flows[(a, b)] = flows.get((a, b), 0) + 1
    top_groups: list[list[tuple[str, int]]] = [[] for _ in layers]
    by_layer: list[dict[str, int]] = [{} for _ in layers]
    for i, c in enumerate(eco.components):
        if c.group:
            head = c.group.split("/", 1)[0]
            bucket = by_layer[layer_of[i]]
            bucket[head] = bucket.get(head, 0) + 1
    for li, bucket in enumerate(by_layer):
        top_groups[li] = sorted(bucket.items(), key=lambda kv: (-kv[1], kv[0]))[:6]

    height = len(layers) * (_BAND + _GAP) - _GAP + 20
    parts: list[Html] = []
    y_of = [10 + i * (_BAND + _GAP) for i in range(len(layers))]
    # Arrows first, so the bands sit on top of them.
    down = sorted((k for k in flows if k[0] < k[1]), key=lambda k: (k[1] - k[0], k))
    up = sorted((k for k in flows if k[0] > k[1]), key=lambda k: (k[0] - k[1], k))
    lane = {"down": 0, "up": 0}
    for (a, b), kind in [(k, "down") for k in down] + [(k, "up") for k in up]:
        n = flows[(a, b)]
        adjacent = abs(a - b) == 1
        if kind == "down":
            y1, y2 = y_of[a] + _BAND, y_of[b]
        else:
            y1, y2 = y_of[a], y_of[b] + _BAND
        colour = EDGE if kind == "down" else VIOLATION
        dash = Html(' stroke-dasharray="6 4"') if kind == "up" else Html("")
        if kind == "down" and adjacent:
            x = (_LEFT + _RIGHT) / 2
            path = f"M{x},{y1} L{x},{y2 - 2}"
            tx, ty = x + 8, (y1 + y2) / 2 + 4
        else:
            side = _RIGHT + 24 + lane[kind] * 26 if kind == "down" else _LEFT - 24 - lane[kind] * 26
            lane[kind] += 1
            x0 = _RIGHT - 40 if kind == "down" else _LEFT + 40
            path = (
                f"M{x0},{y1} C{x0},{y1 + 30} {side},{y1 + 10} {side},{(y1 + y2) / 2} "
                f"S{x0},{y2 - 30} {x0},{y2 - (2 if kind == 'down' else -2)}"
            )
            tx, ty = side + (6 if kind == "down" else -6), (y1 + y2) / 2 + 4
        anchor = "start" if kind == "down" or adjacent else "end"
        what = "dependency" if n == 1 else "dependencies"
        parts.append(
            Html(
                '<g class="flow {kind}"><title>{n} {what} from {a} to {b}</title>'
                '<path d="{path}" fill="none" stroke="{colour}" stroke-width="{w}"{dash} '
                'marker-end="url(#lm-arrow-{kind})"/>'
                '<text x="{tx}" y="{ty}" text-anchor="{anchor}" font-size="12" '
                'fill="{colour}">{n:,}</text></g>'
            ).format(
                kind=kind,
                n=n,
                what=what,
                a=layers[a].label,
                b=layers[b].label,
                path=path,
                colour=colour,
                w=_fmt(min(6.0, 1.2 + n**0.5 / 6)),
                dash=dash,
                tx=_fmt(tx),
                ty=_fmt(ty),
                anchor=anchor,
            )
        )
    for li, layer in enumerate(layers):
        y = y_of[li]
        colours = band_colours(li)
        groups = top_groups[li]
        chips: list[Html] = []
        x = _LEFT + 12
        for name, n in groups:
            text = f"{name} ({n:,})"
            width = min(160, 7 * len(text) + 14)
            if x + width > _RIGHT - 10:
                break
            chips.append(
                Html(
                    '<rect x="{x}" y="{y}" width="{w}" height="20" rx="10" fill="#ffffff" '
                    'stroke="{border}"/><text x="{tx}" y="{ty}" font-size="11" '
                    'fill="{ink}">{text}</text>'
                ).format(
                    x=x,
                    y=y + 44,
                    w=width,
                    border=colours.border,
                    tx=x + 7,
                    ty=y + 58,
                    ink=INK,
                    text=text if len(text) <= 22 else text[:20] + "…",
                )
            )
            x += width + 6
        level = shared[li] / counts[li] if counts[li] else 0.0
        parts.append(
            Html(
                '<a href="{href}"><g class="band"><title>{label}: {n:,} components, '
                "{s:,} shared by 2+ products</title>"
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="{fill}" '
                'stroke="{border}" stroke-width="1.5"/>'
                '<text x="{tx}" y="{ty}" font-size="15" font-weight="600" fill="{ink}">'
                "{label}</text>"
                '<text x="{rx}" y="{ty}" font-size="12" text-anchor="end" fill="{muted}">'
                "{n:,} components · {s:,} shared ({pct})</text>{chips}</g></a>"
            ).format(
                href=root + hrefs[layer.id],
                label=layer.label,
                n=counts[li],
                s=shared[li],
                x=_LEFT,
                y=y,
                w=_RIGHT - _LEFT,
                h=_BAND,
                fill=colours.fill,
                border=colours.border,
                tx=_LEFT + 12,
                ty=y + 26,
                rx=_RIGHT - 12,
                ink=INK,
                muted=MUTED,
                pct=f"{level:.0%}",
                chips=join(chips),
            )
        )
    markers = join(
        Html(
            '<marker id="lm-arrow-{k}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="11" markerHeight="11" markerUnits="userSpaceOnUse" '
            'orient="auto-start-reverse">'
            '<path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
        ).format(k=k, c=c)
        for k, c in (("down", EDGE), ("up", VIOLATION))
    )
    return Html(
        '<svg class="rollup" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-label="{label}"><defs>{markers}</defs>'
        "{parts}</svg>"
    ).format(
        w=_WIDTH,
        h=height,
        label=f"Layers of {eco.name}: component counts and dependencies between layers",
        markers=markers,
        parts=join(parts),
    )


def sparkline(points: Sequence[tuple[str, float]], *, percent: bool = False) -> Html:
    """A small line of ``points`` ((date, value), oldest first), with its last value."""
    width, height, pad = 180, 40, 4
    if not points:
        return Html('<span class="muted">no data</span>')
    values = [v for _, v in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(1, len(values) - 1)
    coords = " ".join(
        f"{_fmt(pad + i * step)},{_fmt(height - pad - (v - low) / span * (height - 2 * pad))}"
        for i, v in enumerate(values)
    )

    def show(v: float) -> str:
        return f"{v:.0%}" if percent else f"{v:,.4g}"

    last = points[-1]
    return Html(
        '<svg class="spark" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-label="{label}">'
        "<title>{label}</title>"
        '<polyline points="{coords}" fill="none" stroke="#2563eb" stroke-width="2"/>'
        '<circle cx="{cx}" cy="{cy}" r="3" fill="#2563eb"/></svg>'
    ).format(
        w=width,
        h=height,
        label=f"from {show(values[0])} ({points[0][0]}) to {show(last[1])} ({last[0]}); "
        f"lowest {show(low)}, highest {show(high)}",
        coords=coords,
        cx=coords.rsplit(" ", 1)[-1].split(",")[0],
        cy=coords.rsplit(" ", 1)[-1].split(",")[1],
    )
