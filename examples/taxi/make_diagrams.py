"""Draw the taxi example's diagrams into diagrams/.

    python examples/taxi/make_diagrams.py           # writes diagrams/*.png and *.dot
    python examples/taxi/make_diagrams.py --check   # exit 1 if a .dot is out of date

Each PNG is drawn by layermodel from the model and sits next to the DOT it was drawn
from; the test suite checks the DOT files against what layermodel draws today.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import layermodel as lm

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


def diagrams() -> dict[str, object]:
    """Diagram name to its diagram (``Ecosystem.render``)."""
    models = {files: lm.load(*(HERE / f for f in files)) for files in {V1, V2}}
    return {name: models[files].render(view) for name, (files, view) in DIAGRAMS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the DOT files")
    parser.add_argument("--out", type=Path, default=HERE / "diagrams", help="where to write")
    args = parser.parse_args(argv)
    stale = []
    for name, diagram in diagrams().items():
        path = args.out / f"{name}.dot"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != diagram.dot:  # type: ignore[attr-defined]
                stale.append(path.name)
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        path.write_text(diagram.dot, encoding="utf-8")  # type: ignore[attr-defined]
        diagram.save(args.out / f"{name}.png")  # type: ignore[attr-defined]
        print(f"wrote {args.out / name}.png")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python {Path(__file__).name}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
