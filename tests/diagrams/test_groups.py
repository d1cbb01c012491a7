"""Groups drawn as boxes in the bands, rollups by group/owner/layer, focus views, and
the readability of a 150-component portfolio (no edge through a node box)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import layermodel as lm
from layermodel.analysis.rollup import UNGROUPED, rollup
from layermodel.diagrams import ViewError, build_scene, render
from layermodel.diagrams.focus import neighbourhood
from layermodel.diagrams.layout import place
from layermodel.diagrams.scene import Scene
from layermodel.graph import dependency_graph
from tests.conftest import EXAMPLES, REPO
from tests.diagrams.edge_geometry import crossings, read
from tests.diagrams.svg_geometry import geometry
from tests.strategies import ecosystems

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


@cache
def portfolio(n: int = 150, seed: int = 0, products: int = 8, groups: int = 8) -> lm.Ecosystem:
    """The seeded random portfolio of the issue: 150 components, 8 products, 8 domains."""
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    doc = synthetic.generate(n, seed, products=products, groups=groups)
    return lm.loads(json.dumps(doc), "json")


def market() -> lm.Ecosystem:
    return lm.load(EXAMPLES / "image-marketplace" / "model.yaml")


def nested() -> lm.Ecosystem:
    """Groups two deep, a group spanning two layers, and components without a group."""
    return lm.Ecosystem(
        name="Nested",
        components=[
            lm.Component(id="app", layer="ui", group="Shop", depends_on=["cart", "pay"]),
            lm.Component(id="admin", layer="ui", depends_on=["risk"]),
            lm.Component(id="cart", layer="algorithms", group="Shop", depends_on=["db"]),
            lm.Component(id="pay", layer="algorithms", group="Shop/Payments", depends_on=["db"]),
            lm.Component(id="risk", layer="algorithms", group="Shop/Payments/Risk"),
            lm.Component(id="fraud", layer="algorithms", group="Shop/Payments/Risk"),
            lm.Component(id="db", layer="infrastructure"),
        ],
        products=[lm.Product(id="web", uses=["app"]), lm.Product(id="ops", uses=["admin"])],
    )


# -- groups as boxes -------------------------------------------------------------------


def expected_clusters(eco: lm.Ecosystem, shown: set[str]) -> set[str]:
    """One cluster per (layer, group path and each of its parents) that holds a
    drawn component."""
    found = set()
    for c in eco.components:
        if c.id in shown and c.group:
            parts = c.group.split("/")
            for k in range(1, len(parts) + 1):
                found.add(f"cluster_{c.layer}/group:{'/'.join(parts[:k])}")
    return found


@pytest.mark.parametrize("make", [nested, market, portfolio], ids=["nested", "market", "random"])
def test_each_group_is_a_cluster_inside_its_band_in_the_dot(make: Any) -> None:
    eco = make()
    dot = render(eco, "ecosystem", format="dot").dot
    names = set(re.findall(r'subgraph "(cluster_[^"]*/group:[^"]*)"', dot))
    assert names == expected_clusters(eco, {c.id for c in eco.components})
    # Nested groups nest: each subgroup's cluster opens inside its parent's.
    depth = 0
    open_at: dict[str, int] = {}
    for line in dot.splitlines():
        found = re.search(r'subgraph "([^"]*)"', line)
        if found:
            depth += 1
            open_at[found.group(1)] = depth
        elif line.strip().startswith("{ rank=same"):
            depth += 1
        elif line.strip() == "}":
            depth -= 1
    for name in names:
        band, _, path = name.partition("/group:")
        assert open_at[name] == 1 + path.count("/") + 1, f"{name} is not nested in {band}"


@needs_dot
@pytest.mark.parametrize("make", [nested, market, portfolio], ids=["nested", "market", "random"])
def test_group_boxes_hold_their_members_inside_their_band(make: Any) -> None:
    eco = make()
    svg = render(eco, "ecosystem").svg()
    clusters, nodes = geometry(svg)
    for c in eco.components:
        band = clusters[f"cluster_{c.layer}"]
        assert band.contains(nodes[c.id])
        if not c.group:
            continue
        parts = c.group.split("/")
        inner = nodes[c.id]
        for k in range(len(parts), 0, -1):
            box = clusters[f"cluster_{c.layer}/group:{'/'.join(parts[:k])}"]
            assert box.contains(inner), f"{c.id} outside group {'/'.join(parts[:k])}"
            assert band.contains(box)
            inner = box
    # Boxes of different groups in one band never overlap unless one holds the other.
    boxes = [(name, r) for name, r in clusters.items() if "/group:" in name]
    for name_a, a in boxes:
        for name_b, b in boxes:
            if name_a >= name_b or name_a.split("/group:")[0] != name_b.split("/group:")[0]:
                continue
            if a.contains(b) or b.contains(a):
                continue
            apart = a.right <= b.left or b.right <= a.left or a.bottom <= b.top or b.bottom <= a.top
            assert apart, f"{name_a} and {name_b} overlap"


@st.composite
def grouped_ecosystems(draw: st.DrawFn) -> lm.Ecosystem:
    """A random ecosystem whose components get random, possibly nested, groups."""
    eco = draw(ecosystems(max_components=14))
    paths = st.sampled_from(["A", "A/B", "A/B/C", "A/D", "E", "E/F", "Risk & <Co>"])
    components = [c.model_copy(update={"group": draw(st.none() | paths)}) for c in eco.components]
    return lm.Ecosystem(
        name=eco.name, layers=eco.layers, components=components, products=eco.products
    )


@settings(max_examples=60, deadline=None)
@given(eco=grouped_ecosystems())
def test_group_boxes_hold_their_members_on_random_models(eco: lm.Ecosystem) -> None:
    """In the layout itself: every group box holds its members' boxes and its
    subgroups' boxes, lies inside its band, and boxes that do not nest never overlap."""
    for view in ("ecosystem", "rollup"):
        scene = build_scene(eco, "ecosystem", rollup="group" if view == "rollup" else None)
        assert isinstance(scene, Scene)
        placed = place(scene)
        bands = {b.id: b for b in placed.bands}
        by_path = {(g.band, g.path): g for g in placed.groups}
        for g in placed.groups:
            band = bands[g.band]
            assert band.top <= g.top and g.bottom <= band.bottom
            for m in g.members:
                box = placed.boxes[m]
                assert g.left <= box.left and box.right <= g.right
                assert g.top <= box.top and box.bottom <= g.bottom
                assert scene.nodes[m].layer == g.band
            parent = g.path.rpartition("/")[0]
            if parent:
                outer = by_path[(g.band, parent)]
                assert outer.left <= g.left and g.right <= outer.right
                assert outer.top <= g.top and g.bottom <= outer.bottom
        for a in placed.groups:
            for b in placed.groups:
                if a is b or a.band != b.band:
                    continue
                if a.path.startswith(b.path + "/") or b.path.startswith(a.path + "/"):
                    continue
                apart = a.right <= b.left or b.right <= a.left
                apart = apart or a.bottom <= b.top or b.bottom <= a.top
                assert apart, (a.path, b.path)
        # Every node with a group is in that group's box; the others in none.
        inside = {m for g in placed.groups for m in g.members}
        assert inside == {nid for nid, n in scene.nodes.items() if n.group}


def test_a_model_without_groups_draws_no_group_box() -> None:
    assert "/group:" not in render(lm.example(), "ecosystem", format="dot").dot
    assert place(build_scene(lm.example(), "ecosystem")).groups == []  # type: ignore[arg-type]


# -- rollups ---------------------------------------------------------------------------


def key_of(eco: lm.Ecosystem, by: str, cid: str) -> str:
    c = eco.component(cid)
    value = {"group": c.group, "owner": c.owner, "layer": c.layer}[by]
    return f"{c.layer}:{value or UNGROUPED}"


@pytest.mark.parametrize("by", ["group", "owner", "layer"])
def test_rollup_counts_match_the_model(by: str) -> None:
    eco = portfolio()
    result = rollup(eco, by)
    members = Counter(key_of(eco, by, c.id) for c in eco.components)
    assert {n.id: n.size for n in result.nodes} == dict(members)
    pairs: Counter[tuple[str, str]] = Counter()
    inside: Counter[str] = Counter()
    for c in eco.components:
        for d in c.depends_on:
            a, b = key_of(eco, by, c.id), key_of(eco, by, d.target)
            if a == b:
                inside[a] += 1
            else:
                pairs[(a, b)] += 1
    assert {(e.source, e.target): e.count for e in result.edges} == dict(pairs)
    assert {n.id: n.internal for n in result.nodes if n.internal} == dict(inside)
    feet = lm.analysis.footprints(eco)
    for node in result.nodes:
        users = {p for p, foot in feet.items() if set(node.members) & set(foot)}
        assert set(node.products) == users


def test_rollup_scene_labels_every_arrow_with_its_count() -> None:
    eco = portfolio()
    diagram = render(eco, "ecosystem", format="dot", rollup="group")
    scene = diagram.scene
    assert isinstance(scene, Scene)
    counts = {(e.source, e.target): e.count for e in rollup(eco, "group").edges}
    drawn = {}
    for line in diagram.dot.splitlines():
        found = re.match(r'\s*"([^"]+)" -> "([^"]+)" \[.*?<TD><FONT [^>]*>(\d+)</FONT>', line)
        if found:
            drawn[(found.group(1), found.group(2))] = int(found.group(3))
    assert drawn == {pair: n for pair, n in counts.items() if n > 1}
    # Each node says how many components it holds and how many products use it.
    for node in rollup(eco, "group").nodes:
        detail = scene.nodes[node.id].detail or ""
        assert detail.startswith(f"{node.size} component")
        assert f"{len(node.products)} of 8 products" in detail or "all 8 products" in detail


def test_rollup_nodes_stay_in_their_layer_band() -> None:
    eco = portfolio()
    scene = build_scene(eco, "ecosystem", rollup="group")
    assert isinstance(scene, Scene)
    for band in scene.bands:
        for nid in band.nodes:
            assert scene.nodes[nid].layer == band.id
            assert all(eco.component(m).layer == band.id for m in scene.nodes[nid].members)
    # A group spanning the layers is one node per layer it has components in.
    for group in {c.group for c in eco.components}:
        layers = {c.layer for c in eco.components if c.group == group}
        assert {n.layer for n in scene.nodes.values() if n.id.endswith(f":{group}")} == layers


def test_rollup_of_a_product_view_counts_only_its_footprint() -> None:
    eco = market()
    scene = build_scene(eco, "product:sellers", rollup="group")
    assert isinstance(scene, Scene)
    foot = set(lm.analysis.footprints(eco)["sellers"])
    assert {m for n in scene.nodes.values() for m in n.members} == foot


def test_ungrouped_components_roll_up_per_layer() -> None:
    eco = nested()
    result = rollup(eco, "group")
    assert result.node(f"ui:{UNGROUPED}").members == ("admin",)
    assert result.node(f"infrastructure:{UNGROUPED}").members == ("db",)
    # Risk's two components depend on nothing; the payments box holds risk's box.
    scene = build_scene(eco, "ecosystem", rollup="group")
    assert isinstance(scene, Scene)
    assert scene.nodes["algorithms:Shop/Payments"].group == "Shop/Payments"
    assert scene.nodes["algorithms:Shop/Payments/Risk"].group == "Shop/Payments"


# -- focus -----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
def test_focus_is_the_undirected_ego_graph(depth: int) -> None:
    eco = portfolio()
    graph = dependency_graph(eco)
    for cid in ("ui-0000003", "algorithms-0000030", "infrastructure-0000090", "hardware-0000140"):
        ego = set(nx.ego_graph(graph, cid, radius=depth, undirected=True))
        assert neighbourhood(eco, cid, depth) == ego
        scene = build_scene(eco, "ecosystem", focus=cid, depth=depth)
        assert isinstance(scene, Scene)
        assert set(scene.nodes) == ego
        assert scene.nodes[cid].emphasis == "focus"
        assert {n.emphasis for k, n in scene.nodes.items() if k != cid} <= {"normal"}
        drawn = {(e.source, e.target) for e in scene.edges}
        assert drawn == {(u, v) for u, v in graph.edges if u in ego and v in ego}


def test_focus_keeps_only_products_that_use_the_neighbourhood() -> None:
    eco = lm.example()
    scene = build_scene(eco, "ecosystem", focus="ranking")
    assert isinstance(scene, Scene)
    assert [m.id for m in scene.products] == ["search"]


# -- bad input -------------------------------------------------------------------------


def test_bad_rollup_focus_and_depth_are_view_errors() -> None:
    eco = lm.example()
    with pytest.raises(ViewError, match="did you mean 'group'"):
        build_scene(eco, "ecosystem", rollup="grop")
    with pytest.raises(ViewError, match="did you mean 'ranking'"):
        build_scene(eco, "ecosystem", focus="rankin")
    with pytest.raises(ViewError, match="0 or more"):
        build_scene(eco, "ecosystem", focus="ranking", depth=-1)
    with pytest.raises(ViewError, match="not both"):
        build_scene(eco, "ecosystem", focus="ranking", rollup="group")
    with pytest.raises(ViewError, match="matrix view has no rollup"):
        build_scene(eco, "matrix", rollup="group")
    with pytest.raises(ViewError, match="not in this view"):
        build_scene(eco, "product:docs", focus="ranking")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "layermodel", *args], capture_output=True, text=True, check=False
    )


def test_cli_refuses_bad_rollup_focus_and_depth_with_exit_2(tmp_path: Path) -> None:
    model = EXAMPLES / "image-marketplace" / "model.yaml"
    out = tmp_path / "x.svg"
    for args, said in (
        (["--rollup", "groups"], "did you mean 'group'"),
        (["--focus", "image-delivry"], "did you mean 'image-delivery'"),
        (["--focus", "image-delivery", "--depth", "-1"], "must be 0 or more"),
        (["--depth", "2"], "--depth goes with --focus"),
    ):
        result = run("render", str(model), *args, "-o", str(out))
        assert result.returncode == 2, result.stderr
        assert said in result.stderr
        assert "Traceback" not in result.stderr
        assert not out.exists()


def test_cli_draws_a_rollup_and_a_focus_view(tmp_path: Path) -> None:
    model = EXAMPLES / "image-marketplace" / "model.yaml"
    out = tmp_path / "x.dot"
    assert run("render", str(model), "--rollup", "owner", "-o", str(out)).returncode == 0
    assert '"services:platform-team"' in out.read_text()
    result = run("render", str(model), "--focus", "cdn", "--depth", "2", "-o", str(out))
    assert result.returncode == 0, result.stderr
    near = neighbourhood(market(), "cdn", 2)
    assert set(re.findall(r'^\s+"([a-z-]+)" \[id="c-', out.read_text(), re.M)) == near


# -- readability at 150 components -----------------------------------------------------


@needs_dot
@pytest.mark.parametrize(
    "options",
    [{}, {"rollup": "group"}, {"rollup": "owner"}, {"rollup": "layer"}],
    ids=["grouped", "rollup-group", "rollup-owner", "rollup-layer"],
)
def test_no_edge_passes_through_a_node_box_at_150_components(options: dict[str, str]) -> None:
    svg = render(portfolio(), "ecosystem", **options).svg()
    boxes, curves = read(svg)
    assert len(curves) > (3 if options.get("rollup") == "layer" else 100)
    assert len(boxes) > 10
    assert crossings(svg) == []


@needs_dot
def test_the_crossing_check_sees_an_edge_through_a_node() -> None:
    """The geometry check itself: a straight edge drawn across a third node is caught,
    and the same edge routed around it is not."""
    from layermodel.diagrams.dot import run_graphviz

    def drawn(route: str) -> str:
        dot = (
            "digraph g { node [shape=box, fixedsize=true, width=1, height=0.5];"
            ' a [pos="0,300!"]; b [pos="0,150!"]; c [pos="0,0!"];'
            f' a -> c [pos="e,0,18 {route}"]; }}'
        )
        return run_graphviz(dot, "svg", engine="neato", timeout=30, nodes=3).decode()

    assert crossings(drawn("0,282 0,200 0,100 0,24")) == [("a", "c", "b")]
    assert crossings(drawn("0,282 120,200 120,100 0,24")) == []


def test_rollup_parallel_dependencies_are_one_arrow() -> None:
    scene = build_scene(portfolio(), "ecosystem", rollup="group")
    assert isinstance(scene, Scene)
    pairs = [(e.source, e.target) for e in scene.edges]
    assert len(pairs) == len(set(pairs))
    assert all(e.source != e.target for e in scene.edges)


@needs_dot
def test_rollup_and_grouped_views_read_on_other_random_portfolios() -> None:
    """Not one lucky seed: two more random portfolios, grouped and rolled up."""
    for seed in (3, 5):
        eco = portfolio(seed=seed)
        for options in ({}, {"rollup": "group"}):
            assert crossings(render(eco, "ecosystem", **options).svg()) == []


HOSTILE = 'Risk "&" <img src=x onerror=alert(1)>/Sub \\N {x}'


@needs_dot
def test_hostile_group_names_render_as_text() -> None:
    eco = lm.Ecosystem(
        name="Hostile",
        components=[
            lm.Component(id="a", layer="ui", group=HOSTILE, depends_on=["b"]),
            lm.Component(id="b", layer="infrastructure", group=HOSTILE),
        ],
        products=[lm.Product(id="p", uses=["a"])],
    )
    from lxml import etree

    for options in ({}, {"rollup": "group"}):
        svg = render(eco, "ecosystem", **options).svg()
        root = etree.fromstring(svg.encode())
        texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
        assert 'Risk "&" <img src=x onerror=alert(1)>' in texts
        assert "Sub \\N {x}" in texts
        assert not list(root.iter("{http://www.w3.org/2000/svg}image"))
    page = render(eco, "ecosystem", format="html").html
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
