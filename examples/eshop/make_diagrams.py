"""Draw the eShop example's diagrams into diagrams/, from the model discovered from its
compose files.

    python examples/eshop/make_diagrams.py           # writes diagrams/*.png and *.dot
    python examples/eshop/make_diagrams.py --check   # exit 1 if a .dot is out of date

Each PNG is drawn by layermodel and sits next to the DOT it was drawn from; the test
suite checks the DOT files against what layermodel draws today.
"""

from __future__ import annotations

import sys
from pathlib import Path

from layermodel.diagrams import Diagram, gallery_main

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from insight import discovered  # noqa: E402  (the example's own module, beside this one)

# diagram name: view
DIAGRAMS = {
    "ecosystem": "ecosystem",
    "product-mobile-shop": "product:mobile-shop",
    "reuse-matrix": "matrix",
}


def diagrams() -> dict[str, Diagram]:
    """Diagram name to its diagram (``Ecosystem.render``)."""
    eco = discovered().ecosystem
    return {name: eco.render(view) for name, view in DIAGRAMS.items()}


if __name__ == "__main__":
    sys.exit(gallery_main(diagrams, HERE / "diagrams"))
