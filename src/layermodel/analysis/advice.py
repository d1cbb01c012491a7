"""Platform opportunities: a ranked list of changes a product leader can act on, each
with its evidence and what it gains (docs/analysis.md, "Platform opportunities").

Three kinds of opportunity:

- **merge**: two components of one layer that look like the same thing built twice
  for different products. Found *without tags*, from the words of their ids and
  names, the words of their descriptions, their vendor, their technology (string
  ``properties`` such as ``technology: postgres``, and tags when there are any) and
  the shape of their dependencies. Candidate pairs are only those of one layer that
  share at least one such word or value (blocking, as in record linkage), and words
  that most of a layer's components carry are not used for blocking, so the pairs
  compared grow with the portfolio, not with its square.
- **share**: a component of the lower half of the stack that only one product uses,
  where other products already run on everything it needs and use that layer: they
  could use it too instead of building their own.
- **move-down** / **move-up**: a component whose layer does not fit how it is used:
  one that lower-layer components depend on (an upward dependency) or that several
  products share from a product layer moves down; one that a single product uses,
  no other could adopt and only upper-layer components depend on moves up.

Each opportunity is applied to the model as a what-if
(:func:`~layermodel.analysis.whatif.replace_component`,
:func:`~layermodel.analysis.whatif.share_component`,
:func:`~layermodel.analysis.whatif.move_component`), and the gain is read from the
model after: components and monthly cost saved, the reuse level of each product
whose level moves, the blast radius of the component concerned, each product's
estimated availability, and the layering violations.

Sources: duplicate detection by blocking and weighted token similarity is the
record-linkage method of Fellegi & Sunter, "A theory for record linkage", JASA
64(328), 1969, with the blocking of Christen, "A survey of indexing techniques for
scalable record linkage and deduplication", IEEE TKDE 24(9), 2012; word weights are
inverse document frequency (Spärck Jones, "A statistical interpretation of term
specificity", Journal of Documentation 28(1), 1972). Platforms as the shared lower
layers: Meyer & Lehnerd, *The Power of Product Platforms*, 1997; the Layers pattern
(Buschmann et al., *Pattern-Oriented Software Architecture* vol. 1, 1996).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from layermodel.analysis.cost import CostMethod
from layermodel.analysis.impact import blast_radius
from layermodel.analysis.layering import violations
from layermodel.analysis.reuse import reuse, reuse_levels
from layermodel.analysis.sections import Section, fmt_money, fmt_percent, table
from layermodel.analysis.whatif import (
    WhatIf,
    move_component,
    replace_component,
    share_component,
)
from layermodel.errors import plural
from layermodel.graph import bit_positions, user_bits

if TYPE_CHECKING:
    from layermodel.model.entities import Component, Ecosystem

__all__ = ["Advice", "Gain", "Opportunity", "OpportunityKind", "advise", "merge_candidates"]

OpportunityKind = Literal["merge", "share", "move-down", "move-up"]
Confidence = Literal["high", "medium"]

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "with",
        "via",
        "per",
        "all",
        "any",
        "each",
        "our",
        "their",
        "we",
        "you",
        "service",
        "services",
        "component",
        "system",
        "systems",
        "app",
        "application",
        "module",
        "layer",
        "new",
        "old",
        "v1",
        "v2",
        "main",
        "core",
    ]
)
"""Words that say nothing about what a component is."""

_SAME = {
    "db": "database",
    "dbs": "database",
    "pg": "postgres",
    "postgresql": "postgres",
    "k8s": "kubernetes",
    "msg": "message",
    "msgs": "message",
    "auth": "authentication",
    "authn": "authentication",
    "notif": "notification",
    "notifs": "notification",
    "pay": "payment",
    "img": "image",
    "cfg": "config",
    "configuration": "config",
    "svc": "service",
    "mq": "queue",
}
"""Abbreviations read as the word they stand for."""

_KIND = frozenset(
    [
        "gateway",
        "store",
        "storage",
        "database",
        "cache",
        "queue",
        "api",
        "server",
        "client",
        "engine",
        "pipeline",
        "platform",
        "stream",
        "proxy",
        "worker",
        "manager",
        "broker",
        "bus",
        "cluster",
        "index",
        "search",
        "web",
        "mobile",
        "frontend",
        "backend",
        "ui",
        "portal",
        "console",
        "dashboard",
        "adapter",
        "connector",
        "integration",
        "provider",
        "tool",
        "library",
        "sdk",
        "job",
        "scheduler",
        "registry",
        "repository",
        "repo",
        "lake",
        "warehouse",
        "table",
    ]
)
"""Words that say what *kind* of thing a component is, not *which* one: two gateways
to different providers are not duplicates. They weigh a third of other words, and
sharing only them is no sign of identity."""

_KIND_WEIGHT = 0.3

_TECH_KEYS = frozenset(
    [
        "technology",
        "tech",
        "engine",
        "language",
        "runtime",
        "framework",
        "database",
        "datastore",
        "store",
        "platform",
        "protocol",
        "product",
        "kind",
        "type",
        "role",
    ]
)
"""``properties`` keys whose text value says what a component is built on."""

_BLOCK_CAP = 40
"""A word, vendor, technology or dependency that more components of one layer carry
is too common to propose pairs (it still counts in their score)."""

_SHOWN = 25
_WHAT_IFS = 12
"""How many candidates of each kind are applied as what-ifs (the gains need a model
after each); the rest are not listed."""


def _words(text: str | None) -> list[str]:
    """Lower-case words of ``text``: split on anything but letters and digits and at
    camelCase humps; abbreviations expanded; a plural ``s`` dropped; stop words, bare
    numbers and one-letter words left out."""
    if not text:
        return []
    pieces = []
    for piece in re.split(r"[^0-9A-Za-z]+", text):
        if piece.lower() in _SAME:  # PostgreSQL, not Postgre SQL
            pieces.append(piece)
        else:  # orderDB: order DB; HTTPServer: HTTP Server
            pieces.extend(re.split(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", piece))
    out = []
    for raw in (p.lower() for p in pieces):
        if len(raw) < 2 or raw.isdigit():
            continue
        word = _SAME.get(raw)
        if word is None:
            word = raw
            if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
                word = word[:-1]
            word = _SAME.get(word, word)
        if word not in _STOP:
            out.append(word)
    return out


def _technology(c: Component) -> set[str]:
    """What a component is built on: the values of technology-like properties."""
    found = set()
    for key, value in c.properties.items():
        if isinstance(value, str) and key.lower() in _TECH_KEYS and _words(value):
            found.add(f"{key.lower()}:{' '.join(_words(value))}")
    return found


@dataclass(frozen=True)
class _Profile:
    name: frozenset[str]
    description: frozenset[str]
    vendor: str | None
    technology: frozenset[str]
    tags: frozenset[str]
    targets: frozenset[str]


def _profile(c: Component) -> _Profile:
    return _Profile(
        name=frozenset(_words(c.id) + _words(c.name)),
        description=frozenset(_words(c.description)),
        vendor=c.vendor.strip().lower() if c.vendor and c.vendor.strip() else None,
        technology=frozenset(_technology(c)),
        tags=frozenset(t.lower() for t in c.tags),
        targets=frozenset(c.targets),
    )


def _weighted_jaccard(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    union = a | b
    if not union:
        return 0.0
    total = sum(_weight(w, idf) for w in union)
    return sum(_weight(w, idf) for w in a & b) / total if total else 0.0


def _weight(word: str, idf: dict[str, float]) -> float:
    return idf.get(word, 1.0) * (_KIND_WEIGHT if word in _KIND else 1.0)


# -- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gain:
    """What an opportunity gains, read from the model after the change."""

    components_saved: int
    """Components that leave the model or are left with no user (and can go)."""
    monthly_saved: float
    """Their monthly cost (components without a cost count 0)."""
    reuse_levels: tuple[tuple[str, float, float], ...]
    """(product, reuse level before, after) for the products whose level moves."""
    blast: tuple[str, int, int, float, float] | None
    """(component, products failing with it before, after, product-weight share
    before, after); for a merge, the component kept."""
    availability: tuple[tuple[str, float, float], ...]
    """(product, estimated availability before, after) for those that move."""
    violations: tuple[int, int]
    """Layering violations in the model before and after."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "components_saved": self.components_saved,
            "monthly_cost_saved": self.monthly_saved,
            "reuse_level": [
                {"product": p, "before": a, "after": b} for p, a, b in self.reuse_levels
            ],
            "blast_radius": None
            if self.blast is None
            else {
                "component": self.blast[0],
                "products_before": self.blast[1],
                "products_after": self.blast[2],
                "weight_share_before": self.blast[3],
                "weight_share_after": self.blast[4],
            },
            "availability": [
                {"product": p, "before": a, "after": b} for p, a, b in self.availability
            ],
            "violations": {"before": self.violations[0], "after": self.violations[1]},
        }

    def effects(self) -> str:
        """The effects other than money, in a few words each."""
        parts = []
        levels = [
            f"{p} {fmt_percent(a)} -> {fmt_percent(b)}"
            for p, a, b in self.reuse_levels
            if fmt_percent(a) != fmt_percent(b)  # moves too small to show are left out
        ]
        if levels:
            parts.append("reuse level " + ", ".join(levels))
        if self.blast is not None:
            cid, before, after, share_before, share_after = self.blast
            if before != after:
                parts.append(
                    f"if {cid} fails, {plural(after, 'product')} fail instead of {before} "
                    f"({fmt_percent(share_before)} -> {fmt_percent(share_after)} of weight)"
                )
        moves = [
            f"{p} {a:.4%} -> {b:.4%}" for p, a, b in self.availability if f"{a:.4%}" != f"{b:.4%}"
        ]
        if moves:
            parts.append("availability " + ", ".join(moves))
        before, after = self.violations
        if before != after:
            parts.append(f"layering violations {before} -> {after}")
        return "; ".join(parts) or "cost, reuse, failures and availability unchanged"


@dataclass(frozen=True)
class Opportunity:
    """One change a leader can make, with its evidence and what it gains."""

    kind: OpportunityKind
    action: str
    """What to do, in one sentence."""
    components: tuple[str, ...]
    """The components concerned; for a merge, (the one that goes, the one kept)."""
    products: tuple[str, ...]
    """The products concerned, sorted."""
    evidence: tuple[str, ...]
    """Why: each a short phrase a reader can check in the model."""
    confidence: Confidence
    score: float
    """How alike a merge's pair is (0 to 1); 1 for the other kinds, whose rule holds
    or not."""
    gain: Gain
    stake: float = 0.0
    """The monthly cost concerned: what a merge saves, the cost a share would split,
    the cost of a component moved; ranks opportunities that save the same."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "action": self.action,
            "components": list(self.components),
            "products": list(self.products),
            "evidence": list(self.evidence),
            "confidence": self.confidence,
            "score": self.score,
            "gain": self.gain.to_dict(),
        }


@dataclass(frozen=True)
class Advice:
    """Platform opportunities, most worth doing first."""

    opportunities: tuple[Opportunity, ...]
    pairs_compared: int
    """How many candidate pairs the duplicate search compared (after blocking)."""
    established_platforms: tuple[str, ...]
    """Lower-layer components every product already uses: platforms already, so not
    advice."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "opportunities": [o.to_dict() for o in self.opportunities],
            "pairs_compared": self.pairs_compared,
            "established_platforms": list(self.established_platforms),
        }

    def sections(self, limit: int = _SHOWN, platforms: bool = True) -> list[Section]:
        """The ranked list, then what each opportunity changes; ``platforms`` adds a
        line naming the established platforms."""
        saved = sum(o.gain.monthly_saved for o in self.opportunities if o.kind == "merge")
        count = len(self.opportunities)
        lines = [
            (
                f"{plural(count, 'opportunity', 'opportunities')}, most worth doing first"
                if count
                else "No opportunities found"
            )
            + (f"; the merges would save {fmt_money(saved)} a month in all." if saved else "."),
            "Found from names, descriptions, vendors, technology, layers and dependencies "
            "(tags not needed); each change is applied as a what-if to measure its gain.",
        ]
        if platforms and self.established_platforms:
            lines.append(
                "Already platforms (every product uses them, in a lower layer): "
                + ", ".join(self.established_platforms[:8])
                + (
                    f" and {len(self.established_platforms) - 8} more"
                    if len(self.established_platforms) > 8
                    else ""
                )
                + "."
            )
        if not self.opportunities:
            return [Section("Platform opportunities", lines=tuple(lines))]
        rows = [
            (
                i,
                o.action,
                fmt_money(o.gain.monthly_saved),
                o.gain.components_saved,
                o.confidence,
                "; ".join(o.evidence),
            )
            for i, o in enumerate(self.opportunities, 1)
        ]
        effects = [(i, o.gain.effects()) for i, o in enumerate(self.opportunities, 1)]
        return [
            Section(
                "Platform opportunities",
                lines=tuple(lines),
                tables=(
                    table(
                        [
                            "#",
                            "what to do",
                            "saves a month",
                            "components saved",
                            "confidence",
                            "evidence",
                        ],
                        rows,
                        "rlrrll",
                        limit,
                    ),
                ),
            ),
            Section(
                "What each opportunity changes",
                tables=(table(["#", "effects (before -> after)"], effects, "rl", limit),),
            ),
        ]


# -- finding them ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    a: str
    b: str
    score: float
    evidence: tuple[str, ...]


def _duplicate_pairs(ecosystem: Ecosystem, bits: dict[str, int]) -> tuple[list[_Pair], int]:
    """Likely duplicates: pairs of one layer, with users, not used by the same set of
    products, alike by their words, vendor, technology or dependencies.

    Complexity: O(components × words) to index, plus the candidate pairs, which
    blocking keeps to the pairs sharing a key that at most :data:`_BLOCK_CAP`
    components of the layer carry: O(components × keys × cap) at worst, linear in the
    portfolio.
    """
    # A product's entry point (what it lists in `uses`) is the product itself, not a
    # part another product could share.
    entries = {cid for p in ecosystem.products for cid in p.uses}
    by_layer: dict[str, list[Component]] = defaultdict(list)
    for c in ecosystem.components:
        if bits[c.id] and c.id not in entries:
            by_layer[c.layer].append(c)
    profiles = {c.id: _profile(c) for layer in by_layer.values() for c in layer}
    # Word weights over the whole portfolio, so that a word two components of a small
    # layer share is not discounted for being in both.
    df: dict[str, int] = defaultdict(int)
    for p in profiles.values():
        for w in p.name | p.description:
            df[w] += 1
    total = max(1, len(profiles))
    idf = {w: math.log(1 + total / d) for w, d in df.items()}
    found: list[_Pair] = []
    compared = 0
    for members_ in by_layer.values():
        if len(members_) < 2:
            continue
        blocks: dict[str, list[str]] = defaultdict(list)
        for cid in (c.id for c in members_):
            p = profiles[cid]
            keys = {f"w:{w}" for w in p.name | p.description}
            keys |= {f"t:{t}" for t in p.technology}
            keys |= {f"g:{t}" for t in p.tags}
            if p.vendor:
                keys.add(f"v:{p.vendor}")
            keys |= {f"d:{t}" for t in p.targets}
            for key in keys:
                blocks[key].append(cid)
        seen: set[tuple[str, str]] = set()
        for ids in blocks.values():
            if len(ids) < 2 or len(ids) > _BLOCK_CAP:
                continue
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    pair = (a, b) if a < b else (b, a)
                    if pair in seen:
                        continue
                    seen.add(pair)
                    compared += 1
                    if bits[a] == bits[b]:
                        continue  # the same products: not built twice for different ones
                    pa, pb = profiles[pair[0]], profiles[pair[1]]
                    if pair[1] in pa.targets or pair[0] in pb.targets:
                        continue  # one uses the other: layers of one thing, not twins
                    scored = _score(pair, pa, pb, idf)
                    if scored is not None:
                        found.append(scored)
    return found, compared


def _score(pair: tuple[str, str], a: _Profile, b: _Profile, idf: dict[str, float]) -> _Pair | None:
    """How alike two components are, with the evidence; None when not alike enough."""
    evidence = []
    name = _weighted_jaccard(a.name, b.name, idf)
    if a.name & b.name:
        evidence.append("names share " + ", ".join(f"'{w}'" for w in sorted(a.name & b.name)[:4]))
    description = _weighted_jaccard(a.description, b.description, idf)
    telling = (a.description & b.description) - _KIND
    if len(telling) >= 2:
        words = sorted(a.description & b.description, key=lambda w: (-_weight(w, idf), w))[:5]
        evidence.append("descriptions share " + ", ".join(f"'{w}'" for w in words))
    else:
        description = 0.0
    vendor = 1.0 if a.vendor is not None and a.vendor == b.vendor else 0.0
    if vendor:
        evidence.append(f"same vendor {a.vendor}")
    tech = a.technology & b.technology
    technology = 1.0 if tech else 0.0
    if tech:
        evidence.append("same " + ", ".join(sorted(t.replace(":", " ", 1) for t in tech)[:3]))
    tags = 1.0 if a.tags & b.tags else 0.0
    if tags:
        evidence.append("same tag " + ", ".join(sorted(a.tags & b.tags)[:3]))
    targets = a.targets | b.targets
    shape = len(a.targets & b.targets) / len(targets) if targets else 0.0
    if shape >= 0.5:
        both = sorted(a.targets & b.targets)
        evidence.append(
            f"both depend on {', '.join(both[:3])}"
            + (f" and {len(both) - 3} more" if len(both) > 3 else "")
        )
    else:
        shape = 0.0
    # Independent signs, combined as a noisy-or: each alone says "maybe", together they
    # say "likely". What a component *is* must show in its name (a word that is not a
    # kind word), its description, its vendor or its technology; a tag, a kind word or
    # a dependency shape only adds to that.
    identity = bool((a.name & b.name) - _KIND) or bool(description) or bool(vendor or technology)
    if not identity:
        return None
    signs = [name, 0.8 * description, 0.3 * vendor, 0.5 * technology, 0.2 * tags, 0.3 * shape]
    kinds = sum(1 for x in signs if x > 0)
    score = 1.0 - math.prod(1.0 - x for x in signs)
    if score < 0.4 or not (kinds >= 2 or name >= 0.5):
        return None
    return _Pair(pair[0], pair[1], round(score, 4), tuple(evidence))


def _confidence(score: float) -> Confidence:
    return "high" if score >= 0.6 else "medium"


def _gain(
    before: Ecosystem,
    change: WhatIf,
    watched: str | None,
    base: tuple[dict[str, float], int],
) -> Gain:
    after = change.after
    levels_before, violations_before = base
    levels_after = reuse_levels(after)
    levels = tuple(
        (pid, levels_before[pid], levels_after[pid])
        for pid in levels_before
        if pid in levels_after and abs(levels_after[pid] - levels_before[pid]) > 1e-12
    )
    blast = None
    if watched is not None:
        old, new = blast_radius(before, watched), blast_radius(after, watched)
        blast = (watched, len(old.products), len(new.products), old.share, new.share)
    availability = tuple(
        (p.product, p.availability_before, p.availability_after)
        for p in change.money.products
        if p.availability_before is not None
        and p.availability_after is not None
        and abs(p.availability_after - p.availability_before) > 1e-12
    )
    money = change.money
    return Gain(
        components_saved=len(money.freed) + len(money.orphaned),
        monthly_saved=money.freed_cost + money.orphaned_cost,
        reuse_levels=levels,
        blast=blast,
        availability=availability,
        violations=(violations_before, len(violations(after).violations)),
    )


def _lower_half(ecosystem: Ecosystem) -> set[str]:
    ids = [layer.id for layer in ecosystem.layers]
    return {lid for i, lid in enumerate(ids) if i >= (len(ids) + 1) // 2}


def advise(
    ecosystem: Ecosystem, *, cost_method: CostMethod = "equal", limit: int = _WHAT_IFS
) -> Advice:
    """Platform opportunities of a portfolio, ranked: high-confidence first, then by
    the monthly cost they save, then by kind (merge, share, move).

    Args:
        ecosystem: the model.
        cost_method: how shared costs are split in the money figures.
        limit: how many candidates of each kind to apply as what-ifs and list.

    Complexity: the duplicate search is near-linear (see :func:`_duplicate_pairs`);
    then one what-if per listed opportunity, each O(components + dependencies), so
    O(limit × (components + dependencies)) in all.
    """
    bits = user_bits(ecosystem)
    products = [p.id for p in ecosystem.products]
    index = ecosystem.component_index
    report = reuse(ecosystem)
    base = (
        {pid: p.reuse_level for pid, p in report.products.items()},
        len(violations(ecosystem).violations),
    )
    lower = _lower_half(ecosystem)
    rank = {layer.id: i for i, layer in enumerate(ecosystem.layers)}
    out: list[Opportunity] = []

    # -- merges
    pairs, compared = _duplicate_pairs(ecosystem, bits)
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    merged: set[str] = set()
    for pair in pairs:
        if len([o for o in out if o.kind == "merge"]) >= limit:
            break
        if pair.a in merged or pair.b in merged:
            continue
        merged |= {pair.a, pair.b}
        gone, kept = _which_goes(index[pair.a], index[pair.b], bits)
        change = replace_component(ecosystem, gone, kept, cost_method=cost_method)
        who = sorted(set(bit_positions(bits[gone] | bits[kept])))
        users_gone = ", ".join(_named(bits[gone], products))
        users_kept = ", ".join(_named(bits[kept], products))
        out.append(
            Opportunity(
                kind="merge",
                action=(
                    f"Merge {gone} ({users_gone}) into {kept} ({users_kept}) in {index[kept].layer}"
                ),
                components=(gone, kept),
                products=tuple(sorted(products[i] for i in who)),
                evidence=(*pair.evidence, f"serve different products: {users_gone} / {users_kept}"),
                confidence=_confidence(pair.score),
                score=pair.score,
                gain=(gain := _gain(ecosystem, change, kept, base)),
                stake=gain.monthly_saved,
            )
        )

    # -- shares: a lower-layer component one product uses, that others could adopt
    footprint_layers: list[set[str]] = [set() for _ in products]
    feet: list[set[str]] = [set() for _ in products]
    for c in ecosystem.components:
        for i in bit_positions(bits[c.id]):
            feet[i].add(c.id)
            footprint_layers[i].add(c.layer)
    shares = []
    lonely = []
    for c in ecosystem.components:
        b = bits[c.id]
        if c.layer not in lower or b.bit_count() != 1 or c.id in merged:
            continue
        (owner,) = bit_positions(b)
        needs = set(c.targets)
        adopters = [
            i
            for i in range(len(products))
            if i != owner and c.layer in footprint_layers[i] and needs <= feet[i]
        ]
        if adopters and needs:  # with nothing to run on, "could adopt it" is no evidence
            shares.append((-(c.cost or 0.0), c.id, owner, adopters))
        else:
            lonely.append(c)
    shares.sort()
    for _, cid, owner, adopters in shares[:limit]:
        c = index[cid]
        names = [products[i] for i in adopters]
        change = share_component(ecosystem, cid, names, cost_method=cost_method)
        evidence = [f"only {products[owner]} uses it, in the {c.layer} layer"]
        evidence.append(
            f"{', '.join(names)} already run on everything it needs "
            f"({', '.join(sorted(c.targets))}) and use other {c.layer} components"
        )
        if c.cost:
            evidence.append(
                f"costs {fmt_money(c.cost)} a month, today paid by {products[owner]} alone"
            )
        out.append(
            Opportunity(
                kind="share",
                action=f"Offer {cid} ({c.layer}) to {', '.join(names)} as a platform",
                components=(cid,),
                products=tuple(sorted([products[owner], *names])),
                evidence=tuple(evidence),
                confidence="medium",
                score=1.0,
                gain=_gain(ecosystem, change, cid, base),
                stake=c.cost or 0.0,
            )
        )

    # -- moves
    out.extend(_moves(ecosystem, bits, lonely, rank, lower, base, cost_method, limit))

    kinds = {"merge": 0, "share": 1, "move-down": 2, "move-up": 3}
    out.sort(
        key=lambda o: (
            o.confidence != "high",
            -o.gain.monthly_saved,
            kinds[o.kind],
            -o.stake,
            -o.score,
            o.components,
        )
    )
    return Advice(tuple(out), compared, report.platforms)


def _moves(
    ecosystem: Ecosystem,
    bits: dict[str, int],
    lonely: Sequence[Component],
    rank: dict[str, int],
    lower: set[str],
    base: tuple[dict[str, float], int],
    cost_method: CostMethod,
    limit: int,
) -> list[Opportunity]:
    """Components to move down (lower components depend on them, or several products
    share them from a product layer) or up (one product's, and only upper components
    depend on them). A move is listed only when it breaks no more layering rules than
    it mends."""
    index = ecosystem.component_index
    layer_ids = [layer.id for layer in ecosystem.layers]
    dependents: dict[str, list[str]] = defaultdict(list)
    for c in ecosystem.components:
        for t in c.targets:
            dependents[t].append(c.id)
    products = [p.id for p in ecosystem.products]
    candidates: list[tuple[int, str, str, OpportunityKind, list[str]]] = []
    for c in ecosystem.components:
        r = rank[c.layer]
        below = [d for d in dependents[c.id] if rank[index[d].layer] > r]
        users = bits[c.id].bit_count()
        deepest_need = max((rank[index[t].layer] for t in c.targets), default=len(layer_ids))
        if below:
            target = max(rank[index[d].layer] for d in below)
            if target < deepest_need or not c.targets:
                candidates.append(
                    (
                        -len(below),
                        c.id,
                        layer_ids[target],
                        "move-down",
                        [
                            f"{plural(len(below), 'lower-layer component')} depend on it: "
                            + ", ".join(sorted(below)[:4])
                        ],
                    )
                )
        elif (
            users >= 2 and c.layer not in lower and r + 1 < len(layer_ids) and r + 1 < deepest_need
        ):
            peers = [d for d in dependents[c.id] if index[d].layer == c.layer]
            if peers:
                candidates.append(
                    (
                        -users,
                        c.id,
                        layer_ids[r + 1],
                        "move-down",
                        [
                            f"{users} products share it from the {c.layer} layer",
                            f"other {c.layer} components build on it: "
                            + ", ".join(sorted(peers)[:4]),
                        ],
                    )
                )
    for c in lonely:
        above = [rank[index[d].layer] for d in dependents[c.id]]
        if not c.targets or not above or max(above) >= rank[c.layer]:
            continue  # it builds on nothing (hardware, say), or a peer needs it
        target = max(above)  # the lowest layer its dependents are in
        if layer_ids[target] in lower:
            continue  # up, but still into the platform half: no clearer
        if any(rank[index[t].layer] <= target for t in c.targets):
            continue
        (owner,) = bit_positions(bits[c.id])
        candidates.append(
            (
                0,
                c.id,
                layer_ids[target],
                "move-up",
                [
                    f"only {products[owner]} uses it and no other product could adopt it",
                    f"only {layer_ids[target]} and higher components depend on it",
                ],
            )
        )
    candidates.sort()
    out: list[Opportunity] = []
    for _, cid, layer, kind, evidence in candidates:
        if len(out) >= limit:
            break
        change = move_component(ecosystem, cid, layer, cost_method=cost_method)
        gain = _gain(ecosystem, change, None, base)
        if gain.violations[1] > gain.violations[0]:
            continue
        mended = gain.violations[0] - gain.violations[1]
        out.append(
            Opportunity(
                kind=kind,
                action=(
                    f"Move {cid} from {index[cid].layer} "
                    f"{'down' if kind == 'move-down' else 'up'} to {layer}"
                ),
                components=(cid,),
                products=tuple(_named(bits[cid], products)),
                evidence=tuple(
                    [*evidence, f"mends {plural(mended, 'layering violation')}"]
                    if mended
                    else evidence
                ),
                confidence="high" if mended else "medium",
                score=1.0,
                gain=gain,
                stake=index[cid].cost or 0.0,
            )
        )
    return out


def _named(b: int, products: Sequence[str]) -> list[str]:
    return sorted(products[i] for i in bit_positions(b))


def _which_goes(a: Component, b: Component, bits: dict[str, int]) -> tuple[str, str]:
    """(the component to retire, the one to keep): keep the one more products use,
    then the more available, then the costlier (the one already sized for more), then
    the first id."""

    def strength(c: Component) -> tuple[int, float, float, str]:
        return (bits[c.id].bit_count(), c.availability or 0.0, c.cost or 0.0, _reverse(c.id))

    keep, go = (a, b) if strength(a) >= strength(b) else (b, a)
    return go.id, keep.id


def _reverse(text: str) -> str:
    """A key that sorts ids in reverse, so the first id wins a tie on max()."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in text)


def merge_candidates(ecosystem: Ecosystem) -> Iterable[tuple[str, str, float]]:
    """The likely duplicate pairs, (a, b, score), most alike first, without applying
    them: the fast part of :func:`advise`."""
    pairs, _ = _duplicate_pairs(ecosystem, user_bits(ecosystem))
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return [(p.a, p.b, p.score) for p in pairs]
