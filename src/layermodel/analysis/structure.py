"""Structure metrics: coupling and instability of each component, Stable Dependencies
Principle violations, and the propagation cost of the whole portfolio.

- **Ca** (afferent coupling): how many components depend on this one directly.
  **Ce** (efferent coupling): how many it depends on directly. **Instability**
  I = Ce / (Ca + Ce), and I = 0 when both are 0. Robert C. Martin, "Agile Software
  Development: Principles, Patterns, and Practices", Prentice Hall, 2002, ch. 20.
- **Stable Dependencies Principle**: depend in the direction of stability. An edge
  u -> v violates it when I(u) < I(v): a stable component leans on a less stable one.
  Violations onto shared components (two or more users) are listed first.
- **Propagation cost**: the share of the dependency matrix's transitive closure that
  is filled, diagonal included: sum of |reach(x) ∪ {x}| / n². MacCormack, Rusnak &
  Baldwin, "Exploring the Structure of Complex Software Designs", Management Science
  52(7), 2006. Computed exactly, in one pass whose cost is the size of the closure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layermodel.analysis.precomputed import reach_total
from layermodel.analysis.sections import Section, fmt_percent, table
from layermodel.errors import plural
from layermodel.graph import compact, user_bit_list

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = ["Coupling", "CouplingReport", "coupling", "propagation_cost"]


@dataclass(frozen=True)
class Coupling:
    """Martin's coupling figures of one component."""

    ca: int
    ce: int
    instability: float


@dataclass(frozen=True)
class CouplingReport:
    """Coupling of every component, SDP violations and propagation cost."""

    components: dict[str, Coupling]
    sdp_violations: tuple[tuple[str, str, float, float, bool], ...]
    """(source, target, I(source), I(target), target is shared), shared and worst first."""
    propagation_cost: float
    propagation_cost_exact: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "propagation_cost": self.propagation_cost,
            "propagation_cost_exact": self.propagation_cost_exact,
            "sdp_violations": [
                {
                    "source": u,
                    "target": v,
                    "source_instability": iu,
                    "target_instability": iv,
                    "target_shared": shared,
                }
                for u, v, iu, iv, shared in self.sdp_violations
            ],
        }

    def sections(self, limit: int = 15) -> list[Section]:
        """Report sections for text and Markdown."""
        lines = (
            f"Propagation cost: {fmt_percent(self.propagation_cost)}: the share of "
            "component pairs where a change to one can reach the other.",
            f"Stable Dependencies Principle violations: {plural(len(self.sdp_violations), 'edge')} "
            "lean on a less stable component.",
        )
        rows = [
            (u, v, f"{iu:.2f}", f"{iv:.2f}", "yes" if shared else "")
            for u, v, iu, iv, shared in self.sdp_violations
        ]
        return [
            Section(
                "Structure",
                lines=lines,
                tables=(
                    table(["from", "to", "I(from)", "I(to)", "to is shared"], rows, "llrrl", limit),
                )
                if rows
                else (),
            )
        ]


def coupling(ecosystem: Ecosystem) -> CouplingReport:
    """Ca, Ce, instability, SDP violations and propagation cost.

    Complexity: O(components + dependencies), plus the propagation cost (see module).
    """
    graph = compact(ecosystem)
    ids, succ = graph.ids, graph.succ
    figures: dict[str, Coupling] = {}
    instability = [0.0] * len(ids)
    for u, (cid, users, targets) in enumerate(zip(ids, graph.pred(), succ, strict=True)):
        ca, ce = len(users), len(targets)
        i = ce / (ca + ce) if ca + ce else 0.0
        figures[cid] = Coupling(ca, ce, i)
        instability[u] = i
    bits = user_bit_list(ecosystem)
    violations = []
    for u, targets in enumerate(succ):
        iu = instability[u]
        for v in targets:
            iv = instability[v]
            if iu < iv:
                violations.append((ids[u], ids[v], iu, iv, bits[v].bit_count() >= 2))
    violations.sort(key=lambda x: (not x[4], x[2] - x[3], x[0], x[1]))
    cost, exact = propagation_cost(ecosystem)
    return CouplingReport(figures, tuple(violations), cost, exact)


def propagation_cost(ecosystem: Ecosystem) -> tuple[float, bool]:
    """(propagation cost, True): exact, from one pass over the transitive closure."""
    n = len(ecosystem.components)
    if n == 0:
        return 0.0, True
    return (reach_total(ecosystem) + n) / (n * n), True
