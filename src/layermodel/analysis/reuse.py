"""Reuse: who uses each component, how much of each product is shared, and where a
portfolio has platforms, duplicates and misplaced parts.

Definitions (design §3):

- **Reuse count** of a component: the number of its users, the products whose
  footprint holds it; the direct count (components and products that depend on it
  directly) is reported beside it.
- **Commonality** = users / products, classed ``core`` (all products, when there are
  two or more), ``shared`` (two or more), ``specific`` (one) or ``orphan`` (none).
  Benavides, Segura & Ruiz-Cortés, "Automated analysis of feature models 20 years
  later", Information Systems 35(6), 2010.
- **Reuse level** of a product: the share of its footprint used by at least ``k``
  products (k = 2 by default), also per layer. Frakes & Terry, "Software Reuse:
  Metrics and Models", ACM Computing Surveys 28(2), 1996.
- **Platform candidates**: components with at least ``k`` users that are not
  platforms already. A component is an **established platform** when every product
  (of two or more) uses it and it sits in the lower half of the layer stack: listing
  those as candidates would be no news. A component every product uses from an upper
  layer is still a candidate: it is shared like a platform but not yet placed as one.
- **Consolidation candidates**: components in the same layer with the same tag or
  ``properties.role`` that serve disjoint sets of products (two databases, say).
- **Misplaced components**: a component in the lower half of the layer stack
  (infrastructure and hardware, by default) used by only one product.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from layermodel.analysis.sections import Section, fmt_percent, table
from layermodel.graph import bit_positions, compact, members, user_bit_list, user_bits

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "Commonality",
    "ComponentReuse",
    "ComponentTable",
    "ConsolidationCandidate",
    "ProductReuse",
    "ReuseReport",
    "Similarity",
    "commonality_class",
    "orphans",
    "reuse",
    "reuse_levels",
    "shared_fate",
    "similarity",
]

Commonality = Literal["core", "shared", "specific", "orphan"]


def commonality_class(user_count: int, product_count: int) -> Commonality:
    """``core`` (all of two or more products), ``shared`` (2+), ``specific`` (1), ``orphan``."""
    if user_count == 0:
        return "orphan"
    if user_count == 1:
        return "specific"
    return "core" if user_count == product_count else "shared"


@dataclass(frozen=True)
class ComponentReuse:
    """Reuse figures of one component."""

    id: str
    layer: str
    users: tuple[str, ...]
    """Products whose footprint holds the component, sorted."""
    direct_users: tuple[str, ...]
    """Products that list the component in their ``uses``, sorted."""
    dependents: tuple[str, ...]
    """Components that depend on it directly, sorted."""
    reuse_count: int
    """Number of users (transitive)."""
    direct_reuse_count: int
    """Number of direct dependents: components plus products."""
    commonality: float
    """users / products (0 when there are no products)."""
    commonality_class: Commonality


@dataclass(frozen=True)
class ProductReuse:
    """Reuse figures of one product."""

    id: str
    footprint: tuple[str, ...]
    """Every component the product runs on, sorted."""
    reused: int
    """How many footprint components have at least k users."""
    reuse_level: float
    """reused / footprint size (0 for an empty footprint)."""
    reuse_level_by_layer: dict[str, float | None]
    """Per layer id, the reuse level within that layer (None if none of its components)."""


@dataclass(frozen=True)
class LayerReuse:
    """How much of one layer is shared across the portfolio."""

    id: str
    components: int
    reused: int
    reuse_level: float | None


@dataclass(frozen=True)
class ConsolidationCandidate:
    """Components of one layer, alike by tag or role, serving disjoint products."""

    layer: str
    key: str
    """``tag:<tag>`` or ``role:<role>``."""
    components: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    """Pairs with no user in common (at most 50 listed)."""


@dataclass(frozen=True)
class ReuseReport:
    """Portfolio reuse, per component, product and layer."""

    k: int
    product_count: int
    components: Mapping[str, ComponentReuse]
    """Per component id, in model order (built on first access)."""
    products: dict[str, ProductReuse]
    layers: dict[str, LayerReuse]
    platform_candidates: tuple[str, ...]
    """Components with at least k users, most users first, without the established
    platforms."""
    consolidation_candidates: tuple[ConsolidationCandidate, ...]
    misplaced: tuple[str, ...]
    """Lower-layer components used by exactly one product."""
    platforms: tuple[str, ...] = ()
    """Established platforms: lower-half components every product (of two or more)
    uses, in the same order."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "k": self.k,
            "components": {
                cid: {
                    "layer": c.layer,
                    "users": list(c.users),
                    "direct_users": list(c.direct_users),
                    "dependents": list(c.dependents),
                    "reuse_count": c.reuse_count,
                    "direct_reuse_count": c.direct_reuse_count,
                    "commonality": c.commonality,
                    "commonality_class": c.commonality_class,
                }
                for cid, c in self.components.items()
            },
            "products": {
                pid: {
                    "footprint": list(p.footprint),
                    "reused": p.reused,
                    "reuse_level": p.reuse_level,
                    "reuse_level_by_layer": p.reuse_level_by_layer,
                }
                for pid, p in self.products.items()
            },
            **self.portfolio_dict(),
        }

    def portfolio_dict(self) -> dict[str, Any]:
        """The portfolio-wide part of :meth:`to_dict`: ``layers``, ``platforms``,
        ``platform_candidates``, ``consolidation_candidates`` and ``misplaced``."""
        return {
            "layers": {
                lid: {"components": x.components, "reused": x.reused, "reuse_level": x.reuse_level}
                for lid, x in self.layers.items()
            },
            "platforms": list(self.platforms),
            "platform_candidates": list(self.platform_candidates),
            "consolidation_candidates": [
                {
                    "layer": c.layer,
                    "key": c.key,
                    "components": list(c.components),
                    "pairs": [list(p) for p in c.pairs],
                }
                for c in self.consolidation_candidates
            ],
            "misplaced": list(self.misplaced),
        }

    def sections(self, limit: int = 25) -> list[Section]:
        """Report sections for text and Markdown."""
        layer_ids = list(self.layers)
        product_rows = [
            (
                pid,
                len(p.footprint),
                p.reused,
                fmt_percent(p.reuse_level),
                *(
                    "-"
                    if p.reuse_level_by_layer[lid] is None
                    else fmt_percent(p.reuse_level_by_layer[lid] or 0)
                    for lid in layer_ids
                ),
            )
            for pid, p in self.products.items()
        ]
        out = [
            Section(
                f"Reuse level per product (shared by {self.k}+ products)",
                tables=(
                    table(
                        ["product", "footprint", "reused", "reuse level", *layer_ids],
                        product_rows,
                        "lrrr" + "r" * len(layer_ids),
                        limit,
                    ),
                ),
            ),
            Section(
                "Reuse per layer",
                tables=(
                    table(
                        ["layer", "components", f"used by {self.k}+", "share"],
                        [
                            (
                                lid,
                                x.components,
                                x.reused,
                                "-" if x.reuse_level is None else fmt_percent(x.reuse_level),
                            )
                            for lid, x in self.layers.items()
                        ],
                        "lrrr",
                    ),
                ),
            ),
        ]
        platform = [self.components[c] for c in self.platform_candidates]
        lines = [
            f"Shared by {self.k} or more products, but not by every product from a lower "
            "layer (those are platforms already)."
        ]
        if self.platforms:
            lines.append(
                f"Already platforms ({len(self.platforms)}): " + ", ".join(self.platforms) + "."
            )
        if not platform:
            lines.append("None.")
        out.append(
            Section(
                f"Platform candidates (used by {self.k}+ products, not platforms yet)",
                lines=tuple(lines),
                tables=(
                    table(
                        ["component", "layer", "users", "commonality", "class"],
                        [
                            (
                                c.id,
                                c.layer,
                                c.reuse_count,
                                fmt_percent(c.commonality),
                                c.commonality_class,
                            )
                            for c in platform
                        ],
                        "llrrl",
                        limit,
                    ),
                )
                if platform
                else (),
            )
        )
        if self.consolidation_candidates:
            out.append(
                Section(
                    "Consolidation candidates (alike, serving disjoint products)",
                    tables=(
                        table(
                            ["layer", "alike by", "components"],
                            [(c.layer, c.key, c.components) for c in self.consolidation_candidates],
                            limit=limit,
                        ),
                    ),
                )
            )
        if self.misplaced:
            out.append(
                Section(
                    "Misplaced: low-layer components used by one product",
                    tables=(
                        table(
                            ["component", "layer", "only user"],
                            [
                                (cid, self.components[cid].layer, self.components[cid].users)
                                for cid in self.misplaced
                            ],
                            limit=limit,
                        ),
                    ),
                )
            )
        return out


class ComponentTable(Mapping[str, ComponentReuse]):
    """The reuse figures of every component, kept as arrays over component positions
    (model order) and turned into :class:`ComponentReuse` records only when asked
    for, so that a large report does not hold 100,000s of records it never reads."""

    def __init__(self, ecosystem: Ecosystem, k: int) -> None:
        graph = compact(ecosystem)
        self.ids = graph.ids
        self.position = graph.position
        self.layers = [c.layer for c in ecosystem.components]
        self.products = [p.id for p in ecosystem.products]
        self.bits = user_bit_list(ecosystem)
        """Per position, the bitset of its users (bit i is product i)."""
        self.dependents = graph.pred()
        """Per position, the positions that depend on it directly, in id order."""
        self.rank = graph.rank()
        direct: dict[int, list[str]] = {}
        for p in ecosystem.products:
            for used in p.uses:
                direct.setdefault(self.position[used], []).append(p.id)
        self.direct = {i: sorted(who) for i, who in direct.items()}
        """Positions that products use directly, and those products' ids, sorted."""
        self.k = k
        self._made: dict[str, ComponentReuse] = {}

    def __getitem__(self, key: str) -> ComponentReuse:
        found = self._made.get(key)
        if found is None:
            i = self.position[key]
            ids = self.ids
            n = self.bits[i].bit_count()
            total = len(self.products)
            direct = tuple(self.direct.get(i, ()))
            dependents = tuple([ids[u] for u in self.dependents[i]])
            found = self._made[key] = ComponentReuse(
                id=key,
                layer=self.layers[i],
                users=tuple(sorted(members(self.bits[i], self.products))),
                direct_users=direct,
                dependents=dependents,
                reuse_count=n,
                direct_reuse_count=len(direct) + len(dependents),
                commonality=n / total if total else 0.0,
                commonality_class=commonality_class(n, total),
            )
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, key: object) -> bool:
        return key in self.position


def orphans(ecosystem: Ecosystem) -> list[tuple[str, str, float | None]]:
    """(component, layer, monthly cost) of every component no product uses, the
    costliest first (a missing cost last), then by id.

    Complexity: one pass over the cached users bitsets, then a sort of the orphans.
    """
    found = [
        (c.id, c.layer, c.cost)
        for c, bits in zip(ecosystem.components, user_bit_list(ecosystem), strict=True)
        if not bits
    ]
    found.sort(key=lambda row: (-(row[2] if row[2] is not None else -1.0), row[0]))
    return found


def reuse_levels(ecosystem: Ecosystem, k: int = 2) -> dict[str, float]:
    """Per product, its reuse level as :func:`reuse` reports it, and nothing else.

    Complexity: one count per distinct users bitset, O(components + sum over the
    distinct bitsets of their users).
    """
    products = [p.id for p in ecosystem.products]
    size = [0] * len(products)
    reused = [0] * len(products)
    for b, count in Counter(user_bit_list(ecosystem)).items():
        if not b:
            continue
        who = bit_positions(b)
        shared = len(who) >= k
        for i in who:
            size[i] += count
            if shared:
                reused[i] += count
    return {pid: reused[i] / size[i] if size[i] else 0.0 for i, pid in enumerate(products)}


def reuse(ecosystem: Ecosystem, k: int = 2) -> ReuseReport:
    """Reuse figures of every component, product and layer; see the module docs.

    Args:
        ecosystem: the model.
        k: how many products must use a component for it to count as reused.

    Complexity: one bitset pass for users, then O(components + sum of users).
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    products = [p.id for p in ecosystem.products]
    total = len(products)
    table = ComponentTable(ecosystem, k)
    ids, layers = table.ids, table.layers
    layer_ids = [layer.id for layer in ecosystem.layers]
    rank = {lid: i for i, lid in enumerate(layer_ids)}
    lower_half = {lid for lid in layer_ids if rank[lid] >= (len(layer_ids) + 1) // 2}

    count_by_layer: dict[str, list[int]] = {lid: [0, 0] for lid in layer_ids}
    per_product_layer: list[dict[str, list[int]]] = [
        {lid: [0, 0] for lid in layer_ids} for _ in products
    ]
    footprint_lists: list[list[str]] = [[] for _ in products]
    platform: list[tuple[int, int, str]] = []
    established: list[tuple[int, int, str]] = []
    misplaced: list[str] = []
    positions: dict[int, list[int]] = {}
    for i, b in enumerate(table.bits):
        layer = layers[i]
        layer_counts = count_by_layer[layer]
        layer_counts[0] += 1
        if not b:
            continue
        who = positions.get(b)
        if who is None:
            who = positions[b] = bit_positions(b)
        n = len(who)
        is_reused = n >= k
        cid = ids[i]
        if is_reused:
            layer_counts[1] += 1
            if n == total and total >= 2 and layer in lower_half:
                established.append((-n, rank[layer], cid))
            else:
                platform.append((-n, rank[layer], cid))
        for p in who:
            footprint_lists[p].append(cid)
            counts = per_product_layer[p][layer]
            counts[0] += 1
            if is_reused:
                counts[1] += 1
        if n == 1 and layer in lower_half:
            misplaced.append(cid)

    product_results: dict[str, ProductReuse] = {}
    for p, pid in enumerate(products):
        by_layer = per_product_layer[p]
        size = sum(v[0] for v in by_layer.values())
        reused = sum(v[1] for v in by_layer.values())
        product_results[pid] = ProductReuse(
            id=pid,
            footprint=tuple(sorted(footprint_lists[p])),
            reused=reused,
            reuse_level=reused / size if size else 0.0,
            reuse_level_by_layer={
                lid: (v[1] / v[0] if v[0] else None) for lid, v in by_layer.items()
            },
        )
    platform.sort()
    established.sort()
    return ReuseReport(
        k=k,
        product_count=total,
        components=table,
        products=product_results,
        layers={
            lid: LayerReuse(lid, v[0], v[1], v[1] / v[0] if v[0] else None)
            for lid, v in count_by_layer.items()
        },
        platform_candidates=tuple(cid for _, _, cid in platform),
        consolidation_candidates=_consolidation(ecosystem, user_bits(ecosystem)),
        misplaced=tuple(misplaced),
        platforms=tuple(cid for _, _, cid in established),
    )


def _consolidation(
    ecosystem: Ecosystem, bits: dict[str, int]
) -> tuple[ConsolidationCandidate, ...]:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in ecosystem.components:
        if not bits[c.id]:
            continue
        for tag in dict.fromkeys(c.tags):
            groups[(c.layer, f"tag:{tag}")].append(c.id)
        role = c.properties.get("role")
        if isinstance(role, str):
            groups[(c.layer, f"role:{role}")].append(c.id)
    found = []
    for (layer, key), ids in groups.items():
        if len(ids) < 2:
            continue
        pairs: list[tuple[str, str]] = []
        involved: dict[str, None] = {}
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if not bits[a] & bits[b]:
                    pairs.append((a, b))
                    involved[a] = involved[b] = None
                    if len(pairs) >= 50:
                        break
            if len(pairs) >= 50:
                break
        if pairs:
            found.append(ConsolidationCandidate(layer, key, tuple(involved), tuple(pairs)))
    return tuple(found)


@dataclass(frozen=True)
class Similarity:
    """Jaccard similarity and shared-fate counts between every pair of products."""

    products: tuple[str, ...]
    jaccard: tuple[tuple[float, ...], ...]
    """`jaccard[i][j] = |F_i ∩ F_j| / |F_i ∪ F_j|` of the footprints (1 on the diagonal)."""
    shared: tuple[tuple[int, ...], ...]
    """`shared[i][j]` = number of components products i and j both depend on."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "products": list(self.products),
            "jaccard": [list(r) for r in self.jaccard],
            "shared": [list(r) for r in self.shared],
        }

    def sections(self, limit: int = 12) -> list[Section]:
        shown = self.products[:limit]
        rows = [
            (p, *(f"{self.jaccard[i][j]:.2f}" for j in range(len(shown))))
            for i, p in enumerate(shown)
        ]
        lines: tuple[str, ...] = ("Jaccard similarity of footprints (1.00 = identical).",)
        if len(self.products) > limit:
            lines += (
                f"First {limit} of {len(self.products)} products shown; the JSON report has all.",
            )
        return [
            Section(
                "Product similarity",
                lines=lines,
                tables=(table(["", *shown], rows, "l" + "r" * len(shown)),),
            )
        ]


def _footprint_bits(ecosystem: Ecosystem) -> list[int]:
    """Per product, its footprint as a bitset over component positions."""
    products = [p.id for p in ecosystem.products]
    positions: list[list[int]] = [[] for _ in products]
    known: dict[int, list[int]] = {}
    for i, b in enumerate(user_bit_list(ecosystem)):
        if not b:
            continue
        where = known.get(b)
        if where is None:
            where = known[b] = bit_positions(b)
        for p in where:
            positions[p].append(i)
    out = []
    for where in positions:
        raw = bytearray(len(ecosystem.components) // 8 + 1)
        for i in where:
            raw[i >> 3] |= 1 << (i & 7)
        out.append(int.from_bytes(raw, "little"))
    return out


def similarity(ecosystem: Ecosystem) -> Similarity:
    """Jaccard similarity and shared-component counts for every pair of products.

    Complexity: O(products² × components / wordsize), using footprint bitsets.
    """
    feet = _footprint_bits(ecosystem)
    sizes = [f.bit_count() for f in feet]
    n = len(feet)
    jac = [[0.0] * n for _ in range(n)]
    shared = [[0] * n for _ in range(n)]
    for i in range(n):
        shared[i][i] = sizes[i]
        jac[i][i] = 1.0
        for j in range(i + 1, n):
            both = (feet[i] & feet[j]).bit_count()
            union = sizes[i] + sizes[j] - both
            shared[i][j] = shared[j][i] = both
            jac[i][j] = jac[j][i] = both / union if union else 1.0
    return Similarity(
        products=tuple(p.id for p in ecosystem.products),
        jaccard=tuple(tuple(r) for r in jac),
        shared=tuple(tuple(r) for r in shared),
    )


def shared_fate(ecosystem: Ecosystem, a: str, b: str) -> tuple[str, ...]:
    """The components two products both depend on, in model order."""
    ids = [p.id for p in ecosystem.products]
    ecosystem.product(a)
    ecosystem.product(b)
    both = (1 << ids.index(a)) | (1 << ids.index(b))
    bits = user_bits(ecosystem)
    return tuple(c.id for c in ecosystem.components if bits[c.id] & both == both)
