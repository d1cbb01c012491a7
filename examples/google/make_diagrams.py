"""Draw the Google example's diagrams into diagrams/.

    python examples/google/make_diagrams.py           # writes diagrams/*.png and *.dot
    python examples/google/make_diagrams.py --check   # exit 1 if a .dot is out of date

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
    "impact-distributed-db": "impact:distributed-db",
    "reuse-matrix": "matrix",
    "product-docs": "product:docs",
}


def diagrams() -> dict[str, Diagram]:
    """Diagram name to its diagram."""
    google = lm.example()
    return {name: google.render(view) for name, view in VIEWS.items()}


if __name__ == "__main__":
    sys.exit(gallery_main(diagrams, HERE / "diagrams"))
