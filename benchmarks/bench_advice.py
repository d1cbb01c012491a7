"""Benchmark the platform opportunities (``layermodel advise``) against a floor.

Run:  python benchmarks/bench_advice.py [--sizes 2000 8000 32000] [--repeat 3]

For each size it builds a seeded synthetic model (benchmarks/synthetic.py) and times,
as the median of ``--repeat`` runs, each from a cold cache:

- floor: validating the model again (``Ecosystem(**fields)``) and its users bitsets:
  the cost of one what-if's model after, linear in components and dependencies;
- duplicates: the blocked duplicate search (``merge_candidates``), which must stay
  near-linear: its ratio to the floor should not grow with the size;
- advise: the whole ranked list with ``--limit`` what-ifs of each kind, about
  (3 x limit) floors plus the search.

The ratios are what to read: both timings run on the same machine in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import generate  # noqa: E402

import layermodel as lm  # noqa: E402
from layermodel.analysis.advice import advise, merge_candidates  # noqa: E402
from layermodel.graph import user_bits  # noqa: E402


def _floor(eco: lm.Ecosystem) -> None:
    fields = {name: getattr(eco, name) for name in type(eco).model_fields}
    user_bits(type(eco)(**fields))


def _timed(work: object, eco: lm.Ecosystem, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        eco.derived_cache().clear()
        start = time.perf_counter()
        work(eco)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(n: int, repeat: int, limit: int) -> dict[str, object]:
    eco = lm.loads(json.dumps(generate(n, seed=1)), "json")
    floor = _timed(_floor, eco, repeat)
    duplicates = _timed(merge_candidates, eco, repeat)
    whole = _timed(lambda e: advise(e, limit=limit), eco, repeat)
    return {
        "components": n,
        "floor_s": floor,
        "duplicates_s": duplicates,
        "advise_s": whole,
        "duplicates_ratio": duplicates / floor,
        "advise_ratio": whole / floor,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000, 32000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    rows = [measure(n, args.repeat, args.limit) for n in args.sizes]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| components | floor | duplicate search | ratio | advise | ratio |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['components']:,} | {r['floor_s']:.2f} s | {r['duplicates_s']:.2f} s | "
            f"{r['duplicates_ratio']:.2f} | {r['advise_s']:.2f} s | {r['advise_ratio']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
