"""The dependency graph as integer adjacency lists: the structure every hot pass of
the kernel and the analyses runs over.

Components are numbered by their position in the model (``ecosystem.components``);
list indexing is several times faster than the dict-of-dict adjacency of networkx at
100,000 components.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from layermodel.graph.cache import Key, cached

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = ["Compact", "compact", "reverse"]


class Compact:
    """The dependency graph as integer adjacency lists, in model order.

    ``ids[i]`` is the id of component ``i``, ``position`` maps an id back to its
    position, ``succ[i]`` lists the providers component ``i`` depends on (consumer to
    provider, in the order of its ``depends_on``) and ``required[i]`` the ones it
    depends on through required edges. Components without dependencies share one empty
    list, which must not be mutated; where every dependency is required,
    ``required[i] is succ[i]``.

    Building it costs O(components + dependencies); the reverse adjacencies and the
    id order are built on first use and kept.
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
        """For each component, the components that depend on it directly, in id order.
        O(components + dependencies), once."""
        if self._pred is None:
            self._pred = reverse(self.succ, self.by_rank())
        return self._pred

    def required_pred(self) -> list[list[int]]:
        """For each component, the components that require it directly, in id order.
        O(components + dependencies), once."""
        if self._required_pred is None:
            self._required_pred = reverse(self.required, self.by_rank())
        return self._required_pred

    def by_rank(self) -> list[int]:
        """The component positions in id order. O(n log n), once."""
        if self._by_rank is None:
            ids = self.ids
            self._by_rank = sorted(range(len(ids)), key=ids.__getitem__)
        return self._by_rank

    def rank(self) -> list[int]:
        """For each component, the position of its id in sorted order: sorting
        positions by rank sorts them by id. O(n log n), once."""
        if self._rank is None:
            rank = [0] * len(self.ids)
            for r, node in enumerate(self.by_rank()):
                rank[node] = r
            self._rank = rank
        return self._rank


def reverse(adjacency: list[list[int]], order: list[int]) -> list[list[int]]:
    """The reversed adjacency of ``adjacency``, each list in the order of ``order``
    (which must hold every node once). O(nodes + edges)."""
    pred: list[list[int]] = [[] for _ in adjacency]
    for u in order:
        for v in adjacency[u]:
            pred[v].append(u)
    return pred


COMPACT: Key[Compact] = Key("compact")


def compact(ecosystem: Ecosystem) -> Compact:
    """The cached :class:`Compact` graph of ``ecosystem``. O(components +
    dependencies), once per ecosystem."""
    return cached(ecosystem, COMPACT, lambda: Compact(ecosystem))
