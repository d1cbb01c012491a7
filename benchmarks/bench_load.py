"""Load benchmark: ``layermodel.load`` against the floors measured in the same run.

Absolute times drift from machine to machine and from run to run, so what counts is
the ratio of ``layermodel.load`` to a floor timed in the same process, on the same
file, a moment apart (design.md §7). Floors:

- **JSON floor**: ``json.loads(text)`` plus one pydantic validation pass over the
  same records with layermodel's own classes (``TypeAdapter(list[Component])`` and
  ``TypeAdapter(list[Product])``), with the cyclic garbage collector paused around
  both, as ``layermodel.load`` pauses it. Target: ``load`` at most 2.0 times this.
- **minimal floor**: ``json.loads(text)`` plus validation with minimal models
  (``id``, ``name``, ``layer: str``, ``depends_on: list[Any]``; products ``id``,
  ``name``, ``uses: list[Any]``), collector paused: what parsing and validating
  cannot go below. Reported for information.
- **YAML floor**: a plain ``yaml.load(text, Loader=yaml.CSafeLoader)`` of the same
  model written as YAML, collector paused. Target: ``load`` of the YAML file at
  most 1.5 times this. The same parse with the collector running (what a script
  that just calls ``yaml.load`` gets) is shown too.

When the pause ends, the young-generation collection it deferred runs over
everything allocated meanwhile. ``layermodel.load`` pays it before returning; the
floors do not, so it is reported on its own line.

Every timed run starts from the same state: a full collection beforehand, and
layermodel's cache of shared plain dependencies emptied, as in a fresh process
(a command-line run loads once). Runs of the different steps are interleaved so
that drift affects them alike; one untimed warm-up of each JSON step comes first.
Wall-clock medians are the figures; the CPU time of this process is shown next to
them, as it moves much less when other programs share the machine.

Run from the repository root::

    .venv/bin/python benchmarks/bench_load.py                      # 100k, 5 runs
    .venv/bin/python benchmarks/bench_load.py --components 10000 --repeat 9
    .venv/bin/python benchmarks/bench_load.py --yaml-components 20000 --json

YAML is slow to parse (7-15 s per pass at 100k components on 2 cores, and about 20 s
for the informational parse with the collector running), so it has its own size
(``--yaml-components``, default 100k) and repeat count (``--yaml-repeat``, default
1); ``--no-yaml`` skips it. Results are described in docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core
import yaml
from pydantic import BaseModel, TypeAdapter

import layermodel
from layermodel.model import entities
from layermodel.model.entities import Component, Product

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # a sibling module, not an installed package

JSON_TARGET = 2.0
YAML_TARGET = 1.5
DEFAULT_OUT = Path(__file__).resolve().parent / "out"


class MinimalComponent(BaseModel):
    """The least a component needs to be a node with edges."""

    id: str
    name: str | None = None
    layer: str
    depends_on: list[Any] = []


class MinimalProduct(BaseModel):
    """The least a product needs."""

    id: str
    name: str | None = None
    uses: list[Any] = []


_COMPONENTS = TypeAdapter(list[Component])
_PRODUCTS = TypeAdapter(list[Product])
_MINIMAL_COMPONENTS = TypeAdapter(list[MinimalComponent])
_MINIMAL_PRODUCTS = TypeAdapter(list[MinimalProduct])


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The same pause ``layermodel.load`` makes around parsing and validating."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def fresh_state(keep_caches: bool) -> None:
    """Start a timed run as a new process would: no garbage, no warm caches."""
    if not keep_caches:
        cache = getattr(entities, "_PLAIN_DEPENDENCIES", None)
        if cache is not None:
            cache.clear()
    gc.collect()


# -- the steps ----------------------------------------------------------------------
# Each step returns a Sample and drops what it built before returning, so that
# freeing it is never timed. Wall-clock time is the figure; CPU time of this process
# is recorded too, because it hardly moves when other programs share the machine.


@dataclass
class Sample:
    wall: float
    cpu: float
    extra: dict[str, float] = field(default_factory=dict)


def _now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float], end: tuple[float, float]) -> tuple[float, float]:
    return end[0] - start[0], end[1] - start[1]


def json_floor(text: str) -> Sample:
    with collector_paused():
        t0 = _now()
        doc = json.loads(text)
        t1 = _now()
        components = _COMPONENTS.validate_python(doc["components"])
        products = _PRODUCTS.validate_python(doc["products"])
        t2 = _now()
    # Leaving the pause allocates (the context manager's StopIteration), which sets
    # off the young-generation collection deferred by the pause: it walks everything
    # allocated meanwhile. layermodel.load pays it before returning; the floor
    # (design.md §7) does not, so it is reported separately.
    t3 = _now()
    del doc, components, products
    wall, cpu = _since(t0, t2)
    extra = {"parse": t1[0] - t0[0], "validate": t2[0] - t1[0], "resume": t3[0] - t2[0]}
    return Sample(wall, cpu, extra)


def minimal_floor(text: str) -> Sample:
    with collector_paused():
        t0 = _now()
        doc = json.loads(text)
        t1 = _now()
        components = _MINIMAL_COMPONENTS.validate_python(doc["components"])
        products = _MINIMAL_PRODUCTS.validate_python(doc["products"])
        t2 = _now()
    del doc, components, products
    return Sample(*_since(t0, t2), {"parse": t1[0] - t0[0], "validate": t2[0] - t1[0]})


def ours(path: Path) -> Sample:
    t0 = _now()
    eco = layermodel.load(path)
    t1 = _now()
    # Indexes that layermodel may build on first use rather than during the load.
    if eco.components:
        eco.dependents(eco.components[0].id)
    t2 = _now()
    # What the model costs every full collection for as long as it is alive.
    gc.collect()
    t3 = _now()
    del eco
    extra = {"first_dependents_call": t2[0] - t1[0], "full_gc_with_model_alive": t3[0] - t2[0]}
    return Sample(*_since(t0, t1), extra)


def read_file(path: Path) -> Sample:
    t0 = _now()
    text = path.read_bytes().decode("utf-8")
    t1 = _now()
    del text
    return Sample(*_since(t0, t1))


def yaml_floor(text: str) -> Sample:
    with collector_paused():
        t0 = _now()
        data = yaml.load(text, Loader=yaml.CSafeLoader)
        t1 = _now()
    del data
    return Sample(*_since(t0, t1))


def yaml_plain_gc_on(text: str) -> Sample:
    t0 = _now()
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    t1 = _now()
    del data
    return Sample(*_since(t0, t1))


Step = Callable[[], Sample]


def run_interleaved(
    steps: dict[str, Step],
    repeat: int,
    *,
    warmup: bool,
    keep_caches: bool,
    log: Callable[[str], None],
) -> dict[str, dict[str, Any]]:
    """Run every step ``repeat`` times, round-robin, and summarise each one.

    A step's summary holds the median, min and max wall-clock seconds, the median
    CPU seconds, every sample, and the median of each of its sub-timings.
    """
    if warmup:
        for name, step in steps.items():
            log(f"  warm-up: {name}")
            fresh_state(keep_caches)
            step()
    samples: dict[str, list[Sample]] = {name: [] for name in steps}
    for i in range(repeat):
        for name, step in steps.items():
            fresh_state(keep_caches)
            sample = step()
            samples[name].append(sample)
            log(f"  run {i + 1}/{repeat}: {name} {sample.wall:.3f} s (cpu {sample.cpu:.3f} s)")
    summary: dict[str, dict[str, Any]] = {}
    for name, runs in samples.items():
        walls = [r.wall for r in runs]
        summary[name] = {
            "median": statistics.median(walls),
            "min": min(walls),
            "max": max(walls),
            "cpu_median": statistics.median(r.cpu for r in runs),
            "samples": walls,
            "cpu_samples": [r.cpu for r in runs],
            **{
                key: statistics.median(r.extra[key] for r in runs)
                for key in (runs[0].extra if runs else {})
            },
        }
    return summary


# -- the benchmark ------------------------------------------------------------------


def model_stats(doc: dict[str, Any]) -> dict[str, int]:
    components = doc["components"]
    return {
        "components": len(components),
        "products": len(doc["products"]),
        "dependencies": sum(len(c.get("depends_on", ())) for c in components),
    }


def bench_json(args: argparse.Namespace, log: Callable[[str], None]) -> dict[str, Any]:
    log(f"generating {args.components:,} components (seed {args.seed})")
    doc = synthetic.generate(args.components, args.seed)
    stats = model_stats(doc)
    path = args.out / f"synthetic-{args.components}-s{args.seed}.json"
    synthetic.write(doc, path)
    del doc
    text = path.read_text(encoding="utf-8")
    log(f"wrote {path} ({len(text) / 1e6:.1f} MB); timing JSON, {args.repeat} runs")
    steps: dict[str, Step] = {
        "json_floor": lambda: json_floor(text),
        "minimal_floor": lambda: minimal_floor(text),
        "ours_json": lambda: ours(path),
        "read_file": lambda: read_file(path),
    }
    results = run_interleaved(
        steps, args.repeat, warmup=True, keep_caches=args.keep_caches, log=log
    )
    ours_s = results["ours_json"]["median"]
    ours_cpu = results["ours_json"]["cpu_median"]
    return {
        "model": stats,
        "file": str(path),
        "file_bytes": path.stat().st_size,
        "repeat": args.repeat,
        "steps": results,
        "ratio_floor": ours_s / results["json_floor"]["median"],
        "ratio_minimal_floor": ours_s / results["minimal_floor"]["median"],
        "ratio_floor_with_resume": ours_s
        / (results["json_floor"]["median"] + results["json_floor"]["resume"]),
        "cpu_ratio_floor": ours_cpu / results["json_floor"]["cpu_median"],
        "cpu_ratio_minimal_floor": ours_cpu / results["minimal_floor"]["cpu_median"],
        "target": JSON_TARGET,
    }


def bench_yaml(args: argparse.Namespace, log: Callable[[str], None]) -> dict[str, Any]:
    n = args.yaml_components
    log(f"generating {n:,} components for YAML (seed {args.seed})")
    doc = synthetic.generate(n, args.seed)
    stats = model_stats(doc)
    eco = layermodel.loads(json.dumps(doc), "json")
    del doc
    t0 = time.perf_counter()
    text = layermodel.dumps(eco, "yaml")
    dump_seconds = time.perf_counter() - t0
    del eco
    path = args.out / f"synthetic-{n}-s{args.seed}.yaml"
    path.write_text(text, encoding="utf-8")
    log(
        f"wrote {path} ({len(text) / 1e6:.1f} MB, dumps {dump_seconds:.1f} s); "
        f"timing YAML, {args.yaml_repeat} runs"
    )
    steps: dict[str, Step] = {
        "yaml_floor": lambda: yaml_floor(text),
        "ours_yaml": lambda: ours(path),
    }
    if not args.no_yaml_gc_on:
        steps["yaml_plain_gc_on"] = lambda: yaml_plain_gc_on(text)
    results = run_interleaved(
        steps, args.yaml_repeat, warmup=False, keep_caches=args.keep_caches, log=log
    )
    ours_s = results["ours_yaml"]["median"]
    out: dict[str, Any] = {
        "model": stats,
        "file": str(path),
        "file_bytes": path.stat().st_size,
        "repeat": args.yaml_repeat,
        "dumps_seconds": dump_seconds,
        "steps": results,
        "ratio_floor": ours_s / results["yaml_floor"]["median"],
        "cpu_ratio_floor": results["ours_yaml"]["cpu_median"] / results["yaml_floor"]["cpu_median"],
        "target": YAML_TARGET,
    }
    if "yaml_plain_gc_on" in results:
        out["ratio_plain_gc_on"] = ours_s / results["yaml_plain_gc_on"]["median"]
    return out


def _git_revision() -> str | None:
    """The commit measured, with ``+dirty`` when src/ has uncommitted changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def environment() -> dict[str, Any]:
    return {
        "revision": _git_revision(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "layermodel": layermodel.__version__,
        "pydantic": pydantic.VERSION,
        "pydantic_core": pydantic_core.__version__,
        "pyyaml": yaml.__version__,
        "libyaml": bool(yaml.__with_libyaml__),
    }


# -- reporting ----------------------------------------------------------------------


def _row(label: str, step: dict[str, Any] | float | None, note: str = "") -> str | None:
    if step is None:
        return None
    if isinstance(step, float):
        return f"  {label:<50} {step:>8.3f}  {note}".rstrip()
    return (
        f"  {label:<50} {step['median']:>8.3f} {step['min']:>8.3f} {step['max']:>8.3f}"
        f" {step['cpu_median']:>8.3f}  {note}"
    ).rstrip()


def _verdict(ratio: float, cpu_ratio: float, target: float) -> str:
    met = "met" if ratio <= target else "NOT met"
    return f"{ratio:.2f}  (CPU time {cpu_ratio:.2f}; target <= {target:.1f}: {met})"


def render(report: dict[str, Any]) -> str:
    env = report["environment"]
    lines: list[str | None] = [
        f"layermodel load benchmark (revision {env['revision'] or 'unknown'})",
        f"  Python {env['python']}, pydantic {env['pydantic']} (core {env['pydantic_core']}), "
        f"PyYAML {env['pyyaml']} (libyaml {'yes' if env['libyaml'] else 'no'}), "
        f"{env['cpus']} CPUs, {env['platform']}",
    ]
    header = f"  {'wall-clock seconds':<50} {'median':>8} {'min':>8} {'max':>8} {'CPU':>8}"
    js = report.get("json")
    if js:
        m, s = js["model"], js["steps"]
        lines += [
            "",
            f"JSON: {m['components']:,} components, {m['dependencies']:,} dependencies, "
            f"{m['products']:,} products; {js['file_bytes'] / 1e6:.1f} MB; "
            f"{js['repeat']} runs",
            header,
            _row("read and decode the file", s["read_file"], "(information)"),
            _row("json.loads (within the JSON floor)", s["json_floor"]["parse"]),
            _row("validate, layermodel classes (within the floor)", s["json_floor"]["validate"]),
            _row("JSON floor: json.loads + validate, GC paused", s["json_floor"]),
            _row(
                "collection when the GC resumes (outside the floor)",
                s["json_floor"]["resume"],
                "(information)",
            ),
            _row("minimal floor: json.loads + minimal models", s["minimal_floor"]),
            _row("layermodel.load(file.json), end to end", s["ours_json"]),
            _row(
                "first eco.dependents() call (lazy indexes)",
                s["ours_json"]["first_dependents_call"],
                "(information)",
            ),
            _row(
                "full gc.collect() while the model is alive",
                s["ours_json"]["full_gc_with_model_alive"],
                "(information)",
            ),
            "  ratio ours / JSON floor:     "
            + _verdict(js["ratio_floor"], js["cpu_ratio_floor"], js["target"]),
            f"  ratio ours / minimal floor:  {js['ratio_minimal_floor']:.2f}  "
            f"(CPU time {js['cpu_ratio_minimal_floor']:.2f}; information)",
            f"  ratio ours / (JSON floor + resume collection):  "
            f"{js['ratio_floor_with_resume']:.2f}  (information)",
        ]
    ys = report.get("yaml")
    if ys:
        m, s = ys["model"], ys["steps"]
        lines += [
            "",
            f"YAML: {m['components']:,} components, {m['dependencies']:,} dependencies, "
            f"{m['products']:,} products; {ys['file_bytes'] / 1e6:.1f} MB; "
            f"{ys['repeat']} run(s); written by layermodel.dumps in {ys['dumps_seconds']:.1f} s",
            header,
            _row("YAML floor: yaml.load(CSafeLoader), GC paused", s["yaml_floor"]),
            _row("yaml.load(CSafeLoader), GC running", s.get("yaml_plain_gc_on"), "(information)"),
            _row("layermodel.load(file.yaml), end to end", s["ours_yaml"]),
            "  ratio ours / YAML floor:     "
            + _verdict(ys["ratio_floor"], ys["cpu_ratio_floor"], ys["target"]),
        ]
        if "ratio_plain_gc_on" in ys:
            lines.append(
                f"  ratio ours / yaml.load with GC running:  {ys['ratio_plain_gc_on']:.2f}"
                "  (information)"
            )
    before, after = report["load_average_before"], report["load_average_after"]
    lines += [
        "",
        f"peak memory (max RSS): {report['max_rss_mb']:,.0f} MB",
        f"load average (1 min) before {before[0]:.2f}, after {after[0]:.2f}; well above 1 means "
        "other work shared the machine: trust the CPU column more than wall-clock then",
    ]
    return "\n".join(line for line in lines if line is not None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time layermodel.load against the JSON and YAML floors (design.md §7)."
    )
    parser.add_argument(
        "--components", type=int, default=100_000, help="JSON model size (default 100000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed runs per JSON step (default 5)"
    )
    parser.add_argument(
        "--yaml-components",
        type=int,
        default=100_000,
        help="YAML model size (default 100000; a YAML parse takes ~15 s at that size)",
    )
    parser.add_argument(
        "--yaml-repeat", type=int, default=1, help="timed runs per YAML step (default 1)"
    )
    parser.add_argument("--no-yaml", action="store_true", help="skip the YAML comparison")
    parser.add_argument(
        "--no-yaml-gc-on",
        action="store_true",
        help="skip the informational yaml.load with the collector running (the slowest step)",
    )
    parser.add_argument("--seed", type=int, default=0, help="synthetic model seed (default 0)")
    parser.add_argument(
        "--keep-caches",
        action="store_true",
        help="keep layermodel's shared-dependency cache warm between runs "
        "(default: empty it, as in a fresh process)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"where model files go (default {DEFAULT_OUT})",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a target is not met"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.components < 1 or args.yaml_components < 1 or args.repeat < 1 or args.yaml_repeat < 1:
        parser.error("sizes and repeat counts must be at least 1")
    args.out.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    report: dict[str, Any] = {
        "environment": environment(),
        "load_average_before": list(os.getloadavg()),
    }
    report["json"] = bench_json(args, log)
    if not args.no_yaml:
        report["yaml"] = bench_yaml(args, log)
    # ru_maxrss is in kilobytes on Linux.
    report["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Other work on the machine shows as a load average above ~1 during the run.
    report["load_average_after"] = list(os.getloadavg())
    met = report["json"]["ratio_floor"] <= JSON_TARGET and (
        "yaml" not in report or report["yaml"]["ratio_floor"] <= YAML_TARGET
    )
    report["targets_met"] = met
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(render(report))
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
