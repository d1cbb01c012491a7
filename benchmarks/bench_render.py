"""Benchmark drawing the ecosystem view to SVG.

Run:  python benchmarks/bench_render.py [--sizes 500 2000 5000] [--repeat 3]

For each size it builds a seeded synthetic model (benchmarks/synthetic.py), then times,
as the median of ``--repeat`` runs:

- scene + layout: ``build_scene`` and layermodel's own layered layout, written out as
  positioned DOT (``Diagram.dot``);
- Graphviz: drawing that DOT as SVG (``neato -n2 -Tsvg``);
- total: the two together, which is what ``layermodel render --view ecosystem``
  spends beyond loading the model.

As a reference it also times Graphviz's own ``dot`` layout of the same graph
(clusters, ``newrank``) with ``--dot-reference``, stopped after ``--budget`` seconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import generate  # noqa: E402

import layermodel as lm  # noqa: E402
from layermodel.diagrams.api import render  # noqa: E402
from layermodel.diagrams.dot import run_graphviz  # noqa: E402


def measure(n: int, repeat: int, dot_reference: bool, budget: float) -> dict[str, object]:
    eco = lm.loads(json.dumps(generate(n, seed=1)), "json")
    scene_times, draw_times = [], []
    size = 0
    for _ in range(repeat):
        eco.derived_cache().clear()
        start = time.perf_counter()
        diagram = render(eco, "ecosystem")
        text = diagram.dot
        middle = time.perf_counter()
        svg = run_graphviz(text, "svg", timeout=600)
        end = time.perf_counter()
        scene_times.append(middle - start)
        draw_times.append(end - middle)
        size = len(svg)
    row: dict[str, object] = {
        "components": n,
        "products": len(eco.products),
        "edges": sum(len(c.depends_on) for c in eco.components),
        "scene_layout_s": statistics.median(scene_times),
        "graphviz_s": statistics.median(draw_times),
        "total_s": statistics.median(a + b for a, b in zip(scene_times, draw_times, strict=True)),
        "svg_mb": size / 1e6,
    }
    if dot_reference:
        start = time.perf_counter()
        try:
            subprocess.run(
                ["dot", "-Tsvg", "-o", "/dev/null"],
                input=text.encode(),
                timeout=budget,
                check=True,
                capture_output=True,
            )
            row["dot_layout_s"] = time.perf_counter() - start
        except subprocess.TimeoutExpired:
            row["dot_layout_s"] = f"> {budget:g}"
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dot-reference", action="store_true")
    parser.add_argument("--budget", type=float, default=120.0)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    rows = [measure(n, args.repeat, args.dot_reference, args.budget) for n in args.sizes]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    header = (
        "| components | products | edges | scene + layout | Graphviz (neato -n2) | total | SVG |"
    )
    if args.dot_reference:
        header += " dot's own layout |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for r in rows:
        line = (
            f"| {r['components']:,} | {r['products']} | {r['edges']:,} | "
            f"{r['scene_layout_s']:.2f} s | {r['graphviz_s']:.2f} s | {r['total_s']:.2f} s | "
            f"{r['svg_mb']:.1f} MB |"
        )
        if args.dot_reference:
            ref = r["dot_layout_s"]
            line += f" {ref:.1f} s |" if isinstance(ref, float) else f" {ref} s |"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
