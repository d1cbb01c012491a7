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

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from layermodel.graph import dependency_graph

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "bit_positions",
    "blast_components",
    "blast_of",
    "blast_ranks",
    "blast_sizes",
    "footprints",
    "members",
    "reach_total",
    "required_user_bits",
    "user_bit_list",
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
    several times faster than dict-of-dict adjacency at 100k components. Components
    without dependencies share one empty list, which must not be mutated.
    """

    __slots__ = (
        "_by_rank",
        "_pred",
        "_rank",
        "_required_pred",
        "ids",
        "position",
        "required",
        "succ",
    )

    def __init__(self, ecosystem: Ecosystem) -> None:
        self.ids = [c.id for c in ecosystem.components]
        position = self.position = {cid: i for i, cid in enumerate(self.ids)}
        succ: list[list[int]] = []
        required: list[list[int]] = []
        empty: list[int] = []
        # Where a dependency leads, per dependency object: plain dependencies are shared
        # per target (see entities._plain_dependency), so most lookups hit this small
        # int-keyed table instead of reading the record and hashing its target id. The
        # position is stored complemented (~p) for a soft dependency.
        seen: dict[int, int] = {}
        for c in ecosystem.components:
            deps = c.depends_on
            if not deps:
                succ.append(empty)
                required.append(empty)
                continue
            targets = []
            soft = False
            for d in deps:
                where = seen.get(id(d))
                if where is None:
                    where = position[d.target]
                    if not d.required:
                        where = ~where
                    seen[id(d)] = where
                if where < 0:
                    soft = True
                    where = ~where
                targets.append(where)
            succ.append(targets)
            if soft:
                required.append([t for t, d in zip(targets, deps, strict=True) if d.required])
            else:
                required.append(targets)  # the common case: share the list
        self.succ = succ
        self.required = required
        self._pred: list[list[int]] | None = None
        self._required_pred: list[list[int]] | None = None
        self._rank: list[int] | None = None
        self._by_rank: list[int] | None = None

    def pred(self) -> list[list[int]]:
        """For each component, the components that depend on it directly, in id order
        (built once)."""
        if self._pred is None:
            self._pred = _reverse(self.succ, self.by_rank())
        return self._pred

    def required_pred(self) -> list[list[int]]:
        """For each component, the components that require it directly, in id order
        (built once)."""
        if self._required_pred is None:
            self._required_pred = _reverse(self.required, self.by_rank())
        return self._required_pred

    def by_rank(self) -> list[int]:
        """The component positions in id order (built once)."""
        if self._by_rank is None:
            ids = self.ids
            self._by_rank = sorted(range(len(ids)), key=ids.__getitem__)
        return self._by_rank

    def rank(self) -> list[int]:
        """For each component, the position of its id in sorted order (built once):
        sorting positions by rank sorts them by id."""
        if self._rank is None:
            rank = [0] * len(self.ids)
            for r, node in enumerate(self.by_rank()):
                rank[node] = r
            self._rank = rank
        return self._rank


def _reverse(adjacency: list[list[int]], order: list[int]) -> list[list[int]]:
    """The reversed adjacency; each list follows ``order``."""
    pred: list[list[int]] = [[] for _ in adjacency]
    for u in order:
        for v in adjacency[u]:
            pred[v].append(u)
    return pred


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


def _topological(adjacency: list[list[int]]) -> list[int] | None:
    """The nodes in topological order, consumers first (Kahn's algorithm), or None
    when the graph has a cycle. O(nodes + edges)."""
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


class _Dag:
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


def _dag(ecosystem: Ecosystem, required: bool) -> _Dag:
    """The cached condensation over required edges only, or over all edges."""

    def make() -> _Dag:
        compact = _compact(ecosystem)
        adjacency = compact.required if required else compact.succ
        if _backend_requested():
            return _condense(adjacency, _networkx_components(ecosystem, compact, required))
        if required:
            full = _dag(ecosystem, False)
            if full.members is None:
                # A DAG stays a DAG when soft edges are dropped: reuse its order.
                return _Dag(full.order, adjacency)
        order = _topological(adjacency)
        if order is not None:
            return _Dag(order, adjacency)
        return _condense(adjacency, _strongly_connected(adjacency))

    return _cached(ecosystem, f"dag:{required}", make)  # type: ignore[no-any-return]


def _condense(adjacency: list[list[int]], components: list[list[int]]) -> _Dag:
    """The condensation, from strongly connected components in reverse topological
    order."""
    groups = components[::-1]
    group_of = [0] * len(adjacency)
    for g, nodes in enumerate(groups):
        for node in nodes:
            group_of[node] = g
    links = []
    for g, nodes in enumerate(groups):
        targets = [group_of[v] for u in nodes for v in adjacency[u]]
        links.append([t for t in dict.fromkeys(targets) if t != g])
    return _Dag(list(range(len(groups))), links, groups, group_of)


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


def _propagate_users(ecosystem: Ecosystem, required: bool) -> list[int]:
    """For each component position, the bitset of the products that reach it."""
    dag = _dag(ecosystem, required)
    position = _compact(ecosystem).position
    group_of = dag.group_of
    carried = [0] * len(dag.succ)
    for i, product in enumerate(ecosystem.products):
        bit = 1 << i
        for used in product.uses:
            p = position[used]
            carried[p if group_of is None else group_of[p]] |= bit
    succ = dag.succ
    for g in dag.order:
        bits = carried[g]
        if bits:
            for t in succ[g]:
                carried[t] |= bits
    return carried if group_of is None else [carried[g] for g in group_of]


def user_bit_list(ecosystem: Ecosystem, required: bool = False) -> list[int]:
    """For each component, in model order, the bitset of its users (or, when
    ``required``, of the products that fail when it fails): bit i is
    ``ecosystem.products[i]``."""
    return _cached(  # type: ignore[no-any-return]
        ecosystem, f"user_bit_list:{required}", lambda: _propagate_users(ecosystem, required)
    )


def user_bits(ecosystem: Ecosystem) -> dict[str, int]:
    """For each component id, the bitset of its users: bit i is ``ecosystem.products[i]``."""
    return _cached(  # type: ignore[no-any-return]
        ecosystem,
        "user_bits",
        lambda: dict(zip(_compact(ecosystem).ids, user_bit_list(ecosystem), strict=True)),
    )


def required_user_bits(ecosystem: Ecosystem) -> dict[str, int]:
    """For each component id, the bitset of the products that fail when it fails:
    those that reach it from their ``uses`` through required dependencies only."""
    return _cached(  # type: ignore[no-any-return]
        ecosystem,
        "required_user_bits",
        lambda: dict(zip(_compact(ecosystem).ids, user_bit_list(ecosystem, True), strict=True)),
    )


def _upstream(dag: _Dag, rank: list[int]) -> Iterator[tuple[int, set[int] | None]]:
    """Walk the super-nodes in topological order, yielding each with the set of every
    component upstream of it (that reaches it), as ranks, or None when there is none.
    The set belongs to the walk: read it before asking for the next super-node.

    Sets are handed over rather than copied where a super-node has a single provider,
    and dropped as soon as their super-node is done. Cost: the total size of the
    sets, which is the size of the answer.
    """
    succ, members = dag.succ, dag.members
    upstream: list[set[int] | None] = [None] * len(succ)
    for g in dag.order:
        above = upstream[g]
        upstream[g] = None
        yield g, above
        targets = succ[g]
        if not targets:
            continue
        if members is None:
            if above is None:
                above = {rank[g]}
            else:
                above.add(rank[g])
        else:
            if above is None:
                above = set()
            above.update([rank[node] for node in members[g]])
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


def blast_ranks(ecosystem: Ecosystem) -> list[list[int]]:
    """For each component, in model order, the sorted ranks (positions in id order,
    see ``_Compact.rank``) of the components that fail when it fails: everything that
    depends on it, directly or transitively, through required edges. The component
    itself is not included. Empty lists may be shared. Cost: the size of the answer."""
    found = ecosystem.derived_cache().get("blast_ranks")
    if found is None:
        if _dag(ecosystem, False).members is None:
            _closures(ecosystem)  # both closures in one sweep
        else:
            _blast_sweep(ecosystem)
        found = ecosystem.derived_cache()["blast_ranks"]
    return found  # type: ignore[no-any-return]


def _blast_sweep(ecosystem: Ecosystem) -> None:
    """The blast radii, from their own sweep over the condensation (any graph)."""
    compact = _compact(ecosystem)
    rank = compact.rank()
    dag = _dag(ecosystem, True)
    members = dag.members
    empty: list[int] = []
    result = [empty] * len(rank)
    for g, above in _upstream(dag, rank):
        if members is None:
            if above:
                result[g] = sorted(above)
            continue
        nodes = members[g]
        if len(nodes) == 1:
            if above:
                result[nodes[0]] = sorted(above)
            continue
        ranks = [rank[node] for node in nodes]
        for node in nodes:
            mine = above.union(ranks) if above else set(ranks)
            mine.discard(rank[node])
            result[node] = sorted(mine)
    ecosystem.derived_cache()["blast_ranks"] = result


def _closures(ecosystem: Ecosystem) -> None:
    """The blast radii (upstream closures over required edges) and the size of the
    transitive closure over all edges, in one sweep of an acyclic graph.

    Each component u carries R(u), everything upstream of it through required edges
    (its blast radius), and D(u), what is upstream of it through all edges but not in
    R(u). Over an edge u -> t, a required edge passes R(u) + u on to R(t) and D(u) to
    the candidates C(t), a soft edge passes R(u) + u + D(u) to C(t); then
    D(t) = C(t) - R(t). The closure over all edges is R + D, so its size comes for
    the cost of the difference sets, usually far smaller than a second sweep.
    """
    compact = _compact(ecosystem)
    rank = compact.rank()
    succ, required = compact.succ, compact.required
    empty: list[int] = []
    result = [empty] * len(rank)
    up: list[set[int] | None] = [None] * len(rank)
    more: list[set[int] | None] = [None] * len(rank)
    total = 0
    for u in _dag(ecosystem, False).order:
        above = up[u]
        extra = more[u]
        up[u] = more[u] = None
        if above:
            result[u] = sorted(above)
            total += len(above)
            if extra:
                extra = extra - above
        if extra:
            total += len(extra)
        targets = succ[u]
        if not targets:
            continue
        if above is None:
            above = {rank[u]}
        else:
            above.add(rank[u])
        hard = required[u]
        if hard is not targets:
            for t in targets:
                if t in hard:
                    continue
                target = more[t]
                if target is None:
                    more[t] = above | extra if extra else set(above)
                else:
                    target |= above
                    if extra:
                        target |= extra
        handed = handed_extra = False
        for t in hard:
            target = up[t]
            if target is not None:
                target |= above
            elif not handed:
                up[t] = above  # hand the set over instead of copying it
                handed = True
            else:
                up[t] = set(above)
            if extra:
                target = more[t]
                if target is not None:
                    target |= extra
                elif not handed_extra:
                    more[t] = extra
                    handed_extra = True
                else:
                    more[t] = set(extra)
    cache = ecosystem.derived_cache()
    cache["blast_ranks"] = result
    cache["reach_total"] = total


def blast_components(ecosystem: Ecosystem) -> dict[str, tuple[str, ...]]:
    """For each component id, the sorted ids of the components that fail when it fails:
    everything that depends on it, directly or transitively, through required edges.
    The component itself is not included. Cost: the size of the answer."""

    def make() -> dict[str, tuple[str, ...]]:
        ids = _compact(ecosystem).ids
        by_rank = sorted(ids)
        return {
            cid: tuple([by_rank[r] for r in ranks])
            for cid, ranks in zip(ids, blast_ranks(ecosystem), strict=True)
        }

    return _cached(ecosystem, "blast_components", make)  # type: ignore[no-any-return]


def _from_worker(ecosystem: Ecosystem) -> tuple[list[int], int] | None:
    """(blast radius sizes, closure size) from the command line's blast-radius worker
    (see ``layermodel.analysis.worker``), when one runs and succeeds."""
    from layermodel.analysis.worker import pending

    worker = pending(ecosystem)
    return worker.header() if worker is not None else None


def blast_sizes(ecosystem: Ecosystem) -> list[int]:
    """For each component, in model order, the size of its blast radius (see
    :func:`blast_ranks`)."""

    def make() -> list[int]:
        found = _from_worker(ecosystem)
        if found is not None:
            return found[0]
        return [len(ranks) for ranks in blast_ranks(ecosystem)]

    return _cached(ecosystem, "blast_sizes", make)  # type: ignore[no-any-return]


def reach_total(ecosystem: Ecosystem) -> int:
    """The number of (x, y) pairs, x != y, where x depends on y directly or
    transitively over any edge: the off-diagonal fill of the transitive closure."""

    def make() -> int:
        found = _from_worker(ecosystem)
        if found is not None:
            return found[1]
        dag = _dag(ecosystem, False)
        members = dag.members
        if members is None:
            _closures(ecosystem)
            return ecosystem.derived_cache()["reach_total"]  # type: ignore[no-any-return]
        total = 0
        for g, above in _upstream(dag, _compact(ecosystem).rank()):
            size = len(members[g])
            total += size * ((len(above) if above else 0) + size - 1)
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


_BYTE_BITS: list[list[tuple[int, ...]]] = []
"""``_BYTE_BITS[k][b]``: the positions of the set bits of byte ``b`` at byte offset k."""


def _byte_bits(k: int) -> list[tuple[int, ...]]:
    """The table of byte offset ``k``, made (with those below it) on first use."""
    while len(_BYTE_BITS) <= k:
        base = 8 * len(_BYTE_BITS)
        _BYTE_BITS.append([tuple(base + i for i in range(8) if b >> i & 1) for b in range(256)])
    return _BYTE_BITS[k]


def bit_positions(bits: int) -> list[int]:
    """The positions of the set bits of ``bits``, lowest first."""
    if bits < 256:
        return list(_byte_bits(0)[bits])
    out: list[int] = []
    raw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    _byte_bits(len(raw) - 1)
    tables = _BYTE_BITS
    for k, byte in enumerate(raw):
        if byte:
            out += tables[k][byte]
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
