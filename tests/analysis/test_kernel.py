"""The graph kernel (``layermodel.graph``) against networkx and brute force, and its
typed cache."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given

import layermodel as lm
from layermodel import graph
from tests.analysis import brute
from tests.strategies import ecosystems


@given(ecosystems(max_components=15, max_products=5))
def test_order_and_condensation_agree_with_networkx(eco: lm.Ecosystem) -> None:
    compact = graph.compact(eco)
    g = brute.graph(eco)
    components = graph.strongly_connected(compact.succ)
    assert sorted(sorted(compact.ids[i] for i in c) for c in components) == sorted(
        sorted(c) for c in nx.strongly_connected_components(g)
    )
    order = graph.topological(compact.succ)
    assert (order is None) == (not nx.is_directed_acyclic_graph(g))
    for required in (False, True):
        dag = graph.dag(eco, required)
        adjacency = compact.required if required else compact.succ
        where = {g_: i for i, g_ in enumerate(dag.order)}
        group = dag.group_of or list(range(len(compact.ids)))
        for u, targets in enumerate(adjacency):
            for v in targets:
                # every edge points forward in the order, or stays inside its group
                assert group[u] == group[v] or where[group[u]] < where[group[v]]


@given(ecosystems(max_components=15, max_products=5))
def test_closures_equal_brute_force(eco: lm.Ecosystem) -> None:
    expected = brute.blast_components(eco)
    for c in eco.components:  # the single-component traversal, with nothing cached yet
        assert set(graph.blast_of(eco, c.id)) == expected[c.id]
    assert {k: set(v) for k, v in graph.blast_components(eco).items()} == expected
    assert graph.blast_sizes(eco) == [len(expected[c.id]) for c in eco.components]
    g = brute.graph(eco)
    assert graph.reach_total(eco) == sum(len(nx.descendants(g, c.id)) for c in eco.components)


@given(ecosystems(max_components=15, max_products=5))
def test_user_bits_equal_brute_force(eco: lm.Ecosystem) -> None:
    ids = [p.id for p in eco.products]
    for required, bits in ((False, graph.user_bits(eco)), (True, graph.required_user_bits(eco))):
        expected = brute.users(eco, required)
        assert {cid: set(graph.members(b, ids)) for cid, b in bits.items()} == expected
        weights = [p.weight for p in eco.products]
        for cid, b in bits.items():
            assert graph.weight_of(b, weights) == pytest.approx(
                sum(eco.product(p).weight for p in expected[cid])
            )


def test_bit_positions_of_wide_bitsets() -> None:
    for bits in (0, 1, 0b1011, 1 << 300, (1 << 300) | (1 << 7) | 1, (1 << 1000) - 1):
        assert graph.bit_positions(bits) == [i for i in range(bits.bit_length()) if bits >> i & 1]


def test_the_typed_cache_computes_once_and_forgets() -> None:
    eco = lm.example()
    key: graph.Key[list[str]] = graph.Key("test:ids")
    calls: list[int] = []

    def make() -> list[str]:
        calls.append(1)
        return [c.id for c in eco.components]

    assert graph.peek(eco, key) is None
    first = graph.cached(eco, key, make)
    assert graph.cached(eco, key, make) is first and calls == [1]
    graph.forget(eco, key, ["not", "it"])  # not the stored value: kept
    assert graph.peek(eco, key) is first
    graph.forget(eco, key)
    assert graph.peek(eco, key) is None
    graph.store(eco, key, ["x"])
    assert graph.cached(eco, key, make) == ["x"] and calls == [1]


def test_the_networkx_view_is_the_cached_public_graph() -> None:
    eco = lm.example()
    g = graph.dependency_graph(eco)
    assert g is graph.dependency_graph(eco)
    assert set(g) == {c.id for c in eco.components}
    assert g.number_of_edges() == sum(len(c.depends_on) for c in eco.components)
