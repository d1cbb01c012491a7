"""The model is immutable data with derived indexes computed once."""

from __future__ import annotations

import pydantic
import pytest

import layermodel as lm


def test_default_layer_stack_and_policy() -> None:
    eco = lm.Ecosystem(name="x")
    assert [(layer.id, layer.label) for layer in eco.layers] == [
        ("ui", "UI"),
        ("algorithms", "Algorithms"),
        ("infrastructure", "Infrastructure"),
        ("hardware", "Hardware"),
    ]
    assert eco.policy == "relaxed"


def test_every_design_field_is_carried() -> None:
    c = lm.Component(
        id="db",
        name="Database",
        layer="infrastructure",
        description="Stores things",
        owner="storage",
        lifecycle="deprecated",
        sourcing="external-api",
        vendor="Acme",
        evolution="commodity",
        availability=0.999,
        cost=12.5,
        tags=["storage"],
        links=["https://example.com", {"url": "https://x.example", "title": "Runbook"}],
        properties={"tier": 1},
        depends_on=["vms", {"target": "dc", "kind": "runs-in", "required": False}],
    )
    assert c.links[0].url == "https://example.com" and c.links[1].title == "Runbook"
    assert c.depends_on[0] == lm.Dependency(target="vms")
    assert c.depends_on[1].required is False and c.depends_on[1].kind == "runs-in"
    assert c.targets == ("vms", "dc")
    p = lm.Product(id="p", name="P", description="d", owner="o", uses=["db"], weight=2)
    assert p.weight == 2.0
    layer = lm.Layer(id="data", name="Data", closed=True, independent=True)
    assert layer.closed and layer.independent


def test_models_are_immutable() -> None:
    eco = lm.example()
    with pytest.raises(pydantic.ValidationError):
        eco.name = "other"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        eco.components[0].layer = "hardware"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        eco.components.append(eco.components[0])  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        eco.component_index["x"] = eco.components[0]  # type: ignore[index]
    assert isinstance(eco.components[0].depends_on, tuple)


def test_indexes() -> None:
    eco = lm.example()
    assert eco.component("ranking").name == "Ranking"
    assert eco.layer_rank("ui") == 0 and eco.layer_rank("hardware") == 3
    assert [c.id for c in eco.components_in("hardware")] == ["vms", "data-centres"]
    assert set(eco.dependents("vms")) == {"mapreduce", "api-gateway", "distributed-db"}
    assert eco.direct_products("crawling") == ("search",)
    assert eco.direct_products("vms") == ()
    assert len(eco.component_index) == 20 and "vms" in eco.component_index


def test_indexes_are_computed_once() -> None:
    eco = lm.example()
    assert eco.dependents("vms") is eco.dependents("vms")
    assert eco.components_in("ui") is eco.components_in("ui")


def test_lookup_of_a_missing_id_suggests() -> None:
    eco = lm.example()
    with pytest.raises(KeyError, match="did you mean 'ranking'"):
        eco.component("rankin")


def test_equality_ignores_listing_order_but_not_content() -> None:
    a = lm.Ecosystem(
        name="x",
        components=[lm.Component(id="a", layer="ui"), lm.Component(id="b", layer="ui")],
    )
    b = lm.Ecosystem(
        name="x",
        components=[lm.Component(id="b", layer="ui"), lm.Component(id="a", layer="ui")],
    )
    c = lm.Ecosystem(
        name="x",
        components=[lm.Component(id="b", layer="ui"), lm.Component(id="a", layer="hardware")],
    )
    assert a == b and a != c


def test_repr_is_short() -> None:
    assert repr(lm.example()) == "Ecosystem(name='Google', layers=4, components=20, products=3)"
