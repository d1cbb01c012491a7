"""Footprints and users, for every product and component, in one pass.

A product's *footprint* is the closure of its ``uses`` over ``depends_on``: everything
it runs on. A component's *users* are the products whose footprint holds it.

Both are computed in one pass over the graph in topological order, carrying a
bitset of products (a Python int) per node, over the condensation when the graph
has cycles. There is no per-product search, so the cost is
O((components + dependencies) * products / wordsize).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from layermodel.graph import dependency_graph

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = ["footprints", "user_bits", "users"]


def user_bits(ecosystem: Ecosystem) -> dict[str, int]:
    """For each component id, the bitset of its users: bit i is ``ecosystem.products[i]``.

    Cached per ecosystem.
    """
    cache = ecosystem.derived_cache()
    bits = cache.get("user_bits")
    if bits is None:
        bits = cache["user_bits"] = _propagate(ecosystem)
    return bits


def _propagate(ecosystem: Ecosystem) -> dict[str, int]:
    import networkx as nx

    graph = dependency_graph(ecosystem)
    seed: dict[str, int] = dict.fromkeys(graph, 0)
    for i, product in enumerate(ecosystem.products):
        bit = 1 << i
        for used in product.uses:
            seed[used] |= bit
    if nx.is_directed_acyclic_graph(graph):
        for node in nx.topological_sort(graph):
            mine = seed[node]
            if mine:
                for provider in graph.successors(node):
                    seed[provider] |= mine
        return seed
    condensed = nx.condensation(graph)
    members = nx.get_node_attributes(condensed, "members")
    group = {scc: 0 for scc in condensed}
    for scc, nodes in members.items():
        for node in nodes:
            group[scc] |= seed[node]
    for scc in nx.topological_sort(condensed):
        mine = group[scc]
        if mine:
            for provider in condensed.successors(scc):
                group[provider] |= mine
    return {node: group[scc] for scc, nodes in members.items() for node in nodes}


def users(ecosystem: Ecosystem) -> dict[str, tuple[str, ...]]:
    """For each component id, the ids of the products whose footprint holds it."""
    ids = [p.id for p in ecosystem.products]
    return {node: _members(bits, ids) for node, bits in user_bits(ecosystem).items()}


def footprints(ecosystem: Ecosystem) -> dict[str, tuple[str, ...]]:
    """For each product id, the ids of the components in its footprint, in model order."""
    result: dict[str, list[str]] = {p.id: [] for p in ecosystem.products}
    ids = [p.id for p in ecosystem.products]
    bits = user_bits(ecosystem)
    for component in ecosystem.components:
        for product_id in _members(bits[component.id], ids):
            result[product_id].append(component.id)
    return {k: tuple(v) for k, v in result.items()}


def _members(bits: int, ids: list[str]) -> tuple[str, ...]:
    out = []
    while bits:
        low = bits & -bits
        out.append(ids[low.bit_length() - 1])
        bits ^= low
    return tuple(out)
