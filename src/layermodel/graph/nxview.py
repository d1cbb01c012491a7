"""The ecosystem as a networkx directed graph: one node per component, one edge per
dependency, pointing from consumer to provider.

The graph is built once per ecosystem and cached; callers must not mutate it (use
``graph.copy()`` for experiments). Analyses call public ``nx.*`` functions on it so
that networkx backends can dispatch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layermodel.graph.cache import Key, cached

if TYPE_CHECKING:
    import networkx as nx

    from layermodel.model.entities import Ecosystem

__all__ = ["dependency_graph"]

_GRAPH: Key[Any] = Key("graph")


def dependency_graph(ecosystem: Ecosystem) -> nx.DiGraph[str]:
    """The cached dependency graph of ``ecosystem``.

    Nodes are component ids with attributes ``layer`` and ``rank`` (0 = top layer).
    Edges run consumer -> provider with attributes ``required`` and ``kind``.

    Complexity: O(components + dependencies), once per ecosystem.
    """
    graph: nx.DiGraph[str] = cached(ecosystem, _GRAPH, lambda: _build(ecosystem))
    return graph


def _build(ecosystem: Ecosystem) -> Any:
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph(name=ecosystem.name)
    rank = {layer.id: i for i, layer in enumerate(ecosystem.layers)}
    graph.add_nodes_from(
        (c.id, {"layer": c.layer, "rank": rank[c.layer]}) for c in ecosystem.components
    )
    graph.add_edges_from(
        (c.id, d.target, {"required": d.required, "kind": d.kind})
        for c in ecosystem.components
        for d in c.depends_on
    )
    return graph
