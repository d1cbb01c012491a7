"""Build or buy: what the image marketplace pays each month, per piece and per product.

    python examples/image-marketplace/insight.py

Prints every component's sourcing decision with its vendor and monthly cost, the bill
per sourcing decision, and each product's share of the bill: every component's cost
split equally among the products that use it (``allocate_costs``).
"""

from __future__ import annotations

from pathlib import Path

import layermodel as lm
from layermodel.analysis import allocate_costs

MODEL = Path(__file__).resolve().parent / "model.yaml"


def main() -> None:
    market = lm.load(MODEL)
    layer_names = {layer.id: layer.name for layer in market.layers}

    print("Build or buy: every component, top layer first (cost in EUR per month)")
    print(f"  {'component':<26} {'layer':<22} {'sourcing':<13} {'vendor':<22} {'cost':>6}")
    for c in market.components:
        print(
            f"  {c.name:<26} {layer_names[c.layer]:<22} {c.sourcing:<13} "
            f"{c.vendor or '-':<22} {c.cost or 0:>6,.0f}"
        )

    print()
    print("Monthly bill by sourcing decision")
    for sourcing in ("build", "buy", "external-api", "open-source"):
        parts = [c for c in market.components if c.sourcing == sourcing]
        cost = sum(c.cost or 0 for c in parts)
        print(f"  {sourcing:<12} {len(parts):>2} components  {cost:>6,.0f}")

    costs = allocate_costs(market)  # each cost split equally among its users
    names = {p.id: p.name for p in market.products}
    print()
    print("Monthly cost per product (shared components split equally among their users)")
    print(f"  {'product':<22} {'total':>6} {'own':>6} {'shared':>6}  largest shares")
    for pid, product in costs.products.items():
        largest = ", ".join(f"{cid} {amount:,.0f}" for cid, amount in product.largest[:3])
        print(
            f"  {names[pid]:<22} {product.total:>6,.0f} {product.own:>6,.0f} "
            f"{product.shared:>6,.0f}  {largest}"
        )
    print(
        f"  {'all products':<22} {sum(p.total for p in costs.products.values()):>6,.0f}"
        f"  of {costs.total:,.0f} in total, {costs.unallocated:,.0f} unallocated"
    )


if __name__ == "__main__":
    main()
