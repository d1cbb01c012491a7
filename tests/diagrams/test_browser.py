"""The interactive HTML page and the Mermaid output, in a real headless Chromium.

Chromium is Debian's package, driven by Playwright with ``executable_path`` (no
browser download). Mermaid is the real npm package, loaded into the same browser.
``make browser`` installs both; without them these tests skip only where apt cannot
install chromium, and fail with the command to run otherwise.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import layermodel as lm
from layermodel.diagrams.html import clean_text, to_html
from layermodel.diagrams.mermaid import mermaid_id, to_mermaid
from layermodel.diagrams.scene import Scene, build_scene
from layermodel.diagrams.theme import EMPHASIS, MATRIX_CELLS, VIOLATION
from tests.browser.harness import (
    MERMAID_CHECK,
    MERMAID_JS,
    MERMAID_PAGE,
    MISSING_MERMAID,
    launched_chromium,
)
from tests.browser.models import hostile
from tests.site.models import grouped
from tests.strategies import ecosystems

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[dev]')"
)

pytestmark = pytest.mark.browser


# -- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


@dataclass
class Opened:
    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_html(browser: Any, tmp_path: Path) -> Iterator[Callable[..., Opened]]:
    contexts: list[Any] = []

    def _open(html: str, width: int = 1440, height: int = 1000, name: str = "page.html") -> Opened:
        context = browser.new_context(
            viewport={"width": width, "height": height}, reduced_motion="reduce"
        )
        contexts.append(context)
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        opened = Opened(page=None, url=path.as_uri())

        def route(r: Any) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                opened.aborted.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        context.on("request", lambda r: opened.requests.append(r.url))
        page = context.new_page()
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.goto(opened.url)
        page.wait_for_selector("body[data-ready=true]", timeout=10_000)
        opened.page = page
        return opened

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def mermaid_page(browser: Any) -> Iterator[Any]:
    if not MERMAID_JS.exists():
        if shutil.which("npm"):
            pytest.fail(MISSING_MERMAID)
        pytest.skip(MISSING_MERMAID + " (npm is not installed here)")
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content(MERMAID_PAGE)
    page.add_script_tag(path=str(MERMAID_JS))
    page.dialogs = dialogs
    yield page
    context.close()


# -- expectations, computed from the model, not from the page -----------------------------


def downstream(eco: lm.Ecosystem, cid: str) -> set[str]:
    seen: set[str] = set()
    stack = [cid]
    while stack:
        for d in eco.component(stack.pop()).depends_on:
            if d.target not in seen:
                seen.add(d.target)
                stack.append(d.target)
    seen.discard(cid)
    return seen


def upstream(eco: lm.Ecosystem, cid: str) -> set[str]:
    users: dict[str, set[str]] = {}
    for c in eco.components:
        for d in c.depends_on:
            users.setdefault(d.target, set()).add(c.id)
    seen: set[str] = set()
    stack = [cid]
    while stack:
        for u in users.get(stack.pop(), ()):
            if u not in seen:
                seen.add(u)
                stack.append(u)
    seen.discard(cid)
    return seen


def footprint(eco: lm.Ecosystem, pid: str) -> set[str]:
    uses = set(eco.product(pid).uses)
    return uses.union(*(downstream(eco, u) for u in uses))


STATE_JS = """() => {
  const out = {};
  for (const el of document.querySelectorAll('.card[data-id]')) {
    out[el.getAttribute('data-id')] = {cls: [...el.classList], visible: el.getClientRects().length > 0};
  }
  return out;
}"""
PRODUCTS_JS = """() => Object.fromEntries([...document.querySelectorAll('.product[data-product]')]
  .map(el => [el.getAttribute('data-product'), {cls: [...el.classList], visible: el.getClientRects().length > 0}]))"""
EDGES_JS = """() => [...document.querySelectorAll('#edge-layer path')].map(p => ({
  s: p.getAttribute('data-source'), t: p.getAttribute('data-target'), cls: [...p.classList],
  d: p.getAttribute('d'), stroke: getComputedStyle(p).stroke, dash: getComputedStyle(p).strokeDasharray}))"""


def with_class(state: dict[str, Any], cls: str) -> set[str]:
    return {cid for cid, s in state.items() if cls in s["cls"]}


def visible(state: dict[str, Any]) -> set[str]:
    return {cid for cid, s in state.items() if s["visible"]}


STATE_CLASSES = ("selected", "upstream", "downstream", "dim", "match")


def assert_reset(page: Any) -> None:
    state = page.evaluate(STATE_JS)
    for cls in STATE_CLASSES:
        assert with_class(state, cls) == set(), cls
    assert "active" not in (page.get_attribute("body", "class") or "")


# -- the interactive page --------------------------------------------------------------


@pytest.mark.parametrize("cid", ["distributed-db", "ranking", "search-box", "data-centres"])
def test_click_highlights_what_it_needs_and_what_needs_it(
    open_html: Callable[..., Opened], cid: str
) -> None:
    eco = lm.example()
    scene = build_scene(eco, "ecosystem")
    assert isinstance(scene, Scene)
    opened = open_html(to_html(scene))
    page = opened.page
    page.click(f'.card[data-id="{cid}"]')
    state = page.evaluate(STATE_JS)
    down, up = downstream(eco, cid), upstream(eco, cid)
    assert with_class(state, "selected") == {cid}
    assert with_class(state, "downstream") == down
    assert with_class(state, "upstream") == up
    assert with_class(state, "dim") == set(state) - down - up - {cid}
    if cid == "distributed-db":  # spelled out once, against the example
        assert down == {"vms", "data-centres"}
        assert up == {
            "query-understanding", "crawling", "ranking", "collaboration", "routing",
            "geocoding", "tile-rendering", "ml-pipeline", "data-pipeline", "search-box",
            "results-page", "docs-editor", "map-view",
        }  # fmt: skip
    # Products that reach it are marked too.
    products = page.evaluate(PRODUCTS_JS)
    reach = {p.id for p in eco.products if set(p.uses) & (up | {cid})}
    assert with_class(products, "upstream") == reach
    # Highlighted edges are exactly those inside the two closures.
    edges = [e for e in page.evaluate(EDGES_JS) if "uses" not in e["cls"]]
    hi = {(e["s"], e["t"]) for e in edges if "hi" in e["cls"]}
    expected = {
        (e.source, e.target)
        for e in scene.edges
        if (e.source in down | {cid} and e.target in down)
        or (e.source in up and e.target in up | {cid})
    }
    assert hi == expected
    assert {(e["s"], e["t"]) for e in edges} == {(e.source, e.target) for e in scene.edges}
    # The details panel names it.
    details = page.inner_text("#details")
    assert eco.component(cid).label in details and cid in details
    # Esc resets; so do a click on the background and a second click on the card.
    page.keyboard.press("Escape")
    assert_reset(page)
    page.click(f'.card[data-id="{cid}"]')
    assert with_class(page.evaluate(STATE_JS), "selected") == {cid}
    page.click(".band[data-band='hardware'] .band-label")
    assert_reset(page)
    page.click(f'.card[data-id="{cid}"]')
    page.click(f'.card[data-id="{cid}"]')
    assert_reset(page)
    assert not opened.errors and not opened.dialogs


def test_product_filter_shows_only_its_footprint(open_html: Callable[..., Opened]) -> None:
    eco = lm.example()
    scene = build_scene(eco, "ecosystem")
    assert isinstance(scene, Scene)
    page = open_html(to_html(scene)).page
    everything = {c.id for c in eco.components}
    assert visible(page.evaluate(STATE_JS)) == everything
    for pid in ("docs", "maps", "search"):
        page.select_option("#product-filter", pid)
        state = page.evaluate(STATE_JS)
        assert visible(state) == footprint(eco, pid)
        products = page.evaluate(PRODUCTS_JS)
        assert {p for p, s in products.items() if s["visible"]} == {pid}
        drawn = {(e["s"], e["t"]) for e in page.evaluate(EDGES_JS) if "uses" not in e["cls"]}
        keep = footprint(eco, pid)
        assert drawn == {
            (e.source, e.target) for e in scene.edges if e.source in keep and e.target in keep
        }
    # Selection works inside the filter, then the filter is lifted.
    page.select_option("#product-filter", "docs")
    page.click('.card[data-id="distributed-db"]')
    state = page.evaluate(STATE_JS)
    assert with_class(state, "upstream") == upstream(eco, "distributed-db")
    assert visible(state) == footprint(eco, "docs")
    page.select_option("#product-filter", "")
    assert visible(page.evaluate(STATE_JS)) == everything


def test_clicking_a_product_highlights_its_footprint(open_html: Callable[..., Opened]) -> None:
    eco = lm.example()
    page = open_html(to_html(build_scene(eco, "ecosystem"))).page
    page.click('.product[data-product="maps"]')
    state = page.evaluate(STATE_JS)
    assert with_class(state, "downstream") == footprint(eco, "maps")
    assert with_class(state, "dim") == set(state) - footprint(eco, "maps")
    assert with_class(page.evaluate(PRODUCTS_JS), "selected") == {"maps"}
    page.keyboard.press("Escape")
    assert_reset(page)


def test_product_filter_hides_empty_bands(open_html: Callable[..., Opened]) -> None:
    b = lm.Builder("Bands")
    b.component("a", layer="ui")
    b.component("b", layer="ui", depends_on=["c"])
    b.component("c", layer="hardware")
    b.product("p", uses=["a"])
    b.product("q", uses=["b"])
    page = open_html(to_html(build_scene(b.build(), "ecosystem"))).page
    bands_js = "() => [...document.querySelectorAll('.band[data-band]')].filter(b => b.getClientRects().length).map(b => b.getAttribute('data-band'))"
    assert page.evaluate(bands_js) == ["", "ui", "hardware"]
    page.select_option("#product-filter", "p")
    assert page.evaluate(bands_js) == ["", "ui"]
    assert visible(page.evaluate(STATE_JS)) == {"a"}
    page.select_option("#product-filter", "q")
    assert page.evaluate(bands_js) == ["", "ui", "hardware"]
    assert visible(page.evaluate(STATE_JS)) == {"b", "c"}


def test_search_box_highlights_by_name_or_id(open_html: Callable[..., Opened]) -> None:
    eco = lm.example()
    page = open_html(to_html(build_scene(eco, "ecosystem"))).page
    for query in ("data", "DB", "map", "zzz-nothing"):
        page.fill("#search", query)
        state = page.evaluate(STATE_JS)
        q = query.lower()
        expected = {c.id for c in eco.components if q in c.id.lower() or q in c.label.lower()}
        assert with_class(state, "match") == expected, query
        assert with_class(state, "dim") == set(state) - expected
    page.fill("#search", "distributed")
    page.press("#search", "Enter")
    state = page.evaluate(STATE_JS)
    assert with_class(state, "selected") == {"distributed-db"}
    assert page.input_value("#search") == ""  # Enter picks the first match
    page.keyboard.press("Escape")
    assert_reset(page)
    page.fill("#search", "rank")
    page.fill("#search", "")
    assert_reset(page)


def rgb(colour: str) -> str:
    """A ``#rrggbb`` colour as the browser's computed style writes it."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_impact_view_starts_with_its_emphasis(open_html: Callable[..., Opened]) -> None:
    eco = lm.example()
    scene = build_scene(eco, "impact:distributed-db")
    assert isinstance(scene, Scene)
    page = open_html(to_html(scene)).page
    state = page.evaluate(STATE_JS)
    for emphasis in ("focus", "hit", "faded"):
        assert with_class(state, f"emph-{emphasis}") == {
            cid for cid, n in scene.nodes.items() if n.emphasis == emphasis
        }
    assert_reset(page)
    style = "(s) => { const e = document.querySelector(s); const c = getComputedStyle(e); return [c.backgroundColor, c.opacity]; }"
    # The theme's impact colours, as in the SVG and Mermaid: red focus, faded rest.
    focus, faded = rgb(EMPHASIS["focus"].fill), rgb(EMPHASIS["faded"].fill)
    assert page.evaluate(style, '.card[data-id="distributed-db"]') == [focus, "1"]
    assert page.evaluate(style, '.card[data-id="vms"]')[0] == faded
    edges = [e for e in page.evaluate(EDGES_JS) if "uses" not in e["cls"]]
    assert {(e["s"], e["t"]) for e in edges if "hit" in e["cls"]} == {
        (e.source, e.target) for e in scene.edges if e.emphasis == "hit"
    }
    # A click replaces the emphasis; Esc brings it back.
    page.click('.card[data-id="vms"]')
    assert page.evaluate(style, '.card[data-id="distributed-db"]')[0] != focus
    page.keyboard.press("Escape")
    assert page.evaluate(style, '.card[data-id="distributed-db"]') == [focus, "1"]


def test_edges_encode_optional_and_violations(open_html: Callable[..., Opened]) -> None:
    eco = hostile()
    scene = build_scene(eco, "ecosystem")
    assert isinstance(scene, Scene)
    edges = [e for e in open_html(to_html(scene)).page.evaluate(EDGES_JS) if "uses" not in e["cls"]]
    by_pair = {(e["s"], e["t"]): e for e in edges}
    assert set(by_pair) == {(e.source, e.target) for e in scene.edges}
    for edge in scene.edges:
        drawn = by_pair[(edge.source, edge.target)]
        if edge.violation:
            assert "violation" in drawn["cls"] and drawn["stroke"] == rgb(VIOLATION)
            assert drawn["dash"] not in ("none", "")
        elif not edge.required:
            assert "optional" in drawn["cls"] and drawn["dash"] not in ("none", "")
        else:
            assert drawn["dash"] == "none"


def test_layout_wraps_and_edges_follow_a_resize(open_html: Callable[..., Opened]) -> None:
    eco = lm.example()
    page = open_html(to_html(build_scene(eco, "ecosystem")), width=1440).page
    rows_js = """(band) => new Set([...document.querySelectorAll(`.band[data-band="${band}"] .card`)]
      .map(c => Math.round(c.getBoundingClientRect().top))).size"""
    wide_rows = page.evaluate(rows_js, "algorithms")
    before = {(e["s"], e["t"]): e["d"] for e in page.evaluate(EDGES_JS)}
    page.set_viewport_size({"width": 800, "height": 1000})
    page.wait_for_function(
        "(n) => document.querySelectorAll('#edge-layer path').length === n", arg=len(before)
    )
    page.wait_for_timeout(100)
    assert page.evaluate(rows_js, "algorithms") > wide_rows
    after = {(e["s"], e["t"]): e["d"] for e in page.evaluate(EDGES_JS)}
    assert set(after) == set(before) and after != before
    # Cards stay inside their band, and the bands stay in layer order without overlap.
    boxes = page.evaluate("""() => [...document.querySelectorAll('.band[data-band]')].map(b => {
      const r = b.getBoundingClientRect();
      return {band: b.getAttribute('data-band'), top: r.top, bottom: r.bottom, left: r.left, right: r.right,
        cards: [...b.querySelectorAll('.card')].map(c => { const q = c.getBoundingClientRect();
          return [q.top, q.bottom, q.left, q.right]; })};
    })""")
    assert [b["band"] for b in boxes] == ["", *(layer.id for layer in eco.layers)]
    for upper, lower in itertools.pairwise(boxes):
        assert upper["bottom"] <= lower["top"]
    for b in boxes:
        for top, bottom, left, right in b["cards"]:
            assert (
                b["top"] <= top
                and bottom <= b["bottom"]
                and b["left"] <= left
                and right <= b["right"]
            )


def test_the_page_makes_no_network_request(open_html: Callable[..., Opened]) -> None:
    opened = open_html(to_html(build_scene(lm.example(), "ecosystem")))
    page = opened.page
    page.click('.card[data-id="ranking"]')
    page.select_option("#product-filter", "maps")
    page.fill("#search", "geo")
    assert opened.requests == [opened.url]
    assert opened.aborted == []
    # And the CSP would stop one if the page tried.
    blocked = page.evaluate(
        """() => new Promise(resolve => {
          document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective), {once: true});
          fetch('https://example.invalid/x').catch(() => {});
        })"""
    )
    assert blocked == "connect-src"
    assert opened.aborted == [] and opened.requests == [opened.url]
    assert (
        page.evaluate("() => document.querySelectorAll('link, img, iframe, object, embed').length")
        == 0
    )


def test_matrix_page_in_browser(
    open_html: Callable[..., Opened], browser: Any, tmp_path: Path
) -> None:
    eco = lm.example()
    html = to_html(build_scene(eco, "matrix"))
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    path = tmp_path / "matrix.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    rows = page.evaluate(
        "() => [...document.querySelectorAll('tbody tr')].map(r => r.getAttribute('data-product'))"
    )
    assert rows == [p.id for p in eco.products]
    colour = page.evaluate(
        "() => getComputedStyle(document.querySelector('tr[data-product=search] td[data-id=search-box]')).backgroundColor"
    )
    assert colour == rgb(MATRIX_CELLS[2].fill)  # used directly, the theme's (and SVG's) shade
    assert not errors
    context.close()


HOSTILE_VIEWS = ["ecosystem", "product:style", "impact:x.o", "impact:constructor"]


@pytest.mark.parametrize("view", HOSTILE_VIEWS)
def test_hostile_names_in_the_browser(open_html: Callable[..., Opened], view: str) -> None:
    eco = hostile()
    scene = build_scene(eco, view)
    assert isinstance(scene, Scene)
    opened = open_html(to_html(scene))
    page = opened.page
    names = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.card[data-id]')].map(c => [c.getAttribute('data-id'), c.querySelector('.name').textContent]))"
    )
    assert names == {cid: n.label for cid, n in scene.nodes.items()}
    titles = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.card[data-id]')].map(c => [c.getAttribute('data-id'), c.title]))"
    )
    for cid, node in scene.nodes.items():
        assert titles[cid].startswith(f"{node.label} ({cid})")
        if node.description:
            assert titles[cid].endswith(f"Description: {node.description}")
    assert page.title() == " ".join(clean_text(scene.title).split())  # titles collapse spaces
    assert page.inner_text("h1") == scene.title.strip()
    # Nothing from the model became an element.
    counts = page.evaluate("""() => ({
      scripts: document.scripts.length,
      foreign: document.querySelectorAll('img, b, iframe, object, embed, link').length,
      inCards: [...document.querySelectorAll('.card *')].filter(e => !['SPAN', 'I'].includes(e.tagName)).length,
    })""")
    assert counts == {"scripts": 2, "foreign": 0, "inCards": 0}
    # Clicking each card works and the panel shows the text as it is.
    for cid, node in list(scene.nodes.items())[:8]:
        page.click(f'.card[data-id="{cid}"]')
        assert (
            page.evaluate("() => document.querySelector('#details .title').textContent")
            == node.label
        )
        assert page.evaluate("() => document.querySelector('#details .ident').textContent") == cid
        assert with_class(page.evaluate(STATE_JS), "selected") == {cid}
        assert with_class(page.evaluate(STATE_JS), "upstream") == upstream(eco, cid) & set(
            scene.nodes
        )
        page.keyboard.press("Escape")
    page.fill("#search", "<script>")
    matches = with_class(page.evaluate(STATE_JS), "match")
    assert matches == {cid for cid, n in scene.nodes.items() if "<script>" in n.label.lower()}
    assert matches
    assert opened.dialogs == [] and opened.errors == []
    assert opened.requests == [opened.url]


# -- Mermaid, in the real Mermaid parser ---------------------------------------------------


ROW_SUBGRAPH = re.compile(r"^l_.*[^_]_r\d+$")
"""The untitled row subgraphs a wide band is split into."""


# The invisible gap nodes that keep the bands stacked (g_N) and the legend (k_N), with
# its subgraphs.
GAP_NODE = re.compile(r"[gk]_\d+")
LEGEND_SUBGRAPH = re.compile(r"legend|k_s\d+")


def mermaid_views(eco: lm.Ecosystem) -> list[str]:
    return (
        ["ecosystem"]
        + [f"product:{p.id}" for p in eco.products]
        + [f"impact:{c.id}" for c in eco.components]
    )


def shown(label: str) -> str:
    """A label as Mermaid shows it: lines joined (each is its own element), tabs as
    spaces."""
    return label.replace("\r\n", "\n").replace("\n", "").replace("\t", " ")


def check_mermaid(page: Any, eco: lm.Ecosystem, views: list[str], render: set[str]) -> None:
    """Parse every view's Mermaid; render those in ``render`` and compare every label
    Mermaid drew with the model's text."""
    scenes = [build_scene(eco, v) for v in views]
    texts = [to_mermaid(s) for s in scenes]
    results = page.evaluate(
        MERMAID_CHECK, [[t, v in render] for v, t in zip(views, texts, strict=True)]
    )
    for view, scene, text, result in zip(views, scenes, texts, results, strict=True):
        assert isinstance(scene, Scene)
        assert result["ok"], f"{view}: {result['error']}\n{text}"
        if not result["rendered"]:
            continue
        assert result["injected"] == 0
        labels = {
            k: v.replace("\u2060", "")
            for k, v in result["nodes"].items()
            if not GAP_NODE.fullmatch(k)
        }
        expected = {mermaid_id("c_", cid): shown(n.label) for cid, n in scene.nodes.items()}
        expected |= {mermaid_id("p_", m.id): shown(m.label) for m in scene.products}
        assert labels == expected, view
        bands = {
            k: v
            for k, v in result["clusters"].items()
            if not ROW_SUBGRAPH.search(k) and not LEGEND_SUBGRAPH.fullmatch(k)
        }
        assert bands == {mermaid_id("l_", b.id): shown(b.label) for b in scene.bands} | (
            {"products": "Products"} if scene.products else {}
        ), view
    assert sum(r["rendered"] for r in results) == len(render)
    assert page.dialogs == []


def test_mermaid_parser_rejects_broken_input(mermaid_page: Any) -> None:
    """The harness does catch what the parser rejects."""
    bad, good = 'flowchart TB\n  a["x"y"] --> b\n', 'flowchart TB\n  a["x"] --> b\n'
    results = mermaid_page.evaluate(MERMAID_CHECK, [[bad, True], [good, True]])
    assert not results[0]["ok"] and results[0]["error"]
    assert results[1]["ok"] and results[1]["nodes"] == {"a": "x", "b": "b"}


def test_mermaid_google_views_parse_and_render(mermaid_page: Any) -> None:
    eco = lm.example()
    check_mermaid(
        mermaid_page,
        eco,
        mermaid_views(eco),
        {"ecosystem", "product:search", "impact:distributed-db"},
    )


def test_mermaid_hostile_views_parse_and_show_the_text(mermaid_page: Any) -> None:
    eco = hostile()
    render = {"ecosystem", "product:style", "impact:x.o", "impact:constructor"}
    check_mermaid(mermaid_page, eco, mermaid_views(eco), render)
    title = mermaid_page.evaluate(
        MERMAID_CHECK, [[to_mermaid(build_scene(eco, "ecosystem")), True]]
    )
    title = title[0]["title"]
    assert title == eco.name.replace("<", "‹").replace(">", "›")


def test_mermaid_filtered_views(mermaid_page: Any) -> None:
    eco = lm.example()
    scenes = [
        build_scene(eco, "ecosystem", layers=["infrastructure", "hardware"]),
        build_scene(eco, "impact:distributed-db", owners=["storage", "compute"]),
    ]
    results = mermaid_page.evaluate(MERMAID_CHECK, [[to_mermaid(s), True] for s in scenes])
    assert all(r["ok"] for r in results), results
    bands = {k for k in results[0]["clusters"] if not LEGEND_SUBGRAPH.fullmatch(k)}
    assert bands == {"products", "l_infrastructure", "l_hardware"}


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(ecosystems(max_components=10, max_products=3))
def test_mermaid_of_random_models_parses(mermaid_page: Any, eco: lm.Ecosystem) -> None:
    """Random models (any text as names) parse; the ecosystem view, which holds every
    label, renders and shows each name as the model has it."""
    views = ["ecosystem"]
    views += [f"product:{p.id}" for p in eco.products[:1]]
    views += [f"impact:{c.id}" for c in eco.components[:1]]
    scenes = [build_scene(eco, v) for v in views]
    texts = [to_mermaid(s) for s in scenes]
    results = mermaid_page.evaluate(MERMAID_CHECK, [[t, i == 0] for i, t in enumerate(texts)])
    for text, result in zip(texts, results, strict=True):
        assert result["ok"], f"{result['error']}\n{text}"
    scene, result = scenes[0], results[0]
    assert isinstance(scene, Scene)
    assert {k for k in result["nodes"] if not GAP_NODE.fullmatch(k)} == {
        mermaid_id("c_", c) for c in scene.nodes
    } | {mermaid_id("p_", m.id) for m in scene.products}
    for cid, node in scene.nodes.items():
        got = result["nodes"][mermaid_id("c_", cid)].replace("\u2060", "")
        want = shown(clean_text(node.label))
        # Mermaid collapses and trims white space, as HTML does.
        assert " ".join(got.split()) == " ".join(want.split()), (got, want)


def test_mermaid_wide_layer_wraps_into_rows(mermaid_page: Any) -> None:
    """A 30-component layer is split into row subgraphs; the real parser accepts it,
    renders every label, and the rows are stacked rather than side by side."""
    b = lm.Builder("Wide")
    with b.layer("ui"):
        app = b.component("app")
    with b.layer("infrastructure"):
        parts = [b.component(f"service-{i:02d}") for i in range(30)]
    b.depend(app, *parts)
    b.depend(parts[0], app)  # an upward edge, whose red style must follow the wrap
    b.product("shop", uses=[app])
    eco = b.build()
    check_mermaid(mermaid_page, eco, ["ecosystem"], {"ecosystem"})
    result = mermaid_page.evaluate(
        MERMAID_CHECK, [[to_mermaid(build_scene(eco, "ecosystem")), True]]
    )[0]
    rows = sorted(k for k in result["clusters"] if ROW_SUBGRAPH.search(k))
    assert rows == [f"l_infrastructure_r{k}" for k in range(4)]
    tops = mermaid_page.evaluate(
        """async (text) => {
          const {svg} = await mermaid.render('wide', text);
          const host = document.getElementById('out');
          host.innerHTML = svg;
          const tops = {};
          for (const g of host.querySelectorAll('g.cluster')) {
            const box = g.querySelector('rect').getBBox();
            tops[g.id.replace(/^wide-/, '')] = [box.y, box.y + box.height];
          }
          host.innerHTML = '';
          return tops;
        }""",
        to_mermaid(build_scene(eco, "ecosystem")),
    )
    spans = [tops[row] for row in rows]
    for upper, lower in itertools.pairwise(spans):
        assert upper[1] <= lower[0], f"rows overlap or are side by side: {spans}"


# -- the change view ---------------------------------------------------------------------


def _taxi_change() -> Scene:
    from layermodel.diagrams.change import build_change_scene
    from tests.conftest import EXAMPLES

    old = lm.load(EXAMPLES / "taxi" / "model-v1.yaml")
    new = lm.load(EXAMPLES / "taxi" / "model-v2.yaml")
    return build_change_scene(old, new, old_name="v1", new_name="v2")


def test_change_view_page_draws_the_changed_edges(open_html: Callable[..., Opened]) -> None:
    from layermodel.diagrams.theme import CHANGE

    scene = _taxi_change()
    opened = open_html(to_html(scene))
    edges = [e for e in opened.page.evaluate(EDGES_JS) if "uses" not in e["cls"]]
    by_pair = {(e["s"], e["t"]): e for e in edges}
    for edge in scene.edges:
        drawn = by_pair[(edge.source, edge.target)]
        if edge.change == "added" and edge.violation is None:
            assert "lm-added" in drawn["cls"] and drawn["stroke"] == rgb(CHANGE["added"])
        elif edge.change == "removed":
            assert "lm-removed" in drawn["cls"] and drawn["dash"] not in ("none", "")
    ghosts = opened.page.evaluate(
        "Array.from(document.querySelectorAll('.card.lm-removed, .card.lm-moved-from'))"
        ".map(function (el) { return [el.getAttribute('data-id'),"
        " getComputedStyle(el).borderTopStyle]; })"
    )
    assert {g[0] for g in ghosts} == {
        cid for cid, n in scene.nodes.items() if n.change in ("removed", "moved-from")
    }
    assert {g[1] for g in ghosts} == {"dashed"}
    assert opened.errors == []


def test_change_view_mermaid_parses_and_renders(mermaid_page: Any) -> None:
    scene = _taxi_change()
    text = to_mermaid(scene)
    [result] = mermaid_page.evaluate(MERMAID_CHECK, [[text, True]])
    assert result["ok"], f"{result['error']}\n{text}"
    assert result["injected"] == 0
    labels = {k: v.replace("\u2060", "") for k, v in result["nodes"].items()}
    for cid, node in scene.nodes.items():
        expected = node.label + (node.change_note or "")
        assert labels[mermaid_id("c_", cid)] == shown(expected), cid


# -- groups and rollups ------------------------------------------------------------------


def test_groups_are_boxes_around_their_cards_and_follow_the_filter(
    open_html: Callable[..., Opened],
) -> None:
    eco = lm.load(Path(__file__).resolve().parents[2] / "examples/image-marketplace/model.yaml")
    opened = open_html(to_html(build_scene(eco, "ecosystem")))
    page = opened.page
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.group[data-group]')].map(g => {
          const r = g.getBoundingClientRect();
          const band = g.closest('.band').getAttribute('data-band');
          const cards = [...g.querySelectorAll(':scope > .group-cards > .card')].map(c => {
            const b = c.getBoundingClientRect();
            return [c.getAttribute('data-id'), b.left, b.top, b.right, b.bottom];
          });
          return {path: g.getAttribute('data-group'), band, box: [r.left, r.top, r.right, r.bottom], cards};
        })"""
    )
    expected = set()
    for c in eco.components:
        if c.group:
            parts = c.group.split("/")
            expected |= {(c.layer, "/".join(parts[:k])) for k in range(1, len(parts) + 1)}
    assert {(b["band"], b["path"]) for b in boxes} == expected
    for b in boxes:
        left, top, right, bottom = b["box"]
        for cid, cl, ct, cr, cb in b["cards"]:
            assert eco.component(cid).group == b["path"]
            assert left <= cl and cr <= right and top <= ct and cb <= bottom
    # Filtering to one product hides the groups none of its components are in.
    page.select_option("#product-filter", "buyers")
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.group[data-group]')]"
        ".filter(g => g.getClientRects().length).map(g => g.getAttribute('data-group'))"
    )
    feet = lm.analysis.footprints(eco)["buyers"]
    assert set(shown) == {
        p
        for cid in feet
        if (g := eco.component(cid).group)
        for p in ("/".join(g.split("/")[:k]) for k in range(1, g.count("/") + 2))
    }
    assert opened.errors == [] and opened.aborted == []


# A collapsed box's outline and the end point of every drawn edge, in page coordinates.
BOX_JS = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom]; }"""
ENDS_JS = """() => { const o = document.getElementById('edges').getBoundingClientRect();
  return [...document.querySelectorAll('#edge-layer path')].map(p => {
    const n = p.getAttribute('d').match(/-?[0-9.]+/g).map(Number);
    return {s: p.getAttribute('data-source'), t: p.getAttribute('data-target'),
            cls: [...p.classList], start: [n[0] + o.left, n[1] + o.top],
            end: [n[n.length - 2] + o.left, n[n.length - 1] + o.top]};
  }); }"""


def inside(point: list[float], box: list[float], slack: float = 3.0) -> bool:
    x, y = point
    left, top, right, bottom = box
    return left - slack <= x <= right + slack and top - slack <= y <= bottom + slack


def test_a_group_box_collapses_edges_end_on_it_and_it_counts_what_is_highlighted(
    open_html: Callable[..., Opened],
) -> None:
    eco = lm.load(Path(__file__).resolve().parents[2] / "examples/image-marketplace/model.yaml")
    # A top-level group of one layer, and a component outside it that depends on it.
    boxes = {(c.layer, c.group.split("/")[0]) for c in eco.components if c.group}
    layer, path, source = next(
        (layer, path, c.id)
        for layer, path in sorted(boxes)
        for c in eco.components
        if not (c.group or "").startswith(path)
        if any(
            (t := eco.component(d.target)).layer == layer and (t.group or "").startswith(path)
            for d in c.depends_on
        )
    )
    members = {
        c.id
        for c in eco.components
        if c.layer == layer and c.group and (c.group + "/").startswith(path + "/")
    }
    box = f'.band[data-band="{layer}"] .group[data-group="{path}"]'
    opened = open_html(to_html(build_scene(eco, "ecosystem")))
    page = opened.page
    assert page.get_attribute(box + " > .group-toggle", "aria-expanded") == "true"
    page.click(box + " > .group-toggle")
    assert "collapsed" in (page.get_attribute(box, "class") or "")
    assert page.get_attribute(box + " > .group-toggle", "aria-expanded") == "false"
    assert page.inner_text(box + " > .group-toggle .group-size") == (
        f"{len(members)} component{'' if len(members) == 1 else 's'}"
    )
    state = page.evaluate(STATE_JS)
    assert not visible(state) & members
    # Every edge into the box ends on it, once per source.
    outline = page.evaluate(BOX_JS, box)
    into = [e for e in page.evaluate(ENDS_JS) if e["t"] in members]
    assert into, "no edge drawn into the collapsed box"
    assert all(inside(e["end"], outline) for e in into)
    into_from = [e["s"] for e in into if e["s"] not in members]
    assert len(into_from) == len(set(into_from))
    assert not [e for e in page.evaluate(ENDS_JS) if e["s"] in members and e["t"] in members]
    # A click outside it: the box says how many of its cards are highlighted.
    page.click(f'.card[data-id="{source}"]')
    lit = downstream(eco, source) & members
    assert lit
    assert page.inner_text(box + " > .group-hits") == f"{len(lit)} highlighted"
    assert "dim" not in (page.get_attribute(box, "class") or "")
    # Opened again: its cards are drawn with the selection's state.
    page.click(box + " > .group-toggle")
    state = page.evaluate(STATE_JS)
    assert members <= visible(state)
    assert with_class(state, "downstream") & members == lit
    assert page.is_hidden(box + " > .group-hits")
    assert opened.errors == [] and opened.aborted == []


def test_a_large_page_opens_boxes_in_a_budget_and_highlights_the_view_first(
    open_html: Callable[..., Opened],
) -> None:
    eco = grouped(1500, seed=3)
    opened = open_html(to_html(build_scene(eco, "ecosystem")), height=900)
    page = opened.page
    assert "large" in (page.get_attribute("body", "class") or "").split()
    state = page.evaluate(STATE_JS)
    shown = visible(state)
    # About 1,000 cards drawn (at least 40 a layer), the rest in collapsed boxes.
    assert 200 <= len(shown) <= 1000 + 40 * len(eco.layers)
    assert page.locator(".group.collapsed").count() > 0
    # The drawn card with the most dependents and dependencies.
    cid = max(sorted(shown), key=lambda c: len(upstream(eco, c)) + len(downstream(eco, c)))
    page.locator(f'.card[data-id="{cid}"]').scroll_into_view_if_needed()
    page.click(f'.card[data-id="{cid}"]')
    page.wait_for_selector("body[data-settled=true]")
    state = page.evaluate(STATE_JS)
    assert with_class(state, "selected") == {cid}
    assert with_class(state, "downstream") == downstream(eco, cid)
    assert with_class(state, "upstream") == upstream(eco, cid)
    related = downstream(eco, cid) | upstream(eco, cid) | {cid}
    assert with_class(state, "dim") == set(state) - related
    # Each outermost collapsed box counts the highlighted cards it hides.
    counts = page.evaluate(
        """() => [...document.querySelectorAll('.group.collapsed')]
          .filter(g => !g.parentElement.closest('.group.collapsed'))
          .map(g => [g.querySelector(':scope > .group-hits').hidden ? 0 :
                     Number(g.querySelector(':scope > .group-hits').textContent.split(' ')[0].replace(/,/g, '')),
                     g.querySelectorAll('.card.upstream, .card.downstream').length])"""
    )
    assert counts and all(badge == hidden for badge, hidden in counts)
    assert sum(hidden for _, hidden in counts) > 0
    # Only highlighted edges, at most the budget, and the note says so.
    ends = page.evaluate(ENDS_JS)
    assert ends and len(ends) <= 1500
    assert all("hi" in e["cls"] for e in ends)
    assert page.inner_text("#details .edge-note").startswith("Drawn:")
    # Scrolled far away, the edges are drawn anew for the part in view: each has an
    # end near it, or is the selection's own.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(200)
    view = page.evaluate("[innerWidth, innerHeight]")
    near = [-view[0] / 2, -view[1], view[0] * 1.5, view[1] * 2]
    redrawn = page.evaluate(ENDS_JS)
    assert redrawn != ends
    far = [
        e
        for e in redrawn
        if not (inside(e["start"], near, 80) or inside(e["end"], near, 80))
        and cid not in (e["s"], e["t"])
    ]
    assert far == []
    # Search and Enter open the boxes a match is in and select it.
    hidden_id = sorted(set(state) - visible(state))[0]
    page.fill("#search", hidden_id)
    page.press("#search", "Enter")
    page.wait_for_selector("body[data-settled=true]")
    state = page.evaluate(STATE_JS)
    assert with_class(state, "selected") == {hidden_id}
    assert hidden_id in visible(state)
    page.keyboard.press("Escape")
    page.wait_for_selector("body[data-settled=true]")
    assert_reset(page)
    assert opened.errors == [] and opened.aborted == []


def test_mermaid_groups_and_rollups_parse_and_render(mermaid_page: Any) -> None:
    eco = lm.load(Path(__file__).resolve().parents[2] / "examples/image-marketplace/model.yaml")
    scenes = [
        build_scene(eco, "ecosystem"),
        build_scene(eco, "ecosystem", rollup="group"),
        build_scene(eco, "ecosystem", rollup="owner"),
        build_scene(eco, "ecosystem", focus="image-delivery", depth=2),
    ]
    texts = [to_mermaid(s) for s in scenes]
    results = mermaid_page.evaluate(MERMAID_CHECK, [[t, True] for t in texts])
    for scene, text, result in zip(scenes, texts, results, strict=True):
        assert isinstance(scene, Scene)
        assert result["ok"], f"{result['error']}\n{text}"
        labels = {
            k: v.replace("\u2060", "")
            for k, v in result["nodes"].items()
            if not GAP_NODE.fullmatch(k)
        }
        assert labels == {
            mermaid_id("c_", cid): shown(n.label) for cid, n in scene.nodes.items()
        } | {mermaid_id("p_", m.id): shown(m.label) for m in scene.products}
        groups = {k for k in result["clusters"] if k.startswith("g_") and not GAP_NODE.fullmatch(k)}
        assert groups == {
            mermaid_id("g_", f"{n.layer}/{'/'.join(n.group.split('/')[:k])}")
            for n in scene.nodes.values()
            if n.group
            for k in range(1, n.group.count("/") + 2)
        }
    assert mermaid_page.dialogs == []
