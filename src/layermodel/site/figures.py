"""Everything the site's pages show, computed once for the whole portfolio.

The analyses run once (:func:`layermodel.analysis.analyze`, every product's gateways
included) and the check rules once (:func:`layermodel.checks.check`); what the pages
need per component, product, layer, group and owner is then gathered in passes over
the model and the kernel's cached whole-portfolio structures (users bitsets, every
blast radius from one sweep): never a traversal per page. The cost is linear in the
model plus the size of the answers (blast radii and footprints).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from layermodel.analysis import Analysis, Violation, analyze
from layermodel.checks import CheckResult, Finding, check, default_baseline_path, load_baseline
from layermodel.graph import bit_positions, blast_sizes, compact, user_bit_list, weight_of

if TYPE_CHECKING:
    from layermodel.model import Component, Ecosystem

__all__ = ["GroupNode", "Launch", "Portfolio", "parents", "portfolio"]


def parents(path: str) -> list[str]:
    """A group path and every path above it, outermost first.

    >>> parents("Payments/Risk/Fraud")
    ['Payments', 'Payments/Risk', 'Payments/Risk/Fraud']
    """
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


@dataclass
class GroupNode:
    """One group path: the components directly in it, its subgroups, and the count of
    everything under it."""

    path: str
    name: str
    parent: str | None
    children: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    """Components whose ``group`` is exactly this path, in model order."""
    total: int = 0
    """Components in this group and its subgroups."""
    shared: int = 0
    """Of those, how many are used by 2 or more products."""


@dataclass(frozen=True)
class Launch:
    """A product's launch-plan figures, as if it were launched last: the footprint
    components the rest of the portfolio already has (reused) and those only it needs
    (what its launch had to build), and the products it shares most with. The same
    figures :func:`layermodel.analysis.add_products` gives for the product against the
    model without it and without the components only it uses."""

    reused: int
    to_build: int
    reuse_percent: float
    shares_most_with: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Portfolio:
    """The analysed portfolio and its per-page indexes."""

    ecosystem: Ecosystem
    analysis: Analysis
    checks: CheckResult
    positions: dict[str, int]
    users: list[int]
    """Per component position, its users bitset (bit i is product i)."""
    blast_size: list[int]
    groups: dict[str, GroupNode]
    """Every group path (and every parent path), sorted by path."""
    owners: dict[str, tuple[list[str], list[str]]]
    """Per owner, sorted: (component ids, product ids) it owns."""
    violations_of: dict[str, list[Violation]]
    """Per component id, the violations from or to it."""
    findings_of: dict[str, list[Finding]]
    """Per component or product id, the check findings that name it."""
    launches: dict[str, Launch]
    failure_points: dict[str, list[tuple[str, int]]]
    """Per product: (component, components that fail with it) for the footprint
    components whose failure takes the product down, most components first (at most
    10)."""
    shared_count: int
    used_count: int

    def component(self, cid: str) -> Component:
        """The component with this id."""
        return self.ecosystem.component_index[cid]

    def reuse_count(self, cid: str) -> int:
        """How many products use the component."""
        return self.users[self.positions[cid]].bit_count()


def _groups(eco: Ecosystem, users: list[int]) -> dict[str, GroupNode]:
    nodes: dict[str, GroupNode] = {}
    for i, c in enumerate(eco.components):
        if c.group is None:
            continue
        chain = parents(c.group)
        for depth, path in enumerate(chain):
            node = nodes.get(path)
            if node is None:
                parent = chain[depth - 1] if depth else None
                node = nodes[path] = GroupNode(path, path.rsplit("/", 1)[-1], parent)
                if parent is not None:
                    nodes[parent].children.append(path)
            node.total += 1
            if users[i].bit_count() >= 2:
                node.shared += 1
        nodes[c.group].members.append(c.id)
    for node in nodes.values():
        node.children.sort()
    return dict(sorted(nodes.items()))


def _launches(
    eco: Ecosystem, users: list[int], shared: Sequence[Sequence[int]]
) -> dict[str, Launch]:
    """Every product's launch figures: one pass over the distinct users bitsets (how
    many components have each), and the products' shared-component counts of the
    similarity analysis."""
    ids = [p.id for p in eco.products]
    patterns: dict[int, int] = {}
    for bits in users:
        if bits:
            patterns[bits] = patterns.get(bits, 0) + 1
    reused = [0] * len(ids)
    alone = [0] * len(ids)
    for bits, count in patterns.items():
        if bits & (bits - 1) == 0:  # one product
            alone[bits.bit_length() - 1] += count
        else:
            for i in bit_positions(bits):
                reused[i] += count
    out = {}
    for i, pid in enumerate(ids):
        total = reused[i] + alone[i]
        row = shared[i]
        ranked = sorted(
            (j for j in range(len(ids)) if j != i and row[j]), key=lambda j: (-row[j], j)
        )
        out[pid] = Launch(
            reused[i],
            alone[i],
            100 * reused[i] / total if total else 0.0,
            tuple((ids[j], row[j]) for j in ranked[:3]),
        )
    return out


def _failure_points(eco: Ecosystem, blast: list[int]) -> dict[str, list[tuple[str, int]]]:
    required = user_bit_list(eco, True)
    ids = [p.id for p in eco.products]
    found: list[list[tuple[int, int]]] = [[] for _ in ids]
    for i, bits in enumerate(required):
        if bits:
            for j in bit_positions(bits):
                found[j].append((blast[i], i))
    cids = compact(eco).ids
    out = {}
    for j, pid in enumerate(ids):
        top = sorted(found[j], key=lambda r: (-r[0], cids[r[1]]))[:10]
        out[pid] = [(cids[i], size) for size, i in top]
    return out


def portfolio(eco: Ecosystem, files: Sequence[str | os.PathLike[str]] = ()) -> Portfolio:
    """Analyse ``eco`` (loaded from ``files``, whose lines place the check findings,
    and beside whose first the check baseline is looked for) for the site.

    Raises:
        InputError: the check baseline beside the model is malformed.
        ModelError: a ``launch-reuse`` check rule's product file is invalid.
    """
    analysis = analyze(eco, gateways=True)
    baseline = load_baseline(default_baseline_path(files), eco) if files else None
    checks = check(eco, files=files, baseline=baseline)
    graph = compact(eco)
    users = user_bit_list(eco)
    blast = blast_sizes(eco)
    owners: dict[str, tuple[list[str], list[str]]] = {}
    for c in eco.components:
        if c.owner:
            owners.setdefault(c.owner, ([], []))[0].append(c.id)
    for p in eco.products:
        if p.owner:
            owners.setdefault(p.owner, ([], []))[1].append(p.id)
    violations_of: dict[str, list[Violation]] = {}
    for v in analysis.layering.violations:
        violations_of.setdefault(v.source, []).append(v)
        if v.target != v.source:
            violations_of.setdefault(v.target, []).append(v)
    findings_of: dict[str, list[Finding]] = {}
    for f in checks.findings:
        for ident in dict.fromkeys(f.ids):
            findings_of.setdefault(ident, []).append(f)
    shared = sum(1 for b in users if b.bit_count() >= 2)
    used = sum(1 for b in users if b)
    return Portfolio(
        ecosystem=eco,
        analysis=analysis,
        checks=checks,
        positions=graph.position,
        users=users,
        blast_size=blast,
        groups=_groups(eco, users),
        owners=dict(sorted(owners.items())),
        violations_of=violations_of,
        findings_of=findings_of,
        launches=_launches(eco, users, analysis.similarity.shared),
        failure_points=_failure_points(eco, blast),
        shared_count=shared,
        used_count=used,
    )


def product_weight_share(p: Portfolio, bits: int) -> float:
    """The share of all product weight in the products of ``bits``."""
    weights = [x.weight for x in p.ecosystem.products]
    total = sum(weights)
    return weight_of(bits, weights) / total if total else 0.0
