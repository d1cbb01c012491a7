"""The change view (as-is / to-be): what ``analysis.diff`` finds, drawn so that the SVG,
HTML and Mermaid forms each say which component was added, removed, moved or changed."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

import layermodel as lm
from layermodel.analysis import diff
from layermodel.diagrams import render_change
from layermodel.diagrams.change import GHOST_PREFIX, build_change_scene
from layermodel.diagrams.mermaid import mermaid_id
from tests.conftest import EXAMPLES

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
SVG = "{http://www.w3.org/2000/svg}"
TAXI = EXAMPLES / "taxi"


@pytest.fixture(scope="module")
def taxi() -> tuple[lm.Ecosystem, lm.Ecosystem]:
    return lm.load(TAXI / "model-v1.yaml"), lm.load(TAXI / "model-v2.yaml")


def expected(old: lm.Ecosystem, new: lm.Ecosystem) -> dict[str, set[str]]:
    """The component ids of each kind of change, from the analysis (not the picture)."""
    d = diff(old, new)
    moved = {c.id for c in d.components_changed if any(f.field == "layer" for f in c.changes)}
    changed = {
        c.id
        for c in d.components_changed
        if c.id not in moved and any(not f.field.startswith("depends_on.") for f in c.changes)
    }
    return {
        "lm-added": set(d.components_added),
        "lm-removed": set(d.components_removed),
        "lm-moved": moved,
        "lm-changed": changed,
        "lm-moved-from": {GHOST_PREFIX + cid for cid in moved},
    }


def svg_marks(svg: str) -> tuple[dict[str, set[str]], dict[str, str], set[tuple[str, str]]]:
    """(change class -> component ids from the node groups' ids, node id -> tooltip,
    (class, edge id) of every dependency marked as a change)."""
    root = ET.fromstring(svg)
    marks: dict[str, set[str]] = {}
    tips: dict[str, str] = {}
    edges: set[tuple[str, str]] = set()
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        ident = group.get("id") or ""
        if "node" in classes and ident.startswith("c-"):
            link = group.find(f".//{SVG}a")
            title = link.get("{http://www.w3.org/1999/xlink}title") if link is not None else ""
            tips[ident.removeprefix("c-")] = title or ""
            for cls in classes:
                if cls.startswith("lm-"):
                    marks.setdefault(cls, set()).add(ident.removeprefix("c-"))
        if "edge" in classes:
            for cls in classes:
                if cls.startswith("lm-"):
                    edges.add((cls, ident))
    return marks, tips, edges


@needs_dot
def test_the_taxi_change_shows_every_added_removed_and_moved_component(
    taxi: tuple[lm.Ecosystem, lm.Ecosystem],
) -> None:
    old, new = taxi
    want = expected(old, new)
    assert want["lm-added"] and want["lm-removed"] and want["lm-moved"]  # the example has each
    marks, tips, edges = svg_marks(render_change(old, new).svg())
    assert {k: v for k, v in marks.items() if v} == {k: v for k, v in want.items() if v}
    d = diff(old, new)
    # Every dependency added, and every removed one whose ends are drawn, is marked.
    assert {e for c, e in edges if c == "lm-added"} == {
        f"dep:{s}->{t}" for s, t in d.dependencies_added
    }
    assert {e for c, e in edges if c == "lm-removed"} == {
        f"dep:{s}->{t}" for s, t in d.dependencies_removed
    }
    # A moved component says where it came from; its ghost says where it went.
    for cid in want["lm-moved"]:
        was = old.layer_index[old.component(cid).layer].label
        now = new.layer_index[new.component(cid).layer].label
        assert f"moved from {was}" in tips[cid]
        assert f"moved to {now}" in tips[GHOST_PREFIX + cid]


@needs_dot
def test_changed_fields_are_in_the_tooltip(taxi: tuple[lm.Ecosystem, lm.Ecosystem]) -> None:
    old, new = taxi
    _, tips, _ = svg_marks(render_change(old, new).svg())
    for entity in diff(old, new).components_changed:
        for change in entity.changes:
            if change.field.startswith("depends_on."):
                target = change.field.removeprefix("depends_on.")
                assert target in tips[entity.id]
            else:
                assert f"{change.field}: " in tips[entity.id], (entity.id, change.field)


def test_ghosts_sit_in_the_band_of_their_old_layer(
    taxi: tuple[lm.Ecosystem, lm.Ecosystem],
) -> None:
    old, new = taxi
    scene = build_change_scene(old, new)
    band_of = {cid: band.id for band in scene.bands for cid in band.nodes}
    for cid in expected(old, new)["lm-removed"]:
        assert band_of[cid] == old.component(cid).layer
        assert scene.nodes[cid].change == "removed"
    for cid in expected(old, new)["lm-moved"]:
        assert band_of[cid] == new.component(cid).layer
        assert band_of[GHOST_PREFIX + cid] == old.component(cid).layer
    assert scene.kind == "diff" and "model" not in scene.title


def test_the_legend_explains_each_mark(taxi: tuple[lm.Ecosystem, lm.Ecosystem]) -> None:
    dot = render_change(*taxi, "dot").source
    for text in ("added", "removed (ghost)", "moved to another layer", "added dependency"):
        assert text in dot
    # The colours are the theme's.
    from layermodel.diagrams.theme import CHANGE

    for colour in CHANGE.values():
        assert colour in dot


def test_html_cards_carry_the_classes(taxi: tuple[lm.Ecosystem, lm.Ecosystem]) -> None:
    old, new = taxi
    page = render_change(old, new, "html").source
    cards: dict[str, set[str]] = {}
    for classes, ident in re.findall(r'<div class="(card[^"]*)" data-id="([^"]+)"', page):
        for cls in classes.split():
            if cls.startswith("lm-"):
                cards.setdefault(cls, set()).add(ident)
    want = {k: v for k, v in expected(old, new).items() if v}
    assert cards == want
    # The edges' changes reach the script that draws them.
    data = re.search(r'<script type="application/json" id="scene-data">(.*?)</script>', page, re.S)
    assert data is not None
    edges = json.loads(data.group(1))["edges"]
    assert {(e[0], e[1]) for e in edges if e[5] == "added"} == set(
        diff(old, new).dependencies_added
    )


def test_mermaid_has_a_class_per_kind_of_change(taxi: tuple[lm.Ecosystem, lm.Ecosystem]) -> None:
    old, new = taxi
    text = render_change(old, new, "mermaid").source
    for cls, ids in expected(old, new).items():
        name = "lm_" + cls.removeprefix("lm-").replace("-", "_")
        assert f"classDef {name} " in text
        line = next(
            x
            for x in text.splitlines()
            if x.strip().startswith("class ") and x.endswith(f" {name}")
        )
        assert set(line.split()[1].split(",")) == {mermaid_id("c_", cid) for cid in ids}


def test_products_added_and_removed_are_marked() -> None:
    old = lm.loads(
        "components: [{id: app, layer: ui}, {id: db, layer: infrastructure}]\n"
        "products: [{id: old-shop, uses: [app]}, {id: kept, uses: [app]}]\n"
    )
    new = lm.loads(
        "components: [{id: app, layer: ui, depends_on: [db]}, {id: db, layer: infrastructure}]\n"
        "products: [{id: kept, uses: [app]}, {id: new-shop, uses: [app]}]\n"
    )
    scene = build_change_scene(old, new)
    changes = {mark.id: mark.change for mark in scene.products}
    assert changes == {"kept": None, "new-shop": "added", "old-shop": "removed"}
    dot = render_change(old, new, "dot").source
    assert re.search(r'"product:old-shop" \[[^\]]*class="product lm-removed"', dot)
    assert re.search(r'"app" -> "db" \[[^\]]*class="dependency lm-added"', dot)


def test_no_change_draws_the_plain_view() -> None:
    eco = lm.example()
    scene = build_change_scene(eco, eco, old_name="a", new_name="b")
    assert all(node.change is None for node in scene.nodes.values())
    assert all(edge.change is None for edge in scene.edges)
    assert "components unchanged" in scene.subtitle


def test_filters_apply_to_ghosts(taxi: tuple[lm.Ecosystem, lm.Ecosystem]) -> None:
    old, new = taxi
    scene = build_change_scene(old, new, layers=["algorithms"])
    assert {node.layer for node in scene.nodes.values()} == {"algorithms"}
    # The moved component is drawn where it is now; its ghost is in a layer filtered out.
    assert not any(cid.startswith(GHOST_PREFIX) for cid in scene.nodes)
    assert "location-service" not in scene.nodes
