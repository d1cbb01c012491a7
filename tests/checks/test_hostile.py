"""Bad rules and bad baselines: exit 2, the file and line, the baseline unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.checks.helpers import legacy, run, save


@pytest.fixture
def adopted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    model = save(tmp_path / "model.yaml", legacy())
    assert run(capsys, "check", str(model), "--update-baseline")[0] == 0
    return model


def _with_rules(tmp_path: Path, rules: str) -> Path:
    text = save(tmp_path / "model.yaml", legacy()).read_text(encoding="utf-8")
    path = tmp_path / "model.yaml"
    path.write_text(text + "checks:\n" + rules, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(
    ("rules", "needle", "message"),
    [
        ("  - {id: x, rule: nonsense}\n", "nonsense", "layering"),
        (
            "  - {id: x, rule: forbidden, from: {layer: nowhere}, to: {id: a}}\n",
            "nowhere",
            "unknown layer 'nowhere'",
        ),
        ("  - {id: x, rule: forbidden, from: {}, to: {id: a}}\n", "from: {}", "selector needs"),
        (
            "  - {id: x, rule: forbidden, from: {colour: red}, to: {id: a}}\n",
            "colour",
            "unknown key 'colour'",
        ),
        (
            "  - {id: x, rule: forbidden, from: {id: 'a b'}, to: {id: a}}\n",
            "a b",
            "invalid id 'a b'",
        ),
        ("  - {id: x, rule: forbidden, to: {id: a}}\n", "rule: forbidden", "needs from"),
        ("  - {id: x, rule: reuse, min_percent: 150}\n", "min_percent: 150", "100"),
        (
            "  - {id: x, rule: reuse, min_percent: 50, products: [nope]}\n",
            "nope",
            "unknown product 'nope'",
        ),
        (
            "  - {id: x, rule: cycles}\n  - {id: x, rule: layering}\n",
            "rule: layering",
            "duplicate check id 'x'",
        ),
        ("  - {id: x, rule: spof}\n", "rule: spof", "needs max_share"),
        ("  - {id: x, rule: layering, max: 2}\n", "max: 2", "does not take max"),
    ],
)
def test_bad_rules(tmp_path: Path, capsys, rules: str, needle: str, message: str) -> None:
    model = _with_rules(tmp_path, rules)
    code, _out, err = run(capsys, "check", str(model))
    assert code == 2, err
    assert message in err
    assert f"{model}:{_line_of(model, needle)}:" in err
    assert "the check configuration is not valid" in err
    assert not (tmp_path / "layermodel-baseline.json").exists()


def _tamper(adopted: Path, text: str) -> tuple[Path, str]:
    baseline = adopted.parent / "layermodel-baseline.json"
    baseline.write_text(text, encoding="utf-8")
    return baseline, text


def _entry(key: str, rule: str = "layering", extra: str = "") -> str:
    return f'    {{"key": "{key}", "rule": "{rule}"{extra}}}'


def _baseline(*entries: str, model: str = "Google", top: str = "") -> str:
    return (
        f'{{\n  "version": 1,\n  "model": "{model}",{top}\n  "entries": [\n'
        + ",\n".join(entries)
        + "\n  ]\n}\n"
    )


GOOD = "layering:upward:distributed-db->logo"

HOSTILE = {
    "malformed": ('{"version": 1, "model": "Google", "entries": [\n', 2, "JSON syntax error"),
    "duplicate key": (
        '{\n  "version": 1,\n  "model": "Google",\n  "model": "Google",\n  "entries": []\n}\n',
        4,
        "duplicate key",
    ),
    "alias bomb": (
        "version: 1\nmodel: Google\na: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
            for i in range(8)
        )
        + "entries: []\n",
        None,
        "alias",
    ),
    "another model": (_baseline(_entry(GOOD), model="Amazon"), 3, "not 'Google'"),
    "unknown key": (_baseline(_entry(GOOD), top='\n  "colour": "red",'), 4, "unknown key 'colour'"),
    "unknown entry key": (_baseline(_entry(GOOD, extra=', "line": 12')), 5, "unknown key 'line'"),
    "unknown rule": (_baseline(_entry("spof:vms", "spof")), 5, "unknown rule 'spof'"),
    "wildcard": (_baseline(_entry("layering:upward:*")), 5, "wildcard"),
    "key of another rule": (_baseline(_entry("cycles:a+b")), 5, "does not belong"),
    "bad date": (_baseline(_entry(GOOD, extra=', "expires": "soon"')), 5, "expires must be a date"),
    "version": (_baseline(_entry(GOOD)).replace('"version": 1', '"version": 7'), 2, "version 7"),
    "listed twice": (_baseline(_entry(GOOD), _entry(GOOD)), 6, "listed twice"),
    "not a mapping": ("[1, 2]\n", 1, "mapping"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("update", [False, True])
def test_bad_baselines(adopted: Path, capsys, case: str, update: bool) -> None:
    text, line, message = HOSTILE[case]
    baseline, _ = _tamper(adopted, text)
    if case == "alias bomb":
        baseline = baseline.rename(baseline.with_suffix(".yaml"))
    argv = ["check", str(adopted), "--baseline", str(baseline)]
    code, out, err = run(capsys, *argv, *(["--update-baseline"] if update else []))
    assert code == 2, out + err
    assert message in err
    where = re.escape(str(baseline)) + (f":{line}:" if line else r":\d+")
    assert re.search(where, err), err
    assert baseline.read_text(encoding="utf-8") == text
    assert out == ""


def test_an_unreadable_model_is_exit_2(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "missing.yaml"))
    assert code == 2 and "missing.yaml" in err


def test_an_invalid_model_is_exit_1_as_everywhere(tmp_path: Path, capsys) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("components:\n  - {id: a, layer: nowhere}\n", encoding="utf-8")
    assert run(capsys, "check", str(model))[0] == 1


def test_the_baseline_json_is_stable(adopted: Path) -> None:
    data = json.loads((adopted.parent / "layermodel-baseline.json").read_text(encoding="utf-8"))
    assert list(data) == ["version", "model", "entries"]
