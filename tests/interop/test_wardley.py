"""Wardley export: an OnlineWardleyMaps reader gets back the model's components and
edges; placement follows layer, evolution and sourcing."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

import layermodel as lm
from layermodel.analysis import footprints
from layermodel.interop.wardley import EVOLUTION, export_wardley, wardley_names
from tests.interop.examples import example_models
from tests.strategies import ecosystems

_ITEM = re.compile(
    r"^(?P<what>component|anchor) (?P<name>.+?) \[(?P<vis>[0-9.]+), (?P<evo>[0-9.]+)\]"
    r"(?: \((?P<marker>build|buy|outsource)\))?$"
)
_EDGE = re.compile(r"^(?P<a>[^\[\]]+?)->(?P<b>[^\[\]]+)$")


def read_owm(text: str) -> dict[str, object]:
    """A small OnlineWardleyMaps reader: title, anchors, components, edges."""
    items: dict[str, dict[str, object]] = {}
    edges: set[tuple[str, str]] = set()
    title = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        if line.startswith("title "):
            title = line[6:]
            continue
        item = _ITEM.match(line)
        if item:
            assert item["name"] not in items, f"{item['name']} defined twice"
            items[item["name"]] = {
                "what": item["what"],
                "visibility": float(item["vis"]),
                "evolution": float(item["evo"]),
                "marker": item["marker"],
            }
            continue
        edge = _EDGE.match(line)
        assert edge, f"not OWM: {line!r}"
        edges.add((edge["a"], edge["b"]))
    for a, b in edges:
        assert a in items and b in items, f"edge {a}->{b} names an undefined item"
    return {"title": title, "items": items, "edges": edges}


def expected(
    eco: lm.Ecosystem, product: str | None = None
) -> tuple[set[str], set[tuple[str, str]]]:
    names = wardley_names(eco, product)
    keep = set(footprints(eco)[product]) if product else set(eco.component_index)
    products = [eco.product(product)] if product else list(eco.products)
    nodes = {names[c] for c in keep} | {names[f"product:{p.id}"] for p in products}
    edges = {
        (names[c.id], names[d])
        for c in eco.components
        if c.id in keep
        for d in c.targets
        if d in keep
    }
    edges |= {(names[f"product:{p.id}"], names[u]) for p in products for u in p.uses if u in keep}
    return nodes, edges


@pytest.mark.parametrize(
    ("name", "eco"), example_models(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_example_reads_back_into_the_same_components_and_edges(
    name: str, eco: lm.Ecosystem
) -> None:
    owm = read_owm(export_wardley(eco))
    nodes, edges = expected(eco)
    assert set(owm["items"]) == nodes  # type: ignore[arg-type]
    assert owm["edges"] == edges
    # Component names are kept, except where a product has the same name (OWM names
    # must be unique; the export tells them apart).
    product_labels = {p.label for p in eco.products}
    labels = {c.label for c in eco.components} - product_labels
    assert labels <= set(owm["items"])  # type: ignore[arg-type]
    for product in eco.products:
        one = read_owm(export_wardley(eco, product.id))
        assert (set(one["items"]), one["edges"]) == expected(eco, product.id)  # type: ignore[arg-type]


@settings(max_examples=60)
@given(eco=ecosystems())
def test_any_model_reads_back_into_the_same_components_and_edges(eco: lm.Ecosystem) -> None:
    owm = read_owm(export_wardley(eco))
    assert (set(owm["items"]), owm["edges"]) == expected(eco)  # type: ignore[arg-type]


def test_visibility_from_layer_evolution_and_sourcing_markers() -> None:
    eco = lm.Ecosystem(
        name="Shop",
        components=[
            lm.Component(id="web", layer="ui", depends_on=["pay"], evolution="genesis"),
            lm.Component(id="pay", layer="algorithms", sourcing="external-api", depends_on=["db"]),
            lm.Component(
                id="db", layer="infrastructure", sourcing="open-source", depends_on=["vm"]
            ),
            lm.Component(id="vm", layer="hardware", sourcing="buy", evolution="commodity"),
        ],
        products=[lm.Product(id="shop", name="Web shop", uses=["web"])],
    )
    items = read_owm(export_wardley(eco))["items"]
    assert isinstance(items, dict)
    visibility = [items[n]["visibility"] for n in ("web", "pay", "db", "vm")]
    assert visibility == sorted(visibility, reverse=True)
    assert items["Web shop"]["what"] == "anchor"
    assert items["web"]["evolution"] == EVOLUTION["genesis"]
    assert items["pay"]["evolution"] == EVOLUTION["commodity"]  # external-api, no evolution given
    assert items["db"]["evolution"] == EVOLUTION["product"]
    assert [items[n]["marker"] for n in ("web", "pay", "db", "vm")] == [
        "build",
        "outsource",
        "buy",
        "buy",
    ]


def test_names_that_are_owm_syntax_or_repeated_stay_distinct() -> None:
    eco = lm.Ecosystem(
        name="x",
        components=[
            lm.Component(id="a", name="A -> [B] // c", layer="ui"),
            lm.Component(id="b", name="Same", layer="ui", depends_on=["c"]),
            lm.Component(id="c", name="Same", layer="ui"),
        ],
        products=[lm.Product(id="p", name="Same", uses=["b"])],
    )
    owm = read_owm(export_wardley(eco))
    assert set(owm["items"]) == {"A B c", "Same (a)".replace("(a)", "(b)"), "Same (c)", "Same (p)"}  # type: ignore[arg-type]
    assert owm["edges"] == {("Same (b)", "Same (c)"), ("Same (p)", "Same (b)")}


def test_an_unknown_product_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="did you mean 'docs'"):
        export_wardley(lm.example(), product="doc")
