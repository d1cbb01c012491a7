"""Draw the rideshare example's pictures into diagrams/.

    python examples/rideshare/make_diagrams.py           # writes diagrams/*.png, *.svg, *.dot
    python examples/rideshare/make_diagrams.py --check   # exit 1 if a .dot is out of date

The stack pictures are the slide style (``style="stack"``): one box per component in
its layer band, no arrows. Each picture is drawn by layermodel from the model and sits
next to the DOT it was drawn from; the test suite checks the DOT files against what
layermodel draws today, and builds the slide deck.
"""

from __future__ import annotations

import sys
from pathlib import Path

import layermodel as lm
from layermodel.diagrams import Diagram, gallery_main

HERE = Path(__file__).resolve().parent

# diagram name: (view, keyword arguments of lm.render)
DIAGRAMS: dict[str, tuple[str, dict[str, object]]] = {
    "stack": ("ecosystem", {"style": "stack"}),
    "stack-by-owner": ("ecosystem", {"style": "stack", "colour_by": "owner"}),
    "stack-eats-payments": (
        "product:eats",
        {"style": "stack", "highlight": ["payments", "payouts", "payment-gateway", "ledger"]},
    ),
    "ecosystem": ("ecosystem", {}),
}


def diagrams() -> dict[str, Diagram]:
    """Diagram name to its diagram."""
    eco = lm.load(HERE / "model.yaml")
    return {
        name: lm.render(eco, view, **options)  # type: ignore[arg-type]
        for name, (view, options) in DIAGRAMS.items()
    }


if __name__ == "__main__":
    sys.exit(gallery_main(diagrams, HERE / "diagrams", formats=("png", "svg")))
