"""Each rule type, on small models and on the examples."""

from __future__ import annotations

from pathlib import Path

import pytest

import layermodel as lm
from layermodel.checks import check, evaluate, source_lines
from layermodel.model import CheckRule
from tests.checks.helpers import GOOGLE


def _model(rules: str, extra: str = "") -> lm.Ecosystem:
    return lm.loads(
        f"""
name: Shop
components:
  - {{id: web, layer: ui, owner: front, tags: [public], depends_on: [pay-api, search]}}
  - {{id: admin, layer: ui, owner: back, depends_on: [pay-db]}}
  - {{id: search, layer: algorithms, depends_on: [pay-db]}}
  - {{id: pay-api, layer: infrastructure, owner: payments, availability: 0.99, depends_on: [pay-db]}}
  - {{id: pay-db, layer: infrastructure, owner: payments, tags: [pci], availability: 0.995}}
products:
  - {{id: shop, uses: [web], weight: 3, availability_target: 0.99}}
  - {{id: backoffice, uses: [admin], availability_target: 0.99}}
{extra}
checks:
{rules}
"""
    )


def _keys(eco: lm.Ecosystem) -> list[str]:
    return [f.key for f in evaluate(eco)]


@pytest.mark.parametrize(
    ("selectors", "keys"),
    [
        ("from: {layer: ui}, to: {layer: infrastructure}", ["f:admin->pay-db", "f:web->pay-api"]),
        (
            "from: {id: '*'}, to: {tag: pci}",
            ["f:admin->pay-db", "f:pay-api->pay-db", "f:search->pay-db"],
        ),
        ("from: {owner: 'fr*'}, to: {id: 'pay-*'}", ["f:web->pay-api"]),
        ("from: {tag: public, layer: ui}, to: {owner: payments}", ["f:web->pay-api"]),
        ("from: {layer: algorithms}, to: {id: 'pay-db', owner: nobody}", []),
        ("from: {id: '*b'}, to: {id: 'search'}", ["f:web->search"]),
    ],
)
def test_forbidden(selectors: str, keys: list[str]) -> None:
    assert _keys(_model(f"  - {{id: f, rule: forbidden, {selectors}}}")) == keys


def test_reuse() -> None:
    eco = _model("  - {id: r, rule: reuse, min_percent: 40}")
    findings = evaluate(eco)
    # shop: web, pay-api, search, pay-db (pay-db shared): 25%; backoffice: admin, pay-db: 50%
    assert [f.key for f in findings] == ["r:shop"]
    assert "25.0%" in findings[0].message
    only = _model("  - {id: r, rule: reuse, min_percent: 60, products: [backoffice]}")
    assert _keys(only) == ["r:backoffice"]


def test_specific() -> None:
    assert _keys(_model("  - {id: s, rule: specific, max: 1}")) == []
    assert _keys(_model("  - {id: s, rule: specific, max: 0}")) == [
        "s:backoffice:ui",
        "s:shop:algorithms",
        "s:shop:infrastructure",
        "s:shop:ui",
    ]
    assert _keys(_model("  - {id: s, rule: specific, max: 0, layer: ui}")) == [
        "s:backoffice:ui",
        "s:shop:ui",
    ]


def test_availability() -> None:
    findings = evaluate(_model("  - {id: a, rule: availability}"))
    # shop needs pay-api (0.99) and pay-db (0.995): 0.985 < 0.99; backoffice 0.995
    assert [f.key for f in findings] == ["a:shop"]
    assert "below its target 0.99" in findings[0].message


def test_availability_target_is_validated() -> None:
    with pytest.raises(lm.ModelError, match="availability_target"):
        lm.loads("products:\n  - {id: p, availability_target: 1.5}\n")
    with pytest.raises(lm.ModelError, match="availability_target"):
        lm.loads("products:\n  - {id: p, availability_target: 0}\n")


def test_spof() -> None:
    # weights: shop 3, backoffice 1; pay-db takes both down, the others shop's 75%
    assert _keys(_model("  - {id: s, rule: spof, max_share: 0.8}")) == ["s:pay-db"]
    assert _keys(_model("  - {id: s, rule: spof, max_share: 0.5}")) == [
        "s:pay-api",
        "s:pay-db",
        "s:search",
        "s:web",
    ]
    assert _keys(_model("  - {id: s, rule: spof, max_share: 1}")) == []


def test_layering_and_cycles() -> None:
    eco = lm.loads(
        "components:\n"
        "  - {id: a, layer: ui, depends_on: [b]}\n"
        "  - {id: b, layer: infrastructure, depends_on: [a, c]}\n"
        "  - {id: c, layer: hardware, depends_on: [c]}\n"
    )
    assert _keys(eco) == [
        "cycles:a+b",
        "cycles:c",
        "layering:upward:b->a",
    ]


def test_findings_carry_their_lines(tmp_path: Path) -> None:
    text = GOOGLE.read_text(encoding="utf-8").replace(
        "    cost: 500000\n", "    cost: 500000\n    depends_on: [logo]\n", 1
    )
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    eco = lm.load(path)
    cycle, finding = evaluate(eco, lines=source_lines([path]))
    assert finding.key == "layering:upward:data-centres->logo"
    assert finding.file == str(path)
    assert "depends_on: [logo]" in text.splitlines()[finding.line - 1]
    assert cycle.key.startswith("cycles:") and cycle.line is not None


def test_the_examples_pass_by_default() -> None:
    assert check(lm.load(GOOGLE), files=[GOOGLE]).passed


def test_rules_survive_save_and_load(tmp_path: Path) -> None:
    eco = _model("  - {id: f, rule: forbidden, from: {layer: ui}, to: {tag: pci}}")
    path = tmp_path / "m.yaml"
    lm.save(eco, path)
    again = lm.load(path)
    assert again.checks == eco.checks
    assert again.checks[0] == CheckRule.model_validate(
        {"id": "f", "rule": "forbidden", "from": {"layer": "ui"}, "to": {"tag": "pci"}}
    )
    assert "availability_target" in lm.model_file_schema()["$defs"]["Product"]["properties"]
    assert "checks" in lm.model_file_schema()["properties"]


@pytest.mark.parametrize(("floor", "keys"), [(80, ["launch:photos"]), (70, [])])
def test_launch_reuse(tmp_path: Path, capsys, floor: int, keys: list[str]) -> None:
    from tests.checks.helpers import run

    photos = GOOGLE.parent / "google-photos.yaml"
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "photos.yaml").write_text(photos.read_text(encoding="utf-8"))
    model = tmp_path / "model.yaml"
    model.write_text(
        GOOGLE.read_text(encoding="utf-8")
        + f"checks:\n  - {{id: launch, rule: launch-reuse, min_percent: {floor}, "
        "product_file: plans/photos.yaml}\n",
        encoding="utf-8",
    )
    eco = lm.load(model)
    findings = evaluate(eco, files=[model])
    assert [f.key for f in findings] == keys
    if keys:
        assert "75.0%" in findings[0].message and "photos-app" in findings[0].message
        assert findings[0].file is not None and findings[0].file.endswith("photos.yaml")
        line = (tmp_path / "plans" / "photos.yaml").read_text().splitlines()[findings[0].line - 1]
        assert "photos" in line
    code, out, _ = run(capsys, "check", str(model))
    assert code == (1 if keys else 0), out


def test_launch_reuse_with_a_missing_product_file(tmp_path: Path, capsys) -> None:
    from tests.checks.helpers import run

    model = tmp_path / "model.yaml"
    model.write_text(
        GOOGLE.read_text(encoding="utf-8")
        + "checks:\n  - {id: launch, rule: launch-reuse, min_percent: 50, product_file: nope.yaml}\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "check", str(model))
    assert code == 2 and "nope.yaml" in err


def test_only_star_is_a_wildcard() -> None:
    eco = lm.loads(
        "components:\n"
        "  - {id: a, layer: ui, owner: 'team [x]', depends_on: [b]}\n"
        "  - {id: b, layer: infrastructure, owner: 'team x'}\n"
        "checks:\n"
        "  - {id: f, rule: forbidden, from: {owner: 'team [x]'}, to: {owner: 'team*'}}\n"
        "  - {id: g, rule: forbidden, from: {owner: 'team ?x?'}, to: {id: '*'}}\n"
    )
    assert _keys(eco) == ["f:a->b"]
