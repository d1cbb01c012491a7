"""SARIF 2.1.0 (schema-valid, located at the line naming the id), JUnit XML and GitHub
workflow commands."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from layermodel.checks import CheckResult, Finding, compare, render
from layermodel.model import CheckRule
from tests.checks.helpers import depend, legacy, run, save, undepend
from tests.conftest import SHARED_FIXTURES

SCHEMA = json.loads(
    (SHARED_FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)

RULES = """\
checks:
  - {id: layers, rule: layering}
  - {id: loops, rule: cycles}
  - id: no-hw-to-ui
    rule: forbidden
    description: Hardware never calls the UI.
    from: {layer: infrastructure}
    to: {layer: ui}
  - {id: spof, rule: spof, max_share: 1}
"""


@pytest.fixture
def model(tmp_path: Path, capsys) -> Path:
    """A legacy model with rules, its findings baselined, one more finding added and
    one baselined finding fixed."""
    path = save(tmp_path / "model.yaml", legacy())
    path.write_text(path.read_text(encoding="utf-8") + RULES, encoding="utf-8")
    assert run(capsys, "check", str(path), "--update-baseline")[0] == 0
    data = undepend(depend(legacy(), "ml-pipeline", "geocoding"), "mapreduce", "collaboration")
    save(path, data)
    path.write_text(path.read_text(encoding="utf-8") + RULES, encoding="utf-8")
    return path


def _sarif(model: Path, capsys) -> dict:
    code, out, _ = run(capsys, "check", str(model), "--format", "sarif")
    assert code == 1
    log: dict = json.loads(out)
    return log


def test_sarif_is_valid_and_located(model: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(model.parent)
    log = _sarif(model, capsys)
    jsonschema.validate(log, SCHEMA)
    run_ = log["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert {"layers", "loops", "no-hw-to-ui", "spof", "baseline"} <= set(rules)
    assert rules["no-hw-to-ui"]["shortDescription"]["text"] == "Hardware never calls the UI."
    results = run_["results"]
    assert results
    texts = {
        "model.yaml": model.read_text(encoding="utf-8").splitlines(),
        "layermodel-baseline.json": (model.parent / "layermodel-baseline.json")
        .read_text(encoding="utf-8")
        .splitlines(),
    }
    errors = [r for r in results if r["level"] == "error"]
    assert {r["partialFingerprints"]["layermodelKey/v1"] for r in errors} == {
        "layers:upward:ml-pipeline->geocoding",
        "baseline:stale:layers:upward:mapreduce->collaboration",
    }
    for result in results:
        assert result["ruleId"] in rules and result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        line = texts[uri][location["region"]["startLine"] - 1]
        key = result["partialFingerprints"]["layermodelKey/v1"]
        key = key.split(":", 2)[2] if key.startswith("baseline:") else key
        if uri == "layermodel-baseline.json":
            assert f'"key": "{key}"' in line  # the entry's key
        else:
            # the line holds the component or dependency the result names: for a
            # dependency, its target in the consumer's depends_on
            named = key.rsplit(":", 1)[-1]
            target = named.split("->")[-1] if "->" in named else named.split("+")[0]
            assert target in line, (key, line)
    dependency = next(r for r in errors if "ml-pipeline (infrastructure)" in r["message"]["text"])
    line = dependency["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert "geocoding" in texts["model.yaml"][line - 1]
    assert "ml-pipeline" in "\n".join(texts["model.yaml"][line - 12 : line])


def test_junit_is_well_formed(model: Path, capsys) -> None:
    code, out, _ = run(capsys, "check", str(model), "--format", "junit")
    assert code == 1
    root = ET.fromstring(out.encode())
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert {"layers", "loops", "no-hw-to-ui", "spof", "baseline"} == set(suites)
    failed = [
        c.get("name") for c in suites["layers"].iter("testcase") if c.find("failure") is not None
    ]
    assert failed == ["layers:upward:ml-pipeline->geocoding"]
    assert suites["layers"].get("failures") == "1"
    assert suites["baseline"].find("testcase/failure") is not None
    assert suites["loops"].get("tests") == "1"  # a passing rule is one passing case
    assert root.get("failures") == "2"


def test_github_commands(model: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(model.parent)
    code, out, _ = run(capsys, "check", str(model), "--format", "github")
    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(errors) == 2
    assert errors[0].startswith("::error file=model.yaml,line=")
    assert "title=layermodel layers%3A upward%3A" not in errors[0]  # keys are not split
    assert "title=layermodel layers%3A layers%3Aupward%3Aml-pipeline->geocoding::" in errors[0]


def test_github_escapes_data_and_properties() -> None:
    finding = Finding(
        key="r:a->b",
        rule="r",
        rule_type="forbidden",
        message="100% bad\r\nreally",
        ids=("a", "b"),
        file="dir,x/m:1.yaml",
        line=3,
    )
    result = compare("M", (CheckRule(id="r", rule="layering"),), (finding,), None)
    line = render(result, "github").splitlines()[0]
    assert line.endswith("::100%25 bad%0D%0Areally")
    assert "m%3A1.yaml" in line and "dir%2Cx" in line


def test_text_json_markdown(model: Path, capsys) -> None:
    code, out, _ = run(capsys, "check", str(model), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["passed"] is False
    assert [f["key"] for f in data["new"]] == ["layers:upward:ml-pipeline->geocoding"]
    assert [e["key"] for e in data["stale"]] == ["layers:upward:mapreduce->collaboration"]
    code, out, _ = run(capsys, "check", str(model), "--format", "markdown")
    assert out.startswith("# layermodel check: Google") and "## Failures" in out


def test_output_file_is_written_only_as_a_whole(model: Path, capsys, tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    code, out, err = run(capsys, "check", str(model), "--format", "sarif", "-o", str(target))
    assert code == 1 and out == "" and "wrote" in err
    jsonschema.validate(json.loads(target.read_text(encoding="utf-8")), SCHEMA)


def test_a_passing_result_in_every_format() -> None:
    import layermodel as lm
    from layermodel.checks import FORMATS, check

    result: CheckResult = check(lm.example())
    assert result.passed
    for fmt in FORMATS:
        assert render(result, fmt)
    jsonschema.validate(json.loads(render(result, "sarif")), SCHEMA)
