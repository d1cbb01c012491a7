"""Reliability: the availability each product can expect, its weakest links, and the
components that promise more than their dependencies allow.

**Availability rollup** (design §3): a product's estimated availability is the product
of the availabilities of the components in its *required* footprint, treating
failures as independent and in series. Components with no ``availability`` count as
always up and are reported as unknown. A component is **over-promising** when its SLO
is higher than the product of the availabilities of everything it requires,
directly or transitively: it cannot meet its SLO even if it never fails itself.

Reference: the serial-system model of reliability block diagrams, e.g. Trivedi,
"Probability and Statistics with Reliability, Queuing and Computer Science
Applications", 2nd ed., Wiley 2002, ch. 3.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layermodel.analysis.sections import Section, table
from layermodel.graph import bit_positions, compact, user_bit_list

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "AvailabilityReport",
    "OverPromise",
    "ProductAvailability",
    "availability",
    "product_availability",
]

_WEAKEST = 3


@dataclass(frozen=True)
class ProductAvailability:
    """Estimated availability of one product."""

    id: str
    availability: float
    """Product of the known availabilities in the required footprint (1.0 if none)."""
    required_footprint: int
    """How many components the product needs (through required edges)."""
    known: int
    """How many of those state an availability."""
    weakest: tuple[tuple[str, float], ...]
    """The lowest availabilities in the required footprint, lowest first."""

    @property
    def downtime_minutes_per_month(self) -> float:
        """Expected downtime in a 30-day month."""
        return (1 - self.availability) * 30 * 24 * 60


@dataclass(frozen=True)
class OverPromise:
    """A component whose SLO is above what its required dependencies allow."""

    component: str
    promised: float
    achievable: float
    """Product of the availabilities of everything it requires (itself excluded)."""
    weakest: str
    """The least available component it requires."""


@dataclass(frozen=True)
class AvailabilityReport:
    """Availability of every product, and over-promising components."""

    products: dict[str, ProductAvailability]
    over_promises: tuple[OverPromise, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "products": {
                pid: {
                    "availability": p.availability,
                    "required_footprint": p.required_footprint,
                    "known": p.known,
                    "weakest_links": [{"component": c, "availability": a} for c, a in p.weakest],
                }
                for pid, p in self.products.items()
            },
            "over_promises": [
                {
                    "component": o.component,
                    "promised": o.promised,
                    "achievable": o.achievable,
                    "weakest": o.weakest,
                }
                for o in self.over_promises
            ],
        }

    def sections(self, limit: int = 25) -> list[Section]:
        """Report sections for text and Markdown."""
        rows = [
            (
                pid,
                f"{p.availability:.5%}",
                f"{p.downtime_minutes_per_month:,.1f}",
                f"{p.known}/{p.required_footprint}",
                ", ".join(f"{c} ({a:.4%})" for c, a in p.weakest) or "-",
            )
            for pid, p in self.products.items()
        ]
        out = [
            Section(
                "Availability per product (serial, required footprint)",
                lines=("Components without an availability count as always up.",),
                tables=(
                    table(
                        ["product", "availability", "downtime min/month", "known", "weakest links"],
                        rows,
                        "lrrrl",
                        limit,
                    ),
                ),
            )
        ]
        if self.over_promises:
            out.append(
                Section(
                    "Over-promising components (SLO above what their dependencies allow)",
                    tables=(
                        table(
                            ["component", "promised", "achievable", "weakest dependency"],
                            [
                                (o.component, f"{o.promised:.4%}", f"{o.achievable:.4%}", o.weakest)
                                for o in self.over_promises
                            ],
                            "lrrl",
                            limit,
                        ),
                    ),
                )
            )
        return out


def availability(ecosystem: Ecosystem) -> AvailabilityReport:
    """Estimate each product's availability and flag over-promising components.

    Complexity: O(sum over components with an availability of their required users
    and of their blast radius): each stated availability is applied once to every
    product and component that requires it.
    """
    return AvailabilityReport(
        products=product_availability(ecosystem), over_promises=_over_promises(ecosystem)
    )


def product_availability(ecosystem: Ecosystem) -> dict[str, ProductAvailability]:
    """Each product's estimated availability, as :func:`availability` reports it,
    without the over-promising components.

    Complexity: O(sum over components with an availability of their required users).
    """
    products = [p.id for p in ecosystem.products]
    bits = user_bit_list(ecosystem, True)
    log_sum = [0.0] * len(products)
    known = [0] * len(products)
    size = [0] * len(products)
    weakest: list[list[tuple[float, str]]] = [[] for _ in products]
    positions: dict[int, list[int]] = {}
    for c, b in zip(ecosystem.components, bits, strict=True):
        if not b:
            continue
        where = positions.get(b)
        if where is None:
            where = positions[b] = bit_positions(b)
        a = c.availability
        if a is None:
            for i in where:
                size[i] += 1
            continue
        log_a = math.log(a)
        for i in where:
            size[i] += 1
            log_sum[i] += log_a
            known[i] += 1
            heap = weakest[i]
            if len(heap) < _WEAKEST:
                heapq.heappush(heap, (-a, c.id))
            elif -heap[0][0] > a:
                heapq.heapreplace(heap, (-a, c.id))

    result = {
        pid: ProductAvailability(
            id=pid,
            availability=math.exp(log_sum[i]),
            required_footprint=size[i],
            known=known[i],
            weakest=tuple(
                (cid, -neg) for neg, cid in sorted(weakest[i], key=lambda x: (-x[0], x[1]))
            ),
        )
        for i, pid in enumerate(products)
    }
    return result


def _over_promises(ecosystem: Ecosystem) -> tuple[OverPromise, ...]:
    """Components whose SLO is above the product of everything they require.

    One traversal of required dependencies per component that states an
    availability: O(sum of the sizes of their required closures), which stays small
    in a layered portfolio because closures run downwards.
    """
    graph = compact(ecosystem)
    required = graph.required
    ids = graph.ids
    availability = [c.availability for c in ecosystem.components]
    logs = [None if a is None else math.log(a) for a in availability]
    values = [1.0 if a is None else a for a in availability]
    found = []
    for start, promised in enumerate(availability):
        if promised is None or not required[start]:
            continue
        seen = {start}
        stack = [start]
        log_total = 0.0
        weakest = -1  # the least available component required, the first id on a tie
        low = 2.0
        while stack:
            for v in required[stack.pop()]:
                if v in seen:
                    continue
                seen.add(v)
                stack.append(v)
                log_a = logs[v]
                if log_a is not None:
                    log_total += log_a
                    a = values[v]
                    if a < low or (a == low and ids[v] < ids[weakest]):
                        low = a
                        weakest = v
        achievable = math.exp(log_total)
        if weakest >= 0 and promised > achievable * (1 + 1e-12):
            found.append(OverPromise(ids[start], promised, achievable, ids[weakest]))
    found.sort(key=lambda o: (o.achievable - o.promised, o.component))
    return tuple(found)
