"""The stack style (boxes in bands, no arrows) and slide decks (pptx)."""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import layermodel as lm
from layermodel.diagrams import deck_views
from layermodel.diagrams.scene import Scene, ViewError, build_scene
from layermodel.diagrams.stack import STACK_RATIO, stack_layout
from tests.conftest import EXAMPLES
from tests.strategies import ecosystems

RIDESHARE = EXAMPLES / "rideshare" / "model.yaml"
SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def run(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "layermodel", *map(str, args)], capture_output=True, check=False
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(eco=ecosystems(max_components=30))
def test_every_box_sits_in_its_own_band_and_none_overlap(eco: lm.Ecosystem) -> None:
    scene = build_scene(eco, "ecosystem")
    assert isinstance(scene, Scene)
    layout = stack_layout(scene)
    bands = {band.id: band for band in layout.bands}
    assert [b.id for b in layout.bands] == [b.id for b in scene.bands]
    for upper, lower in zip(layout.bands, layout.bands[1:], strict=False):
        assert upper.y + upper.h <= lower.y
    assert {box.id for box in layout.boxes} == set(scene.nodes)
    for box in layout.boxes:
        band = bands[scene.nodes[box.id].layer]
        assert band.x <= box.x and box.x + box.w <= band.x + band.w
        assert band.y <= box.y and box.y + box.h <= band.y + band.h
    boxes = sorted(layout.boxes, key=lambda b: (b.y, b.x))
    for a, b in itertools.pairwise(boxes):
        if a.y == b.y:
            assert a.x + a.w <= b.x


def test_the_rideshare_stack_is_shaped_for_a_slide() -> None:
    scene = build_scene(lm.load(RIDESHARE), "ecosystem")
    assert isinstance(scene, Scene)
    layout = stack_layout(scene)
    assert abs(layout.width / layout.height - STACK_RATIO) < 0.35
    assert layout.name_size >= 14  # large type


@needs_dot
def test_stack_svg_has_every_component_and_no_edge(tmp_path: Path) -> None:
    eco = lm.load(RIDESHARE)
    out = tmp_path / "stack.svg"
    result = run("render", RIDESHARE, "--style", "stack", "-o", out)
    assert result.returncode == 0, result.stderr
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    groups = list(root.iter(f"{SVG}g"))
    ids = {g.get("id") for g in groups}
    assert {f"c-{c.id}" for c in eco.components} <= ids
    assert not [g for g in groups if "edge" in (g.get("class") or "").split()]
    assert not list(root.iter(f"{SVG}path")) or all(
        "edge" not in (g.get("class") or "") for g in groups
    )
    # Each band's label is on the picture.
    text = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for layer in eco.layers:
        assert layer.label.split()[0] in text


def test_stack_refuses_what_it_cannot_draw() -> None:
    eco = lm.example()
    with pytest.raises(ViewError, match="matrix"):
        lm.render(eco, "matrix", style="stack")
    with pytest.raises(ViewError, match="stack style has no mermaid"):
        _ = lm.render(eco, "ecosystem", "mermaid", style="stack").source
    with pytest.raises(ViewError, match="style"):
        lm.render(eco, "ecosystem", style="boxes")


def test_unknown_highlight_exits_2_with_a_suggestion() -> None:
    result = run("render", RIDESHARE, "--highlight", "pricng", "--format", "dot")
    assert result.returncode == 2
    assert b"did you mean 'pricing'" in result.stderr
    assert b"Traceback" not in result.stderr


def test_several_views_only_for_a_deck() -> None:
    result = run("render", RIDESHARE, "--view", "ecosystem", "--view", "matrix", "--format", "svg")
    assert result.returncode == 2
    assert b"pptx" in result.stderr


def test_colour_by_owner_reaches_the_drawing() -> None:
    result = run("render", RIDESHARE, "--color-by", "owner", "--format", "dot")
    assert result.returncode == 0, result.stderr
    assert b"Fill: owner" in result.stdout and b"owner-0" in result.stdout


# -- slide decks -----------------------------------------------------------------------


@pytest.fixture
def pptx() -> Any:
    return pytest.importorskip(
        "pptx", reason="python-pptx is not installed (pip install -e '.[dev]')"
    )


def slide_count(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        assert "[Content_Types].xml" in names
        assert "ppt/presentation.xml" in names
        ET.fromstring(package.read("[Content_Types].xml"))
        ET.fromstring(package.read("ppt/presentation.xml"))
        return len([n for n in names if n.startswith("ppt/slides/slide") and n.endswith(".xml")])


@needs_dot
def test_the_default_deck_has_a_title_slide_then_one_slide_per_view(
    tmp_path: Path, pptx: Any
) -> None:
    eco = lm.load(RIDESHARE)
    out = tmp_path / "deck.pptx"
    result = run("render", RIDESHARE, "-o", out)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    views = deck_views(eco)
    assert [v for v, _ in views] == ["ecosystem", "ecosystem"] + [
        f"product:{p.id}" for p in eco.products
    ]
    assert slide_count(data) == 1 + len(views)
    deck = pptx.Presentation(io.BytesIO(data))
    slides = list(deck.slides)
    assert slides[0].shapes.title.text == "Rideshare"
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    # Graph views are one picture each; the stack slide is native shapes, a box per
    # component with its name as text.
    kinds = [[shape.shape_type for shape in slide.shapes] for slide in slides[1:]]
    assert kinds[0] == [pptx.enum.shapes.MSO_SHAPE_TYPE.PICTURE]
    boxes = {
        shape.name.removeprefix("component "): shape.text_frame.text
        for shape in slides[2].shapes
        if shape.name.startswith("component ")
    }
    assert set(boxes) == {c.id for c in eco.components}
    for c in eco.components:
        assert boxes[c.id].split("\n")[0] in c.label
    for shape in slides[2].shapes:  # everything on the slide
        assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width + 1
        assert shape.top >= 0 and shape.top + shape.height <= deck.slide_height + 1


def test_asked_views_in_the_stack_style_need_no_graphviz(tmp_path: Path, pptx: Any) -> None:
    out = tmp_path / "deck.pptx"
    result = run(
        "render", RIDESHARE, "--style", "stack", "--view", "ecosystem", "--view",
        "product:eats", "--highlight", "pricing", "--color-by", "owner", "-o", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert slide_count(out.read_bytes()) == 3
    deck = pptx.Presentation(str(out))
    names = [shape.name for shape in list(deck.slides)[2].shapes]
    eats = build_scene(lm.load(RIDESHARE), "product:eats")
    assert {n.removeprefix("component ") for n in names if n.startswith("component ")} == set(
        eats.nodes  # type: ignore[union-attr]
    )


def test_a_failed_deck_leaves_the_old_file(tmp_path: Path, pptx: Any) -> None:
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"old")
    result = run(
        "render", RIDESHARE, "--style", "stack", "--view", "ecosystem", "--view", "product:nope",
        "-o", out,
    )  # fmt: skip
    assert result.returncode == 2
    assert b"no product 'nope'" in result.stderr
    assert out.read_bytes() == b"old"
