"""`layermodel analyze`: the JSON report matches an independent computation, text and
Markdown read well, and --fail-on sets the exit code."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings

import layermodel as lm
from layermodel.cli import main
from tests.analysis import brute
from tests.strategies import ecosystems


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "layermodel", *args], capture_output=True, text=True, timeout=120
    )


def independent_report(eco: lm.Ecosystem) -> dict[str, object]:
    """The figures the issue names, computed by brute force from the definitions."""
    who = brute.users(eco)
    blast = brute.blast_components(eco)
    failing = brute.users(eco, required_only=True)
    rank = {layer.id: i for i, layer in enumerate(eco.layers)}
    layer_of = {c.id: c.layer for c in eco.components}
    upward = sorted(
        (c.id, d.target)
        for c in eco.components
        for d in c.depends_on
        if rank[layer_of[c.id]] > rank[layer_of[d.target]]
    )
    return {
        "components": {
            c.id: {
                "users": sorted(who[c.id]),
                "reuse_count": len(who[c.id]),
                "blast_radius": {
                    "components": sorted(blast[c.id]),
                    "products": sorted(failing[c.id]),
                },
            }
            for c in eco.components
        },
        "footprints": {p.id: sorted(brute.footprint(eco, p)) for p in eco.products},
        "upward": upward,
    }


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(eco=ecosystems(max_components=14, max_products=4))
def test_json_report_matches_an_independent_computation(tmp_path: Path, eco: lm.Ecosystem) -> None:
    path = tmp_path / "model.json"
    lm.save(eco, path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["analyze", str(path), "--format", "json"]) == 0
    report = json.loads(out.getvalue())
    expected = independent_report(eco)
    assert report["schema_version"] == 1
    for cid, want in expected["components"].items():  # type: ignore[attr-defined]
        got = report["components"][cid]
        assert got["users"] == want["users"]
        assert got["reuse_count"] == want["reuse_count"]
        assert got["blast_radius"]["components"] == want["blast_radius"]["components"]
        assert got["blast_radius"]["products"] == want["blast_radius"]["products"]
    for pid, footprint in expected["footprints"].items():  # type: ignore[attr-defined]
        assert report["products"][pid]["footprint"] == footprint
    upward = sorted(
        (v["source"], v["target"]) for v in report["violations"] if v["kind"] == "upward"
    )
    assert upward == expected["upward"]


def test_google_report_names_the_shared_platform(tmp_path: Path) -> None:
    path = tmp_path / "google.yaml"
    path.write_text(lm.example_text())
    result = run("analyze", str(path))
    assert result.returncode == 0, result.stderr
    assert (
        "Shared by all products: Map-reduce runners, API gateways, Distributed databases, "
        "Virtual machines, Data centres." in result.stdout
    )
    assert "\x1b[" not in result.stdout  # piped output stays plain


def test_markdown_and_product_focus(tmp_path: Path) -> None:
    path = tmp_path / "google.yaml"
    path.write_text(lm.example_text())
    md = run("analyze", str(path), "--format", "markdown")
    assert md.stdout.startswith("# Analysis of Google\n\n## Summary\n")
    assert "| search | 13 | 5 | 38% |" in md.stdout
    focus = run("analyze", str(path), "--product", "docs", "--format", "json")
    report = json.loads(focus.stdout)
    assert list(report["products"]) == ["docs"]
    assert set(report["components"]) == set(report["products"]["docs"]["footprint"])
    text = run("analyze", str(path), "--product", "docs").stdout
    assert "Footprint of docs" in text and "Gateways of docs" in text
    wrong = run("analyze", str(path), "--product", "doc")
    assert wrong.returncode == 2 and "did you mean 'docs'?" in wrong.stderr


def test_fail_on_sets_the_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "hurried.yaml"
    path.write_text(
        "name: hurried\ncomponents:\n"
        "  - {id: app, layer: ui, depends_on: [db]}\n"
        "  - {id: db, layer: infrastructure, depends_on: [app]}\n"
        "products: [{id: p, uses: [app]}]\n"
    )
    assert run("analyze", str(path)).returncode == 0
    violations = run("analyze", str(path), "--fail-on", "violations")
    assert violations.returncode == 1 and "because of 1 layering violation\n" in violations.stderr
    cycles = run("analyze", str(path), "--fail-on", "cycles", "--format", "json")
    assert cycles.returncode == 1
    assert json.loads(cycles.stdout)["cycles"] == [["app", "db"]]


def test_invalid_models_exit_1_with_their_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ncomponents: [{id: a, layer: nope}]\n")
    result = run("analyze", str(path))
    assert result.returncode == 1
    assert f"{path}:2:" in result.stderr and "unknown layer 'nope'" in result.stderr


def test_output_file_is_written(tmp_path: Path) -> None:
    path = tmp_path / "google.yaml"
    path.write_text(lm.example_text())
    out = tmp_path / "report.json"
    result = run("analyze", str(path), "--format", "json", "-o", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(out.read_text())["model"]["components"] == 20


def test_gateways_are_computed_on_request(tmp_path: Path) -> None:
    path = tmp_path / "google.yaml"
    path.write_text(lm.example_text())
    default = json.loads(run("analyze", str(path), "--format", "json").stdout)
    assert all(p["gateways"] is None for p in default["products"].values())
    full = json.loads(run("analyze", str(path), "--format", "json", "--gateways").stdout)
    assert full["products"]["maps"]["gateways"] == [
        {"component": "map-view", "dominates": 8},
        {"component": "vms", "dominates": 1},
    ]


def test_orphans_have_their_own_section_with_their_cost_and_validate_warns(
    tmp_path: Path,
) -> None:
    from layermodel.analysis import fmt_money, users
    from layermodel.errors import plural
    from tests.strategies import random_portfolio

    base = random_portfolio(21)
    lonely = lm.Component(id="legacy-search", layer="infrastructure", cost=94_000)
    eco = lm.Ecosystem(
        name=base.name, components=(*base.components, lonely), products=base.products
    )
    path = tmp_path / "model.yaml"
    lm.save(eco, path)
    expected = sorted(
        (c for c, who in users(eco).items() if not who),
        key=lambda c: (-(eco.component(c).cost or 0), c),
    )
    text = run("analyze", str(path)).stdout
    section = text.split("\nOrphans\n=======\n", 1)[1].split("\n\n\n", 1)[0]
    total = sum(eco.component(c).cost or 0 for c in expected)
    assert f"no product uses, costing {fmt_money(total)} a month" in section
    assert "legacy-search  infrastructure        94,000" in section
    markdown = run("analyze", str(path), "--format", "markdown").stdout
    assert "## Orphans\n" in markdown and "| legacy-search | infrastructure | 94,000 |" in markdown
    data = json.loads(run("analyze", str(path), "--format", "json").stdout)
    assert [o["component"] for o in data["orphans"]] == expected
    assert data["orphans"][0] == {
        "component": "legacy-search",
        "layer": "infrastructure",
        "cost": 94000,
    }

    checked = run("validate", str(path))
    assert checked.returncode == 0
    assert checked.stderr.startswith(f"warning: {plural(len(expected), 'component')} ")
    assert "legacy-search (94,000)" in checked.stderr
    as_json = run("validate", str(path), "--format", "json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["orphans"]
