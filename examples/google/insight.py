"""What breaks if Google's distributed databases fail, and how much each product reuses.

    python examples/google/insight.py

The model is the built-in example, ``layermodel.example()``; ``model.yaml`` next to
this script is the same model as a file (the test suite checks they are equal).
"""

from __future__ import annotations

import layermodel as lm
from layermodel.analysis import blast_radius, reuse


def main() -> None:
    google = lm.example()
    names = {p.id: p.name for p in google.products}
    layer_names = {layer.id: layer.name for layer in google.layers}

    blast = blast_radius(google, "distributed-db")
    down = set(blast.components) | {"distributed-db"}
    print("If the distributed databases (distributed-db) fail:")
    print(
        f"  products down: {len(blast.products)} of {len(google.products)} "
        f"({blast.share:.0%} of product weight): " + ", ".join(names[p] for p in blast.products)
    )
    print(f"  components down with it: {len(blast.components)}")
    for layer, ids in blast.by_layer.items():
        print(f"    {layer_names[layer]:<15} {', '.join(ids)}")
    still_up = [c.id for c in google.components if c.id not in down]
    print(f"  still up: {', '.join(still_up)}")

    print()
    print("Reuse level: the share of each product's footprint that 2 or more products use")
    report = reuse(google)
    print(f"  {'product':<14} {'footprint':>9} {'shared':>6} {'reuse level':>11}  by layer")
    for pid, product in report.products.items():
        by_layer = ", ".join(
            f"{layer_names[layer]} {level:.0%}"
            for layer, level in product.reuse_level_by_layer.items()
            if level is not None
        )
        print(
            f"  {names[pid]:<14} {len(product.footprint):>9} {product.reused:>6} "
            f"{product.reuse_level:>11.0%}  {by_layer}"
        )


if __name__ == "__main__":
    main()
