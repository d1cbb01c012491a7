"""A model written out and read back is the same model, in YAML and in JSON."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given

import layermodel as lm
from tests.strategies import ecosystems


@given(ecosystems())
def test_any_valid_ecosystem_survives_a_yaml_round_trip(eco: lm.Ecosystem) -> None:
    text = lm.dumps(eco, "yaml")
    back = lm.loads(text, "yaml")
    assert back == eco
    assert lm.dumps(back, "yaml") == text  # order and form are kept too


@given(ecosystems())
def test_any_valid_ecosystem_survives_a_json_round_trip(eco: lm.Ecosystem) -> None:
    text = lm.dumps(eco, "json")
    back = lm.loads(text, "json")
    assert back == eco
    assert lm.dumps(back, "json") == text


@given(ecosystems())
def test_yaml_to_model_to_json_to_model_gives_an_equal_model(eco: lm.Ecosystem) -> None:
    from_yaml = lm.loads(lm.dumps(eco, "yaml"), "yaml")
    from_json = lm.loads(lm.dumps(from_yaml, "json"), "json")
    assert from_json == from_yaml == eco


def test_example_round_trips_through_files(tmp_path: Path) -> None:
    eco = lm.example()
    lm.save(eco, tmp_path / "g.yaml")
    lm.save(eco, tmp_path / "g.json")
    assert lm.load(tmp_path / "g.yaml") == eco
    assert lm.load(tmp_path / "g.json") == eco


def test_short_and_long_dependency_forms_are_kept_as_written() -> None:
    text = (
        "name: t\ncomponents:\n"
        "  - {id: a, layer: ui, depends_on: [b, {target: c, required: false}]}\n"
        "  - {id: b, layer: infrastructure}\n  - {id: c, layer: infrastructure}\n"
    )
    eco = lm.loads(text)
    dumped = lm.dumps(eco)
    assert "depends_on:\n  - b\n  - {target: c, required: false}" in dumped
