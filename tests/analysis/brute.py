"""Brute-force definitions the fast analyses are checked against (small models only)."""

from __future__ import annotations

import networkx as nx

import layermodel as lm


def graph(eco: lm.Ecosystem, required_only: bool = False) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(c.id for c in eco.components)
    for c in eco.components:
        for d in c.depends_on:
            if d.required or not required_only:
                g.add_edge(c.id, d.target)
    return g


def footprint(eco: lm.Ecosystem, product: lm.Product, required_only: bool = False) -> set[str]:
    g = graph(eco, required_only)
    seen: set[str] = set()
    for used in product.uses:
        seen |= {used} | nx.descendants(g, used)
    return seen


def users(eco: lm.Ecosystem, required_only: bool = False) -> dict[str, set[str]]:
    feet = {p.id: footprint(eco, p, required_only) for p in eco.products}
    return {c.id: {p for p, f in feet.items() if c.id in f} for c in eco.components}


def blast_components(eco: lm.Ecosystem) -> dict[str, set[str]]:
    g = graph(eco, required_only=True)
    return {c.id: nx.ancestors(g, c.id) for c in eco.components}
