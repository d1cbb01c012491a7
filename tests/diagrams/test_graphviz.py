"""Graphviz diagrams: bands by construction, escaping, determinism, errors."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings

import layermodel as lm
from layermodel.diagrams.api import Diagram, render
from layermodel.diagrams.dot import GraphvizError, GraphvizMissing, run_graphviz
from layermodel.diagrams.dot.syntax import esc_string, html
from layermodel.diagrams.scene import ViewError, build_scene
from tests.diagrams.svg_geometry import geometry
from tests.strategies import ecosystems

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")

VIEWS = ("product:search", "ecosystem", "impact:distributed-db", "matrix")


def check_bands(eco: lm.Ecosystem, svg: str, shown: set[str] | None = None) -> None:
    """Every layer with a drawn component has one cluster named by its id; clusters
    are stacked in layer order without overlapping; every component's node is named
    by its id and lies inside its own layer's cluster."""
    clusters, nodes = geometry(svg)
    drawn = shown if shown is not None else {c.id for c in eco.components}
    layers = [
        layer.id
        for layer in eco.layers
        if any(c.layer == layer.id and c.id in drawn for c in eco.components)
    ]
    assert {name for name in clusters if name != "cluster__products"} == {
        f"cluster_{layer}" for layer in layers
    }
    tops = [clusters[f"cluster_{layer}"] for layer in layers]
    for upper, lower in pairwise(tops):
        assert upper.bottom < lower.top, "bands overlap or are out of layer order"
    if "cluster__products" in clusters and tops:
        assert clusters["cluster__products"].bottom < tops[0].top
    for component in eco.components:
        if component.id not in drawn:
            continue
        assert component.id in nodes, f"{component.id} not drawn"
        assert clusters[f"cluster_{component.layer}"].contains(nodes[component.id]), (
            f"{component.id} is outside its band {component.layer}"
        )


@needs_dot
@pytest.mark.parametrize("view", ["product:search", "ecosystem", "impact:distributed-db"])
def test_google_views_have_bands_in_order(view: str) -> None:
    eco = lm.example()
    diagram = render(eco, view)
    scene = diagram.scene
    check_bands(eco, diagram.svg(), set(scene.nodes))  # type: ignore[union-attr]


@needs_dot
@settings(max_examples=25)
@given(ecosystems(max_components=14, max_products=4))
def test_bands_hold_on_random_models(eco: lm.Ecosystem) -> None:
    check_bands(eco, render(eco, "ecosystem").svg())


@needs_dot
def test_wide_layer_wraps_into_rows_inside_its_band() -> None:
    b = lm.Builder("Wide")
    with b.layer("ui"):
        app = b.component("app")
    with b.layer("infrastructure"):
        parts = [b.component(f"service-number-{i:03d}") for i in range(120)]
    b.depend(app, *parts)
    b.product("shop", uses=[app])
    eco = b.build()
    diagram = render(eco, "ecosystem")
    svg = diagram.svg()
    check_bands(eco, svg)
    _, nodes = geometry(svg)
    xs = {round(nodes[p.id].top) for p in eco.components if p.layer == "infrastructure"}
    assert len(xs) > 1, "a 120-component layer should wrap onto several rows"
    width = float(ET.fromstring(svg).get("width", "0pt").removesuffix("pt"))
    assert width < 30 * 72, f"picture is {width / 72:.0f} inches wide"


@needs_dot
def test_layers_without_edges_keep_their_order() -> None:
    eco = lm.Ecosystem(
        name="Loose",
        layers=[lm.Layer(id=i) for i in ("top", "middle", "bottom")],
        components=[
            lm.Component(id="z-bottom", layer="bottom"),
            lm.Component(id="a-top", layer="top"),
            lm.Component(id="m-middle", layer="middle"),
        ],
    )
    check_bands(eco, render(eco, "ecosystem").svg())


def test_dot_names_nodes_by_id_and_clusters_by_layer_id() -> None:
    eco = lm.example()
    dot = render(eco, "ecosystem", "dot").source
    for component in eco.components:
        assert f'"{component.id}" [' in dot
    for layer in eco.layers:
        assert f'subgraph "cluster_{layer.id}" {{' in dot
    assert "newrank=" in dot and "rank=same" in dot


def test_dot_is_deterministic() -> None:
    eco = lm.example()
    for view in VIEWS:
        first = render(eco, view, "dot").source
        again = render(lm.loads(lm.dumps(eco)), view, "dot").source
        assert first == again


def test_violations_are_red_dashed_and_do_not_constrain_ranks() -> None:
    b = lm.Builder("Broken")
    with b.layer("ui"):
        app = b.component("app")
    with b.layer("hardware"):
        box = b.component("box")
    b.depend(box, app)  # upward
    b.depend(app, box)
    b.product("p", uses=[app])
    dot = render(b.build(), "ecosystem", "dot").source
    line = next(x for x in dot.splitlines() if x.strip().startswith('"box" -> "app"'))
    assert "dashed" in line and "#d1242f" in line and 'constraint="false"' in line
    assert "violation upward" in line


HOSTILE = [
    'quote " and \\ backslash',
    "<script>alert(1)</script>",
    "Tom & Jerry &amp; co",
    "{braces} [brackets] |pipe| <port>",
    "two\nlines",
    "naïve café – 東京 🚀",
    "trailing backslash \\",
    "\\N \\G \\L escapes",
    "]]> </svg> <!-- -->",
]


def hostile_model() -> lm.Ecosystem:
    return lm.Ecosystem(
        name='Hostile <b>&</b> "model"',
        components=[
            lm.Component(
                id=f"c{i}",
                name=name,
                layer=("ui", "infrastructure")[i % 2],
                owner=name,
                description=name * 3,
                depends_on=[f"c{i + 1}"] if i + 1 < len(HOSTILE) else [],
            )
            for i, name in enumerate(HOSTILE)
        ],
        products=[lm.Product(id="p", name=HOSTILE[1], uses=["c0"])],
    )


@needs_dot
@pytest.mark.parametrize("view", ["ecosystem", "impact:c3", "product:p", "matrix"])
def test_hostile_names_render_as_text(view: str) -> None:
    eco = hostile_model()
    svg = render(eco, view).svg()
    root = ET.fromstring(svg)  # well-formed
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for name in ("<script>alert(1)</script>", "Tom & Jerry &amp; co", "naïve café – 東京"):
        assert name in texts
    for name in ("\\N \\G \\L escapes", "trailing backslash \\", 'quote " and \\'):
        assert name in texts, name
    tips = " ".join(v for e in root.iter() for k, v in e.attrib.items() if k.endswith("title"))
    assert "trailing backslash \\" in tips
    if view != "matrix":
        assert 'quote " and \\ backslash' in tips
        assert "trailing backslash \\" in tips
        assert "\\N \\G \\L escapes" in tips


@needs_dot
def test_long_text_is_split_for_the_dot_lexer() -> None:
    eco = lm.Ecosystem(
        name="Long",
        components=[lm.Component(id="a", layer="ui", description="x" * 40_000)],
    )
    svg = render(eco, "ecosystem").svg()
    assert "x" * 40_000 in svg


def test_escaping_helpers() -> None:
    assert html('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    assert html("a\nb") == "a<BR/>b"
    assert html("\x07") == " "
    assert html("\\N") == "\\\\N"
    assert html("]") == "&#93;"
    assert esc_string('a"b\\c\nd<&') == '"a&quot;b\\\\\\\\c\\nd&lt;&amp;"'


def test_unknown_view_names_the_choices() -> None:
    with pytest.raises(ViewError, match=r"unknown view 'produkt:search'.*did you mean 'product'"):
        build_scene(lm.example(), "produkt:search")
    with pytest.raises(ViewError, match=r"no product 'serch'.*did you mean 'search'"):
        build_scene(lm.example(), "product:serch")
    with pytest.raises(ViewError, match=r"no component 'db'"):
        build_scene(lm.example(), "impact:db")
    with pytest.raises(ViewError, match=r"needs an id"):
        build_scene(lm.example(), "impact")
    with pytest.raises(ViewError, match=r"no component matches"):
        build_scene(lm.example(), "ecosystem", tags=["nope"])


def test_filters_keep_only_matching_components() -> None:
    eco = lm.example()
    scene = build_scene(eco, "ecosystem", layers=["infrastructure", "hardware"])
    assert {n.layer for n in scene.nodes.values()} == {"infrastructure", "hardware"}  # type: ignore[union-attr]
    scene = build_scene(eco, "ecosystem", owners=["search-quality"])
    assert {n.id for n in scene.nodes.values()} == {  # type: ignore[union-attr]
        c.id for c in eco.components if c.owner == "search-quality"
    }
    assert all(e.source in scene.nodes and e.target in scene.nodes for e in scene.edges)  # type: ignore[union-attr]


def test_impact_view_marks_the_blast_radius() -> None:
    eco = lm.example()
    scene = build_scene(eco, "impact:distributed-db")
    from layermodel.analysis import blast_radius

    blast = set(blast_radius(eco, "distributed-db").components)
    emphasis = {n.id: n.emphasis for n in scene.nodes.values()}  # type: ignore[union-attr]
    assert emphasis["distributed-db"] == "focus"
    assert {k for k, v in emphasis.items() if v == "hit"} == blast
    assert {k for k, v in emphasis.items() if v == "faded"} == set(emphasis) - blast - {
        "distributed-db"
    }


def test_missing_graphviz_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    diagram = render(lm.example(), "ecosystem")
    with pytest.raises(GraphvizMissing, match=r"apt-get install graphviz"):
        diagram.svg()
    assert diagram.pipe("dot").startswith(b"//")  # DOT still works
    bundle = diagram._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "text/plain" in bundle
    assert bundle["text/html"].startswith("<iframe srcdoc=")
    assert "<script" not in bundle["text/html"]  # the page is escaped inside srcdoc


@needs_dot
def test_layout_timeout_suggests_a_focused_view(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object, **kwargs: object) -> None:
        raise subprocess.TimeoutExpired(cmd="dot", timeout=0.01)

    monkeypatch.setattr(subprocess, "run", slow)
    with pytest.raises(GraphvizError, match=r"within 0.01 s.*focused view"):
        run_graphviz("digraph {}", "svg", timeout=0.01, nodes=5000)


@needs_dot
def test_save_picks_the_format_from_the_suffix(tmp_path: Path) -> None:
    diagram = render(lm.example(), "product:search")
    for suffix, magic in (
        (".svg", b"<?xml"),
        (".png", b"\x89PNG"),
        (".pdf", b"%PDF"),
        (".dot", b"//"),
    ):
        path = diagram.save(tmp_path / f"search{suffix}")
        assert path.read_bytes().startswith(magic)


@needs_dot
def test_jupyter_bundle_has_svg() -> None:
    diagram = render(lm.example(), "product:search")
    bundle = diagram._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert isinstance(diagram, Diagram)


def test_matrix_cells_follow_footprints() -> None:
    eco = lm.example()
    scene = build_scene(eco, "matrix")
    from layermodel.analysis.footprint import footprints

    prints = footprints(eco)
    for product in eco.products:
        for component in eco.components:
            use = scene.cells.get((product.id, component.id), 0)  # type: ignore[union-attr]
            assert (use > 0) == (component.id in prints[product.id])
            assert (use == 2) == (component.id in product.uses)


def test_empty_model_renders() -> None:
    eco = lm.Ecosystem(name="Empty")
    dot = render(eco, "ecosystem", "dot").source
    assert dot.count("{") == dot.count("}")
    if shutil.which("dot"):
        assert re.search(r"<svg", render(eco, "ecosystem").svg())


@needs_dot
def test_ecosystem_displays_inline_in_jupyter() -> None:
    bundle = lm.example()._repr_mimebundle_()
    assert bundle["text/plain"] == "Ecosystem 'Google': 4 layers, 20 components, 3 products"
    assert "cluster_infrastructure" in bundle["image/svg+xml"]


def test_large_ecosystem_is_summarised_not_drawn_inline() -> None:
    eco = lm.Ecosystem(
        name="Big", components=[lm.Component(id=f"c{i}", layer="ui") for i in range(501)]
    )
    bundle = eco._repr_mimebundle_()
    assert set(bundle) == {"text/plain"} and "render('product:ID')" in bundle["text/plain"]


def test_docs_images_are_current() -> None:
    import runpy

    from tests.conftest import REPO

    generate = runpy.run_path(str(REPO / "docs" / "images" / "generate.py"))
    assert generate["main"](["--check"]) == 0, "run: python docs/images/generate.py"


@needs_dot
def test_write_gallery_writes_dot_and_png_and_checks_them(tmp_path: Path) -> None:
    from layermodel.diagrams import write_gallery

    eco = lm.example()
    diagrams = {"search": eco.render("product:search"), "matrix": eco.render("matrix")}
    assert write_gallery(diagrams, tmp_path, check=True) == [
        tmp_path / "search.dot",
        tmp_path / "matrix.dot",
    ]
    written = write_gallery(diagrams, tmp_path)
    assert {p.name for p in written} == {"search.dot", "search.png", "matrix.dot", "matrix.png"}
    assert (tmp_path / "search.png").read_bytes().startswith(b"\x89PNG")
    assert write_gallery(diagrams, tmp_path, check=True) == []
    (tmp_path / "matrix.dot").write_text("stale", encoding="utf-8")
    assert write_gallery(diagrams, tmp_path, check=True) == [tmp_path / "matrix.dot"]


def test_product_view_tooltips_name_every_user_by_its_name() -> None:
    dot = render(lm.example(), "product:search", "dot").source
    line = next(x for x in dot.splitlines() if x.strip().startswith('"vms" ['))
    assert "Products (3): Google Search, Google Docs, Google Maps" in line


@needs_dot
def test_a_closing_bracket_right_after_a_tag_renders() -> None:
    # Graphviz's HTML-label lexer refused "<B>]</B>" (a model named "]").
    b = lm.Builder("]")
    b.component("x", layer="infrastructure", name="]")
    b.product("p", uses=["x"], name="]")
    for view in ("ecosystem", "matrix"):
        assert "<svg" in render(b.build(), view).svg()


def test_a_filtered_view_counts_what_it_shows_in_its_subtitle() -> None:
    eco = lm.example()
    ui = [c.id for c in eco.components if c.layer == "ui"]
    whole = build_scene(eco, "ecosystem")
    kept = build_scene(eco, "ecosystem", layers=["ui"])
    assert whole.subtitle == f"Ecosystem view: 3 products, {len(eco.components)} components"
    assert kept.subtitle.startswith(f"Ecosystem view: 3 products, {len(ui)} components; filtered")
    search = build_scene(eco, "product:search", layers=["hardware"])
    assert search.subtitle.startswith("Product view of Google: the 2 components it uses; filtered")
    impact = build_scene(eco, "impact:vms", layers=["infrastructure"])
    failing = [c.id for c in eco.components if c.layer == "infrastructure"]
    assert impact.subtitle.startswith(
        f"Impact view of Google: {len(failing)} components and 3 of 3"
    )
