"""`layermodel whatif` and `layermodel diff` on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import layermodel as lm
from tests.conftest import EXAMPLES

MODEL = str(EXAMPLES / "google" / "model.yaml")
PHOTOS = str(EXAMPLES / "google" / "google-photos.yaml")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "layermodel", *args], capture_output=True, text=True, timeout=120
    )


def test_launch_plan_for_a_new_product() -> None:
    result = run("whatif", MODEL, "--add-product", PHOTOS)
    assert result.returncode == 0, result.stderr
    assert (
        "Google Photos: reuses 6 of 8 components (75%); build 2: photos-app (ui), "
        "photo-recognition (algorithms)" in result.stdout
    )
    data = json.loads(run("whatif", MODEL, "--add-product", PHOTOS, "--format", "json").stdout)
    assert data["products"]["photos"]["reuse_percent"] == 75.0
    assert data["products"]["photos"]["to_build"] == {
        "ui": ["photos-app"],
        "algorithms": ["photo-recognition"],
    }


def test_retire_a_product_lists_orphans(tmp_path: Path) -> None:
    after = tmp_path / "after.yaml"
    result = run("whatif", MODEL, "--retire", "maps", "--save", str(after))
    assert result.returncode == 0, result.stderr
    assert (
        "New orphans, used by no product any more (4): geocoding, map-view, routing, tile-rendering"
        in result.stdout
    )
    assert "maps" not in lm.load(after).product_index


def test_remove_and_replace() -> None:
    removed = run("whatif", MODEL, "--remove", "distributed-db", "--format", "markdown")
    assert removed.returncode == 0 and removed.stdout.startswith("# What if: Google")
    replaced = run("whatif", MODEL, "--replace", "mapreduce=data-pipeline")
    assert replaced.returncode == 0 and "data-pipeline       1      3      +2" in replaced.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--remove", "distributed-dbb"], "did you mean 'distributed-db'?"),
        (["--replace", "mapreduce"], "--replace takes OLD=NEW"),
        (["--retire", "map"], "did you mean 'maps'?"),
    ],
)
def test_bad_what_ifs_exit_2(args: list[str], message: str) -> None:
    result = run("whatif", MODEL, *args)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_product_file_prints_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("products: [{id: search, uses: [nope]}]\n")
    result = run("whatif", MODEL, "--add-product", str(bad))
    assert result.returncode == 1
    assert f"{bad}:1:" in result.stderr and "duplicate product id 'search'" in result.stderr


def test_diff_and_its_fail_on(tmp_path: Path) -> None:
    same = run("diff", MODEL, MODEL)
    assert same.returncode == 0 and "No differences." in same.stdout
    hurried = tmp_path / "new.yaml"
    hurried.write_text(
        lm.example_text().replace(
            "    depends_on: [{target: data-centres, kind: runs-in}]",
            "    depends_on: [{target: data-centres, kind: runs-in}, search-box]",
        )
    )
    result = run("diff", MODEL, str(hurried), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert any(
        v["source"] == "vms" and v["target"] == "search-box"
        for v in data["violations"]["introduced"]
    )
    failing = run("diff", MODEL, str(hurried), "--fail-on", "violations")
    assert failing.returncode == 1 and "new layering violations" in failing.stderr


@pytest.mark.parametrize("seed", [3, 11])
def test_retire_and_remove_carry_the_money_on_a_model_not_seen(tmp_path: Path, seed: int) -> None:
    from layermodel.analysis.sections import fmt_money
    from tests.strategies import random_portfolio

    eco = random_portfolio(seed)
    model = tmp_path / "model.yaml"
    lm.save(eco, model)
    from layermodel.analysis import users as users_of

    users = users_of(eco)
    product = eco.products[seed % len(eco.products)].id
    only_it = sorted(cid for cid, who in users.items() if who == (product,))
    expected = sum(eco.component(c).cost or 0 for c in only_it)
    data = json.loads(run("whatif", str(model), "--retire", product, "--format", "json").stdout)
    assert data["new_orphans"] == only_it
    assert data["money"]["orphaned"] == pytest.approx(expected)
    assert {r["component"] for r in data["money"]["orphaned_components"]} == set(only_it)
    text = run("whatif", str(model), "--retire", product).stdout
    if only_it:
        assert f"Orphaned: {fmt_money(expected)} a month in" in text
    markdown = run("whatif", str(model), "--retire", product, "--format", "markdown").stdout
    assert "## Cost and availability per product, before and after" in markdown

    shared = max(eco.components, key=lambda c: (len(users[c.id]), c.id))
    data = json.loads(run("whatif", str(model), "--remove", shared.id, "--format", "json").stdout)
    assert data["money"]["freed"] == pytest.approx(shared.cost)
    orphans = data["new_orphans"]
    assert data["money"]["orphaned"] == pytest.approx(
        sum(eco.component(c).cost or 0 for c in orphans)
    )
    before = {r["product"]: r for r in data["money"]["products"]}
    assert set(before) == {p.id for p in eco.products}
    assert all(0 < r["availability_after"] <= 1 for r in before.values())
    text = run("whatif", str(model), "--remove", shared.id).stdout
    assert f"Freed: {fmt_money(shared.cost or 0)} a month in 1 component leaving the model" in text
