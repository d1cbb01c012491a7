"""Benchmark the whole ``layermodel analyze --format json`` pipeline against a floor
measured in the same run, and against the script a user would otherwise write.

Run:  python benchmarks/bench_analyze.py [--sizes 10000 100000] [--repeat 3] [--peer]

For each size it writes a seeded synthetic model (benchmarks/synthetic.py) as JSON and
measures, each as the median of ``--repeat`` runs in fresh processes:

- floor: ``json.loads`` + one pydantic validation pass with layermodel's own classes
  + building the ``nx.DiGraph`` of the dependencies, the cyclic GC paused;
- pipeline: ``layermodel analyze MODEL --format json -o OUT``, process start to exit,
  with its peak memory: the max RSS of the largest process of the run (on a large
  model the command forks a worker, see ``layermodel.cli.worker``; the kernel
  reports the largest process, not a sum) and, from one more run sampled every
  20 ms, the peak of the process tree's summed PSS (proportional set size: pages
  the two processes share are counted once) and summed RSS (shared pages twice),
  and the size of the worker's temporary file (page cache, in no process's RSS);
- peer (``--peer``, at the largest size): the plain networkx script a user would
  write instead: ``nx.descendants`` per product for footprints and ``nx.ancestors``
  per component for its users and blast radius. It is stopped after
  ``--peer-budget`` seconds and its full time extrapolated from the share done.

It prints a table, the pipeline/floor ratios, the growth (largest / smallest time),
and with ``--json`` the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import generate, write  # noqa: E402

FLOOR = """
import gc, json, sys, time
import networkx as nx
from pydantic import TypeAdapter
from layermodel.model.entities import Component, Product
components, products = TypeAdapter(list[Component]), TypeAdapter(list[Product])
text = open(sys.argv[1], encoding="utf-8").read()
gc.disable()
start = time.perf_counter()
doc = json.loads(text)
cs = components.validate_python(doc["components"])
ps = products.validate_python(doc.get("products", []))
g = nx.DiGraph()
g.add_nodes_from((c.id, {"layer": c.layer}) for c in cs)
g.add_edges_from((c.id, d.target, {"required": d.required}) for c in cs for d in c.depends_on)
print(time.perf_counter() - start)
"""

PEER = """
import gc, json, sys, time
import networkx as nx
doc = json.load(open(sys.argv[1], encoding="utf-8"))
g = nx.DiGraph()
for c in doc["components"]:
    g.add_node(c["id"])
    for d in c.get("depends_on", []):
        g.add_edge(c["id"], d if isinstance(d, str) else d["target"])
budget = float(sys.argv[2])
start = time.perf_counter()
footprints = {}
for p in doc["products"]:  # footprints: nx.descendants per product
    seen = set(p["uses"])
    for u in p["uses"]:
        seen |= nx.descendants(g, u)
    footprints[p["id"]] = seen
nodes = list(g)
done = 0
for n in nodes:  # per component: who depends on it (users, blast radius)
    nx.ancestors(g, n)
    done += 1
    if time.perf_counter() - start > budget:
        break
elapsed = time.perf_counter() - start
print(elapsed * len(nodes) / done, done, len(nodes))
"""


def _median(runs: list[float]) -> float:
    return statistics.median(runs)


def _spread(runs: list[float]) -> str:
    """ " (min-max)" of several runs, nothing for one."""
    return f" ({min(runs):.2f}-{max(runs):.2f})" if len(runs) > 1 else ""


def _time_script(code: str, path: Path, *extra: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), *extra], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1].split()[0])


def _time_pipeline(path: Path, output: Path) -> tuple[float, float]:
    """Seconds and peak MB of one `layermodel analyze --format json` process."""
    code = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "subprocess.run([sys.executable, '-m', 'layermodel', 'analyze', sys.argv[1],"
        " '--format', 'json', '-o', sys.argv[2]], check=True, capture_output=True)\n"
        "elapsed = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(elapsed, peak)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(output)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak = out.stdout.split()
    return float(seconds), float(peak)


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return out


def _rollup(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB, or zeros when it is gone."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return pss, rss


def _tree_memory(path: Path, output: Path) -> dict[str, float] | None:
    """Peak summed PSS and RSS (MB) of the process tree of one pipeline run, and the
    peak size of the worker's temporary file, sampled every 20 ms (Linux only)."""
    if not Path("/proc/self/smaps_rollup").exists():
        return None
    command = [sys.executable, "-m", "layermodel", "analyze", str(path), "--format", "json"]
    proc = subprocess.Popen(
        [*command, "-o", str(output)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = {"tree_pss_mb": 0.0, "tree_rss_mb": 0.0, "processes": 0.0, "temp_file_mb": 0.0}
    while proc.poll() is None:
        pids = _tree(proc.pid)
        pss = rss = 0
        for pid in pids:
            p, r = _rollup(pid)
            pss += p
            rss += r
        peak["tree_pss_mb"] = max(peak["tree_pss_mb"], pss / 1024)
        peak["tree_rss_mb"] = max(peak["tree_rss_mb"], rss / 1024)
        peak["processes"] = max(peak["processes"], float(len(pids)))
        try:
            for fd in Path(f"/proc/{proc.pid}/fd").iterdir():
                if "(deleted)" in os.readlink(fd):
                    size = fd.stat().st_size / 1e6
                    peak["temp_file_mb"] = max(peak["temp_file_mb"], size)
        except OSError:
            pass
        time.sleep(0.02)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, proc.args)
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--peer", action="store_true", help="also time the plain networkx script")
    parser.add_argument(
        "--peer-budget",
        type=float,
        default=120.0,
        help="seconds the peer script may run before its time is extrapolated (default 120)",
    )
    parser.add_argument(
        "--no-tree-memory",
        dest="tree_memory",
        action="store_false",
        help="skip the extra run that samples the memory of the whole process tree",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            model = Path(tmp) / f"synthetic-{n}.json"
            write(generate(n, args.seed), model)
            output = Path(tmp) / f"report-{n}.json"
            floors = [_time_script(FLOOR, model) for _ in range(args.repeat)]
            runs = [_time_pipeline(model, output) for _ in range(args.repeat)]
            row = {
                "components": n,
                "floor_s": _median(floors),
                "pipeline_s": _median([r[0] for r in runs]),
                "floor_runs_s": floors,
                "pipeline_runs_s": [r[0] for r in runs],
                "peak_mb": max(r[1] for r in runs),
                "report_mb": output.stat().st_size / 1e6,
            }
            tree = _tree_memory(model, output) if args.tree_memory else None
            if tree is not None:
                row.update(tree)
            row["ratio"] = row["pipeline_s"] / row["floor_s"]
            row["load_average"] = os.getloadavg()[0]  # other jobs on the machine skew both
            if args.peer and n == max(args.sizes):
                row["peer_s"] = _time_script(PEER, model, str(args.peer_budget))
            rows.append(row)
            print(
                f"{n:>9,} components: floor {row['floor_s']:.2f} s{_spread(floors)}, pipeline "
                f"{row['pipeline_s']:.2f} s{_spread([r[0] for r in runs])} (x{row['ratio']:.2f}), "
                f"peak {row['peak_mb']:.0f} MB "
                "(largest process)"
                + (
                    f", tree {row['tree_pss_mb']:.0f} MB PSS / {row['tree_rss_mb']:.0f} MB RSS "
                    f"in {row['processes']:.0f} processes + {row['temp_file_mb']:.0f} MB "
                    "temp file"
                    if "tree_pss_mb" in row
                    else ""
                )
                + f", report {row['report_mb']:.0f} MB"
                + (f", peer script {row['peer_s']:.1f} s" if "peer_s" in row else "")
                + f" [load average {row['load_average']:.1f}]",
                flush=True,
            )
    if len(rows) > 1:
        growth = rows[-1]["pipeline_s"] / rows[0]["pipeline_s"]
        print(f"growth {rows[-1]['components']:,} / {rows[0]['components']:,}: x{growth:.1f}")
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
