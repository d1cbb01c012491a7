"""``layermodel drift``: a model against what the sources show.

The scenarios start from what discovery finds in real-world files, save it as the
declared model and then change the declared side at random (a seeded generator), so
the expected drift is known exactly without being written down by hand.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import layermodel as lm
from layermodel.checks import drift, observe
from layermodel.interop import discover
from tests.checks.helpers import run, save
from tests.conftest import EXAMPLES, SHARED_FIXTURES

REALWORLD = SHARED_FIXTURES / "realworld"
SOURCES = [
    REALWORLD / "online-boutique" / "kubernetes-manifests",
    REALWORLD / "otel-demo" / "compose.yaml",
    REALWORLD / "eshoponcontainers" / "src",
]
SARIF = json.loads(
    (SHARED_FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


def _declared(source: Path) -> dict[str, Any]:
    """What discovery finds in ``source``, as plain model data without provenance."""
    eco = discover(source).ecosystem
    data: dict[str, Any] = yaml.safe_load(lm.dumps(eco))
    for c in data["components"]:
        c.pop("provenance", None)
        c["depends_on"] = [
            d["target"] if isinstance(d, dict) else d for d in c.get("depends_on", [])
        ]
    return data


def _edges(data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["id"], t) for c in data["components"] for t in c.get("depends_on", [])}


def _pairs(records: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(r["from"], r["to"]) for r in records}


def _drift_json(
    capsys, model: Path, *sources: Path, extra: tuple[str, ...] = ()
) -> tuple[int, dict[str, Any]]:
    code, out, err = run(
        capsys, "drift", str(model), "--against", *map(str, sources), "--format", "json", *extra
    )
    assert code in (0, 1), err
    result: dict[str, Any] = json.loads(out)
    return code, result


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_the_discovered_model_agrees_with_its_sources(tmp_path: Path, capsys, source: Path) -> None:
    model = save(tmp_path / "model.yaml", _declared(source))
    code, report = _drift_json(capsys, model, source)
    assert code == 0 and not report["drifted"]
    assert report["score"] == 100.0
    assert report["undeclared"] == report["phantom"] == []


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_each_undeclared_and_phantom_dependency_is_named_exactly(
    tmp_path: Path, capsys, source: Path, seed: int
) -> None:
    rng = random.Random(seed)
    data = _declared(source)
    real = _edges(data)
    ids = [c["id"] for c in data["components"]]
    if not real:
        pytest.skip("no dependencies in this source")
    dropped = set(rng.sample(sorted(real), k=min(len(real), rng.randint(1, 3))))
    candidates = sorted({(a, b) for a in ids for b in ids if a != b} - real)
    added = set(rng.sample(candidates, k=min(len(candidates), rng.randint(1, 3))))
    for c in data["components"]:
        c["depends_on"] = [t for t in c["depends_on"] if (c["id"], t) not in dropped]
        c["depends_on"] += sorted(t for a, t in added if a == c["id"])
    model = save(tmp_path / "model.yaml", data)

    code, report = _drift_json(capsys, model, source)

    assert code == 1 and report["drifted"]
    assert _pairs(report["undeclared"]) == dropped
    assert _pairs(report["phantom"]) == added
    agreed = len(real) - len(dropped)
    assert report["agreed"] == agreed
    assert report["score"] == round(100 * agreed / (agreed + len(dropped) + len(added)), 2)
    # every undeclared dependency carries where reality showed it
    for record in report["undeclared"]:
        assert record["seen"], record
        for seen in record["seen"]:
            assert Path(seen["file"]).is_file() and seen["line"] >= 1 and seen["evidence"]
    # and every phantom one points at its line in the model
    text = model.read_text(encoding="utf-8").splitlines()
    for record in report["phantom"]:
        assert record["file"] == str(model)
        assert record["to"] in text[record["line"] - 1]


def test_renamed_components_are_matched_by_aliases_and_near_misses_suggested(
    tmp_path: Path, capsys
) -> None:
    source = SOURCES[0]
    data = _declared(source)
    names = {c["id"]: f"{c['id'].removesuffix('service')}-svc" for c in data["components"]}
    for c in data["components"]:
        c["id"] = names[c["id"]]
        c["depends_on"] = [names[t] for t in c["depends_on"]]
    for p in data.get("products", []):
        p["uses"] = [names[u] for u in p["uses"]]
    model = save(tmp_path / "model.yaml", data)

    code, report = _drift_json(capsys, model, source)
    assert code == 1
    unmodelled = {c["id"]: c["suggestion"] for c in report["unmodelled"]}
    assert unmodelled == {old: new for old, new in names.items()}
    assert {c["id"]: c["suggestion"] for c in report["unseen"]} == {
        new: old for old, new in names.items()
    }

    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump({"aliases": names}), encoding="utf-8")
    code, report = _drift_json(capsys, model, source, extra=("--layer-rules", str(rules)))
    assert code == 0, report
    assert report["score"] == 100.0


def test_layer_and_owner_mismatches(tmp_path: Path, capsys) -> None:
    source = SOURCES[0]
    data = _declared(source)
    moved = next(c for c in data["components"] if c["layer"] == "algorithms")
    moved["layer"] = "infrastructure"
    model = save(tmp_path / "model.yaml", data)
    discovered = tmp_path / "discovered.yaml"
    other = _declared(source)
    for c in other["components"]:
        c["owner"] = "team-a"
    for c in data["components"]:
        c["owner"] = "team-a"
    owned = data["components"][0]
    owned["owner"] = "team-b"
    save(model, data)
    save(discovered, other)

    code, report = _drift_json(capsys, model, discovered)  # a discovered model file
    assert code == 1
    assert [(c["id"], c["declared"], c["discovered"]) for c in report["layer_mismatches"]] == [
        (moved["id"], "infrastructure", "algorithms")
    ]
    assert [(c["id"], c["declared"], c["discovered"]) for c in report["owner_mismatches"]] == [
        (owned["id"], "team-b", "team-a")
    ]


def test_a_source_cannot_vouch_for_what_it_never_saw(tmp_path: Path) -> None:
    """A trace of two services says nothing of a third one's dependencies."""
    traces = tmp_path / "links.json"
    traces.write_text(
        json.dumps([{"parent": "web", "child": "api", "callCount": 5}]), encoding="utf-8"
    )
    eco = lm.loads(
        "name: t\ncomponents:\n"
        "- {id: web, layer: ui, depends_on: [api]}\n"
        "- {id: api, layer: algorithms, depends_on: [db]}\n"
        "- {id: batch, layer: algorithms, depends_on: [db]}\n"
        "- {id: db, layer: infrastructure}\n"
    )
    report = drift(eco, observe(traces))
    assert report.agreed == (("web", "api"),)
    # api is in the trace, so its declared dependency on db could have been seen
    assert [(d.source, d.target) for d in report.phantom] == [("api", "db")]
    # batch never appears: its dependency is not verifiable, and not in the score
    assert report.unverified == (("batch", "db"),)
    assert report.score == 50.0


def test_ignored_components_are_reported_on_neither_side(tmp_path: Path, capsys) -> None:
    source = SOURCES[0]
    data = _declared(source)
    data["components"].append({"id": "rack-1", "layer": "hardware"})
    model = save(tmp_path / "model.yaml", data)
    assert _drift_json(capsys, model, source)[0] == 1
    code, report = _drift_json(capsys, model, source, extra=("--ignore", "rack-*"))
    assert code == 0, report


def test_per_product_scores(tmp_path: Path) -> None:
    data = _declared(SOURCES[0])
    front = next(c for c in data["components"] if c["id"] == "frontend")
    front["depends_on"] = front["depends_on"][1:]
    eco = lm.loads(yaml.safe_dump(data))
    report = drift(eco, observe(SOURCES[0]))
    (product,) = report.products
    assert product.undeclared == 1 and product.phantom == 0
    assert product.agreed == len(report.agreed)


def test_the_example_drift_in_every_format(capsys, monkeypatch) -> None:
    folder = EXAMPLES / "boutique-drift"
    monkeypatch.chdir(folder)
    argv = ["drift", "model.yaml", "--against", "source", "--layer-rules", "rules.yaml"]
    code, out, _ = run(capsys, *argv, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert _pairs(report["undeclared"]) == {
        ("checkout", "email"),
        ("web-frontend", "adservice"),
    }
    assert _pairs(report["phantom"]) == {
        ("payment", "currency"),
        ("recommendation", "ad-service"),
        ("web-frontend", "ad-service"),
    }
    assert [(c["id"], c["suggestion"]) for c in report["unmodelled"]] == [
        ("adservice", "ad-service")
    ]

    code, out, _ = run(capsys, *argv, "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.validate(log, SARIF)
    results = log["runs"][0]["results"]
    kinds = (
        "undeclared",
        "phantom",
        "unmodelled",
        "unseen",
        "layer_mismatches",
        "owner_mismatches",
    )
    assert len(results) == sum(len(report[k]) for k in kinds)
    for result in results:
        location = result["locations"][0]["physicalLocation"]
        lines = Path(location["artifactLocation"]["uri"]).read_text(encoding="utf-8").splitlines()
        line = lines[location["region"]["startLine"] - 1]
        key = result["partialFingerprints"]["layermodelKey/v1"]
        named = key.split(":", 2)[2]
        if "->" in named:
            source, target = named.split("->")
            assert target in line or source in line, (key, line)
        else:
            assert named in line or named.removesuffix("service") in line, (key, line)

    code, out, _ = run(capsys, *argv, "--format", "github")
    assert code == 1
    assert out.count("::error file=") == len(results)

    code, out, _ = run(capsys, *argv, "--format", "junit")
    assert code == 1 and 'name="layermodel drift"' in out

    code, out, _ = run(capsys, *argv, "--format", "markdown")
    assert "## Undeclared dependencies" in out and "| `checkout` | `email` |" in out


def test_unreadable_sources_exit_2_and_leave_the_output(tmp_path: Path, capsys) -> None:
    model = save(tmp_path / "model.yaml", _declared(SOURCES[0]))
    out = tmp_path / "drift.json"
    out.write_text("previous\n", encoding="utf-8")
    bad = tmp_path / "docker-compose.yml"
    bad.write_text("services:\n  a: {image: x\n", encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text("ignore: {a: 1}\n", encoding="utf-8")
    cases = [
        ["--against", str(tmp_path / "missing")],
        ["--against", str(bad)],
        ["--against", str(SOURCES[0]), "--layer-rules", str(rules)],
    ]
    for extra in cases:
        code, _, err = run(capsys, "drift", str(model), *extra, "-o", str(out))
        assert code == 2, (extra, err)
        assert "Traceback" not in err
        assert out.read_text(encoding="utf-8") == "previous\n"
    _, _, err = run(capsys, "drift", str(model), *cases[2], "-o", str(out))
    assert f"{rules}:1" in err and "ignore must be a list" in err
    _, _, err = run(capsys, "drift", str(model), *cases[1], "-o", str(out))
    assert f"{bad}:" in err and "YAML syntax error" in err
