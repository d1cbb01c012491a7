"""examples/boutique-drift: the README shows what the commands print today, and what
it says happens after each fix does happen."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

from tests.checks.helpers import run
from tests.conftest import EXAMPLES, REPO

HERE = EXAMPLES / "boutique-drift"


def _blocks() -> list[tuple[list[str], str]]:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```console\n(.*?)```", readme, re.S):
        command, _, output = block.partition("\n")
        out.append((shlex.split(command.removeprefix("$ "))[1:], output))
    return out


def test_readme_shows_real_output(capsys, monkeypatch) -> None:
    blocks = _blocks()
    assert len(blocks) == 2
    monkeypatch.chdir(REPO)
    for (argv, output), code in zip(blocks, [0, 1], strict=True):
        got, out, _ = run(capsys, *argv)
        assert (got, out) == (code, output), argv


def test_the_fixes_the_readme_names(tmp_path: Path, capsys, monkeypatch) -> None:
    folder = tmp_path / "boutique"
    shutil.copytree(HERE, folder)
    monkeypatch.chdir(folder)
    drift = ["drift", "model.yaml", "--against", "source", "--layer-rules", "rules.yaml"]
    before = json.loads(run(capsys, *drift, "--format", "json")[1])

    rules = folder / "rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "aliases:\n", "aliases:\n  adservice: ad-service\n", 1
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, *drift, "--format", "json")
    after = json.loads(out)
    assert code == 1
    assert {(d["from"], d["to"]) for d in after["undeclared"]} == {("checkout", "email")}
    assert {(d["from"], d["to"]) for d in after["phantom"]} == {
        ("payment", "currency"),
        ("recommendation", "ad-service"),
    }
    assert after["unmodelled"] == after["unseen"] == []
    assert after["score"] > before["score"]

    code, out, _ = run(capsys, "check", "model.yaml")
    assert code == 1
    assert "stale: [seen-in-cluster:web-frontend->adservice]" in out
    assert run(capsys, "check", "model.yaml", "--update-baseline")[0] == 0
    entries = json.loads((folder / "layermodel-baseline.json").read_text(encoding="utf-8"))
    keys = [e["key"] for e in entries["entries"]]
    assert keys == ["layering:upward:payment->currency", "seen-in-cluster:checkout->email"]
    # the owners and reasons written by hand survive the update
    assert entries["entries"][0]["owner"] == "payments-team"
    assert run(capsys, "check", "model.yaml")[0] == 0


def test_the_site_shows_a_real_drift_report(tmp_path: Path, capsys, monkeypatch) -> None:
    """`layermodel drift --format json` is what `layermodel site --drift` reads."""
    monkeypatch.chdir(REPO)
    report = tmp_path / "drift.json"
    code, _, _ = run(
        capsys,
        *("drift", "examples/boutique-drift/model.yaml", "--against"),
        *("examples/boutique-drift/source", "--layer-rules", "examples/boutique-drift/rules.yaml"),
        *("--format", "json", "-o", str(report)),
    )
    assert code == 1
    site = tmp_path / "site"
    code, _, err = run(
        capsys,
        "site",
        "examples/boutique-drift/model.yaml",
        "--drift",
        str(report),
        "-o",
        str(site),
    )
    assert code == 0, err
    page = (site / "components" / "checkout.html").read_text(encoding="utf-8")
    section = page[page.index("Drift") :][:2000]
    assert "undeclared" in section and "email" in section  # checkout -> email, undeclared
