"""Regenerate the diagrams shown in the README and the docs.

    .venv/bin/python docs/images/generate.py            # writes docs/images/*.png and *.dot
    .venv/bin/python docs/images/generate.py --check    # exit 1 if a .dot is out of date

Every image is drawn by ``layermodel.render`` from the built-in example, from the
image-marketplace example (its groups), or from the seeded random portfolio of
``benchmarks/synthetic.py`` (150 components, 8 products, 8 domains), and the change
picture by ``render_change`` from the taxi example's two versions; nothing here is
edited by hand. Each PNG sits next to the DOT it was drawn from; the test suite
checks that the DOT files match what the code draws today.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import layermodel as lm
from layermodel.diagrams import Diagram, gallery_main, render_change

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TAXI = REPO / "examples" / "taxi"

IMAGES = {
    "google-search": "product:search",
    "google-ecosystem": "ecosystem",
    "google-impact-distributed-db": "impact:distributed-db",
    "google-reuse-matrix": "matrix",
}
# The stack style (boxes in bands, no arrows: the picture for a slide).
STACKS = {
    "google-stack": ("ecosystem", {}),
    "google-stack-highlight": (
        "ecosystem",
        {"colour_by": "owner", "highlight": ["ranking", "vms"]},
    ),
}


def portfolio_150() -> lm.Ecosystem:
    """The random portfolio of issue 14: 150 components, 8 products, 8 domains, seed 0."""
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    return lm.loads(json.dumps(synthetic.generate(150, 0, products=8, groups=8)), "json")


def diagrams() -> dict[str, Diagram]:
    """Image name to its diagram."""
    eco = lm.example()
    drawn = {name: eco.render(view) for name, view in IMAGES.items()}
    old, new = lm.load(TAXI / "model-v1.yaml"), lm.load(TAXI / "model-v2.yaml")
    drawn["taxi-change"] = render_change(
        old, new, old_name="model-v1.yaml", new_name="model-v2.yaml"
    )
    drawn["google-focus-ranking"] = eco.render("ecosystem", focus="ranking", depth=1)
    market = lm.load(REPO / "examples" / "image-marketplace" / "model.yaml")
    drawn["marketplace-groups"] = market.render("ecosystem")
    drawn["marketplace-rollup-group"] = market.render("ecosystem", rollup="group")
    drawn["marketplace-rollup-owner"] = market.render("ecosystem", rollup="owner")
    big = portfolio_150()
    drawn["portfolio-150-groups"] = big.render("ecosystem")
    drawn["portfolio-150-rollup-group"] = big.render("ecosystem", rollup="group")
    for name, (view, options) in STACKS.items():
        drawn[name] = eco.render(view, style="stack", **options)
    return drawn


def main(argv: Sequence[str] | None = None) -> int:
    return gallery_main(diagrams, HERE, argv)


if __name__ == "__main__":
    sys.exit(main())
