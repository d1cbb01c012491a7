"""Messaging: what launching Telegram reuses, and whether payment verification gets
the availability it requires.

    python examples/messaging/insight.py

The launch plan compares the model with and without ``telegram.yaml``
(``add_products``). The availability check compares each product's required
availability (``properties.availability_target`` in the model) with the serial
rollup over its required footprint (``availability``).
"""

from __future__ import annotations

from pathlib import Path

import layermodel as lm
from layermodel.analysis import add_products, availability
from layermodel.analysis.sections import render_text

HERE = Path(__file__).resolve().parent
MINUTES_PER_MONTH = 30 * 24 * 60


def main() -> None:
    platform = lm.load(HERE / "model.yaml")
    with_telegram = lm.load(HERE / "model.yaml", HERE / "telegram.yaml")

    plan = add_products(platform, with_telegram)
    telegram = plan.products[0]
    print(f"Adding Telegram reuses {telegram.reuse_percent:.0f}% of its stack.")
    print(render_text(plan.sections()))

    report = availability(platform)
    print("Availability: required (availability_target) against the serial rollup")
    print(f"  {'product':<24} {'required':>8} {'estimated':>9} {'downtime/month':>14}  meets it")
    for product in platform.products:
        target = float(product.properties["availability_target"])
        estimate = report.products[product.id]
        verdict = "yes" if estimate.availability >= target else "NO"
        print(
            f"  {product.name:<24} {target:>8.2%} {estimate.availability:>9.3%} "
            f"{estimate.downtime_minutes_per_month:>10.0f} min  {verdict}"
            f" (budget {(1 - target) * MINUTES_PER_MONTH:.0f} min)"
        )

    payments = report.products["payment-verification"]
    weakest = ", ".join(f"{cid} {a:.2%}" for cid, a in payments.weakest)
    print(f"Payment verification's weakest links: {weakest}")


if __name__ == "__main__":
    main()
