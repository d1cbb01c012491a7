"""Loading a split model from texts (loads_files), and file by file (parse_file then
merge_files), gives what load() gives for the same files."""

from __future__ import annotations

from pathlib import Path

import pytest

import layermodel as lm
from layermodel.model.io import loads_files, merge_files, parse_file

CORE = """\
name: Split
components:
  - {id: app, layer: ui, depends_on: [db]}
"""
MORE = """\
components:
  - {id: db, layer: infrastructure}
products:
  - {id: shop, uses: [app]}
"""


def test_loads_files_and_merge_files_match_load(write) -> None:  # type: ignore[no-untyped-def]
    a, b = write("core.yaml", CORE), write("more.yaml", MORE)
    expected = lm.load(a, b)
    texts = [("core.yaml@abc", CORE, "yaml"), ("more.yaml@abc", MORE.encode(), None)]
    assert loads_files(texts) == expected
    merged = merge_files([parse_file(CORE, "core.yaml"), parse_file(MORE, "more.yaml")])
    assert merged == expected
    alone = parse_file("components: [{id: a, layer: ui}]\n", "c")
    assert merge_files([alone], default_name="x").name == "x"


def test_problems_name_the_display_name_and_line() -> None:
    broken = MORE.replace("infrastructure", "nowhere")
    with pytest.raises(lm.ModelError) as caught:
        loads_files([("core.yaml@1234567", CORE, "yaml"), ("more.yaml@1234567", broken, "yaml")])
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("more.yaml@1234567", 2)
    assert "unknown layer 'nowhere'" in problem.message


def test_a_file_that_is_invalid_on_its_own_is_refused_by_parse_file() -> None:
    with pytest.raises(lm.ModelError) as caught:
        parse_file("components: [{id: a, layer: ui, colour: red}]\n", "x.yaml@f00")
    assert caught.value.problems[0].file == "x.yaml@f00"
    with pytest.raises(lm.ModelError):
        parse_file(b"\xff\xfe\x00broken", "bytes.yaml")


def test_merge_problems_are_raised_without_lines() -> None:
    parts = [parse_file(CORE, "core.yaml"), parse_file(CORE, "again.yaml")]
    with pytest.raises(lm.ModelError) as caught:
        merge_files(parts)
    assert any("app" in p.message for p in caught.value.problems)


def test_empty_inputs_are_refused() -> None:
    with pytest.raises(lm.LayermodelError):
        loads_files([])
    with pytest.raises(lm.LayermodelError):
        merge_files([])


def test_a_json_file_among_yaml_files(tmp_path: Path) -> None:
    json_text = '{"components": [{"id": "db", "layer": "infrastructure"}], "products": [{"id": "shop", "uses": ["app"]}]}'
    eco = loads_files([("core.yaml", CORE, None), ("more.json", json_text, None)])
    assert [c.id for c in eco.components] == ["app", "db"]
