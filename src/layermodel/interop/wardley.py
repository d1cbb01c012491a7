"""Wardley map export: OnlineWardleyMaps (OWM) text.

- Visibility (the y axis) comes from the layer: the top layer sits near 0.9, the
  bottom one near 0.1, evenly spaced; components of one layer are staggered a
  little so that they do not hide each other.
- Evolution (the x axis) comes from ``evolution``: genesis 0.1, custom 0.3,
  product 0.55, commodity 0.85. When it is not given it follows ``sourcing``:
  build -> custom, buy and open-source -> product, external-api -> commodity.
- ``(build)``, ``(buy)`` and ``(outsource)`` come from ``sourcing``: build ->
  build; buy and open-source -> buy; external-api -> outsource.
- Products are anchors at the top, linked to the components they use.
"""

from __future__ import annotations

import re

from layermodel.model.entities import Component, Ecosystem

__all__ = ["EVOLUTION", "export_wardley", "wardley_names"]

EVOLUTION = {"genesis": 0.1, "custom": 0.3, "product": 0.55, "commodity": 0.85}
"""Where each evolution stage sits on the x axis (0 to 1)."""

_FROM_SOURCING = {
    "build": "custom",
    "buy": "product",
    "open-source": "product",
    "external-api": "commodity",
}
_MARKER = {"build": "build", "buy": "buy", "open-source": "buy", "external-api": "outsource"}
_UNSAFE = re.compile(r"\[|\]|->|//|[\x00-\x1f\x7f\u2028\u2029;]")


def _safe(label: str) -> str:
    text = " ".join(_UNSAFE.sub(" ", label).split())
    return text or "unnamed"


def wardley_names(ecosystem: Ecosystem, product: str | None = None) -> dict[str, str]:
    """The OWM name of each product (key ``product:ID``) and component (its id).

    Names are labels with the characters OWM reads as syntax (``[``, ``]``, ``->``,
    ``//``, line breaks) replaced by spaces; a name used twice gets its id added.
    """
    items: list[tuple[str, str, str]] = []
    for p in ecosystem.products:
        if product is None or p.id == product:
            items.append((f"product:{p.id}", p.id, _safe(p.label)))
    for c in ecosystem.components:
        items.append((c.id, c.id, _safe(c.label)))
    counts: dict[str, int] = {}
    for _, _, label in items:
        counts[label.lower()] = counts.get(label.lower(), 0) + 1
    out: dict[str, str] = {}
    used: set[str] = set()
    for key, ident, label in items:
        name = label if counts[label.lower()] == 1 else f"{label} ({_safe(ident)})"
        n = 2
        base = name
        while name.lower() in used:
            name = f"{base} {n}"
            n += 1
        used.add(name.lower())
        out[key] = name
    return out


def _evolution(c: Component) -> float:
    stage = c.evolution or _FROM_SOURCING[c.sourcing]
    return EVOLUTION[stage]


def export_wardley(ecosystem: Ecosystem, product: str | None = None) -> str:
    """The model, or one product's footprint, as OnlineWardleyMaps text.

    Raises:
        KeyError: ``product`` is not a product of the model.

    >>> import layermodel as lm
    >>> text = export_wardley(lm.example(), product="docs")
    >>> text.splitlines()[0]
    'title Google: Google Docs'
    """
    title = ecosystem.name
    components = list(ecosystem.components)
    products = list(ecosystem.products)
    if product is not None:
        from layermodel.analysis import footprints

        chosen = ecosystem.product(product)
        footprint = set(footprints(ecosystem)[product])
        components = [c for c in components if c.id in footprint]
        products = [chosen]
        title = f"{ecosystem.name}: {chosen.label}"
    names = wardley_names(ecosystem, product)
    kept = {c.id for c in components}
    rank = {layer.id: i for i, layer in enumerate(ecosystem.layers)}
    count = len(ecosystem.layers)
    band = 0.8 / count
    lines = [f"title {_safe(title)}", "// exported by layermodel: visibility from the layer"]
    lines.append(
        "// evolution from 'evolution' (or sourcing); (build)/(buy)/(outsource) from sourcing"
    )
    for i, p in enumerate(products):
        x = 0.2 + 0.6 * (i + 0.5) / len(products)
        lines.append(f"anchor {names['product:' + p.id]} [0.97, {x:.2f}]")
    seen_in_layer: dict[tuple[str, float], int] = {}
    for c in components:
        top = 0.9 - rank[c.layer] * band
        x = _evolution(c)
        slot = seen_in_layer.get((c.layer, x), 0)
        seen_in_layer[(c.layer, x)] = slot + 1
        y = top - (slot % 4) * band / 5
        dx = ((slot // 4) % 4) * 0.03
        lines.append(
            f"component {names[c.id]} [{y:.2f}, {min(x + dx, 0.99):.2f}] ({_MARKER[c.sourcing]})"
        )
    for p in products:
        for used in p.uses:
            if used in kept:
                lines.append(f"{names['product:' + p.id]}->{names[used]}")
    for c in components:
        for dep in c.depends_on:
            if dep.target in kept:
                lines.append(f"{names[c.id]}->{names[dep.target]}")
    return "\n".join(lines) + "\n"
