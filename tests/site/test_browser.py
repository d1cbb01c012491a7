"""The portfolio site and the live preview in headless Chromium (Debian's package,
driven by Playwright): every page loads without a console error and without a request
outside the site, every internal link resolves, search finds a component by name,
hostile names stay text, Explore highlights a neighbourhood, and ``serve`` redraws
the page within a second of a save and shows a broken save's problem with its line.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import pytest

import layermodel as lm
from layermodel.site import build_site
from layermodel.site.names import Pages
from tests.browser.harness import launched_chromium
from tests.browser.models import hostile
from tests.conftest import EXAMPLES, REPO
from tests.site.models import grouped

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[dev]')"
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


class Watched:
    """A page that records console errors, page errors, dialogs and requests."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def close(self) -> None:
        self.page.close()


def crawl(browser: Any, site: Path) -> tuple[set[str], Watched]:
    """Visit every page reachable by links from the home page; return the pages seen.
    Fails on a link to a missing file."""
    watched = Watched(browser)
    page = watched.page
    root = site.resolve().as_uri() + "/"
    todo = [root + "index.html"]
    seen: set[str] = set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        local = Path(url.removeprefix("file://"))
        assert local.is_file(), f"broken link to {url}"
        page.goto(url, wait_until="load")
        # page.evaluate rather than eval_on_selector_all: the same links (the site has no
        # shadow DOM for Playwright's selector engine to pierce), without injecting
        # Playwright's selector script into each of the 1,500 pages of the big crawl.
        hrefs = page.evaluate(
            "() => Array.from(document.querySelectorAll('a[href]'),"
            " e => new URL(e.getAttribute('href'), document.baseURI).href)"
        )
        for href in hrefs:
            target, _ = urldefrag(href)
            if target.startswith(root) and target not in seen:
                todo.append(target)
    return seen, watched


def _outside(requests: list[str], site: Path) -> list[str]:
    root = site.resolve().as_uri() + "/"
    return [r for r in requests if not r.startswith(root)]


EXAMPLE_MODELS = sorted(EXAMPLES.glob("*/model*.yaml"))


@pytest.mark.parametrize("model", EXAMPLE_MODELS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_page_of_each_example_loads_cleanly(
    browser: Any, model: Path, tmp_path: Path
) -> None:
    site = build_site(lm.load(model), tmp_path / "site", files=[model]).path
    seen, watched = crawl(browser, site)
    on_disk = {p.resolve().as_uri() for p in site.rglob("*.html")}
    assert on_disk - seen <= {(site / "search.html").resolve().as_uri()} | set()
    assert watched.errors == []
    assert _outside(watched.requests, site) == []
    watched.close()


@pytest.mark.slow
def test_every_page_of_a_random_1000_component_portfolio_loads_cleanly(
    browser: Any, tmp_path: Path
) -> None:
    eco = grouped(1000, seed=3)
    site = build_site(eco, tmp_path / "site").path
    seen, watched = crawl(browser, site)
    assert len(seen) >= len(eco.components) + len(eco.products) + len(eco.layers)
    assert watched.errors == []
    assert _outside(watched.requests, site) == []
    # Explore draws the layers at once and the rest group by group.
    page = watched.page
    page.goto((site / "explore.html").resolve().as_uri())
    page.wait_for_selector("section.band")
    assert page.locator("section.band").count() == len(eco.layers)
    assert 0 < page.locator("button.card-c").count() <= 1000
    assert watched.errors == []
    watched.close()


def _search(page: Any, text: str) -> list[str]:
    page.fill("#search-box", text)
    page.wait_for_selector("#search-results:not([hidden]) li")
    labels: list[str] = page.eval_on_selector_all(
        "#search-results li .label", "els => els.map(e => e.textContent.trim())"
    )
    return labels


def test_search_finds_a_component_by_name(browser: Any, tmp_path: Path) -> None:
    eco = grouped(1000, seed=3)
    site = build_site(eco, tmp_path / "site").path
    watched = Watched(browser)
    page = watched.page
    target = next(c for c in eco.components if c.name and c.layer == "infrastructure")
    page.goto((site / "layers" / "ui.html").resolve().as_uri())
    labels = _search(page, target.name or "")
    assert labels[0] == target.name
    page.click("#search-results li a")
    page.wait_for_load_state("load")
    assert page.url.endswith(Pages().component(target.id))
    assert page.locator("h1").inner_text() == target.name
    # Enter opens the results page, which finds it too.
    page.fill("#search-box", target.id)
    page.press("#search-box", "Enter")
    page.wait_for_selector("#search-page-results li")
    assert target.id in page.locator("#search-page-results li").first.inner_text()
    assert watched.errors == [] and _outside(watched.requests, site) == []
    watched.close()


def test_hostile_names_stay_text(browser: Any, tmp_path: Path) -> None:
    eco = hostile()
    site = build_site(eco, tmp_path / "site").path
    _seen, watched = crawl(browser, site)
    assert watched.dialogs == []
    assert watched.errors == []
    page = watched.page
    for c in eco.components:
        page.goto((site / Pages().component(c.id)).resolve().as_uri())
        assert page.locator("h1").inner_text() == c.label.replace("\n", " ").strip() or (
            page.locator("h1").text_content() == c.label
        )
        assert page.title().endswith(f"· {eco.name}")
        scripts = page.eval_on_selector_all("script", "els => els.map(e => e.src)")
        assert all(s.endswith("assets/site.js") for s in scripts)
    page.goto((site / "index.html").resolve().as_uri())
    labels = _search(page, "<script>alert(1)")
    assert any("<script>alert(1)</script>" in label for label in labels)
    assert watched.dialogs == []
    watched.close()


def test_explore_click_highlights_the_neighbourhood(browser: Any, tmp_path: Path) -> None:
    eco = lm.example()
    site = build_site(eco, tmp_path / "site").path
    watched = Watched(browser)
    page = watched.page
    page.goto((site / "explore.html").resolve().as_uri())
    ids = [c.id for c in eco.components]
    at = ids.index("distributed-db")
    page.click(f"button.card-c[data-i='{at}']")
    near = {
        ids[int(i)]
        for i in page.eval_on_selector_all(
            "button.card-c.near", "els => els.map(e => e.getAttribute('data-i'))"
        )
    }
    direct = {d.target for d in eco.component("distributed-db").depends_on} | set(
        eco.dependents("distributed-db")
    )
    assert near == direct
    assert page.locator("button.card-c.sel").count() == 1
    assert "Distributed databases" in page.locator("#explore-panel h3").inner_text()
    assert page.url.endswith("#c=distributed-db")
    # A component page links to it on Explore, highlighted.
    page.goto((site / "components" / "vms.html").resolve().as_uri())
    page.click("text=Show in Explore")
    page.wait_for_selector("button.card-c.sel")
    assert page.locator("button.card-c.sel").inner_text() == eco.component("vms").label
    assert watched.errors == []
    watched.close()


# -- serve ---------------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    pytest.importorskip("watchfiles", reason="layermodel serve needs watchfiles")
    model = tmp_path / "model.yaml"
    model.write_text((EXAMPLES / "google" / "model.yaml").read_text(encoding="utf-8"))
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    # Ctrl-C must reach serve as in a terminal, even when the tests themselves run as a
    # background job (`make test &`), which starts them with SIGINT ignored, and an
    # ignored signal stays ignored in every child: with a handler installed here for
    # the moment of the start, the child begins with the default disposition instead.
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "layermodel", "serve", str(model), "--port", "0"],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    assert process.stderr is not None
    url = None
    deadline = time.monotonic() + 60
    while url is None and time.monotonic() < deadline:
        line = process.stderr.readline()
        found = re.search(r"serving (http://\S+/)", line)
        if found:
            url = found.group(1)
    assert url is not None, "serve did not start"
    try:
        yield url, model, process
    finally:
        if process.poll() is None:
            process.send_signal(2)  # SIGINT, as Ctrl-C
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _save(path: Path, text: str) -> None:
    """Save as an editor does: a new file renamed over the old."""
    scratch = path.with_suffix(".tmp~")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(path)


def test_serve_redraws_within_a_second_and_shows_a_broken_save(
    browser: Any, served: tuple[str, Path, subprocess.Popen[str]]
) -> None:
    url, model, process = served
    watched = Watched(browser)
    page = watched.page
    page.goto(url + "products/search.html")
    assert page.locator("h1").inner_text() == "Google Search"
    text = model.read_text(encoding="utf-8")
    # The fastest of three saves (another job on the machine only adds time).
    times = []
    for name in ("Google Find", "Google Seek", "Google Find"):
        started = time.monotonic()
        _save(model, text.replace("name: Google Search", f"name: {name}"))
        page.wait_for_function(
            f"() => document.querySelector('h1') && document.querySelector('h1').textContent === '{name}'",
            timeout=10000,
            polling=20,
        )
        times.append(time.monotonic() - started)
        time.sleep(2.5)  # the build with the drawings follows
    if min(times) > 1.0:
        process.send_signal(2)
        _out, log = process.communicate(timeout=10)
        pytest.fail(f"the page took {times} s to show the change; serve said:\n{log}")
    # A broken save: the page lists the problem at its line.
    broken = text.replace("layer: algorithms", "layer: nowhere-layer", 1)
    line = broken[: broken.index("nowhere-layer")].count("\n") + 1
    _save(model, broken)
    page.wait_for_selector("#live-problems", timeout=5000)
    problems = page.locator("#live-problems li").all_inner_texts()
    assert any(f"model.yaml:{line}" in p and "nowhere-layer" in p for p in problems), problems
    # Fixed again: back to the site.
    _save(model, text)
    page.wait_for_function(
        "() => document.querySelector('h1') && document.querySelector('h1').textContent === 'Google Search'",
        timeout=5000,
    )
    assert watched.errors == []
    watched.close()
    process.send_signal(2)
    assert process.wait(timeout=10) == 130


def test_serve_answers_only_loopback_hosts(served: tuple[str, Path, subprocess.Popen[str]]) -> None:
    import urllib.error
    import urllib.request

    url, _model, _process = served
    with urllib.request.urlopen(url + "__layermodel__/version") as answer:
        assert answer.read().decode().strip().isdigit()
    request = urllib.request.Request(url, headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert caught.value.code == 403
