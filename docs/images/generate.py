"""Regenerate the diagrams shown in the README and the docs.

    .venv/bin/python docs/images/generate.py            # writes docs/images/*.png and *.dot
    .venv/bin/python docs/images/generate.py --check    # exit 1 if a .dot is out of date

Every image is drawn from the built-in example by ``layermodel.render``; nothing here
is edited by hand. Each PNG sits next to the DOT it was drawn from; the test suite
checks that the DOT files match what the code draws today.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import layermodel as lm

HERE = Path(__file__).resolve().parent

IMAGES = {
    "google-search": "product:search",
    "google-ecosystem": "ecosystem",
    "google-impact-distributed-db": "impact:distributed-db",
    "google-reuse-matrix": "matrix",
}


def sources() -> dict[str, str]:
    """Image name to its DOT source."""
    eco = lm.example()
    return {name: eco.render(view).dot for name, view in IMAGES.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the DOT files")
    parser.add_argument("--out", type=Path, default=HERE, help="where to write")
    args = parser.parse_args(argv)
    eco = lm.example()
    stale = []
    for name, dot in sources().items():
        path = args.out / f"{name}.dot"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != dot:
                stale.append(path.name)
            continue
        path.write_text(dot, encoding="utf-8")
        eco.render(IMAGES[name]).save(args.out / f"{name}.png")
        print(f"wrote {args.out / name}.png")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python docs/images/generate.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
