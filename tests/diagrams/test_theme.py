"""One theme for every format: for every component of a random model, the SVG (drawn
by Graphviz from the DOT), the HTML page and the Mermaid text give it the same reuse
level and fill, the same sourcing border and the same sourcing label, all as
``layermodel.diagrams.theme`` defines them. Each format is read back in its own syntax
(SVG attributes, the page's classes and CSS custom properties, Mermaid classDefs)."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import layermodel as lm
from layermodel.diagrams.html import to_html
from layermodel.diagrams.mermaid import mermaid_id, to_mermaid
from layermodel.diagrams.scene import Scene, build_scene
from layermodel.diagrams.theme import (
    EMPHASIS,
    REUSE_SHADES,
    SOURCING,
    reuse_legend,
    reuse_level,
    sourcing,
)
from tests.strategies import ecosystems

HAVE_DOT = shutil.which("dot") is not None
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


@dataclass(frozen=True)
class Look:
    """What a format shows of one component."""

    level: str  # "reuse-N" or "emph-NAME"
    fill: str
    border: str  # solid, double, dashed or dotted


def expected(scene: Scene) -> dict[str, Look]:
    looks = {}
    for cid, node in scene.nodes.items():
        if scene.focus is not None:
            level, fill = f"emph-{node.emphasis}", EMPHASIS[node.emphasis].fill
        else:
            step = reuse_level(node.reuse, scene.product_count)
            level, fill = f"reuse-{step}", REUSE_SHADES[step].fill
        looks[cid] = Look(level, fill.lower(), sourcing(node.sourcing).border)
    return looks


# -- SVG --------------------------------------------------------------------------------


def svg_looks(svg: str) -> tuple[dict[str, Look], dict[str, str]]:
    """Each component's look, and its tooltip, from Graphviz's SVG."""
    looks, tips = {}, {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        classes = g.get("class", "").split()
        if "component" not in classes:
            continue
        cid = g.findtext(f"{SVG}title")
        assert cid is not None
        anchor = g.find(f".//{SVG}a")
        assert anchor is not None
        shapes = [el for el in anchor if el.tag in (f"{SVG}path", f"{SVG}polygon")]
        dashes = shapes[0].get("stroke-dasharray")
        border = (
            "double"
            if len(shapes) == 2
            else {None: "solid", "5,2": "dashed", "1,5": "dotted"}[dashes]
        )
        emphasis = [c for c in classes if c in EMPHASIS]
        reuse = next(c for c in classes if c.startswith("reuse-"))
        level = f"emph-{emphasis[0]}" if emphasis else reuse
        fill = shapes[0].get("fill", "")
        looks[cid] = Look(level, fill.lower(), border)
        tips[cid] = anchor.get(f"{XLINK}title", "")
    return looks, tips


# -- HTML -------------------------------------------------------------------------------


class Cards(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: dict[str, tuple[list[str], str]] = {}
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "style":
            self._in_style = True
        elif tag == "div" and "card" in values.get("class", "").split():
            self.cards[values["data-id"]] = (values["class"].split(), values["title"])

    def handle_endtag(self, tag: str) -> None:
        self._in_style = self._in_style and tag != "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def css_vars(style: str, selector: str) -> dict[str, str]:
    """The custom properties one rule of the page's style sets, e.g. ``.reuse-2``."""
    found: dict[str, str] = {}
    for body in re.findall(re.escape(selector) + r"\{([^}]*)\}", style):
        for name, value in re.findall(r"(--[\w-]+):([^;]+)", body):
            found[name] = value.strip()
    return found


def html_looks(page: str) -> tuple[dict[str, Look], dict[str, str]]:
    parser = Cards()
    parser.feed(page)
    root = css_vars(parser.style, ":root")
    looks, tips = {}, {}
    for cid, (classes, tip) in parser.cards.items():
        emphasis = [c for c in classes if c.startswith("emph-")]
        if emphasis:
            level = emphasis[0]
            fill = root[f"--{level.removeprefix('emph-')}-fill"]
        else:
            level = next(c for c in classes if c.startswith("reuse-"))
            fill = css_vars(parser.style, "." + level)["--fill"]
        src = next(c for c in classes if c.startswith("src-"))
        border = css_vars(parser.style, "." + src).get("--bs", root["--bs"])
        looks[cid] = Look(level, fill.lower(), border)
        tips[cid] = tip
    return looks, tips


# -- Mermaid ----------------------------------------------------------------------------


def mermaid_looks(text: str, scene: Scene) -> dict[str, Look]:
    defs = dict(re.findall(r"^\s*classDef (\S+) (\S+(?: \S+)*)$", text, flags=re.M))
    classes: dict[str, list[str]] = {}
    for ids, name in re.findall(r"^\s*class (\S+) (\S+)$", text, flags=re.M):
        for i in ids.split(","):
            classes.setdefault(i, []).append(name)
    looks = {}
    for cid in scene.nodes:
        names = classes[mermaid_id("c_", cid)]
        fill_class = next(n for n in names if n.startswith(("reuse", "emph_")))
        src_class = next(n for n in names if n.startswith("src_"))
        fill = re.search(r"fill:(#[0-9a-fA-F]{6})", defs[fill_class])
        assert fill is not None
        stroke = defs[src_class]
        dash = re.search(r"stroke-dasharray:([\d ]+)", stroke)
        if dash:
            border = {"8 4": "dashed", "2 3": "dotted"}[dash.group(1).strip()]
        else:  # Mermaid draws one line: a double border is the thick one
            border = "double" if "stroke-width:3px" in stroke else "solid"
        level = (
            "emph-" + fill_class.removeprefix("emph_")
            if fill_class.startswith("emph_")
            else "reuse-" + fill_class.removeprefix("reuse")
        )
        looks[cid] = Look(level, fill.group(1).lower(), border)
    return looks


# -- the property -----------------------------------------------------------------------


def check_agreement(eco: lm.Ecosystem, view: str) -> None:
    scene = build_scene(eco, view)
    assert isinstance(scene, Scene)
    want = expected(scene)
    html, html_tips = html_looks(to_html(scene))
    assert html == want
    assert mermaid_looks(to_mermaid(scene), scene) == want
    label = {cid: sourcing(node.sourcing).label for cid, node in scene.nodes.items()}
    for cid, tip in html_tips.items():
        assert f"Sourcing: {label[cid]}" in tip
    if HAVE_DOT:
        svg, svg_tips = svg_looks(lm.render(eco, view).svg())
        assert svg == want
        for cid, tip in svg_tips.items():
            assert f"Sourcing: {label[cid]}" in tip


@settings(
    max_examples=25 if HAVE_DOT else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(eco=ecosystems(max_components=10, max_products=5), data=st.data())
def test_every_format_draws_every_component_as_the_theme_says(
    eco: lm.Ecosystem, data: st.DataObject
) -> None:
    views = ["ecosystem"]
    if eco.components:
        focus = data.draw(st.sampled_from([c.id for c in eco.components]))
        views.append(f"impact:{focus}")
    if eco.products:
        views.append(f"product:{data.draw(st.sampled_from([p.id for p in eco.products]))}")
    for view in views:
        check_agreement(eco, view)


def test_the_google_example_agrees() -> None:
    eco = lm.example()
    for view in ("ecosystem", "product:search", "impact:distributed-db"):
        check_agreement(eco, view)


def test_every_sourcing_and_reuse_level_is_drawn() -> None:
    b = lm.Builder("All")
    for key in SOURCING:
        b.component(f"c-{key}", layer="infrastructure", sourcing=key)
    b.component("none", layer="infrastructure")
    # Of six products: all use c-build, four c-external-api, two c-buy, one c-open-source.
    b.product("p0", uses=[f"c-{k}" for k in SOURCING])
    for i in (1, 2):
        b.product(f"p{i}", uses=["c-build", "c-external-api"])
    for i in (3, 4):
        b.product(f"p{i}", uses=["c-build"])
    b.product("p5", uses=["c-build", "c-buy", "c-external-api"])
    eco = b.build()
    scene = build_scene(eco, "ecosystem")
    assert isinstance(scene, Scene)
    levels = {reuse_level(n.reuse, scene.product_count) for n in scene.nodes.values()}
    assert levels == {0, 1, 2, 3, 4}
    assert {sourcing(n.sourcing).border for n in scene.nodes.values()} == {
        "solid",
        "double",
        "dashed",
        "dotted",
    }
    check_agreement(eco, "ecosystem")


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7])
def test_the_legend_lists_the_levels_that_occur_in_both_formats(count: int) -> None:
    b = lm.Builder("L")
    b.component("x", layer="infrastructure")
    for i in range(count):
        b.product(f"p{i}", uses=["x"])
    eco = b.build()
    texts = dict(reuse_legend(count))
    shown = texts[reuse_level(count, count)]
    dot = lm.render(eco, "ecosystem", format="dot").source
    page = lm.render(eco, "ecosystem", format="html").source
    assert f">{shown}</FONT>" in dot
    assert f"</i>{shown}</li>" in page
    for text in texts.values():
        if text != shown:
            assert f">{text}</FONT>" not in dot and f"</i>{text}</li>" not in page
