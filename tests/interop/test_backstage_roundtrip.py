"""A model exported to Backstage and imported back is the same model."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import layermodel as lm
from layermodel.interop import backstage_entities, export_backstage, import_backstage
from layermodel.interop.backstage.names import is_valid_name, is_valid_tag
from tests.strategies import ecosystems


def roundtrip(eco: lm.Ecosystem, folder: Path) -> lm.Ecosystem:
    path = folder / "catalog-info.yaml"
    path.write_text(export_backstage(eco), encoding="utf-8")
    result = import_backstage(path)
    assert result.problems == ()
    return result.ecosystem


def test_the_google_example_round_trips(tmp_path: Path) -> None:
    assert roundtrip(lm.example(), tmp_path) == lm.example()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(eco=ecosystems())
def test_any_model_round_trips_through_backstage(eco: lm.Ecosystem, tmp_path: Path) -> None:
    assert roundtrip(eco, tmp_path) == eco


@settings(max_examples=40)
@given(eco=ecosystems())
def test_every_exported_entity_follows_backstage_naming_rules(eco: lm.Ecosystem) -> None:
    for entity in backstage_entities(eco):
        meta = entity["metadata"]
        assert is_valid_name(meta["name"]), meta["name"]
        assert all(is_valid_tag(t) for t in meta.get("tags", []))
        assert all(isinstance(v, str) for v in meta["annotations"].values())
        spec = entity["spec"]
        assert spec["owner"].strip()
        if entity["kind"] != "Domain" and entity["kind"] != "System":
            assert spec["type"] and spec["lifecycle"]
    names = [(e["kind"], e["metadata"]["name"].lower()) for e in backstage_entities(eco)]
    assert len(names) == len(set(names)), "names are unique per kind, ignoring case"


def test_ids_that_are_not_backstage_names_are_mapped_and_kept(tmp_path: Path) -> None:
    long_id = "a" * 70
    eco = lm.Ecosystem(
        name="Odd names & <chars>",
        components=[
            lm.Component(id=long_id, layer="ui", depends_on=["App"]),
            lm.Component(id="App", layer="algorithms"),
            lm.Component(id="app", layer="algorithms", tags=["Not A Tag", "ok-tag"]),
        ],
    )
    entities = backstage_entities(eco)
    by_id = {
        e["metadata"]["annotations"].get("layermodel.io/id", e["metadata"]["name"]): e
        for e in entities[1:]
    }
    assert len(by_id[long_id]["metadata"]["name"]) <= 63
    assert by_id["app"]["metadata"]["name"].lower() != "app"  # 'App' has it
    assert by_id["app"]["metadata"]["tags"] == ["ok-tag"]
    assert roundtrip(eco, tmp_path) == eco


def test_export_is_multi_document_yaml_with_the_layer_annotation() -> None:
    docs = list(yaml.safe_load_all(export_backstage(lm.example())))
    assert [d["kind"] for d in docs].count("Component") == 20
    box = next(d for d in docs if d["metadata"]["name"] == "search-box")
    assert box["metadata"]["annotations"]["layermodel.io/layer"] == "ui"
    assert box["spec"]["dependsOn"] == ["component:query-understanding", "component:api-gateway"]
    assert box["spec"]["system"] == "search"


@given(st.text(min_size=1, max_size=80))
def test_backstage_names_are_always_valid_and_stable(text: str) -> None:
    from layermodel.interop.backstage.names import backstage_name, layermodel_id

    assert is_valid_name(backstage_name(text))
    assert backstage_name(text) == backstage_name(text)
    assert lm.Component(id=layermodel_id(text), layer="ui")
