"""Cost allocation: who pays for shared components.

Each component's monthly ``cost`` is split among its users (the products whose
footprint holds it), equally or in proportion to product ``weight``. A product's
total cost is the sum of its shares. Components nobody uses stay unallocated, so
allocated + unallocated always equals the total cost of the model.

Reference: activity-based costing of shared services, as in Kaplan & Anderson,
"Time-Driven Activity-Based Costing", Harvard Business Review, 2004.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from layermodel.analysis.sections import Section, fmt_money, table
from layermodel.errors import plural
from layermodel.graph import bit_positions, user_bits

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = ["CostMethod", "CostReport", "ProductCost", "allocate_costs", "cost_shares"]

CostMethod = Literal["equal", "weighted"]


@dataclass(frozen=True)
class ProductCost:
    """One product's share of the running costs."""

    id: str
    total: float
    own: float
    """Share paid for components only this product uses."""
    shared: float
    """Share paid for components shared with other products."""
    largest: tuple[tuple[str, float], ...]
    """The biggest shares, largest first (at most 5)."""


@dataclass(frozen=True)
class CostReport:
    """Monthly costs allocated to products."""

    method: CostMethod
    total: float
    allocated: float
    unallocated: float
    unallocated_components: tuple[str, ...]
    """Components with a cost and no users."""
    unknown: int
    """Components with no ``cost`` given."""
    products: dict[str, ProductCost]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "method": self.method,
            "total": self.total,
            "allocated": self.allocated,
            "unallocated": self.unallocated,
            "unallocated_components": list(self.unallocated_components),
            "components_without_cost": self.unknown,
            "products": {
                pid: {
                    "total": p.total,
                    "own": p.own,
                    "shared": p.shared,
                    "largest_shares": [{"component": c, "amount": a} for c, a in p.largest],
                }
                for pid, p in self.products.items()
            },
        }

    def sections(self, limit: int = 25) -> list[Section]:
        """Report sections for text and Markdown."""
        lines = [
            f"Total {fmt_money(self.total)} per month; split {self.method}ly among users"
            if self.method == "equal"
            else f"Total {fmt_money(self.total)} per month; split by product weight",
        ]
        if self.unallocated:
            lines.append(
                f"Unallocated (no users): {fmt_money(self.unallocated)} in "
                f"{plural(len(self.unallocated_components), 'component')} (see Orphans)"
            )
        if self.unknown:
            lines.append(
                f"{plural(self.unknown, 'component')} "
                f"{'states' if self.unknown == 1 else 'state'} no cost."
            )
        rows = [
            (
                pid,
                fmt_money(p.total),
                fmt_money(p.own),
                fmt_money(p.shared),
                ", ".join(f"{c} {fmt_money(a)}" for c, a in p.largest[:3]) or "-",
            )
            for pid, p in sorted(self.products.items(), key=lambda kv: -kv[1].total)
        ]
        return [
            Section(
                "Monthly cost per product",
                lines=tuple(lines),
                tables=(
                    table(
                        ["product", "total", "own", "shared", "largest shares"],
                        rows,
                        "lrrrl",
                        limit,
                    ),
                ),
            )
        ]


def _split(cost: float, who: list[int], weights: list[float], method: CostMethod) -> list[float]:
    """``cost`` split among the products at positions ``who``, equally or by weight."""
    if method == "equal":
        return [cost / len(who)] * len(who)
    weight = sum(weights[i] for i in who)
    return [cost * weights[i] / weight for i in who]


def cost_shares(
    ecosystem: Ecosystem, product_ids: Iterable[str], method: CostMethod = "equal"
) -> dict[str, dict[str, float]]:
    """Per product named, its share of each component's cost, as
    :func:`allocate_costs` splits it (components without a cost left out).

    Complexity: O(components + sum of the named products' footprints).
    """
    products = ecosystem.products
    position = {p.id: i for i, p in enumerate(products)}
    wanted = {position[pid]: pid for pid in product_ids if pid in position}
    mask = sum(1 << i for i in wanted)
    weights = [p.weight for p in products]
    bits = user_bits(ecosystem)
    out: dict[str, dict[str, float]] = {pid: {} for pid in wanted.values()}
    for c in ecosystem.components:
        b = bits[c.id]
        if c.cost is None or not b & mask:
            continue
        who = bit_positions(b)
        for i, part in zip(who, _split(c.cost, who, weights, method), strict=True):
            if i in wanted:
                out[wanted[i]][c.id] = part
    return out


def allocate_costs(ecosystem: Ecosystem, method: CostMethod = "equal") -> CostReport:
    """Split every component's cost among its users, equally or by product weight.

    Complexity: O(components + sum of users).
    """
    if method not in ("equal", "weighted"):
        raise ValueError(f"cost method must be 'equal' or 'weighted', got {method!r}")
    products = ecosystem.products
    weights = [p.weight for p in products]
    bits = user_bits(ecosystem)
    totals = [0.0] * len(products)
    own = [0.0] * len(products)
    shares: list[list[tuple[float, str]]] = [[] for _ in products]
    total = allocated = 0.0
    unallocated_components = []
    unknown = 0
    for c in ecosystem.components:
        cost = c.cost
        if cost is None:
            unknown += 1
            continue
        total += cost
        b = bits[c.id]
        if not b:
            if cost:
                unallocated_components.append(c.id)
            continue
        who = bit_positions(b)
        parts = _split(cost, who, weights, method)
        for i, part in zip(who, parts, strict=True):
            totals[i] += part
            if len(who) == 1:
                own[i] += part
            shares[i].append((part, c.id))
        allocated += cost
    result = {}
    for i, p in enumerate(products):
        largest = sorted(shares[i], key=lambda x: (-x[0], x[1]))[:5]
        result[p.id] = ProductCost(
            id=p.id,
            total=totals[i],
            own=own[i],
            shared=totals[i] - own[i],
            largest=tuple((cid, amount) for amount, cid in largest),
        )
    return CostReport(
        method=method,
        total=total,
        allocated=allocated,
        unallocated=total - allocated,
        unallocated_components=tuple(unallocated_components),
        unknown=unknown,
        products=result,
    )
