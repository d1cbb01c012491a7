"""The interactive HTML page, read back with Python's HTML parser: escaping, the JSON
island, the Content-Security-Policy, the legend and determinism. The page's behaviour
in a real browser is tested in test_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

import layermodel as lm
from layermodel.diagrams.html import clean_text, json_for_script, to_html
from layermodel.diagrams.scene import MatrixScene, Scene, build_scene
from layermodel.diagrams.theme import reuse_level
from tests.browser.models import hostile

VOID = {"meta", "input", "br", "img", "link", "hr", "area", "base", "col", "embed", "source", "wbr"}
# Every element the page itself writes; anything else would come from the model.
OUR_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "div", "h1", "h2", "h3", "p",
    "label", "select", "option", "input", "span", "button", "main", "svg", "defs", "marker",
    "path", "g", "section", "i", "aside", "ul", "li", "noscript", "script", "table", "thead",
    "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip


@dataclass
class El:
    tag: str
    attrs: dict[str, str]
    children: list[El | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):  # type: ignore[no-untyped-def]
        yield self
        for c in self.children:
            if isinstance(c, El):
                yield from c.iter()

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = El("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = El(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(El(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> El:
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert tree.stack == [tree.root], "every element is closed"
    return tree.root


def page_of(eco: lm.Ecosystem, view: str) -> tuple[Scene | MatrixScene, str, El]:
    scene = build_scene(eco, view)
    page = to_html(scene)
    return scene, page, parse(page)


def all_views(eco: lm.Ecosystem) -> list[str]:
    return (
        ["ecosystem", "matrix"]
        + [f"product:{p.id}" for p in eco.products]
        + [f"impact:{c.id}" for c in eco.components]
    )


# -- helpers ---------------------------------------------------------------------------


def test_json_for_script_escapes_markup_and_separators() -> None:
    data = {"a": "</script><!-- & \u2028\u2029 >"}
    out = json_for_script(data)
    assert not set(out) & set("<>&\u2028\u2029")
    assert json.loads(out) == data


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_for_script_round_trips(data: object) -> None:
    out = json_for_script(data)
    assert "<" not in out and "&" not in out
    assert json.loads(out) == json.loads(json.dumps(data))


def test_clean_text() -> None:
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("nul\x00 bell\x07 del\x7f") == "nul\u2400 bell\u2407 del\u2421"
    assert clean_text("tab\tok\nline") == "tab\tok\nline"
    assert clean_text("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert clean_text("<b>&amp;</b> 東京 🚀") == "<b>&amp;</b> 東京 🚀"


def test_reuse_levels() -> None:
    # The theme's one scale: none, one product, fewer than half, half or more, all.
    assert [reuse_level(r, 3) for r in range(4)] == [0, 1, 3, 4]
    assert [reuse_level(r, 10) for r in (1, 2, 3, 5, 9, 10)] == [1, 2, 2, 3, 3, 4]
    assert [reuse_level(r, 1) for r in range(2)] == [0, 1]
    assert reuse_level(0, 0) == 0


# -- the page --------------------------------------------------------------------------


def cards(root: El) -> dict[str, El]:
    return {el.attrs["data-id"]: el for el in root.iter() if "card" in el.classes()}


def name_of(card: El) -> str:
    return next(c for c in card.iter() if "name" in c.classes()).text()


def test_google_ecosystem_page() -> None:
    eco = lm.example()
    scene, _page, root = page_of(eco, "ecosystem")
    assert isinstance(scene, Scene)
    found = cards(root)
    assert set(found) == {c.id for c in eco.components}
    for c in eco.components:
        assert name_of(found[c.id]) == c.label
        tip = found[c.id].attrs["title"]
        assert tip.startswith(f"{c.label} ({c.id})")
        assert "Owner: " + (c.owner or "—") in tip
        assert "Products (" in tip
    # Bands in layer order, each holding its own layer's components in scene order.
    bands = [el for el in root.iter() if "band" in el.classes() and el.attrs.get("data-band")]
    assert [b.attrs["data-band"] for b in bands] == [layer.id for layer in eco.layers]
    for band, scene_band in zip(bands, scene.bands, strict=True):
        assert [el.attrs["data-id"] for el in band.iter() if "card" in el.classes()] == list(
            scene_band.nodes
        )
    products = [el.attrs["data-product"] for el in root.iter() if "product" in el.classes()]
    assert products == [p.id for p in eco.products]
    options = [el.attrs["value"] for el in root.iter() if el.tag == "option"]
    assert options == ["", *products]
    assert any(el.attrs.get("id") == "search" for el in root.iter())
    # Reuse shading: the shared infrastructure is darkest.
    assert "reuse-4" in found["distributed-db"].classes()
    assert "reuse-1" in found["logo"].classes()
    assert "src-build" in found["logo"].classes()


def test_legend_covers_every_encoding() -> None:
    _, _, root = page_of(lm.example(), "impact:distributed-db")
    legend = next(el for el in root.iter() if "legend" in el.classes())
    text = legend.text()
    for words in (
        "Impact", "the failing component", "fails with it (required dependency)",
        "unaffected", "Border: sourcing", "build", "Arrows: depends on", "required",
        "optional (failure does not spread)", "carries the failure", "Dots: products",
        "Google Search", "product uses component", "selected", "what it depends on",
        "what depends on it", "search match",
    ):  # fmt: skip
        assert words in text
    # The Google example builds everything and breaks no layering rule: the legend
    # shows neither the other sourcings nor violations.
    for words in ("external API", "open source", "layering violation"):
        assert words not in text


def test_json_island_matches_the_scene() -> None:
    eco = lm.example()
    scene, _, root = page_of(eco, "impact:distributed-db")
    assert isinstance(scene, Scene)
    island = next(el for el in root.iter() if el.attrs.get("id") == "scene-data")
    assert island.attrs["type"] == "application/json"
    data = json.loads(island.text())
    assert data["focus"] == "distributed-db"
    assert [e[:2] for e in data["edges"]] == [[e.source, e.target] for e in scene.edges]
    assert {k: v["emphasis"] for k, v in data["nodes"].items()} == {
        k: n.emphasis for k, n in scene.nodes.items()
    }


def test_no_network_and_a_strict_csp() -> None:
    for view in ("ecosystem", "matrix"):
        _, page, root = page_of(lm.example(), view)
        csp = next(
            el.attrs["content"]
            for el in root.iter()
            if el.tag == "meta" and el.attrs.get("http-equiv") == "Content-Security-Policy"
        )
        assert "default-src 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "connect-src 'none'" in csp and "base-uri 'none'" in csp
        # The hashes are those of the page's own style and script.
        for tag, directive in (("style", "style-src"), ("script", "script-src")):
            bodies = [el.text() for el in root.iter() if el.tag == tag and "type" not in el.attrs]
            allowed = re.search(directive + r" ([^;]+)", csp).group(1)  # type: ignore[union-attr]
            if not bodies:
                assert allowed == "'none'"
            for body in bodies:
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                assert allowed == f"'sha256-{digest}'"
        # Nothing that loads anything.
        for el in root.iter():
            assert el.tag not in {"link", "img", "iframe", "object", "embed"}
            assert "src" not in el.attrs and "href" not in el.attrs
        bare = page.replace("http://www.w3.org/2000/svg", "")  # a namespace name, not a load
        assert "http://" not in bare and "https://" not in bare
        assert "@import" not in page and "url(" not in page.replace("url(#arrow-", "")


@pytest.mark.parametrize("view", all_views(hostile()))
def test_hostile_names_inject_nothing(view: str) -> None:
    eco = hostile()
    scene, page, root = page_of(eco, view)
    tags = {el.tag for el in root.iter()} - {"#root"}
    assert tags <= OUR_TAGS
    scripts = [el for el in root.iter() if el.tag == "script"]
    assert len(scripts) <= 2
    for el in root.iter():
        assert not any(a.startswith("on") for a in el.attrs), el
    assert page.count("</script>") == len(scripts)
    title = next(el for el in root.iter() if el.tag == "title")
    assert title.text() == clean_text(scene.title)
    if isinstance(scene, MatrixScene):
        headers = {
            el.attrs["data-id"]: el.text()
            for el in root.iter()
            if el.tag == "th" and "col" in el.classes()
        }
        assert headers == {cid: clean_text(label) for cid, label in scene.labels.items()}
        return
    found = cards(root)
    assert set(found) == set(scene.nodes)
    for cid, node in scene.nodes.items():
        assert name_of(found[cid]) == node.label
        for el in found[cid].iter():
            assert el.tag in {"div", "span", "i"}
    island = next(el for el in root.iter() if el.attrs.get("id") == "scene-data")
    data = json.loads(island.text())
    assert {k: v["label"] for k, v in data["nodes"].items()} == {
        k: n.label for k, n in scene.nodes.items()
    }
    bands = [el for el in root.iter() if "band-name" in el.classes()]
    assert [b.text() for b in bands] == ["Products"] * bool(scene.products) + [
        b.label for b in scene.bands
    ]


def test_matrix_page() -> None:
    eco = lm.example()
    scene, page, root = page_of(eco, "matrix")
    assert isinstance(scene, MatrixScene)
    rows = [el for el in root.iter() if el.tag == "tr" and "data-product" in el.attrs]
    assert [r.attrs["data-product"] for r in rows] == [p.id for p in eco.products]
    groups = [el.text() for el in root.iter() if "group" in el.classes()]
    assert groups == [layer.label for layer in eco.layers]
    for row in rows:
        pid = row.attrs["data-product"]
        for td in (el for el in row.iter() if el.tag == "td"):
            use = scene.cells.get((pid, td.attrs["data-id"]), 0)
            assert f"use-{use}" in td.classes()
    assert "Uses it directly" in page and "through other components" in page
    assert "<script>" not in page


def test_deterministic() -> None:
    for factory in (lm.example, hostile):
        for view in all_views(factory())[:5]:
            assert to_html(build_scene(factory(), view)) == to_html(build_scene(factory(), view))


def test_control_characters_are_made_visible() -> None:
    b = lm.Builder("Ctl")
    b.component("a", "bell\x07 nul\x00", layer="ui", owner="o\x1b")
    eco = b.build()
    _, page, root = page_of(eco, "ecosystem")
    assert name_of(cards(root)["a"]) == "bell\u2407 nul\u2400"
    assert "\x00" not in page and "\x07" not in page and "\x1b" not in page
