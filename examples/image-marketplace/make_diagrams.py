"""Draw the image marketplace diagrams into diagrams/.

    python examples/image-marketplace/make_diagrams.py           # writes diagrams/*.png and *.dot
    python examples/image-marketplace/make_diagrams.py --check   # exit 1 if a .dot is out of date

Each PNG is drawn by layermodel from the model and sits next to the DOT it was drawn
from; the test suite checks the DOT files against what layermodel draws today.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import layermodel as lm

HERE = Path(__file__).resolve().parent

MODEL = HERE / "model.yaml"

VIEWS = {
    "ecosystem": "ecosystem",
    "product-sellers": "product:sellers",
    "product-buyers": "product:buyers",
    "reuse-matrix": "matrix",
}


def sources() -> dict[str, str]:
    """Diagram name to its DOT source."""
    market = lm.load(MODEL)
    return {name: market.render(view).dot for name, view in VIEWS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the DOT files")
    parser.add_argument("--out", type=Path, default=HERE / "diagrams", help="where to write")
    args = parser.parse_args(argv)
    market = lm.load(MODEL)
    stale = []
    for name, dot in sources().items():
        path = args.out / f"{name}.dot"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != dot:
                stale.append(path.name)
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        path.write_text(dot, encoding="utf-8")
        market.render(VIEWS[name]).save(args.out / f"{name}.png")
        print(f"wrote {args.out / name}.png")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python {Path(__file__).name}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
