"""The figures of one version of a model, from the analyses' public functions and the
model's own check rules."""

from __future__ import annotations

from layermodel.analysis import (
    allocate_costs,
    cycles,
    reuse,
    single_points_of_failure,
    violations,
)
from layermodel.checks import check
from layermodel.errors import LayermodelError
from layermodel.model import Ecosystem
from layermodel.timeline.result import Figures

__all__ = ["measure"]


def measure(ecosystem: Ecosystem, min_users: int = 2) -> Figures:
    """Components per layer, reuse, violations, cycles, single points of failure, cost
    and check results of ``ecosystem`` (see :class:`Figures`).

    Complexity: that of the analyses it calls, each near-linear in the model.
    """
    report = reuse(ecosystem, min_users)
    shared = report if min_users == 2 else reuse(ecosystem, 2)
    total = sum(layer.components for layer in report.layers.values())
    reused = sum(layer.reused for layer in report.layers.values())
    failures = single_points_of_failure(ecosystem)
    findings: int | None = None
    passed: bool | None = None
    error: str | None = None
    if ecosystem.checks:
        try:
            result = check(ecosystem)
        except LayermodelError as exc:  # a launch-reuse rule needs files on disk
            error = str(exc)
        else:
            findings, passed = len(result.findings), result.passed
    return Figures(
        components=len(ecosystem.components),
        dependencies=sum(len(c.depends_on) for c in ecosystem.components),
        products=len(ecosystem.products),
        layers={lid: layer.components for lid, layer in report.layers.items()},
        reuse_level=reused / total if total else None,
        product_reuse={pid: p.reuse_level for pid, p in report.products.items()},
        shared=sum(layer.reused for layer in shared.layers.values()),
        platform_candidates=len(report.platform_candidates),
        violations=len(violations(ecosystem).violations),
        cycles=len(cycles(ecosystem).cycles),
        single_points_of_failure=sum(1 for row in failures.ranking if row[2] >= 2),
        total_cost=allocate_costs(ecosystem).total,
        check_findings=findings,
        check_passed=passed,
        check_error=error,
    )
