"""Regenerate the diagrams shown in the README and the docs.

    .venv/bin/python docs/images/generate.py            # writes docs/images/*.png and *.dot
    .venv/bin/python docs/images/generate.py --check    # exit 1 if a .dot is out of date

Every image is drawn by ``layermodel.render`` from the built-in example, and the
change picture by ``render_change`` from the taxi example's two versions; nothing
here is edited by hand. Each PNG sits next to the DOT it was drawn from; the test suite
checks that the DOT files match what the code draws today.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import layermodel as lm
from layermodel.diagrams import Diagram, gallery_main, render_change

HERE = Path(__file__).resolve().parent
TAXI = HERE.parent.parent / "examples" / "taxi"

IMAGES = {
    "google-search": "product:search",
    "google-ecosystem": "ecosystem",
    "google-impact-distributed-db": "impact:distributed-db",
    "google-reuse-matrix": "matrix",
}


def diagrams() -> dict[str, Diagram]:
    """Image name to its diagram."""
    eco = lm.example()
    drawn = {name: eco.render(view) for name, view in IMAGES.items()}
    old, new = lm.load(TAXI / "model-v1.yaml"), lm.load(TAXI / "model-v2.yaml")
    drawn["taxi-change"] = render_change(
        old, new, old_name="model-v1.yaml", new_name="model-v2.yaml"
    )
    return drawn


def main(argv: Sequence[str] | None = None) -> int:
    return gallery_main(diagrams, HERE, argv)


if __name__ == "__main__":
    sys.exit(main())
