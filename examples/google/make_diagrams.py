"""Draw the Google example's diagrams into diagrams/.

    python examples/google/make_diagrams.py           # writes diagrams/*.png and *.dot
    python examples/google/make_diagrams.py --check   # exit 1 if a .dot is out of date

Each PNG is drawn by layermodel from the model and sits next to the DOT it was drawn
from; the test suite checks the DOT files against what layermodel draws today.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import layermodel as lm

HERE = Path(__file__).resolve().parent

VIEWS = {
    "ecosystem": "ecosystem",
    "impact-distributed-db": "impact:distributed-db",
    "reuse-matrix": "matrix",
    "product-docs": "product:docs",
}


def sources() -> dict[str, str]:
    """Diagram name to its DOT source."""
    google = lm.example()
    return {name: google.render(view).dot for name, view in VIEWS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the DOT files")
    parser.add_argument("--out", type=Path, default=HERE / "diagrams", help="where to write")
    args = parser.parse_args(argv)
    google = lm.example()
    stale = []
    for name, dot in sources().items():
        path = args.out / f"{name}.dot"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != dot:
                stale.append(path.name)
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        path.write_text(dot, encoding="utf-8")
        google.render(VIEWS[name]).save(args.out / f"{name}.png")
        print(f"wrote {args.out / name}.png")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python {Path(__file__).name}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
