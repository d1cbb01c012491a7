"""Order in the dependency graph: strongly connected components (Tarjan), topological
order (Kahn) and the condensation, the acyclic graph of the strongly connected
components that the sweeps of the kernel walk.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from layermodel.graph.adjacency import Compact, compact
from layermodel.graph.cache import Key, cached
from layermodel.graph.nxview import dependency_graph

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = ["Dag", "condense", "dag", "strongly_connected", "topological"]


def strongly_connected(adjacency: list[list[int]]) -> list[list[int]]:
    """The strongly connected components of the graph ``adjacency`` (node i depends on
    the nodes ``adjacency[i]``), by Tarjan's algorithm, iteratively.

    Components come out in reverse topological order: every component after all the
    components it reaches. Tarjan, "Depth-first search and linear graph algorithms",
    SIAM J. Computing 1(2), 1972. O(nodes + edges).
    """
    n = len(adjacency)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, iter(adjacency[root]))]
        while work:
            v, edges = work[-1]
            for w in edges:
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, iter(adjacency[w])))
                    break
                if on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    if low[v] < low[u]:
                        low[u] = low[v]
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = False
                        component.append(w)
                        if w == v:
                            break
                    out.append(component)
    return out


def topological(adjacency: list[list[int]]) -> list[int] | None:
    """The nodes of ``adjacency`` in topological order, consumers first (Kahn's
    algorithm), or None when the graph has a cycle. O(nodes + edges)."""
    indegree = [0] * len(adjacency)
    for targets in adjacency:
        for v in targets:
            indegree[v] += 1
    order = [u for u, d in enumerate(indegree) if not d]
    for u in order:  # the list grows while it is walked
        for v in adjacency[u]:
            indegree[v] -= 1
            if not indegree[v]:
                order.append(v)
    return order if len(order) == len(adjacency) else None


class Dag:
    """The condensation of the dependency graph (over required edges only, or all):
    its strongly connected components as super-nodes, in topological order.

    When the graph is acyclic, which is the common case, super-node ``i`` is component
    ``i`` and nothing is copied: ``members`` and ``group_of`` are None and ``succ`` is
    the compact adjacency itself.
    """

    __slots__ = ("group_of", "members", "order", "succ")

    def __init__(
        self,
        order: list[int],
        succ: list[list[int]],
        members: list[list[int]] | None = None,
        group_of: list[int] | None = None,
    ) -> None:
        self.order = order
        """Super-nodes, each before every super-node it depends on."""
        self.succ = succ
        """For each super-node, the super-nodes it depends on (no self-loops)."""
        self.members = members
        """For each super-node, its component positions; None when acyclic."""
        self.group_of = group_of
        """For each component position, its super-node; None when acyclic."""


def _backend_requested() -> bool:
    """True when the user asked networkx to dispatch to a backend (nx.config)."""
    if "networkx" not in sys.modules and not any(
        key.startswith(("NETWORKX_BACKEND_PRIORITY", "NETWORKX_AUTOMATIC_BACKENDS")) and value
        for key, value in os.environ.items()
    ):
        # networkx takes its backend priority from the environment when imported, and
        # nothing can have changed it before: no need to import it (half a second).
        return False
    import networkx as nx

    priority = getattr(getattr(nx, "config", None), "backend_priority", None)
    return bool(getattr(priority, "algos", priority))


_DAG = {True: Key[Dag]("dag:True"), False: Key[Dag]("dag:False")}


def dag(ecosystem: Ecosystem, required: bool) -> Dag:
    """The cached condensation of ``ecosystem`` over required edges only, or over all
    edges. O(components + dependencies), once per ecosystem and kind: Kahn's order
    when the graph is acyclic (over required edges, the order over all edges is reused
    when that graph is acyclic), Tarjan's components otherwise. When a networkx
    backend is configured, the components come from ``nx.condensation`` so that it
    can dispatch."""

    def make() -> Dag:
        graph = compact(ecosystem)
        adjacency = graph.required if required else graph.succ
        if _backend_requested():
            return condense(adjacency, _networkx_components(ecosystem, graph, required))
        if required:
            full = dag(ecosystem, False)
            if full.members is None:
                # A DAG stays a DAG when soft edges are dropped: reuse its order.
                return Dag(full.order, adjacency)
        order = topological(adjacency)
        if order is not None:
            return Dag(order, adjacency)
        return condense(adjacency, strongly_connected(adjacency))

    return cached(ecosystem, _DAG[required], make)


def condense(adjacency: list[list[int]], components: list[list[int]]) -> Dag:
    """The condensation of ``adjacency``, given its strongly connected components in
    reverse topological order (as :func:`strongly_connected` returns them).
    O(nodes + edges)."""
    groups = components[::-1]
    group_of = [0] * len(adjacency)
    for g, nodes in enumerate(groups):
        for node in nodes:
            group_of[node] = g
    links = []
    for g, nodes in enumerate(groups):
        targets = [group_of[v] for u in nodes for v in adjacency[u]]
        links.append([t for t in dict.fromkeys(targets) if t != g])
    return Dag(list(range(len(groups))), links, groups, group_of)


def _networkx_components(ecosystem: Ecosystem, graph: Compact, required: bool) -> list[list[int]]:
    """The same components through networkx, so a configured backend can dispatch."""
    import networkx as nx

    view = dependency_graph(ecosystem)
    if required:
        full = view
        view = nx.subgraph_view(full, filter_edge=lambda u, v: full.succ[u][v]["required"])
    condensed = nx.condensation(view)
    groups = nx.get_node_attributes(condensed, "members")
    order = list(nx.topological_sort(condensed))
    position = graph.position
    return [sorted(position[node] for node in groups[g]) for g in reversed(order)]
