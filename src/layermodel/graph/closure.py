"""Upstream closures: for each component, everything that depends on it, directly or
transitively (its blast radius over required edges), and the size of the transitive
closure over all edges.

The closures are computed in one sweep of the condensation in topological order,
merging sets of id ranks (see :meth:`~layermodel.graph.adjacency.Compact.rank`) and
handing a set over instead of copying it where a super-node has a single provider:
the cost is the size of the answer, not components x components.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from layermodel.graph.adjacency import compact
from layermodel.graph.cache import Key, cached, peek, store
from layermodel.graph.order import Dag, dag

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "BLAST_RANKS",
    "blast_components",
    "blast_of",
    "blast_ranks",
    "blast_sizes",
    "reach_total",
    "upstream",
]

BLAST_RANKS: Key[list[list[int]]] = Key("blast_ranks")
"""The cache entry of :func:`blast_ranks`: :func:`~layermodel.graph.cache.peek` at it
to know whether the blast radii were computed already."""
_REACH_TOTAL: Key[int] = Key("reach_total")
_BLAST_COMPONENTS: Key[dict[str, tuple[str, ...]]] = Key("blast_components")
_BLAST_SIZES: Key[list[int]] = Key("blast_sizes")


def upstream(condensed: Dag, rank: list[int]) -> Iterator[tuple[int, set[int] | None]]:
    """Walk the super-nodes of ``condensed`` in topological order, yielding each with
    the set of every component upstream of it (that reaches it), as ranks, or None
    when there is none. The set belongs to the walk: read it before asking for the
    next super-node.

    Sets are handed over rather than copied where a super-node has a single provider,
    and dropped as soon as their super-node is done. Cost: the total size of the
    sets, which is the size of the answer.
    """
    succ, members = condensed.succ, condensed.members
    above_of: list[set[int] | None] = [None] * len(succ)
    for g in condensed.order:
        above = above_of[g]
        above_of[g] = None
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
            target = above_of[t]
            if target is not None:
                target |= above
            elif not handed:
                above_of[t] = above  # hand the set over instead of copying it
                handed = True
            else:
                above_of[t] = set(above)


def blast_ranks(ecosystem: Ecosystem) -> list[list[int]]:
    """For each component, in model order, the sorted ranks (positions in id order,
    see :meth:`~layermodel.graph.adjacency.Compact.rank`) of the components that fail
    when it fails: everything that depends on it, directly or transitively, through
    required edges. The component itself is not included. Empty lists may be shared.
    Cached; cost: the size of the answer (on an acyclic graph, the same sweep also
    gives :func:`reach_total`)."""
    found = peek(ecosystem, BLAST_RANKS)
    if found is None:
        if dag(ecosystem, False).members is None:
            _closures(ecosystem)  # both closures in one sweep
        else:
            _blast_sweep(ecosystem)
        found = peek(ecosystem, BLAST_RANKS)
        assert found is not None
    return found


def _blast_sweep(ecosystem: Ecosystem) -> None:
    """The blast radii, from their own sweep over the condensation (any graph)."""
    rank = compact(ecosystem).rank()
    condensed = dag(ecosystem, True)
    members = condensed.members
    empty: list[int] = []
    result = [empty] * len(rank)
    for g, above in upstream(condensed, rank):
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
    store(ecosystem, BLAST_RANKS, result)


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
    graph = compact(ecosystem)
    rank = graph.rank()
    succ, required = graph.succ, graph.required
    empty: list[int] = []
    result = [empty] * len(rank)
    up: list[set[int] | None] = [None] * len(rank)
    more: list[set[int] | None] = [None] * len(rank)
    total = 0
    for u in dag(ecosystem, False).order:
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
    store(ecosystem, BLAST_RANKS, result)
    store(ecosystem, _REACH_TOTAL, total)


def blast_components(ecosystem: Ecosystem) -> dict[str, tuple[str, ...]]:
    """For each component id, the sorted ids of the components that fail when it fails:
    everything that depends on it, directly or transitively, through required edges.
    The component itself is not included. Cached; cost: the size of the answer."""

    def make() -> dict[str, tuple[str, ...]]:
        ids = compact(ecosystem).ids
        by_rank = sorted(ids)
        return {
            cid: tuple([by_rank[r] for r in ranks])
            for cid, ranks in zip(ids, blast_ranks(ecosystem), strict=True)
        }

    return cached(ecosystem, _BLAST_COMPONENTS, make)


def blast_sizes(ecosystem: Ecosystem) -> list[int]:
    """For each component, in model order, the size of its blast radius (see
    :func:`blast_ranks`). Cached; :func:`blast_ranks` plus O(components)."""
    return cached(ecosystem, _BLAST_SIZES, lambda: [len(ranks) for ranks in blast_ranks(ecosystem)])


def reach_total(ecosystem: Ecosystem) -> int:
    """The number of (x, y) pairs, x != y, where x depends on y directly or
    transitively over any edge: the off-diagonal fill of the transitive closure.
    Cached; cost: the size of the closure (on an acyclic graph it comes from the sweep
    of :func:`blast_ranks`)."""

    def make() -> int:
        condensed = dag(ecosystem, False)
        members = condensed.members
        if members is None:
            _closures(ecosystem)
            found = peek(ecosystem, _REACH_TOTAL)
            assert found is not None
            return found
        total = 0
        for g, above in upstream(condensed, compact(ecosystem).rank()):
            size = len(members[g])
            total += size * ((len(above) if above else 0) + size - 1)
        return total

    return cached(ecosystem, _REACH_TOTAL, make)


def blast_of(ecosystem: Ecosystem, component_id: str) -> tuple[str, ...]:
    """The sorted ids of the components that fail when one component fails, from one
    reverse traversal of required dependencies: O(components + dependencies), where
    :func:`blast_components` costs the size of every component's radius together (and
    is used when it was computed already)."""
    known = peek(ecosystem, _BLAST_COMPONENTS)
    if known is not None:
        return known[component_id]
    graph = compact(ecosystem)
    pred = graph.required_pred()
    start = graph.position[component_id]
    seen = {start}
    stack = [start]
    while stack:
        for u in pred[stack.pop()]:
            if u not in seen:
                seen.add(u)
                stack.append(u)
    seen.discard(start)
    ids = graph.ids
    return tuple(sorted(ids[i] for i in seen))
