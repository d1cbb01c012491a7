"""eShopOnContainers: a model discovered from its compose files, drawn in layers, and
its reuse: which services every shop shares, and where each dependency was seen.

    python examples/eshop/insight.py
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from layermodel.analysis import reuse, single_points_of_failure
from layermodel.interop import DiscoveryResult, import_compose, read_layer_rules

HERE = Path(__file__).resolve().parent


def discovered() -> DiscoveryResult:
    """The model, from the two compose files and the project's .env, with the rules
    that name the products. The files are named relative to this folder, so that the
    provenance (and the diagrams' tooltips) read ``source/docker-compose.yml:12``
    wherever the script is run from."""
    with contextlib.chdir(HERE):
        return import_compose(
            "source/docker-compose.yml",
            "source/docker-compose.override.yml",
            rules=read_layer_rules("rules.yaml"),
            name="eShopOnContainers",
        )


def main() -> None:
    result = discovered()
    eco = result.ecosystem
    edges = [(c.id, d) for c in eco.components for d in c.depends_on]
    print(
        f"Discovered {len(eco.components)} services and {len(edges)} dependencies "
        f"from {len(result.files)} files; {len(result.problems)} things reported."
    )
    for layer in eco.layers:
        ids = [c.id for c in eco.components_in(layer.id)]
        if ids:
            print(f"  {layer.id:<15} {', '.join(ids)}")

    report = reuse(eco)
    print()
    print("Reuse level per product (share of its footprint used by 2 or more products)")
    for pid, p in report.products.items():
        label = eco.product(pid).label
        print(f"  {label:<16} {len(p.footprint):>2} components  {p.reuse_level:4.0%}")
    everyone = len(eco.products)
    # platforms already (every product, from a lower layer), then candidates
    shared = (*report.platforms, *report.platform_candidates)
    rank = {layer.id: i for i, layer in enumerate(eco.layers)}
    core = sorted(
        (c for c in shared if report.components[c].reuse_count == everyone),
        key=lambda c: (rank[report.components[c].layer], c),
    )
    print(f"Every product runs on: {', '.join(core)}")

    print()
    print("What takes the most down when it fails:")
    for cid, _layer, products, _weight, _share, components in single_points_of_failure(eco).ranking[
        :3
    ]:
        print(f"  {cid:<14} {products} of {everyone} products, {components} components")

    print()
    print("Where the dependencies of the mobile aggregator were seen:")
    for dep in eco.component("mobileshoppingagg").depends_on:
        seen = "; ".join(p.evidence or "" for p in dep.provenance)
        print(f"  -> {dep.target:<14} {seen}")


if __name__ == "__main__":
    main()
