"""Draw the taxi example's diagrams into diagrams/.

    python examples/taxi/make_diagrams.py           # writes diagrams/*.png and *.dot
    python examples/taxi/make_diagrams.py --check   # exit 1 if a .dot is out of date

Each PNG is drawn by layermodel from the model and sits next to the DOT it was drawn
from; the test suite checks the DOT files against what layermodel draws today.
"""

from __future__ import annotations

import sys
from pathlib import Path

import layermodel as lm
from layermodel.diagrams import Diagram, gallery_main, render_change

HERE = Path(__file__).resolve().parent
V1 = ("model-v1.yaml",)
V2 = ("model-v2.yaml",)

# diagram name: (model files, view)
DIAGRAMS = {
    "v1-ecosystem": (V1, "ecosystem"),
    "v2-ecosystem": (V2, "ecosystem"),
    "v2-product-rider": (V2, "product:rider"),
    "v2-reuse-matrix": (V2, "matrix"),
}


def diagrams() -> dict[str, Diagram]:
    """Diagram name to its diagram (``Ecosystem.render``), and the change from v1 to
    v2 as one picture (``render_change``)."""
    models = {files: lm.load(*(HERE / f for f in files)) for files in {V1, V2}}
    drawn = {name: models[files].render(view) for name, (files, view) in DIAGRAMS.items()}
    drawn["v1-to-v2-change"] = render_change(
        models[V1], models[V2], old_name="model-v1.yaml", new_name="model-v2.yaml"
    )
    return drawn


if __name__ == "__main__":
    sys.exit(gallery_main(diagrams, HERE / "diagrams"))
