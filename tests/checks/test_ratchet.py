"""The baseline is a ratchet, on models built from the examples."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from tests.checks.helpers import depend, google, legacy, run, save, undepend


@pytest.fixture
def adopted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A legacy model whose two violations are in a fresh baseline."""
    model = save(tmp_path / "model.yaml", legacy())
    code, _, _ = run(capsys, "check", str(model))
    assert code == 1
    code, out, err = run(capsys, "check", str(model), "--update-baseline")
    assert code == 0, out + err
    assert "wrote" in err
    return model


def _entries(model: Path) -> list[dict[str, str]]:
    data = json.loads((model.parent / "layermodel-baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["model"] == "Google"
    entries: list[dict[str, str]] = data["entries"]
    return entries


def test_no_configuration_runs_layering_and_cycles(tmp_path: Path, capsys) -> None:
    model = save(tmp_path / "model.yaml", google())
    code, out, _ = run(capsys, "check", str(model), "--format", "json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)["rules"]] == ["layering", "cycles"]


def test_the_baseline_records_todays_findings(adopted: Path) -> None:
    assert [e["key"] for e in _entries(adopted)] == [
        "layering:upward:distributed-db->logo",
        "layering:upward:mapreduce->collaboration",
    ]


def test_a_new_upward_dependency_fails(adopted: Path, capsys) -> None:
    save(adopted, depend(legacy(), "ml-pipeline", "geocoding"))
    code, out, _ = run(capsys, "check", str(adopted))
    assert code == 1
    assert "new: [layering:upward:ml-pipeline->geocoding]" in out
    assert "distributed-db->logo" in out  # still listed, as baselined
    assert "1 new" in out


def test_fixing_a_baselined_violation_fails_until_the_baseline_is_updated(
    adopted: Path, capsys
) -> None:
    save(adopted, undepend(legacy(), "mapreduce", "collaboration"))
    code, out, _ = run(capsys, "check", str(adopted))
    assert code == 1
    assert (
        "entry layering:upward:mapreduce->collaboration no longer matches a finding: "
        "remove it with --update-baseline" in out
    )
    # the message points at the entry's line in the baseline
    baseline = adopted.parent / "layermodel-baseline.json"
    where = next(line for line in out.splitlines() if "no longer matches" in line)
    number = int(where.split(":")[1])
    assert (
        "mapreduce->collaboration" in baseline.read_text(encoding="utf-8").splitlines()[number - 1]
    )
    code, _, _ = run(capsys, "check", str(adopted), "--update-baseline")
    assert code == 0
    assert [e["key"] for e in _entries(adopted)] == ["layering:upward:distributed-db->logo"]
    code, _, _ = run(capsys, "check", str(adopted))
    assert code == 0


def test_reordering_and_reformatting_the_model_changes_nothing(adopted: Path, capsys) -> None:
    baseline = adopted.parent / "layermodel-baseline.json"
    before = baseline.read_bytes()
    data = legacy()
    random.Random(7).shuffle(data["components"])
    data["products"].reverse()
    save(adopted, data, default_flow_style=True, width=60)
    code, out, _ = run(capsys, "check", str(adopted))
    assert code == 0, out
    json_model = adopted.with_suffix(".json")
    json_model.write_text(json.dumps(data, indent=4), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(json_model))
    assert code == 0, out
    code, _, _ = run(capsys, "check", str(adopted), "--update-baseline")
    assert code == 0 and baseline.read_bytes() == before


def test_an_expired_entry_fails_and_update_keeps_its_metadata(adopted: Path, capsys) -> None:
    baseline = adopted.parent / "layermodel-baseline.json"
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["entries"][0].update(owner="storage", reason="legacy", expires="2020-01-31")
    data["entries"][1].update(
        owner="infra", expires=(dt.date.today() + dt.timedelta(30)).isoformat()
    )
    baseline.write_text(json.dumps(data, indent=2), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(adopted))
    assert code == 1
    assert "entry layering:upward:distributed-db->logo expired on 2020-01-31" in out
    code, _, _ = run(capsys, "check", str(adopted), "--update-baseline")
    assert code == 1  # still expired: the date is kept, the finding must be fixed
    entries = _entries(adopted)
    assert entries[0]["owner"] == "storage" and entries[0]["reason"] == "legacy"
    assert entries[0]["expires"] == "2020-01-31"
    assert entries[1]["owner"] == "infra"


def test_an_explicit_baseline_path(tmp_path: Path, capsys) -> None:
    model = save(tmp_path / "model.yaml", legacy())
    other = tmp_path / "ci" / "baseline.json"
    other.parent.mkdir()
    assert run(capsys, "check", str(model), "--baseline", str(other), "--update-baseline")[0] == 0
    assert other.exists() and not (tmp_path / "layermodel-baseline.json").exists()
    assert run(capsys, "check", str(model), "--baseline", str(other))[0] == 0
    assert run(capsys, "check", str(model))[0] == 1
