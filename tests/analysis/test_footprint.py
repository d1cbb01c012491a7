"""Users and footprints from the one-pass bitset propagation equal a brute-force search."""

from __future__ import annotations

import networkx as nx
from hypothesis import given

import layermodel as lm
from layermodel.analysis import footprints, users
from layermodel.graph import dependency_graph
from tests.strategies import ecosystems


def brute_force_footprint(eco: lm.Ecosystem, product: lm.Product) -> set[str]:
    graph = dependency_graph(eco)
    seen: set[str] = set()
    for used in product.uses:
        seen |= {used} | nx.descendants(graph, used)
    return seen


@given(ecosystems(max_components=15, max_products=5))
def test_one_pass_users_equal_per_product_search(eco: lm.Ecosystem) -> None:
    feet = {p.id: brute_force_footprint(eco, p) for p in eco.products}
    found = users(eco)
    for c in eco.components:
        assert set(found[c.id]) == {pid for pid, fp in feet.items() if c.id in fp}
    assert {k: set(v) for k, v in footprints(eco).items()} == feet


def test_cycles_share_users() -> None:
    eco = lm.Ecosystem(
        name="c",
        components=[
            lm.Component(id="a", layer="ui", depends_on=["b"]),
            lm.Component(id="b", layer="infrastructure", depends_on=["c"]),
            lm.Component(id="c", layer="infrastructure", depends_on=["b"]),
            lm.Component(id="d", layer="hardware"),
        ],
        products=[lm.Product(id="p", uses=["c"]), lm.Product(id="q", uses=["a"])],
    )
    assert users(eco) == {"a": ("q",), "b": ("p", "q"), "c": ("p", "q"), "d": ()}
