"""Rules in pyproject.toml ([tool.layermodel]) and the drift rules of ``check``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.checks.helpers import depend, legacy, run, save
from tests.conftest import EXAMPLES

PYPROJECT = """\
[project]
name = "portfolio"

[tool.layermodel]
baseline = "ci/layermodel-baseline.json"

[[tool.layermodel.checks]]
id = "layers"
rule = "layering"

[[tool.layermodel.checks]]
id = "no-infra-to-ui"
rule = "forbidden"
from = {layer = "infrastructure"}
to = {layer = "ui"}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with its model in models/ and its rules in pyproject.toml."""
    (tmp_path / "models").mkdir()
    (tmp_path / "ci").mkdir()
    save(tmp_path / "models" / "model.yaml", legacy())
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return tmp_path


def test_rules_and_baseline_come_from_pyproject(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    code, out, _ = run(capsys, "check", "models/model.yaml", "--format", "json")
    assert code == 1
    result = json.loads(out)
    assert [r["id"] for r in result["rules"]] == ["layers", "no-infra-to-ui"]
    keys = {f["key"] for f in result["new"]}
    assert "no-infra-to-ui:distributed-db->logo" in keys
    assert "layers:upward:distributed-db->logo" in keys
    # the baseline goes where [tool.layermodel] says, and then the check passes
    assert run(capsys, "check", "models/model.yaml", "--update-baseline")[0] == 0
    baseline = project / "ci" / "layermodel-baseline.json"
    assert {e["key"] for e in json.loads(baseline.read_text(encoding="utf-8"))["entries"]} == keys
    assert run(capsys, "check", "models/model.yaml")[0] == 0
    # a new finding fails against the configured baseline
    save(project / "models" / "model.yaml", depend(legacy(), "ml-pipeline", "geocoding"))
    code, out, _ = run(capsys, "check", "models/model.yaml")
    assert code == 1 and "[layers:upward:ml-pipeline->geocoding]" in out


def test_an_explicit_config_and_the_model_rules_combine(
    project: Path, capsys, tmp_path: Path
) -> None:
    data = legacy()
    data["checks"] = [{"id": "loops", "rule": "cycles"}]
    model = save(project / "models" / "model.yaml", data)
    moved = tmp_path / "elsewhere.toml"
    shutil.move(project / "pyproject.toml", moved)
    code, out, _ = run(capsys, "check", str(model), "--config", str(moved), "--format", "json")
    assert code == 1
    assert [r["id"] for r in json.loads(out)["rules"]] == ["loops", "layers", "no-infra-to-ui"]


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (
            lambda t: t.replace('rule = "forbidden"', 'rule = "forbiden"'),
            13,
            "did you mean 'forbidden'",
        ),
        (lambda t: t.replace('{layer = "ui"}', '{layer = "uii"}'), 15, "unknown layer 'uii'"),
        (lambda t: t.replace('id = "no-infra-to-ui"', 'id = "layers"'), 12, "duplicate check id"),
        (
            lambda t: t.replace('to = {layer = "ui"}', 'to = {lair = "ui"}'),
            15,
            "unknown key 'lair'",
        ),
        (
            lambda t: t.replace('from = {layer = "infrastructure"}', "from = {"),
            14,
            "not valid TOML",
        ),
        # appended at the end, the key belongs to the last [[tool.layermodel.checks]]
        (lambda t: t + 'colour = "red"\n', 16, "unknown key 'colour'"),
        (lambda t: t.replace('baseline = "ci', 'baselines = "ci'), 5, "unknown key 'baselines'"),
    ],
)
def test_bad_configuration_names_the_file_and_line_and_changes_nothing(
    project: Path, capsys, monkeypatch, change, line: int, words: str
) -> None:
    monkeypatch.chdir(project)
    baseline = project / "ci" / "layermodel-baseline.json"
    assert run(capsys, "check", "models/model.yaml", "--update-baseline")[0] == 0
    before = baseline.read_bytes()
    pyproject = project / "pyproject.toml"
    pyproject.write_text(change(PYPROJECT), encoding="utf-8")
    for extra in ((), ("--update-baseline",)):
        code, _, err = run(capsys, "check", "models/model.yaml", *extra)
        assert code == 2, err
        assert "Traceback" not in err
        assert f"pyproject.toml:{line}" in err and words in err, err
        assert baseline.read_bytes() == before


def test_the_pyproject_schema_accepts_the_example_table(capsys) -> None:
    import tomllib

    code, out, _ = run(capsys, "schema", "--pyproject")
    assert code == 0
    schema = json.loads(out)
    table = tomllib.loads(PYPROJECT)["tool"]["layermodel"]
    jsonschema.validate(table, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**table, "checks": [{"id": "x", "rule": "nope"}]}, schema)


def test_drift_rules_in_check_with_a_baseline(tmp_path: Path, capsys, monkeypatch) -> None:
    """The example's undeclared dependencies are baselined; a new one fails; the drift
    floor fails when the score drops below it."""
    folder = tmp_path / "boutique"
    shutil.copytree(EXAMPLES / "boutique-drift", folder)
    monkeypatch.chdir(folder)
    (folder / "layermodel-baseline.json").unlink(missing_ok=True)
    code, out, _ = run(capsys, "check", "model.yaml", "--format", "json")
    assert code == 1
    keys = {f["key"] for f in json.loads(out)["new"]}
    assert {
        "seen-in-cluster:checkout->email",
        "seen-in-cluster:web-frontend->adservice",
    } <= keys
    assert not any(k.startswith("drift-floor") for k in keys)
    assert run(capsys, "check", "model.yaml", "--update-baseline")[0] == 0
    assert run(capsys, "check", "model.yaml")[0] == 0
    # the cluster starts calling something the model does not have
    manifest = folder / "source" / "shippingservice.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "        env:\n" in text
    manifest.write_text(
        text.replace(
            "        env:\n",
            '        env:\n        - name: CURRENCY_SERVICE_ADDR\n          value: "currencyservice:7000"\n',
            1,
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", "model.yaml")
    assert code == 1
    assert "[seen-in-cluster:shipping->currency]" in out
    assert "source/shippingservice.yaml" in out
    # and a floor above today's score fails, with its line in the model
    data = yaml.safe_load((folder / "model.yaml").read_text(encoding="utf-8"))
    for rule in data["checks"]:
        if rule["id"] == "drift-floor":
            rule["min_percent"] = 95
    save(folder / "model.yaml", data)
    code, out, _ = run(capsys, "check", "model.yaml")
    assert code == 1 and "[drift-floor:score] drift score" in out


def test_drift_rules_need_their_sources(tmp_path: Path, capsys) -> None:
    data = legacy()
    data["checks"] = [{"id": "d", "rule": "drift", "min_percent": 90}]
    model = save(tmp_path / "model.yaml", data)
    code, _, err = run(capsys, "check", str(model))
    assert code == 2 and "needs sources" in err and "model.yaml:" in err
    data["checks"] = [{"id": "d", "rule": "undeclared", "sources": ["nowhere"]}]
    save(model, data)
    code, _, err = run(capsys, "check", str(model))
    assert code == 2 and "nowhere" in err and "Traceback" not in err
