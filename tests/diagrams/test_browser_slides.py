"""The HTML page's edges and counts, and Mermaid's band order, in a real headless
Chromium (the fixtures of test_browser.py: Debian's chromium, the npm Mermaid)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

import layermodel as lm
from layermodel.diagrams.mermaid import mermaid_id, to_mermaid
from layermodel.diagrams.scene import Scene, build_scene
from tests.conftest import EXAMPLES
from tests.diagrams import test_browser
from tests.diagrams.test_browser import Opened

# The fixtures of test_browser.py: headless Chromium, a page opener, Mermaid.
browser = test_browser.browser
open_html = test_browser.open_html
mermaid_page = test_browser.mermaid_page

pytestmark = pytest.mark.browser

RIDESHARE = EXAMPLES / "rideshare" / "model.yaml"
LAYERS = ("ui", "algorithms", "infrastructure", "hardware")


def random_model(size: int, seed: int, products: int = 4) -> lm.Ecosystem:
    """``size`` components over the four layers (more at the top and middle), each
    depending on one to three components further down, some skipping a layer, and a
    few upward dependencies (violations); ``products`` products using UI components."""
    rnd = random.Random(seed)
    b = lm.Builder(f"Random {size}")
    shares = (0.3, 0.35, 0.25, 0.1)
    counts = [max(1, round(size * s)) for s in shares]
    counts[1] += size - sum(counts)
    ids: list[list[str]] = []
    for layer, count in zip(LAYERS, counts, strict=True):
        with b.layer(layer):
            ids.append([b.component(f"{layer[:3]}-{k:02d}").id for k in range(count)])
    for index, members in enumerate(ids[:-1]):
        below = [cid for lower in ids[index + 1 :] for cid in lower]
        for cid in members:
            b.depend(cid, *rnd.sample(below, k=min(len(below), rnd.randint(1, 3))))
    for cid in rnd.sample(ids[2], k=min(2, len(ids[2]))):
        b.depend(cid, rnd.choice(ids[0]))
    for p in range(products):
        b.product(f"p{p}", uses=rnd.sample(ids[0], k=min(len(ids[0]), rnd.randint(1, 4))))
    return b.build()


EDGE_ENDS_JS = """() => {
  const box = document.getElementById('diagram').getBoundingClientRect();
  const rect = (el) => { const r = el.getBoundingClientRect();
    return {l: r.left - box.left, r: r.right - box.left, t: r.top - box.top, b: r.bottom - box.top}; };
  const out = [];
  for (const p of document.querySelectorAll('#edge-layer path')) {
    const s = p.getAttribute('data-source'), t = p.getAttribute('data-target');
    const uses = p.classList.contains('uses');
    const a = document.querySelector(uses ? `.product[data-product="${CSS.escape(s)}"]`
                                          : `.card[data-id="${CSS.escape(s)}"]`);
    const b = document.querySelector(`.card[data-id="${CSS.escape(t)}"]`);
    const n = p.getTotalLength();
    const first = p.getPointAtLength(0), last = p.getPointAtLength(n);
    out.push({s, t, a: rect(a), b: rect(b), first: [first.x, first.y], last: [last.x, last.y]});
  }
  const svg = document.getElementById('edges'), card = document.querySelector('.card');
  return {edges: out, svgZ: Number(getComputedStyle(svg).zIndex),
          cardZ: Number(getComputedStyle(card).zIndex)};
}"""


def on_border(point: list[float], r: dict[str, float], tol: float = 1.5) -> bool:
    x, y = point
    inside_x = r["l"] - tol <= x <= r["r"] + tol
    inside_y = r["t"] - tol <= y <= r["b"] + tol
    near = min(abs(x - r["l"]), abs(x - r["r"]), abs(y - r["t"]), abs(y - r["b"]))
    return inside_x and inside_y and near <= tol


@pytest.mark.parametrize(("size", "seed"), [(30, 1), (60, 2)])
def test_every_edge_ends_on_its_own_cards_and_is_drawn_over_them(
    open_html: Callable[..., Opened], size: int, seed: int
) -> None:
    eco = random_model(size, seed)
    opened = open_html(lm.render(eco, "ecosystem", format="html").source)
    found = opened.page.evaluate(EDGE_ENDS_JS)
    assert found["svgZ"] > found["cardZ"], "edges must be drawn above the cards"
    drawn = {(e["s"], e["t"]) for e in found["edges"]}
    expected = {(c.id, d.target) for c in eco.components for d in c.depends_on}
    expected |= {(p.id, u) for p in eco.products for u in p.uses}
    assert drawn == expected
    for e in found["edges"]:
        assert on_border(e["first"], e["a"]), e
        assert on_border(e["last"], e["b"]), e
    assert opened.errors == []


def test_the_product_filter_updates_every_count(open_html: Callable[..., Opened]) -> None:
    eco = lm.load(RIDESHARE)
    scene = build_scene(eco, "ecosystem")
    assert isinstance(scene, Scene)
    opened = open_html(lm.render(eco, "ecosystem", format="html").source)
    page = opened.page
    page.select_option("#product-filter", "freight")
    counts = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.band[data-band]')]
          .map(b => [b.getAttribute('data-band'), b.querySelector('.band-count').textContent]))"""
    )
    inside = {cid for cid, n in scene.nodes.items() if "freight" in n.products}
    for band in scene.bands:
        kept = len([cid for cid in band.nodes if cid in inside])
        total = len(band.nodes)
        if kept:
            plural = "s" if total != 1 else ""
            assert counts[band.id] == f"{kept} of {total} component{plural}"
    assert counts[""] == f"1 of {len(eco.products)} shown"
    note = page.text_content("#filter-note")
    assert note == f"Filtered to Freight: {len(inside)} of {len(scene.nodes)} components shown"
    page.select_option("#product-filter", "")
    counts = page.evaluate(
        """() => [...document.querySelectorAll('.band[data-band] .band-count')]
          .map(el => el.textContent)"""
    )
    assert counts[0] == f"{len(eco.products)} shown"
    assert page.is_hidden("#filter-note")


def test_the_cards_use_the_width(open_html: Callable[..., Opened]) -> None:
    eco = lm.load(RIDESHARE)
    page = open_html(lm.render(eco, "ecosystem", format="html").source, width=1600).page
    spans = page.evaluate(
        """() => [...document.querySelectorAll('.band:not(.products-row) .cards')].map(c => {
          const cards = [...c.querySelectorAll('.card')].map(el => el.getBoundingClientRect());
          const box = c.getBoundingClientRect();
          const used = Math.max(...cards.map(r => r.right)) - Math.min(...cards.map(r => r.left));
          return used / box.width;
        })"""
    )
    # Each band with more than one row of cards fills most of its width.
    assert max(spans) > 0.9


BAND_BOXES_JS = """async (text) => {
  const {svg} = await mermaid.render('stack', text);
  const host = document.getElementById('out');
  host.innerHTML = svg;
  const boxes = {};
  for (const g of host.querySelectorAll('g.cluster')) {
    const r = g.querySelector('rect').getBoundingClientRect();
    boxes[g.id.replace(/^stack-/, '')] = [r.top, r.bottom, r.left, r.right];
  }
  host.innerHTML = '';
  return boxes;
}"""


@pytest.mark.parametrize(("size", "seed"), [(30, 3), (30, 4), (60, 5), (60, 6)])
def test_mermaid_bands_stay_stacked_in_order(mermaid_page: Any, size: int, seed: int) -> None:
    eco = random_model(size, seed)
    views = ["ecosystem", "product:p0"]
    for view in views:
        scene = build_scene(eco, view)
        assert isinstance(scene, Scene)
        boxes = mermaid_page.evaluate(BAND_BOXES_JS, to_mermaid(scene))
        order = (["products"] if scene.products else []) + [
            mermaid_id("l_", band.id) for band in scene.bands
        ]
        spans = [boxes[name] for name in order]
        for (name_a, upper), (name_b, lower) in zip(
            zip(order, spans, strict=True), zip(order[1:], spans[1:], strict=True), strict=False
        ):
            assert upper[1] <= lower[0] + 0.5, (
                f"{view}: {name_a} {upper} is not above {name_b} {lower}"
            )
