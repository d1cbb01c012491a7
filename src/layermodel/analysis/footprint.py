"""Footprints, users and blast radii of every product and component, in single passes.

A product's *footprint* is the closure of its ``uses`` over ``depends_on``: everything
it runs on. A component's *users* are the products whose footprint holds it. Its
*required users* are the products that reach it through required edges only: they
fail when it fails.

Users are computed in one pass over the graph in topological order, carrying a
bitset of products (a Python int) per node, over the condensation when the graph has
cycles (design §3, "Scale"). There is no per-product search: the cost is
O((components + dependencies) * products / wordsize). The components that fail when
one fails (the upstream closure over required edges) are computed in one pass too,
merging sets in topological order; that cost is the size of the answer.

All results are cached per ecosystem, so analyses share them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from layermodel.graph import dependency_graph

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "bit_positions",
    "blast_components",
    "blast_of",
    "footprints",
    "members",
    "reach_total",
    "required_user_bits",
    "user_bits",
    "users",
    "weight_of",
]


def _cached(ecosystem: Ecosystem, key: str, make: Callable[[], Any]) -> Any:
    cache = ecosystem.derived_cache()
    found = cache.get(key)
    if found is None:
        found = cache[key] = make()
    return found


class _Compact:
    """The dependency graph as integer adjacency lists, in model order.

    The hot passes run over this instead of the networkx graph: list indexing is
    several times faster than dict-of-dict adjacency at 100k components.
    """

    __slots__ = ("_required_pred", "ids", "position", "required", "succ")

    def __init__(self, ecosystem: Ecosystem) -> None:
        self.ids = [c.id for c in ecosystem.components]
        position = self.position = {cid: i for i, cid in enumerate(self.ids)}
        succ: list[list[int]] = []
        required: list[list[int]] = []
        for c in ecosystem.components:
            deps = c.depends_on
            targets = [position[d.target] for d in deps]
            succ.append(targets)
            if all(d.required for d in deps):
                required.append(targets)  # the common case: share the list
            else:
                required.append([t for t, d in zip(targets, deps, strict=True) if d.required])
        self.succ = succ
        self.required = required
        self._required_pred: list[list[int]] | None = None

    def required_pred(self) -> list[list[int]]:
        """For each component, the components that require it directly (built once)."""
        if self._required_pred is None:
            pred: list[list[int]] = [[] for _ in self.ids]
            for u, targets in enumerate(self.required):
                for v in targets:
                    pred[v].append(u)
            self._required_pred = pred
        return self._required_pred


def _compact(ecosystem: Ecosystem) -> _Compact:
    return _cached(ecosystem, "compact", lambda: _Compact(ecosystem))  # type: ignore[no-any-return]


def _strongly_connected(adjacency: list[list[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components, iteratively.

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


def _backend_requested() -> bool:
    """True when the user asked networkx to dispatch to a backend (nx.config)."""
    import networkx as nx

    priority = getattr(getattr(nx, "config", None), "backend_priority", None)
    return bool(getattr(priority, "algos", priority))


def _order(ecosystem: Ecosystem, required: bool) -> tuple[list[list[int]], list[list[int]]]:
    """Groups of component positions (strongly connected components) in topological
    order, consumers first, and for each group the groups it depends on (over required
    edges only when ``required``)."""

    def make() -> tuple[list[list[int]], list[list[int]]]:
        compact = _compact(ecosystem)
        adjacency = compact.required if required else compact.succ
        if _backend_requested():
            components = _networkx_components(ecosystem, compact, required)
        elif required and all(len(g) == 1 for g in _order(ecosystem, False)[0]):
            # A DAG stays a DAG when soft edges are dropped: reuse its order.
            components = [list(g) for g in reversed(_order(ecosystem, False)[0])]
        else:
            components = _strongly_connected(adjacency)
        groups = components[::-1]
        group_of = [0] * len(adjacency)
        for g, nodes in enumerate(groups):
            for node in nodes:
                group_of[node] = g
        links = []
        for g, nodes in enumerate(groups):
            if len(nodes) == 1:
                targets = [group_of[v] for v in adjacency[nodes[0]]]
            else:
                targets = [group_of[v] for u in nodes for v in adjacency[u]]
                targets = [t for t in dict.fromkeys(targets) if t != g]
            links.append(targets)
        return groups, links

    return _cached(ecosystem, f"order:{required}", make)  # type: ignore[no-any-return]


def _networkx_components(
    ecosystem: Ecosystem, compact: _Compact, required: bool
) -> list[list[int]]:
    """The same components through networkx, so a configured backend can dispatch."""
    import networkx as nx

    graph = dependency_graph(ecosystem)
    if required:
        graph = nx.subgraph_view(graph, filter_edge=lambda u, v: graph.succ[u][v]["required"])
    condensed = nx.condensation(graph)
    groups = nx.get_node_attributes(condensed, "members")
    order = list(nx.topological_sort(condensed))
    position = compact.position
    return [sorted(position[node] for node in groups[g]) for g in reversed(order)]


def _propagate_users(ecosystem: Ecosystem, required: bool) -> dict[str, int]:
    groups, links = _order(ecosystem, required)
    compact = _compact(ecosystem)
    position = compact.position
    seed = [0] * len(compact.ids)
    for i, product in enumerate(ecosystem.products):
        bit = 1 << i
        for used in product.uses:
            seed[position[used]] |= bit
    carried = [0] * len(groups)
    for g, nodes in enumerate(groups):
        bits = carried[g]
        for node in nodes:
            bits |= seed[node]
        if bits:
            carried[g] = bits
            for t in links[g]:
                carried[t] |= bits
    ids = compact.ids
    result = dict.fromkeys(ids, 0)
    for g, nodes in enumerate(groups):
        bits = carried[g]
        if bits:
            for node in nodes:
                result[ids[node]] = bits
    return result


def user_bits(ecosystem: Ecosystem) -> dict[str, int]:
    """For each component id, the bitset of its users: bit i is ``ecosystem.products[i]``."""
    return _cached(ecosystem, "user_bits", lambda: _propagate_users(ecosystem, False))  # type: ignore[no-any-return]


def required_user_bits(ecosystem: Ecosystem) -> dict[str, int]:
    """For each component id, the bitset of the products that fail when it fails:
    those that reach it from their ``uses`` through required dependencies only."""
    return _cached(ecosystem, "required_user_bits", lambda: _propagate_users(ecosystem, True))  # type: ignore[no-any-return]


def _sweep_upstream(
    ecosystem: Ecosystem,
    required: bool,
    visit: Callable[[list[int], set[int], list[int]], None],
) -> list[int]:
    """Walk the groups in topological order carrying, for each, the set of every node
    upstream of it (that reaches it), as ranks in id order. ``visit(nodes, above, rank)``
    is called once per group before the set moves on; it must not keep ``above``.

    Sets are handed over rather than copied where a group has a single provider, and
    freed as soon as their group is done. Cost: the total size of the sets, which is
    the size of the answer. Returns ``rank_of``: node position for each rank.
    """
    groups, links = _order(ecosystem, required)
    ids = _compact(ecosystem).ids
    rank_of = sorted(range(len(ids)), key=ids.__getitem__)
    rank = [0] * len(ids)
    for r, node in enumerate(rank_of):
        rank[node] = r
    upstream: list[set[int] | None] = [None] * len(groups)
    for g, nodes in enumerate(groups):
        above = upstream[g]
        upstream[g] = None
        if above is None:
            above = set()
        visit(nodes, above, rank)
        targets = links[g]
        if not targets:
            continue
        above.update(rank[node] for node in nodes)
        handed = False
        for t in targets:
            target = upstream[t]
            if target is not None:
                target |= above
            elif not handed:
                upstream[t] = above  # hand the set over instead of copying it
                handed = True
            else:
                upstream[t] = set(above)
    return rank_of


def blast_components(ecosystem: Ecosystem) -> dict[str, tuple[str, ...]]:
    """For each component id, the sorted ids of the components that fail when it fails:
    everything that depends on it, directly or transitively, through required edges.
    The component itself is not included. Cost: the size of the answer."""

    def make() -> dict[str, tuple[str, ...]]:
        ids = _compact(ecosystem).ids
        sorted_ids = sorted(ids)
        empty: tuple[str, ...] = ()
        result = dict.fromkeys(ids, empty)

        def visit(nodes: list[int], above: set[int], rank: list[int]) -> None:
            if len(nodes) == 1:
                if above:
                    result[ids[nodes[0]]] = tuple([sorted_ids[r] for r in sorted(above)])
                return
            ranks = [rank[node] for node in nodes]
            for node in nodes:
                mine = above.union(ranks)
                mine.discard(rank[node])
                result[ids[node]] = tuple([sorted_ids[r] for r in sorted(mine)])

        _sweep_upstream(ecosystem, True, visit)
        return result

    return _cached(ecosystem, "blast_components", make)  # type: ignore[no-any-return]


def reach_total(ecosystem: Ecosystem) -> int:
    """The number of (x, y) pairs, x != y, where x depends on y directly or
    transitively over any edge: the off-diagonal fill of the transitive closure."""

    def make() -> int:
        total = 0

        def visit(nodes: list[int], above: set[int], rank: list[int]) -> None:
            nonlocal total
            total += len(nodes) * (len(above) + len(nodes) - 1)

        _sweep_upstream(ecosystem, False, visit)
        return total

    return _cached(ecosystem, "reach_total", make)  # type: ignore[no-any-return]


def blast_of(ecosystem: Ecosystem, component_id: str) -> tuple[str, ...]:
    """The sorted ids of the components that fail when one component fails, from one
    reverse traversal of required dependencies: O(components + dependencies), where
    :func:`blast_components` costs the size of every component's radius together."""
    cache = ecosystem.derived_cache().get("blast_components")
    if cache is not None:
        return cache[component_id]  # type: ignore[no-any-return]
    compact = _compact(ecosystem)
    pred = compact.required_pred()
    start = compact.position[component_id]
    seen = {start}
    stack = [start]
    while stack:
        for u in pred[stack.pop()]:
            if u not in seen:
                seen.add(u)
                stack.append(u)
    seen.discard(start)
    ids = compact.ids
    return tuple(sorted(ids[i] for i in seen))


def bit_positions(bits: int) -> list[int]:
    """The positions of the set bits of ``bits``, lowest first."""
    out = []
    while bits:
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out


def weight_of(bits: int, weights: list[float]) -> float:
    """The total weight of the products whose bit is set in ``bits``."""
    return sum(weights[i] for i in bit_positions(bits))


def members(bits: int, ids: list[str]) -> list[str]:
    """The ids whose bit is set in ``bits``, in bit order."""
    return [ids[i] for i in bit_positions(bits)]


def users(ecosystem: Ecosystem) -> dict[str, tuple[str, ...]]:
    """For each component id, the ids of the products whose footprint holds it, in
    product order."""
    ids = [p.id for p in ecosystem.products]
    return {node: tuple(members(bits, ids)) for node, bits in user_bits(ecosystem).items()}


def footprints(
    ecosystem: Ecosystem, products: Iterable[str] | None = None
) -> dict[str, tuple[str, ...]]:
    """For each product id, the ids of the components in its footprint, in model order."""
    ids = [p.id for p in ecosystem.products]
    wanted = set(products) if products is not None else None
    result: dict[str, list[str]] = {p: [] for p in ids if wanted is None or p in wanted}
    bits = user_bits(ecosystem)
    for component in ecosystem.components:
        for product_id in members(bits[component.id], ids):
            found = result.get(product_id)
            if found is not None:
                found.append(component.id)
    return {k: tuple(v) for k, v in result.items()}
