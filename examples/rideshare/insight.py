"""Rideshare: what each product runs on, what it costs each month, and whether it meets
its availability target.

    python examples/rideshare/insight.py

Each product's footprint is everything it runs on; its monthly cost is its share of
every component in that footprint, each component's cost split equally among the
products that use it (``allocate_costs``); its estimated availability is the product
of the availabilities in its required footprint (``availability``), compared with the
product's ``availability_target``.
"""

from __future__ import annotations

from pathlib import Path

import layermodel as lm
from layermodel.analysis import allocate_costs, availability, reuse

MODEL = Path(__file__).resolve().parent / "model.yaml"


def main() -> None:
    eco = lm.load(MODEL)
    shared = reuse(eco)
    costs = allocate_costs(eco)
    report = availability(eco)
    print(f"{eco.name}: {len(eco.products)} products on {len(eco.components)} components")
    print(f"  {'product':<11} {'runs on':>7} {'shared':>6} {'cost/month':>10} {'own':>7}"
          f"  {'availability':>12} {'target':>7}  meets it")  # fmt: skip
    for product in eco.products:
        use = shared.products[product.id]
        cost, up = costs.products[product.id], report.products[product.id]
        target = product.availability_target or 0.0
        verdict = "yes" if up.availability >= target else "NO"
        print(
            f"  {product.name:<11} {len(use.footprint):>7} {use.reuse_level:>6.0%} "
            f"{cost.total:>10,.0f} {cost.own:>7,.0f}  {up.availability:>12.3%} {target:>7.2%}"
            f"  {verdict}"
        )
    print(f"  total monthly cost {costs.total:,.0f}")
    print()
    core = [cid for cid, info in shared.components.items() if info.commonality == 1]
    print(f"Shared by all {len(eco.products)} products: {len(core)} components")
    for layer in eco.layers:
        names = [eco.component(cid).label for cid in core if eco.component(cid).layer == layer.id]
        if names:
            print(f"  {layer.label}: {', '.join(names)}")
    for product in eco.products:
        estimate = report.products[product.id]
        if estimate.availability < (product.availability_target or 0.0):
            weakest = ", ".join(
                f"{eco.component(cid).label} {a:.2%}" for cid, a in estimate.weakest[:3]
            )
            print(f"{product.name} misses its target; weakest links: {weakest}")


if __name__ == "__main__":
    main()
