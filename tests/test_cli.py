"""The command line: exit codes, every problem listed, no tracebacks, --help/--version."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import layermodel as lm
from layermodel.cli import main


def run(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "layermodel", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        cwd=cwd,
    )


def test_validate_a_valid_model_exits_0(write) -> None:
    path = write("g.yaml", lm.example_text())
    result = run("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert (
        "valid: 'Google', 20 components in 4 layers, 34 dependencies, 3 products" in result.stdout
    )


def test_validate_lists_every_problem_with_file_and_line(write) -> None:
    text = lm.example_text()
    text = text.replace(
        "depends_on: [query-understanding, api-gateway]",
        "depends_on: [query-understandng, api-gateway]",
    )
    text = text.replace(
        "    layer: algorithms\n    owner: search-indexing",
        "    layer: algoritms\n    owner: search-indexing",
    )
    text = text.replace("availability: 0.999\n", "availability: 1.5\n")
    text = text.replace("weight: 10", "weight: 0")
    path = write("g.yaml", text)
    result = run("validate", str(path))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert len(lines) == 4, result.stderr
    assert all(line.split(":")[1].isdigit() for line in lines)
    assert "did you mean 'query-understanding'?" in lines[0]
    assert "did you mean 'algorithms'?" in lines[1]
    assert "4 problems; the model is not valid" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_validate_json_output(write) -> None:
    path = write("m.yaml", "name: x\ncomponents: [{id: a, layer: uix}]\n")
    result = run("validate", "--format", "json", str(path))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["problems"][0] | {"file": None} == {
        "file": None,
        "line": 2,
        "column": 29,
        "path": "components[0].layer",
        "message": "unknown layer 'uix'; expected one of algorithms, hardware, infrastructure, ui",
        "suggestion": "ui",
    }


def test_validate_reads_standard_input() -> None:
    result = run("validate", "-", stdin=lm.example_text())
    assert result.returncode == 0 and "valid" in result.stdout


def test_unreadable_paths_exit_2(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "missing.yaml"), str(tmp_path))
    assert result.returncode == 2
    assert "missing.yaml: no such file" in result.stderr
    assert f"{tmp_path}: is a directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2() -> None:
    assert run("validate").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2


@pytest.mark.parametrize("command", [[], ["validate"], ["schema"], ["demo"]])
def test_help_and_version_work_on_every_command(command: list[str]) -> None:
    helped = run(*command, "--help")
    assert helped.returncode == 0 and "usage: layermodel" in helped.stdout
    versioned = run(*command, "--version")
    assert versioned.returncode == 0 and versioned.stdout.strip() == f"layermodel {lm.__version__}"


def test_schema_prints_the_json_schema(tmp_path: Path) -> None:
    result = run("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == lm.model_file_schema()
    out = tmp_path / "schema.json"
    assert run("schema", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text()) == lm.model_file_schema()


def test_demo_writes_the_example_and_summarises_it(tmp_path: Path) -> None:
    result = run("demo", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr
    model = tmp_path / "demo" / "model.yaml"
    assert lm.load(model) == lm.example()
    out = result.stdout
    assert "Google: 3 products" in out
    assert "Infrastructure  5" in out
    for shared in (
        "Map-reduce runners",
        "API gateways",
        "Distributed databases",
        "Virtual machines",
        "Data centres",
    ):
        assert f"{shared}" in out
    assert str(model) in out
    assert "Google Photos: reuses 6 of 8 components (75%)" in out
    for name in ("google-photos.yaml", "analysis.md", "analysis.json"):
        assert (tmp_path / "demo" / name).exists()
    report = json.loads((tmp_path / "demo" / "analysis.json").read_text())
    assert report["components"]["distributed-db"]["users"] == ["docs", "maps", "search"]


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_demo_writes_the_five_google_views(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    result = run("demo", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr
    views = {
        "search.svg": "view-product",
        "ecosystem.svg": "view-ecosystem",
        "impact-distributed-db.svg": "view-impact",
        "reuse-matrix.svg": "view-matrix",
    }
    for name, view_id in views.items():
        path = tmp_path / "demo" / name
        assert str(path) in result.stdout
        root = ET.fromstring(path.read_text(encoding="utf-8"))
        assert any(g.get("id") == view_id for g in root.iter("{http://www.w3.org/2000/svg}g"))
    page = tmp_path / "demo" / "google.html"
    assert str(page) in result.stdout
    html = page.read_text(encoding="utf-8")
    assert (
        "distributed-db" in html
        and "<script" in html
        and "http://" not in html.split("<body", 1)[0].replace("http://www.w3.org", "")
    )


def test_demo_into_an_unwritable_place_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("demo", str(blocker / "sub"))
    assert result.returncode == 2 and "cannot create directory" in result.stderr


def test_internal_errors_are_reported_without_a_traceback(monkeypatch, capsys, write) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(lm, "load", boom)
    path = write("m.yaml", "name: x\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "internal error" in err and "kaboom" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        main(["validate", "--debug", str(path)])


def test_readme_shows_the_real_demo_output(tmp_path: Path) -> None:
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```text\n", 1)[1].split("```", 1)[0]
    result = run("demo", str(tmp_path / "d"))
    assert result.stdout.split("\nWrote:")[0] == shown
