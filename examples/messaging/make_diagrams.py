"""Draw the messaging example's diagrams into diagrams/.

    python examples/messaging/make_diagrams.py           # writes diagrams/*.png and *.dot
    python examples/messaging/make_diagrams.py --check   # exit 1 if a .dot is out of date

Each PNG is drawn by layermodel from the model and sits next to the DOT it was drawn
from; the test suite checks the DOT files against what layermodel draws today.
"""

from __future__ import annotations

import sys
from pathlib import Path

import layermodel as lm
from layermodel.diagrams import Diagram, gallery_main

HERE = Path(__file__).resolve().parent
TODAY = ("model.yaml",)
WITH_TELEGRAM = ("model.yaml", "telegram.yaml")

# diagram name: (model files, view)
DIAGRAMS = {
    "ecosystem": (TODAY, "ecosystem"),
    "product-payment-verification": (TODAY, "product:payment-verification"),
    "impact-message-queue": (TODAY, "impact:message-queue"),
    "product-telegram": (WITH_TELEGRAM, "product:telegram"),
}


def diagrams() -> dict[str, Diagram]:
    """Diagram name to its diagram (``Ecosystem.render``)."""
    models = {files: lm.load(*(HERE / f for f in files)) for files in {TODAY, WITH_TELEGRAM}}
    return {name: models[files].render(view) for name, (files, view) in DIAGRAMS.items()}


if __name__ == "__main__":
    sys.exit(gallery_main(diagrams, HERE / "diagrams"))
