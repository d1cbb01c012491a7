"""Layering: dependencies that break the layer rules, and dependency cycles.

Definitions (design §3). Layers are ranked from 0 at the top (closest to the user);
an edge ``u -> v`` means the consumer ``u`` depends on the provider ``v``.

- **Upward** violation: an edge from a lower layer to a higher one,
  ``rank(u) > rank(v)``.
- **Bypass**: an edge that skips a closed layer, ``rank(v) > rank(u) + 1`` with a
  closed layer strictly between the two. Under ``policy: strict`` every layer counts
  as closed, so any edge that skips a layer is a bypass.
- **Independent** violation: an edge between two different components of the same
  layer, when that layer is ``independent: true``.
- **Cycles**: the strongly connected components with more than one component, or a
  single component that depends on itself, plus a small set of *feedback edges*
  whose removal leaves the graph acyclic (a greedy feedback arc set). Simple cycles
  are never enumerated: their number grows exponentially.

Each violation carries a *chain*, a shortest path from some product's entry
component (an id in a product's ``uses``) to the offending edge, and the products
whose footprint holds its source, so that a reader sees who is affected.

Sources:

- import-linter, the ``layers`` contract (https://import-linter.readthedocs.io/):
  higher layers may import lower ones but not the reverse, independent layers, and
  an import chain reported for every broken rule;
- ArchUnit ``Architectures.layeredArchitecture()``
  (https://www.archunit.org/userguide/html/000_Index.html#_layer_checks);
- P. Eades, X. Lin & W. F. Smyth, "A fast and effective heuristic for the feedback
  arc set problem", Information Processing Letters 47(6):319-323, 1993.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from layermodel.analysis.sections import Section
from layermodel.errors import plural
from layermodel.graph import compact, dag, members, user_bits

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "KINDS",
    "CycleReport",
    "LayeringReport",
    "Violation",
    "ViolationKind",
    "cycles",
    "violations",
]

ViolationKind = Literal["upward", "bypass", "independent"]

KINDS: tuple[ViolationKind, ...] = ("upward", "bypass", "independent")
"""The violation kinds, in the order reports list them."""

_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}

_TITLES: dict[ViolationKind, tuple[str, str]] = {
    "upward": (
        "Upward dependencies",
        "A lower layer must not depend on a higher one.",
    ),
    "bypass": (
        "Bypassed closed layers",
        "Nothing above a closed layer may reach below it except through it.",
    ),
    "independent": (
        "Dependencies inside independent layers",
        "Components of an independent layer must not depend on each other.",
    ),
}

_MORE = "use --format json for all"


@dataclass(frozen=True)
class Violation:
    """One dependency edge that breaks a layering rule."""

    kind: ViolationKind
    """``upward``, ``bypass`` or ``independent``."""
    source: str
    """The consumer: the component that depends."""
    target: str
    """The provider: the component depended on."""
    chain: tuple[str, ...]
    """A shortest path from a product entry component to ``source``, then ``target``;
    just ``(source, target)`` when no product reaches the source."""
    products: tuple[str, ...]
    """Sorted ids of the products whose footprint holds ``source``."""
    skipped: tuple[str, ...] = ()
    """For a bypass, the ids of the closed layers jumped over, top to bottom; empty
    for other kinds."""


@dataclass(frozen=True)
class LayeringReport:
    """The layering violations of an ecosystem, sorted by kind, then by the layer
    and id of the source and of the target."""

    violations: tuple[Violation, ...]
    policy: str = "relaxed"
    """The ecosystem policy the rules were checked under."""
    component_layers: Mapping[str, str] = field(default_factory=dict)
    """Layer id of every component named in a violation (for rendering)."""

    def of_kind(self, kind: ViolationKind) -> tuple[Violation, ...]:
        """The violations of one kind, in report order."""
        return tuple(v for v in self.violations if v.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{"violations": [{kind, source, target, chain, products,
        skipped}, ...]}``."""
        return {
            "violations": [
                {
                    "kind": v.kind,
                    "source": v.source,
                    "target": v.target,
                    "chain": list(v.chain),
                    "products": list(v.products),
                    "skipped": list(v.skipped),
                }
                for v in self.violations
            ]
        }

    def sections(self, limit: int = 25) -> list[Section]:
        """Report sections for text and Markdown, in the manner of import-linter.

        A summary section, then one section per kind that has violations. Each
        violation reads ``source (layer) -> target (layer)``, with its chain and the
        products that contain it below.

        Args:
            limit: most violations listed per kind; the rest are counted.

        Returns:
            The sections, ready for :func:`~layermodel.analysis.sections.render_text`
            or :func:`~layermodel.analysis.sections.render_markdown`.
        """
        counts = {kind: 0 for kind in KINDS}
        for v in self.violations:
            counts[v.kind] += 1
        total = len(self.violations)
        if total:
            parts = ", ".join(f"{counts[k]:,} {k}" for k in KINDS)
            noun = "violation" if total == 1 else "violations"
            summary = f"{total:,} {noun} under the {self.policy} policy: {parts}."
        else:
            summary = f"No layering violations under the {self.policy} policy."
        out = [Section("Layering", lines=(summary,))]
        for kind in KINDS:
            found = self.of_kind(kind)
            if not found:
                continue
            title, rule = _TITLES[kind]
            lines: list[str] = [rule]
            for v in found[:limit]:
                lines.append("")
                lines.extend(self._describe(v))
            if len(found) > limit:
                lines.append("")
                lines.append(f"... {len(found) - limit:,} more ({_MORE})")
            out.append(Section(f"{title} ({len(found):,})", lines=tuple(lines)))
        return out

    def _describe(self, v: Violation) -> list[str]:
        def at(cid: str) -> str:
            layer = self.component_layers.get(cid)
            return f"{cid} ({layer})" if layer is not None else cid

        head = f"- {at(v.source)} -> {at(v.target)}"
        if v.skipped:
            noun = "layer" if len(v.skipped) == 1 else "layers"
            head += f", skipping closed {noun} {', '.join(v.skipped)}"
        if v.products:
            used = f"products: {_capped(v.products, 10)}"
        else:
            used = "products: none (no product reaches it)"
        return [head, f"  chain: {_chain_text(v.chain)}", f"  {used}"]


@dataclass(frozen=True)
class CycleReport:
    """Dependency cycles: strongly connected components and a feedback arc set."""

    cycles: tuple[tuple[str, ...], ...]
    """Each strongly connected component with more than one member, or a single
    component that depends on itself; members sorted; largest first, then by
    members."""
    feedback_edges: tuple[tuple[str, str], ...]
    """Edges ``(consumer, provider)`` whose removal leaves the graph acyclic, sorted."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{"cycles": [[...]], "feedback_edges": [[u, v], ...]}``."""
        return {
            "cycles": [list(c) for c in self.cycles],
            "feedback_edges": [list(e) for e in self.feedback_edges],
        }

    def sections(self, limit: int = 25) -> list[Section]:
        """Report sections for text and Markdown.

        Args:
            limit: most cycles, and most feedback edges, listed; the rest are counted.

        Returns:
            A section of cycles and, when there are any, one of feedback edges.
        """
        if not self.cycles:
            return [Section("Dependency cycles", lines=("No dependency cycles.",))]
        lines = [
            "Each line is a strongly connected component: its members all reach each other.",
            "",
        ]
        for members_ in self.cycles[:limit]:
            if len(members_) == 1:
                lines.append(f"- {members_[0]} (depends on itself)")
            else:
                lines.append(f"- {plural(len(members_), 'component')}: {_capped(members_, 10)}")
        if len(self.cycles) > limit:
            lines.append(f"... {len(self.cycles) - limit:,} more ({_MORE})")
        edges = [
            "Removing these dependencies breaks every cycle (greedy feedback arc set).",
            "",
            *(f"- {u} -> {v}" for u, v in self.feedback_edges[:limit]),
        ]
        if len(self.feedback_edges) > limit:
            edges.append(f"... {len(self.feedback_edges) - limit:,} more ({_MORE})")
        return [
            Section(f"Dependency cycles ({len(self.cycles):,})", lines=tuple(lines)),
            Section(f"Feedback edges ({len(self.feedback_edges):,})", lines=tuple(edges)),
        ]


def _capped(ids: Sequence[str], limit: int) -> str:
    shown = ", ".join(ids[:limit])
    if len(ids) > limit:
        shown += f" and {len(ids) - limit:,} more"
    return shown


def _chain_text(chain: Sequence[str], limit: int = 8) -> str:
    if len(chain) <= limit:
        return " -> ".join(chain)
    head, tail = chain[:3], chain[-(limit - 3) :]
    hidden = len(chain) - len(head) - len(tail)
    return " -> ".join([*head, f"({hidden:,} more)", *tail])


def _skipped_table(ecosystem: Ecosystem) -> list[list[tuple[str, ...]]]:
    """``table[a][b]``: the ids of the closed layers strictly between ranks a and b."""
    strict = ecosystem.policy == "strict"
    layer_ids = [layer.id for layer in ecosystem.layers]
    closed = [strict or layer.closed for layer in ecosystem.layers]
    n = len(layer_ids)
    return [
        [tuple(layer_ids[r] for r in range(a + 1, b) if closed[r]) for b in range(n)]
        for a in range(n)
    ]


def _entry_parents(ecosystem: Ecosystem, succ: list[list[int]]) -> list[int]:
    """Parent pointers of one breadth-first search from every product entry at once:
    -1 for an entry, -2 for a component no product reaches."""
    position = compact(ecosystem).position
    parent = [-2] * len(succ)
    queue: deque[int] = deque()
    for product in ecosystem.products:
        for used in product.uses:
            start = position[used]
            if parent[start] == -2:
                parent[start] = -1
                queue.append(start)
    while queue:
        u = queue.popleft()
        for v in succ[u]:
            if parent[v] == -2:
                parent[v] = u
                queue.append(v)
    return parent


def violations(ecosystem: Ecosystem) -> LayeringReport:
    """Every dependency that breaks a layering rule: upward, bypass or independent.

    See the module documentation for the definitions. Each violation's ``chain`` comes
    from one multi-source breadth-first search from all product entry components
    (parent pointers), so it is a shortest path from the nearest entry; its
    ``products`` come from the cached one-pass users bitsets
    (:func:`~layermodel.graph.user_bits`).

    Sources: the import-linter layers contract; ArchUnit ``layeredArchitecture()``.

    Args:
        ecosystem: the model. Cycles are allowed.

    Returns:
        A :class:`LayeringReport` with the violations sorted by kind (upward, bypass,
        independent), then source layer rank and id, then target layer rank and id.

    Complexity: O(components + dependencies) for the scan and the search, plus the
    cached users pass, plus the size of the output (chains and product lists);
    O(layers²) for a table of skipped layers.
    """
    graph = compact(ecosystem)
    ids, succ = graph.ids, graph.succ
    layer_rank = {layer.id: i for i, layer in enumerate(ecosystem.layers)}
    rank = [layer_rank[c.layer] for c in ecosystem.components]
    independent = [layer.independent for layer in ecosystem.layers]
    skipped_between = _skipped_table(ecosystem)

    found: list[tuple[int, int, str, int, str, tuple[str, ...]]] = []
    upward, bypass, inside = (
        _KIND_ORDER["upward"],
        _KIND_ORDER["bypass"],
        _KIND_ORDER["independent"],
    )
    for u, nbrs in enumerate(succ):
        ru = rank[u]
        for v in nbrs:
            rv = rank[v]
            if rv == ru + 1:  # the common case: one layer down
                continue
            if rv < ru:
                found.append((upward, ru, ids[u], rv, ids[v], ()))
            elif rv == ru:
                if independent[ru] and u != v:
                    found.append((inside, ru, ids[u], rv, ids[v], ()))
            else:
                skipped = skipped_between[ru][rv]
                if skipped:
                    found.append((bypass, ru, ids[u], rv, ids[v], skipped))
    found.sort(key=lambda f: f[:5])

    layer_of: dict[str, str] = {}
    result: list[Violation] = []
    if found:
        parent = _entry_parents(ecosystem, succ)
        position = graph.position
        bits = user_bits(ecosystem)
        product_ids = [p.id for p in ecosystem.products]
        paths: dict[str, tuple[str, ...]] = {}
        users_of: dict[int, tuple[str, ...]] = {}
        layer_ids = [layer.id for layer in ecosystem.layers]
        for kind, ru, source, rv, target, skipped in found:
            path = paths.get(source)
            if path is None:
                step = position[source]
                if parent[step] != -2:
                    walk = [source]
                    step = parent[step]
                    while step >= 0:
                        walk.append(ids[step])
                        step = parent[step]
                    walk.reverse()
                    path = tuple(walk)
                else:
                    path = (source,)
                paths[source] = path
            b = bits[source]
            who = users_of.get(b)
            if who is None:
                who = users_of[b] = tuple(sorted(members(b, product_ids)))
            layer_of[source] = layer_ids[ru]
            layer_of[target] = layer_ids[rv]
            result.append(Violation(KINDS[kind], source, target, (*path, target), who, skipped))
    return LayeringReport(tuple(result), ecosystem.policy, layer_of)


def cycles(ecosystem: Ecosystem) -> CycleReport:
    """Dependency cycles and a small set of edges whose removal breaks them all.

    The cycles are the strongly connected components (Tarjan's algorithm, computed
    once per model and shared with the other analyses) with more than one member,
    plus components that depend on themselves. Within each component the greedy
    ordering of Eades, Lin & Smyth (1993) places the nodes in a
    line (sinks to the right, sources to the left, otherwise the node with the largest
    out-degree minus in-degree next), and the edges that point backwards in that line,
    plus every self-loop, are the feedback edges. Removing them leaves a DAG, and per
    component they are at most half of its internal edges. Simple cycles are never
    enumerated.

    Source: P. Eades, X. Lin & W. F. Smyth, "A fast and effective heuristic for the
    feedback arc set problem", Information Processing Letters 47(6), 1993.

    Args:
        ecosystem: the model.

    Returns:
        A :class:`CycleReport`; empty when the dependency graph is acyclic.

    Complexity: O(components + dependencies): linear-time SCCs, then a bucket-queue
    implementation of the greedy ordering, linear in each component's size.
    """
    graph = compact(ecosystem)
    ids, succ_of = graph.ids, graph.succ
    looped = {u for u, targets in enumerate(succ_of) if u in targets}
    groups: list[tuple[str, ...]] = []
    feedback: list[tuple[str, str]] = [(ids[u], ids[u]) for u in looped]
    strongly_connected = dag(ecosystem, False).members or []  # computed once, shared
    for scc in strongly_connected:
        if len(scc) > 1:
            ordered = tuple(sorted(ids[u] for u in scc))
            groups.append(ordered)
            succ = {ids[u]: [ids[v] for v in succ_of[u]] for u in scc}
            feedback.extend(_greedy_feedback(ordered, succ))
        elif scc[0] in looped:
            groups.append((ids[scc[0]],))
    groups.sort(key=lambda g: (-len(g), g))
    feedback.sort()
    return CycleReport(tuple(groups), tuple(feedback))


def _greedy_feedback(nodes: Sequence[str], succ: Any) -> list[tuple[str, str]]:
    """The backward edges of the Eades–Lin–Smyth ordering of one strongly connected
    component (self-loops excluded). ``nodes`` are its members, sorted."""
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    out_edges: list[list[int]] = [[] for _ in range(n)]
    in_edges: list[list[int]] = [[] for _ in range(n)]
    for i, name in enumerate(nodes):
        for provider in succ[name]:
            j = index.get(provider)
            if j is not None and j != i:
                out_edges[i].append(j)
                in_edges[j].append(i)
    outdeg = [len(e) for e in out_edges]
    indeg = [len(e) for e in in_edges]
    # Buckets of live nodes that are neither sinks nor sources, by outdeg - indeg.
    # Dicts keep insertion order, so popitem() makes the choice deterministic.
    offset = n - 1
    buckets: list[dict[int, None]] = [{} for _ in range(2 * n - 1)]
    in_bucket = [False] * n
    sinks: list[int] = []
    sources: list[int] = []
    for i in range(n):
        if outdeg[i] == 0:
            sinks.append(i)
        elif indeg[i] == 0:
            sources.append(i)
        else:
            buckets[outdeg[i] - indeg[i] + offset][i] = None
            in_bucket[i] = True
    top = len(buckets) - 1
    removed = [False] * n
    left: list[int] = []
    right: list[int] = []  # reversed at the end
    remaining = n

    def remove(u: int) -> None:
        nonlocal remaining, top
        removed[u] = True
        remaining -= 1
        for v in out_edges[u]:
            if removed[v]:
                continue
            indeg[v] -= 1
            if in_bucket[v]:
                del buckets[outdeg[v] - indeg[v] - 1 + offset][v]
                if indeg[v] == 0:
                    in_bucket[v] = False
                    sources.append(v)
                else:
                    slot = outdeg[v] - indeg[v] + offset
                    buckets[slot][v] = None
                    top = max(top, slot)
        for w in in_edges[u]:
            if removed[w]:
                continue
            outdeg[w] -= 1
            if in_bucket[w]:
                del buckets[outdeg[w] + 1 - indeg[w] + offset][w]
                if outdeg[w] == 0:
                    in_bucket[w] = False
                    sinks.append(w)
                else:
                    buckets[outdeg[w] - indeg[w] + offset][w] = None

    while remaining:
        while sinks:
            u = sinks.pop()
            if not removed[u]:
                right.append(u)
                remove(u)
        while sources:
            u = sources.pop()
            if not removed[u]:
                left.append(u)
                remove(u)
        if remaining and not sinks:
            while not buckets[top]:
                top -= 1
            u, _ = buckets[top].popitem()
            in_bucket[u] = False
            left.append(u)
            remove(u)
    position = [0] * n
    for p, u in enumerate(left + right[::-1]):
        position[u] = p
    return [
        (nodes[u], nodes[v]) for u in range(n) for v in out_edges[u] if position[v] < position[u]
    ]
