"""`layermodel render`: views, formats, outputs and errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

GOOGLE = REPO / "src" / "layermodel" / "model" / "examples" / "google.yaml"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "layermodel", *args], capture_output=True, check=False
    )


@needs_dot
@pytest.mark.parametrize(
    ("suffix", "magic"),
    [
        (".svg", b"<?xml"),
        (".png", b"\x89PNG"),
        (".pdf", b"%PDF"),
        (".dot", b"//"),
        (".mmd", b"flowchart TB"),
        (".html", b"<!DOCTYPE html>"),
    ],
)
def test_format_follows_the_output_suffix(tmp_path: Path, suffix: str, magic: bytes) -> None:
    out = tmp_path / f"search{suffix}"
    result = run("render", str(GOOGLE), "--view", "product:search", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert magic in out.read_bytes()[:300]
    assert f"wrote {out}" in result.stderr.decode()


@needs_dot
def test_svg_goes_to_stdout_by_default() -> None:
    result = run("render", str(GOOGLE), "--view", "impact:distributed-db")
    assert result.returncode == 0
    assert result.stdout.startswith(b"<?xml") and b"layermodel impact" in result.stdout


@needs_dot
def test_png_can_be_piped() -> None:
    result = run("render", str(GOOGLE), "--format", "png", "-o", "-")
    assert result.returncode == 0 and result.stdout.startswith(b"\x89PNG")


def test_filters_apply() -> None:
    result = run("render", str(GOOGLE), "--format", "dot", "--layer", "hardware")
    assert result.returncode == 0
    assert b'"vms" [' in result.stdout and b'"search-box" [' not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--view", "product:serch"], "no product 'serch' in the model (did you mean 'search'?)"),
        (["--view", "impact"], "view 'impact' needs an id"),
        (["--view", "galaxy"], "unknown view 'galaxy'"),
        (["--layer", "uii"], "no layer 'uii' in the model (did you mean 'ui'?)"),
        (["--view", "matrix", "--format", "mermaid"], "the reuse matrix has no Mermaid form"),
        (["-o", "diagram.txt"], "cannot tell the format of 'diagram.txt'"),
        (["--timeout", "0"], "must be a positive number"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args: list[str], message: str) -> None:
    result = run("render", str(GOOGLE), *args)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert message in err and "Traceback" not in err


def test_bad_model_is_reported_with_its_location(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("name: x\ncomponents:\n  - {id: a, layer: nowhere}\n")
    result = run("render", str(model))
    assert result.returncode == 1
    assert f"{model}:3:" in result.stderr.decode()


def test_missing_graphviz_is_explained(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "layermodel", "render", str(GOOGLE)],
        capture_output=True,
        check=False,
        env=env,
    )
    assert result.returncode == 2
    assert b"apt-get install graphviz" in result.stderr
    dot = subprocess.run(
        [sys.executable, "-m", "layermodel", "render", str(GOOGLE), "--format", "dot"],
        capture_output=True,
        check=False,
        env=env,
    )
    assert dot.returncode == 0 and b"digraph" in dot.stdout
