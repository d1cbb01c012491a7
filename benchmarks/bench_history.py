"""History benchmark: ``layermodel history`` over 1,000 commits of a 1,000-component
model, against floors measured in the same run.

The repository is built with ``git fast-import`` from a synthetic model
(``synthetic.generate``) that then changes commit by commit: a component added with
dependencies on lower layers and a user above it (40 %), a cost or description changed
(30 %), a dependency added (20 %) or removed (10 %); about one commit in a hundred
breaks the model (a component in a layer that does not exist) and the next fixes it.
Two layouts:

- ``split`` (default): the model spread over ten team files (``teams/team-N.yaml``,
  each component in its team's file) and ``products.yaml``, as a large portfolio is
  kept; a commit changes one team's file;
- ``single``: the whole model in one ``model.yaml``, so every commit is a new
  1,000-component file to parse.

Timed, each once (they take seconds):

- **history**: ``layermodel history FILES --format csv -o OUT`` as a user runs it
  (a subprocess, end to end). The target is 60 s for the split layout.
- **git floor**: ``git log --raw -M`` over the range plus ``git cat-file --batch`` of
  every distinct blob of the model files: what reading the history costs at least.
- **parse floor**: ``layermodel.model.io.parse_file`` once per distinct blob: what
  parsing costs at least (each version's contents must be read once).
- **naive** (information): ``loads_files`` of every version's files in full, what
  checking each version out and loading it would cost, without the blob cache.

The ratio reported is history / (git floor + parse floor): the rest is merging each
version's files and running the analyses on it.

Run from the repository root::

    .venv/bin/python benchmarks/bench_history.py                     # split, 1000 x 1000
    .venv/bin/python benchmarks/bench_history.py --layout single
    .venv/bin/python benchmarks/bench_history.py --commits 200 --components 500
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

import layermodel
from layermodel.errors import ModelError
from layermodel.model.io import loads_files, parse_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # a sibling module, not an installed package

TARGET_SECONDS = 60.0
TEAMS = 10
LAYERS = [layer for layer, _ in synthetic.LAYER_SHARES]


class Evolving:
    """A synthetic model that changes one step at a time and writes its files' text
    from per-component YAML pieces (each dumped once per change)."""

    def __init__(self, components: int, seed: int) -> None:
        doc = synthetic.generate(components, seed)
        self.name = doc["name"]
        self.rng = random.Random(seed + 1)
        self.components: dict[str, dict[str, Any]] = {c["id"]: c for c in doc["components"]}
        self.products = doc["products"]
        self.by_layer: dict[str, list[str]] = {layer: [] for layer in LAYERS}
        for cid, c in self.components.items():
            self.by_layer[c["layer"]].append(cid)
        self.pieces: dict[str, str] = {}
        self.broken: str | None = None
        self.also: str | None = None
        """Another component the last step changed (the user of an added one)."""
        self.counter = 0

    def team(self, cid: str) -> int:
        return sum(cid.encode()) % TEAMS

    def piece(self, cid: str) -> str:
        found = self.pieces.get(cid)
        if found is None:
            found = self.pieces[cid] = yaml.safe_dump(
                [self.components[cid]], sort_keys=False, width=200
            )
        return found

    def changed(self, cid: str) -> str:
        self.pieces.pop(cid, None)
        return cid

    def step(self) -> tuple[str, str]:
        """Change the model; returns (commit message, id of the component changed)."""
        self.also = None
        if self.broken is not None:
            cid, self.broken = self.broken, None
            self.components[cid]["layer"] = self.fixed_layer
            return f"fix the layer of {cid}", self.changed(cid)
        rng = self.rng
        roll = rng.random()
        if roll < 0.01:
            cid = rng.choice(list(self.components))
            self.fixed_layer = self.components[cid]["layer"]
            self.components[cid]["layer"] = "nowhere"
            self.broken = cid
            return f"put {cid} in a layer that does not exist", self.changed(cid)
        if roll < 0.41:
            return self.add()
        if roll < 0.71:
            cid = rng.choice(list(self.components))
            c = self.components[cid]
            c["cost"] = round(rng.uniform(10, 5000), 2)
            c["description"] = f"revision {self.counter}"
            self.counter += 1
            return f"update {cid}", self.changed(cid)
        cid = rng.choice(list(self.components))
        c = self.components[cid]
        deps = list(c.get("depends_on", []))
        if roll < 0.91:
            rank = LAYERS.index(c["layer"])
            lower = LAYERS[min(rank + 1, len(LAYERS) - 1)]
            target = rng.choice(self.by_layer[lower])
            names = {d if isinstance(d, str) else d["target"] for d in deps}
            if target != cid and target not in names:
                deps.append(target)
                c["depends_on"] = deps
                return f"{cid} depends on {target}", self.changed(cid)
        if deps:
            deps.pop(rng.randrange(len(deps)))
            c["depends_on"] = deps
            return f"{cid} drops a dependency", self.changed(cid)
        c["description"] = f"revision {self.counter}"
        self.counter += 1
        return f"describe {cid}", self.changed(cid)

    def add(self) -> tuple[str, str]:
        rng = self.rng
        layer = rng.choice(LAYERS[1:])
        rank = LAYERS.index(layer)
        cid = f"added-{self.counter}"
        self.counter += 1
        component: dict[str, Any] = {"id": cid, "layer": layer}
        if rank + 1 < len(LAYERS):
            lower = self.by_layer[LAYERS[rank + 1]]
            component["depends_on"] = rng.sample(lower, min(2, len(lower)))
        self.components[cid] = component
        self.by_layer[layer].append(cid)
        user = rng.choice(self.by_layer[LAYERS[rank - 1]])
        self.components[user].setdefault("depends_on", []).append(cid)
        self.changed(user)
        self.also = user
        return f"add {cid}", cid

    # -- file texts ---------------------------------------------------------------

    def team_text(self, team: int) -> str:
        pieces = [self.piece(cid) for cid in self.components if self.team(cid) == team]
        return "components:\n" + "".join(pieces)

    def products_text(self) -> str:
        return yaml.safe_dump(
            {"layermodel": 1, "name": self.name, "products": self.products}, sort_keys=False
        )

    def single_text(self) -> str:
        return (
            f"layermodel: 1\nname: {self.name}\ncomponents:\n"
            + "".join(self.piece(cid) for cid in self.components)
            + yaml.safe_dump({"products": self.products}, sort_keys=False)
        )


def build_repository(
    path: Path, components: int, commits: int, layout: str, seed: int
) -> list[str]:
    """Create the repository with ``git fast-import``; returns the model's paths."""
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(path)], check=True)
    model = Evolving(components, seed)
    stream: list[bytes] = []
    mark = 0

    def blob(text: str) -> int:
        nonlocal mark
        mark += 1
        data = text.encode("utf-8")
        stream.append(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)) + data + b"\n")
        return mark

    def commit(message: str, files: dict[str, str], when: int, parent: int | None) -> int:
        marks = {name: blob(text) for name, text in files.items()}
        nonlocal mark
        mark += 1
        body = message.encode("utf-8")
        lines = [
            b"commit refs/heads/main",
            b"mark :%d" % mark,
            b"author Bench Mark <bench@example.org> %d +0000" % when,
            b"committer Bench Mark <bench@example.org> %d +0000" % when,
            b"data %d" % len(body),
            body,
        ]
        if parent is not None:
            lines.append(b"from :%d" % parent)
        lines += [b"M 100644 :%d %s" % (m, name.encode()) for name, m in marks.items()]
        stream.append(b"\n".join(lines) + b"\n\n")
        return mark

    start = 1_700_000_000
    if layout == "split":
        paths = [f"teams/team-{t}.yaml" for t in range(TEAMS)] + ["products.yaml"]
        files = {f"teams/team-{t}.yaml": model.team_text(t) for t in range(TEAMS)}
        files["products.yaml"] = model.products_text()
    else:
        paths = ["model.yaml"]
        files = {"model.yaml": model.single_text()}
    parent = commit("the first model", files, start, None)
    for i in range(1, commits):
        message, cid = model.step()
        if layout == "split":
            teams = {model.team(c) for c in (cid, model.also) if c is not None}
            changed = {f"teams/team-{t}.yaml": model.team_text(t) for t in sorted(teams)}
        else:
            changed = {"model.yaml": model.single_text()}
        parent = commit(message, changed, start + 3600 * i, parent)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "--quiet", "main"], cwd=path, check=True)
    return paths


def _cpu() -> float:
    """CPU seconds of this process and the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def git_floor(repo: Path, paths: list[str]) -> tuple[float, float, dict[str, bytes]]:
    """``git log --raw -M`` and every distinct blob of the model's files through one
    ``git cat-file --batch``: (seconds, CPU seconds, blob id -> contents)."""
    c0 = _cpu()
    t0 = time.perf_counter()
    log = subprocess.run(
        ["git", "log", "-z", "--raw", "--no-abbrev", "-M", "--first-parent", "--format=%H"],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout
    tracked = set(paths)
    blobs: list[str] = []
    tokens = log.split(b"\0")
    for i, token in enumerate(tokens):
        token = token.lstrip(b"\n")
        if token.startswith(b":") and tokens[i + 1].decode() in tracked:
            blobs.append(token.split(b" ")[3].decode())
    distinct = list(dict.fromkeys(blobs))
    process = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=repo,
        input="".join(f"{b}\n" for b in distinct).encode(),
        capture_output=True,
        check=True,
    )
    contents: dict[str, bytes] = {}
    data, at = process.stdout, 0
    for sha in distinct:
        end = data.index(b"\n", at)
        size = int(data[at:end].split()[2])
        contents[sha] = data[end + 1 : end + 1 + size]
        at = end + 2 + size
    seconds = time.perf_counter() - t0
    return seconds, _cpu() - c0, contents


def parse_floor(contents: dict[str, bytes]) -> tuple[float, float]:
    """Each distinct blob parsed and validated once: (seconds, CPU seconds)."""
    c0 = _cpu()
    t0 = time.perf_counter()
    for sha, data in contents.items():
        with contextlib.suppress(ModelError):  # an invalid version: still parsed once
            parse_file(data, f"{sha[:7]}.yaml", "yaml")
    return time.perf_counter() - t0, _cpu() - c0


def naive(repo: Path, paths: list[str], limit: int) -> tuple[float, int]:
    """``loads_files`` of each of the newest ``limit`` versions' files in full."""
    shas = subprocess.run(
        ["git", "rev-list", "--first-parent", f"--max-count={limit}", "HEAD"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    texts: list[list[tuple[str, str | bytes, str | None]]] = []
    for sha in shas:
        version = []
        for path in paths:
            data = subprocess.run(
                ["git", "show", f"{sha}:{path}"], cwd=repo, capture_output=True, check=True
            ).stdout
            version.append((f"{path}@{sha[:7]}", data, "yaml"))
        texts.append(version)
    t0 = time.perf_counter()
    for version in texts:
        with contextlib.suppress(ModelError):
            loads_files(version)
    return time.perf_counter() - t0, len(texts)


def run_history(repo: Path, paths: list[str], out: Path) -> tuple[float, float, float]:
    """(wall-clock seconds, CPU seconds, peak memory in MB) of the command, run as a
    user runs it. The CPU time (git's included) moves much less than the wall-clock
    time when other programs share the machine."""
    command = [sys.executable, "-m", "layermodel", "history", *paths, "--format", "csv"]
    # The layermodel this benchmark imported, whatever the working directory.
    source = str(Path(layermodel.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": source}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([*command, "-o", str(out)], cwd=repo, env=env, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"layermodel history failed: {done.stderr.decode()[-2000:]}")
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--components", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--layout", choices=("split", "single"), default="split")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--naive-versions",
        type=int,
        default=100,
        help="versions loaded in full for the naive figure, scaled up (default 100)",
    )
    parser.add_argument("--keep", metavar="DIR", help="build the repository here and keep it")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-history-"))
    if args.keep and folder.exists():
        shutil.rmtree(folder)
    try:
        log(f"building {args.commits:,} commits of {args.components:,} components ({args.layout})")
        t0 = time.perf_counter()
        paths = build_repository(folder, args.components, args.commits, args.layout, args.seed)
        built = time.perf_counter() - t0
        log(f"  built in {built:.1f} s; timing the git floor")
        git_seconds, git_cpu, contents = git_floor(folder, paths)
        log(f"  git floor {git_seconds:.2f} s ({len(contents):,} distinct blobs); parse floor")
        parse_seconds, parse_cpu = parse_floor(contents)
        log(f"  parse floor {parse_seconds:.2f} s; layermodel history")
        history_seconds, history_cpu, history_rss = run_history(
            folder, paths, folder / "history.csv"
        )
        rows = (folder / "history.csv").read_text(encoding="utf-8").count("\n") - 1
        log(f"  history {history_seconds:.2f} s ({rows:,} rows); naive loads")
        naive_seconds, naive_count = naive(folder, paths, args.naive_versions)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    floor = git_seconds + parse_seconds
    floor_cpu = git_cpu + parse_cpu
    report = {
        "layout": args.layout,
        "components": args.components,
        "commits": args.commits,
        "files": len(paths),
        "rows": rows,
        "distinct_blobs": len(contents),
        "build_seconds": built,
        "git_floor_seconds": git_seconds,
        "git_floor_cpu_seconds": git_cpu,
        "parse_floor_seconds": parse_seconds,
        "parse_floor_cpu_seconds": parse_cpu,
        "cpu_ratio_to_floor": history_cpu / floor_cpu if floor_cpu else None,
        "history_seconds": history_seconds,
        "history_cpu_seconds": history_cpu,
        "history_max_rss_mb": history_rss,
        "ratio_to_floor": history_seconds / floor if floor else None,
        "naive_seconds_per_version": naive_seconds / max(1, naive_count),
        "naive_seconds_estimated": naive_seconds / max(1, naive_count) * rows,
        "target_seconds": TARGET_SECONDS,
        "target_met": history_seconds <= TARGET_SECONDS,
        "load_average": list(os.getloadavg()),
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"layermodel history: {args.commits:,} commits of {args.components:,} components, "
            f"{args.layout} layout ({len(paths)} files), {rows:,} rows, "
            f"{len(contents):,} distinct blobs\n"
            f"  git floor (log + cat-file of every blob)   {git_seconds:8.2f} s"
            f"   (CPU {git_cpu:.2f} s)\n"
            f"  parse floor (each distinct blob once)      {parse_seconds:8.2f} s"
            f"   (CPU {parse_cpu:.2f} s)\n"
            f"  layermodel history --format csv            {history_seconds:8.2f} s"
            f"   ({history_seconds / floor:.2f} x the floors; target <= {TARGET_SECONDS:.0f} s: "
            f"{'met' if history_seconds <= TARGET_SECONDS else 'NOT met'})\n"
            f"    CPU time {history_cpu:.2f} s ({history_cpu / floor_cpu:.2f} x the floors' CPU"
            f" time), peak memory {history_rss:,.0f} MB\n"
            f"  naive: load every version in full          "
            f"{report['naive_seconds_estimated']:8.2f} s (estimated from {naive_count} versions;"
            " information)\n"
            f"  load average {report['load_average'][0]:.2f} on {report['cpus']} CPUs (well above"
            " 1: other work shared the machine; trust the CPU time more then)"
        )
    return 1 if args.check and not report["target_met"] else 0


if __name__ == "__main__":
    sys.exit(main())
