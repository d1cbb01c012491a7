"""Draw the image marketplace's diagrams into diagrams/.

    python examples/image-marketplace/make_diagrams.py           # writes diagrams/*.png and *.dot
    python examples/image-marketplace/make_diagrams.py --check   # exit 1 if a .dot is out of date

Each PNG is drawn by layermodel from the model and sits next to the DOT it was drawn
from; the test suite checks the DOT files against what layermodel draws today.
"""

from __future__ import annotations

import sys
from pathlib import Path

import layermodel as lm
from layermodel.diagrams import Diagram, gallery_main

HERE = Path(__file__).resolve().parent

VIEWS = {
    "ecosystem": "ecosystem",
    "product-sellers": "product:sellers",
    "product-buyers": "product:buyers",
    "reuse-matrix": "matrix",
}


def diagrams() -> dict[str, Diagram]:
    """Diagram name to its diagram."""
    market = lm.load(HERE / "model.yaml")
    drawn = {name: market.render(view) for name, view in VIEWS.items()}
    drawn["by-group"] = market.render("ecosystem", rollup="group")
    drawn["focus-image-delivery"] = market.render("ecosystem", focus="image-delivery")
    return drawn


if __name__ == "__main__":
    sys.exit(gallery_main(diagrams, HERE / "diagrams"))
