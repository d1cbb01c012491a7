"""Reading and writing model files: formats, atomic saves, standard input."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import layermodel as lm


def test_load_chooses_the_format_by_extension_and_content(write) -> None:
    text = '{"name": "J", "components": [{"id": "a", "layer": "ui"}]}'
    assert lm.load(write("m.json", text)).name == "J"
    assert lm.load(write("m.model", text)).name == "J"  # sniffed
    assert lm.load(write("m.yml", "name: Y\n")).name == "Y"


def test_name_defaults_to_the_file_stem(write) -> None:
    assert lm.load(write("payments.yaml", "components: []\n")).name == "payments"


def test_loads_and_dumps() -> None:
    eco = lm.loads("name: T\ncomponents: [{id: a, layer: ui}]\n")
    assert lm.loads(lm.dumps(eco, "json"), format="json") == eco
    with pytest.raises(lm.LayermodelError, match="unknown model format 'toml'"):
        lm.dumps(eco, "toml")


def test_loads_names_the_source_in_problems() -> None:
    with pytest.raises(lm.ModelError) as caught:
        lm.loads("name: [", source="inline.yaml")
    assert caught.value.problems[0].file == "inline.yaml"


def test_save_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "model.yaml"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    lm.save(lm.example(), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert lm.load(target) == lm.example()
    assert [p.name for p in tmp_path.iterdir()] == ["model.yaml"]  # no temporary left


def test_a_failed_save_leaves_the_old_file_untouched(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "model.yaml"
    target.write_text("old\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        lm.save(lm.example(), target)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["model.yaml"]


def test_save_into_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(lm.WriteError, match="cannot be written"):
        lm.save(lm.example(), tmp_path / "nope" / "m.yaml")


def test_yaml_output_reads_like_a_hand_written_model() -> None:
    text = lm.dumps(lm.example())
    assert text.startswith("layermodel: 1\nname: Google\n")
    assert "- id: search-box\n  name: Search box\n  layer: ui\n" in text
    assert "  depends_on: [query-understanding, api-gateway]\n" in text
    assert "  cost: 500000\n" in text  # integers stay integers
    assert "layers:" not in text  # the default stack is implied


def test_schema_describes_both_dependency_forms() -> None:
    schema = lm.model_file_schema()
    deps = schema["$defs"]["Component"]["properties"]["depends_on"]["items"]
    kinds = {entry.get("type") or entry.get("$ref") for entry in deps["anyOf"]}
    assert kinds == {"string", "#/$defs/Dependency"}
    assert schema["additionalProperties"] is False
    assert schema["$schema"].endswith("2020-12/schema")


def test_every_example_file_validates_against_the_schema() -> None:
    import jsonschema
    import yaml

    doc = yaml.safe_load(lm.example_text())
    jsonschema.validate(doc, lm.model_file_schema())
