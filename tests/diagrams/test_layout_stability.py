"""Layouts that stay put: a small edit to a model keeps every other component in its
band and row, in the same left-to-right order, measured on the rendered SVG of random
portfolios of 60 to 200 components; and a layout lock keeps them all."""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
import subprocess
import sys
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

import layermodel as lm
from layermodel.diagrams import render
from layermodel.diagrams.layout import place
from layermodel.diagrams.lock import LayoutLock, lock_of, read_lock, updated
from layermodel.diagrams.order import jump_row
from layermodel.diagrams.scene import Scene, build_scene
from tests.conftest import REPO
from tests.diagrams.svg_geometry import geometry

_spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
assert _spec is not None and _spec.loader is not None
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
LAYERS = [name for name, _ in synthetic.LAYER_SHARES]
MODELS = 20
NEW = "new-component"

Where = dict[str, tuple[str, int, float]]
"""Component id -> (band, row within the band, x of its centre)."""


def random_model(seed: int) -> tuple[dict[str, Any], random.Random]:
    rng = random.Random(seed)
    return synthetic.generate(rng.randrange(60, 201), seed), rng


def with_one_more(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The model with one component added at a random place in the file: it depends on
    two components of the layers below, and one component of the layer above uses it."""
    doc = json.loads(json.dumps(doc))
    components = doc["components"]
    level = rng.randrange(1, len(LAYERS) - 1)
    below = [c["id"] for c in components if LAYERS.index(c["layer"]) > level]
    above = [c for c in components if c["layer"] == LAYERS[level - 1]]
    added = {"id": NEW, "layer": LAYERS[level], "depends_on": rng.sample(below, 2)}
    components.insert(rng.randrange(len(components) + 1), added)
    rng.choice(above).setdefault("depends_on", []).append(NEW)
    return doc


def load(doc: dict[str, Any]) -> lm.Ecosystem:
    return lm.loads(json.dumps(doc), "json")


def svg_positions(svg: str) -> Where:
    """Band, row and x of every component node, read back from the SVG: the band is
    the cluster that holds the node, the row the rank of its centre's y in the band."""
    clusters, nodes = geometry(svg)
    where: Where = {}
    bands: dict[str, list[tuple[str, float, float]]] = {}
    for name, box in nodes.items():
        if name.startswith(("__", "product:")):
            continue
        band = next(
            c for c, rect in clusters.items() if c != "cluster__products" and rect.contains(box)
        )
        centre = ((box.left + box.right) / 2, (box.top + box.bottom) / 2)
        bands.setdefault(band, []).append((name, *centre))
    for band, members in bands.items():
        # The nodes of a row share the row's middle line.
        middles = sorted({round(y) for _, _, y in members})
        for name, x, y in members:
            where[name] = (band, middles.index(round(y)), x)
    return where


def compare(before: Where, after: Where) -> tuple[int, int, list[str]]:
    """(pairs kept in order, pairs in a shared row, components whose band or row
    changed), over the components in both."""
    moved = [v for v in before if v in after and before[v][:2] != after[v][:2]]
    rows: dict[tuple[str, int], list[str]] = {}
    for v, (band, row, _) in before.items():
        if v in after and after[v][:2] == (band, row):
            rows.setdefault((band, row), []).append(v)
    kept = total = 0
    for members in rows.values():
        for u, v in combinations(members, 2):
            total += 1
            kept += (before[u][2] < before[v][2]) == (after[u][2] < after[v][2])
    return kept, total, moved


def rows_per_band(eco: lm.Ecosystem, lock: LayoutLock | None = None) -> dict[str, int]:
    placed = place(build_scene(eco, "ecosystem"), lock=lock.rows() if lock else None)
    return {band.id: len(band.rows) for band in placed.bands}


@needs_dot
@pytest.mark.slow
def test_adding_one_component_keeps_the_others_in_place() -> None:
    """Over 20 random portfolios: at least 95 % of the pairs of other components that
    share a row keep their left-to-right order, in each portfolio; and no other
    component changes band or row, except in a band that needs one more row for the
    new component (the only reason a row can change without a lock)."""
    kept_all = total_all = 0
    for seed in range(MODELS):
        doc, rng = random_model(seed)
        old, new = load(doc), load(with_one_more(doc, rng))
        before = svg_positions(render(old).svg())
        after = svg_positions(render(new).svg())
        assert after.pop(NEW)
        kept, total, moved = compare(before, after)
        assert total > 0
        assert kept / total >= 0.95, (seed, kept, total)
        rows_before = rows_per_band(old)
        grown = {
            band for band, count in rows_per_band(new).items() if count != rows_before.get(band)
        }
        assert all(old.component(v).layer in grown for v in moved), (seed, moved)
        kept_all += kept
        total_all += total
    assert kept_all / total_all >= 0.98


@needs_dot
@pytest.mark.slow
def test_with_a_layout_lock_nothing_moves() -> None:
    """With the lock of the first drawing, every other component keeps its band, its
    row and its order: 100 % of pairs, in every one of the 20 portfolios."""
    for seed in range(MODELS):
        doc, rng = random_model(seed)
        old, new = load(doc), load(with_one_more(doc, rng))
        first = render(old)
        lock = first.layout_lock
        second = render(new, layout_lock=lock)
        before, after = svg_positions(first.svg()), svg_positions(second.svg())
        assert after.pop(NEW)
        kept, total, moved = compare(before, after)
        assert moved == [] and kept == total, (seed, moved, total - kept)
        # The lock then takes the new component in, keeping every old entry.
        grown = updated(lock, second.layout_lock)
        assert len(grown) == len(lock) + 1
        for band, rows in lock.layers.items():
            for old_row, new_row in zip(rows, grown.layers[band], strict=False):
                assert [v for v in new_row if v != NEW] == list(old_row)


def test_the_layout_is_deterministic() -> None:
    doc, _ = random_model(3)
    assert render(load(doc), format="dot").source == render(load(doc), format="dot").source


def test_removing_renaming_or_rewiring_one_component_keeps_rows() -> None:
    """The same properties for the other small edits, on the layout itself (the SVG
    draws it as it is): one component removed, one renamed, one dependency dropped."""
    for seed in range(MODELS):
        doc, rng = random_model(seed)
        base = place(build_scene(load(doc), "ecosystem"))
        before = {
            v: (b.id, r, base.boxes[v].x)
            for b in base.bands
            for r, row in enumerate(b.rows)
            for v in row
        }
        for edit in ("remove", "rename", "rewire"):
            changed = json.loads(json.dumps(doc))
            components = changed["components"]
            pick = rng.choice(
                [
                    c
                    for c in components
                    if c["layer"] in ("algorithms", "infrastructure") and c.get("depends_on")
                ]
            )
            old_id = pick["id"]
            if edit == "remove":
                components.remove(pick)
                for c in components:
                    c["depends_on"] = [
                        d
                        for d in c.get("depends_on", [])
                        if (d if isinstance(d, str) else d["target"]) != old_id
                    ]
                for p in changed["products"]:
                    p["uses"] = [u for u in p["uses"] if u != old_id]
            elif edit == "rename":
                pick["id"] = old_id + "-renamed"
                for c in components:
                    c["depends_on"] = [
                        (pick["id"] if d == old_id else d)
                        if isinstance(d, str)
                        else ({**d, "target": pick["id"]} if d["target"] == old_id else d)
                        for d in c.get("depends_on", [])
                    ]
            else:
                pick["depends_on"] = pick["depends_on"][1:]
            placed = place(build_scene(load(changed), "ecosystem"))
            after = {
                v: (b.id, r, placed.boxes[v].x)
                for b in placed.bands
                for r, row in enumerate(b.rows)
                for v in row
            }
            after.pop(old_id + "-renamed", None)
            kept, total, moved = compare({k: v for k, v in before.items() if k != old_id}, after)
            assert kept / total >= 0.95, (seed, edit, kept, total)
            grown = {
                b.id
                for b in placed.bands
                if len(b.rows) != next((len(x.rows) for x in base.bands if x.id == b.id), 0)
            }
            assert all(before[v][0] in grown for v in moved), (seed, edit, moved)


def test_jump_rows_move_only_to_a_new_row() -> None:
    ids = [f"component-{i}" for i in range(500)]
    for rows in range(1, 8):
        for ident in ids:
            now, then = jump_row(ident, rows), jump_row(ident, rows + 1)
            assert 0 <= now < rows
            assert then in (now, rows)


# --- the lock file ---------------------------------------------------------------------


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "layermodel", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    doc, _ = random_model(5)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(doc))
    return path


def test_render_writes_then_reuses_the_lock(portfolio: Path, tmp_path: Path) -> None:
    lock_path = tmp_path / "layout.lock.json"
    first = cli(
        "render", str(portfolio), "--format", "dot", "--layout-lock", str(lock_path), cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr
    assert "wrote the layout lock" in first.stderr
    lock = read_lock(lock_path)
    eco = lm.load(portfolio)
    assert lock == lock_of(place(build_scene(eco, "ecosystem")), build_scene(eco, "ecosystem"))  # type: ignore[arg-type]
    text = lock_path.read_text()
    # Add a component; the lock keeps every old entry and gains the new one.
    doc = json.loads(portfolio.read_text())
    grown = with_one_more(doc, random.Random(1))
    portfolio.write_text(json.dumps(grown))
    second = cli(
        "render", str(portfolio), "--format", "dot", "--layout-lock", str(lock_path), cwd=tmp_path
    )
    assert second.returncode == 0 and "updated the layout lock" in second.stderr
    after = read_lock(lock_path)
    assert len(after) == len(lock) + 1
    # Remove it again: without --update-layout-lock its entry stays; with it, it goes.
    portfolio.write_text(json.dumps(doc))
    third = cli(
        "render", str(portfolio), "--format", "dot", "--layout-lock", str(lock_path), cwd=tmp_path
    )
    assert third.returncode == 0 and read_lock(lock_path) == after
    fourth = cli(
        "render",
        str(portfolio),
        "--format",
        "dot",
        "--layout-lock",
        str(lock_path),
        "--update-layout-lock",
        cwd=tmp_path,
    )
    assert fourth.returncode == 0
    assert lock_path.read_text() == text


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            '{"layermodel-layout-lock": 1,\n "layers": {"ui": [["a", 3]]}}',
            2,
            "an id is a text, got 3",
        ),
        ('{"layermodel-layout-lock": 2,\n "layers": {}}', 1, "must be 1"),
        (
            '{"layermodel-layout-lock": 1,\n "layers": {"ui": [["a"]],\n "hardware": [["a"]]}}',
            3,
            "listed twice",
        ),
        ('{"layermodel-layout-lock": 1,\n "rows": []}', 2, 'unknown key "rows"'),
        ('{"layermodel-layout-lock": 1,\n "layers": {"ui": "a"}}', 2, "expected a list of rows"),
        ('{"layermodel-layout-lock": 1,\n "layers": {"ui": [[\n', 3, ""),
        ("[1, 2]", 1, "a layout lock is a JSON object"),
        ('{"a": 1, "a": 2}', 1, "duplicate"),
    ],
)
def test_a_malformed_lock_exits_2_naming_file_and_line_and_stays(
    portfolio: Path, tmp_path: Path, text: str, line: int, message: str
) -> None:
    lock_path = tmp_path / "layout.lock.json"
    lock_path.write_text(text)
    out = tmp_path / "out.svg"
    out.write_text("old")
    done = cli(
        "render", str(portfolio), "-o", str(out), "--layout-lock", str(lock_path), cwd=tmp_path
    )
    assert done.returncode == 2
    assert f"{lock_path}:{line}" in done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert lock_path.read_text() == text
    assert out.read_text() == "old"


def test_the_lock_is_refused_where_it_cannot_apply(portfolio: Path, tmp_path: Path) -> None:
    lock_path = tmp_path / "layout.lock.json"
    for args in (
        ("--format", "mermaid"),
        ("--format", "html"),
        ("--view", "matrix", "--format", "dot"),
    ):
        done = cli("render", str(portfolio), *args, "--layout-lock", str(lock_path), cwd=tmp_path)
        assert done.returncode == 2 and "--layout-lock" in done.stderr
    assert not lock_path.exists()
    done = cli("render", str(portfolio), "--format", "dot", "--update-layout-lock", cwd=tmp_path)
    assert done.returncode == 2 and "needs --layout-lock" in done.stderr


def test_every_format_shows_the_same_order() -> None:
    """The scene's band order (the HTML page and Mermaid) is the order of every row
    of the layout (SVG, PNG, PDF): each row is a subsequence of its band."""
    for seed in range(5):
        doc, _ = random_model(seed)
        scene = build_scene(load(doc), "ecosystem")
        assert isinstance(scene, Scene)
        placed = place(scene)
        order = {band.id: {v: i for i, v in enumerate(band.nodes)} for band in scene.bands}
        for band in placed.bands[1:]:
            for row in band.rows:
                positions = [order[band.id][v] for v in row]
                assert positions == sorted(positions), (seed, band.id)


def test_updating_a_lock_keeps_old_entries_and_follows_a_moved_component() -> None:
    old = LayoutLock(
        products=(("p1", "p2"),),
        layers={"ui": (("a", "b", "c"),), "data": (("x", "y"), ("z",))},
    )
    # "b" moved to data (drawn there now), "n" is new in ui, "gone" is not drawn.
    drawn = LayoutLock(
        products=(("p1", "p2", "p3"),),
        layers={"ui": (("a", "n", "c"),), "data": (("x", "b", "y"), ("z",))},
    )
    grown = updated(old, drawn)
    assert grown.products == (("p1", "p2", "p3"),)
    assert grown.layers == {"ui": (("a", "n", "c"),), "data": (("x", "b", "y"), ("z",))}
    # Entries of components not drawn are kept unless the lock is pruned.
    kept = updated(
        LayoutLock(layers={"ui": (("gone", "a"),)}), LayoutLock(layers={"ui": (("a",),)})
    )
    assert kept.layers == {"ui": (("gone", "a"),)}
    pruned = updated(
        LayoutLock(layers={"ui": (("gone", "a"),)}),
        LayoutLock(layers={"ui": (("a",),)}),
        prune=True,
    )
    assert pruned.layers == {"ui": (("a",),)}
    # A drawn row with no locked component becomes a new row.
    fresh = updated(
        LayoutLock(layers={"ui": (("a",),)}), LayoutLock(layers={"ui": (("a",), ("q",))})
    )
    assert fresh.layers == {"ui": (("a",), ("q",))}


def test_a_lock_pins_rows_and_order_in_the_layout() -> None:
    eco = lm.example()
    scene = build_scene(eco, "ecosystem")
    assert isinstance(scene, Scene)
    ui = [c.id for c in eco.components if c.layer == "ui"]
    wanted = (tuple(reversed(ui[:2])), tuple(ui[2:]))
    placed = place(scene, lock=LayoutLock(layers={"ui": wanted}).rows())
    rows = next(b.rows for b in placed.bands if b.id == "ui")
    assert [tuple(r) for r in rows] == list(wanted)
    xs = [placed.boxes[v].x for v in wanted[0]]
    assert xs == sorted(xs)
