"""Regenerate the diagrams shown in the README and the docs.

    .venv/bin/python docs/images/generate.py            # writes docs/images/*.png and *.dot
    .venv/bin/python docs/images/generate.py --check    # exit 1 if a .dot is out of date

Every image is drawn from the built-in example by ``layermodel.render``; nothing here
is edited by hand. Each PNG sits next to the DOT it was drawn from; the test suite
checks that the DOT files match what the code draws today.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import layermodel as lm
from layermodel.diagrams import Diagram, gallery_main

HERE = Path(__file__).resolve().parent

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


def diagrams() -> dict[str, Diagram]:
    """Image name to its diagram."""
    eco = lm.example()
    drawn = {name: eco.render(view) for name, view in IMAGES.items()}
    for name, (view, options) in STACKS.items():
        drawn[name] = eco.render(view, style="stack", **options)
    return drawn


def main(argv: Sequence[str] | None = None) -> int:
    return gallery_main(diagrams, HERE, argv)


if __name__ == "__main__":
    sys.exit(main())
