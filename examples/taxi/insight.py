"""Taxi: the platform candidates and layering violations of a hurried first model,
the fixed second one, and what changed between them.

    python examples/taxi/insight.py
"""

from __future__ import annotations

from pathlib import Path

import layermodel as lm
from layermodel.analysis import cycles, diff, reuse, violations
from layermodel.analysis.sections import render_text

HERE = Path(__file__).resolve().parent


def show_platform(model: lm.Ecosystem, title: str) -> None:
    report = reuse(model)
    print(f"{title}: platforms already (every product, from a lower layer)")
    print(f"  {', '.join(report.platforms)}")
    print(
        f"{title}: platform candidates (used by 2 or more of {len(model.products)} products, "
        "not platforms yet)"
    )
    for cid in report.platform_candidates:
        c = report.components[cid]
        print(f"  {cid:<18} {c.layer:<15} {', '.join(c.users)}")


def shared(model: lm.Ecosystem) -> set[str]:
    """Components two or more products use: platforms and candidates."""
    report = reuse(model)
    return {*report.platforms, *report.platform_candidates}


def main() -> None:
    v1 = lm.load(HERE / "model-v1.yaml")
    v2 = lm.load(HERE / "model-v2.yaml")

    show_platform(v1, "v1")
    layering = violations(v1)
    loops = cycles(v1)
    kinds = ", ".join(
        f"{len(layering.of_kind(kind))} {kind}" for kind in ("upward", "bypass", "independent")
    )
    print()
    print(f"v1 breaks the layering {len(layering.violations)} times: {kinds}")
    for v in layering.violations:
        edge = f"{v.source} -> {v.target}"
        print(f"  {v.kind:<7} {edge:<32} chain: {' -> '.join(v.chain)}")
    for cycle in loops.cycles:
        print(f"  cycle   {', '.join(cycle)}")

    print()
    fixed = violations(v2)
    print(
        f"v2: {len(fixed.violations)} layering violations, {len(cycles(v2).cycles)} dependency cycles"
    )
    before, after = shared(v1), shared(v2)
    print(
        f"v2: {len(after)} components shared by 2 or more products; "
        f"new: {', '.join(sorted(after - before))}; "
        f"gone: {', '.join(sorted(before - after)) or 'none'}"
    )

    # The dependency-by-dependency lists are long: `layermodel diff model-v1.yaml
    # model-v2.yaml` prints them; here, everything else.
    changes = diff(v1, v2)
    print()
    print(render_text([s for s in changes.sections() if s.title != "Dependencies"]), end="")


if __name__ == "__main__":
    main()
