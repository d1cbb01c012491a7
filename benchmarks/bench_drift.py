"""Drift speed: comparing a model with its sources, against discovering the sources.

Writes N Kubernetes workloads (as ``bench_import.py`` does), imports them once as the
declared model and perturbs it (a tenth of the dependencies dropped, as many added,
a twentieth of the components renamed), then times:

- the floor: ``discover(folder)``, what ``layermodel discover`` does (the walk that
  recognises each file, the one reader, the mapping), which any drift run must do to
  know what runs;
- ``layermodel drift``'s work: ``observe(folder)`` (the same discovery) plus
  ``drift()``, the comparison, with the model-file lines of every finding.

It prints the median of each and their ratio: the comparison adds little to discovery
(the target is 1.1), and grows linearly with the model.

    python benchmarks/bench_drift.py --workloads 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

import layermodel as lm
from layermodel.checks import drift, observe, source_lines
from layermodel.interop import discover, import_kubernetes

sys.path.insert(0, str(Path(__file__).parent))
from bench_import import write_manifests


def declared(folder: Path, out: Path, seed: int = 7) -> Path:
    """The imported model with dependencies dropped and added and ids renamed."""
    rng = random.Random(seed)
    data = yaml.load(lm.dumps(import_kubernetes(folder).ecosystem), Loader=yaml.CSafeLoader)
    ids = [c["id"] for c in data["components"]]
    renamed = {i: f"{i}-renamed" for i in rng.sample(ids, k=len(ids) // 20)}
    for c in data["components"]:
        c.pop("provenance", None)
        targets = [d["target"] if isinstance(d, dict) else d for d in c.get("depends_on", [])]
        targets = [t for t in targets if rng.random() > 0.1]
        if rng.random() < 0.3:
            targets.append(rng.choice(ids))
        c["depends_on"] = sorted({renamed.get(t, t) for t in targets} - {c["id"]})
        c["id"] = renamed.get(c["id"], c["id"])
    for p in data.get("products", []):
        p["uses"] = [renamed.get(u, u) for u in p["uses"]]
    out.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workloads", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "deploy"
        folder.mkdir()
        write_manifests(folder, args.workloads)
        model_file = declared(folder, Path(tmp) / "model.yaml")
        model = lm.load(model_file)
        lines = source_lines([model_file])
        floors, runs, compares = [], [], []
        report = None
        for _ in range(args.repeat):
            gc.collect()
            start = time.perf_counter()
            discover(folder)
            floors.append(time.perf_counter() - start)
            gc.collect()
            start = time.perf_counter()
            reality = observe(folder)
            middle = time.perf_counter()
            report = drift(model, reality, lines=lines)
            end = time.perf_counter()
            runs.append(end - start)
            compares.append(end - middle)
    assert report is not None
    f, r, c = statistics.median(floors), statistics.median(runs), statistics.median(compares)
    print(
        f"{args.workloads:,} workloads; {len(report.agreed):,} agreed, "
        f"{len(report.undeclared):,} undeclared, {len(report.phantom):,} phantom, "
        f"{len(report.components):,} component findings\n"
        f"  discover            {f:7.2f} s  ({min(floors):.2f}-{max(floors):.2f})\n"
        f"  observe + drift     {r:7.2f} s  (of which drift() {c:.2f} s)\n"
        f"  ratio               x{r / f:.2f} (target 1.1)"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "workloads": args.workloads,
                    "floor": floors,
                    "drift": runs,
                    "compare": compares,
                    "ratio": r / f,
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
