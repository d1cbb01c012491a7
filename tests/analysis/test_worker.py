"""The blast-radius worker of `layermodel analyze --format json`: the report is byte for
byte the serial one, with or without the worker, whether the worker succeeds or
fails, and no child process is left behind."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import layermodel as lm
from layermodel.analysis.precomputed import offered_blast_figures
from layermodel.analysis.report import analyze
from layermodel.cli import main, worker

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
assert _spec is not None and _spec.loader is not None
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)
generate = synthetic.generate

N = 1_500


def _model(tmp_path: Path, *, cyclic: bool = False, seed: int = 3) -> Path:
    """A synthetic model of N components; with ``cyclic``, required cycles too (the
    blast radii then come from the sweep over the condensation)."""
    doc: dict[str, Any] = generate(N, seed)
    if cyclic:
        # Close required cycles: some components' first dependency depends back on them.
        index = {c["id"]: c for c in doc["components"]}
        closed = 0
        for c in doc["components"]:
            deps = c.get("depends_on", [])
            if deps and isinstance(deps[0], str) and closed < 20:
                back = index[deps[0]].setdefault("depends_on", [])
                if c["id"] not in [d if isinstance(d, str) else d["target"] for d in back]:
                    back.append(c["id"])
                    closed += 1
    path = tmp_path / ("cyclic.json" if cyclic else "model.json")
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _run(path: Path, out: Path, *extra: str) -> bytes:
    """The report of `layermodel analyze --format json`, run in this process."""
    assert main(["analyze", str(path), "--format", "json", "-o", str(out), *extra]) == 0
    return out.read_bytes()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[worker.BlastWorker | None]:
    """Record the workers the command starts, with the threshold lowered."""
    monkeypatch.setenv("LAYERMODEL_PARALLEL_MIN", "100")
    monkeypatch.delenv("LAYERMODEL_WORKERS", raising=False)
    started: list[worker.BlastWorker | None] = []
    real = worker.start_blast_worker

    def start(eco: lm.Ecosystem) -> worker.BlastWorker | None:
        found = real(eco)
        started.append(found)
        return found

    monkeypatch.setattr(worker, "start_blast_worker", start)
    return started


def _serial(path: Path, tmp_path: Path, *extra: str) -> bytes:
    os.environ["LAYERMODEL_WORKERS"] = "1"
    try:
        return _run(path, tmp_path / "serial.json", *extra)
    finally:
        del os.environ["LAYERMODEL_WORKERS"]


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("cyclic", [False, True], ids=["acyclic", "cyclic"])
@pytest.mark.parametrize("extra", [(), ("--min-users", "3")], ids=["default", "min-users"])
def test_the_worker_writes_the_serial_report_byte_for_byte(
    tmp_path: Path, spy: list[worker.BlastWorker | None], cyclic: bool, extra: tuple[str, ...]
) -> None:
    path = _model(tmp_path, cyclic=cyclic)
    serial = _serial(path, tmp_path, *extra)
    assert spy == [None]  # LAYERMODEL_WORKERS=1: no worker
    parallel = _run(path, tmp_path / "parallel.json", *extra)
    used = spy[-1]
    assert used is not None and not used.failed
    assert parallel == serial
    assert _reaped(used._pid_started)
    report = json.loads(parallel)
    assert report["model"]["components"] == N
    assert bool(report["cycles"]) == cyclic
    assert any(c["blast_radius"]["components"] for c in report["components"].values())


def test_the_worker_writes_a_focused_report_byte_for_byte(
    tmp_path: Path, spy: list[worker.BlastWorker | None]
) -> None:
    path = _model(tmp_path)
    product = json.loads(path.read_text(encoding="utf-8"))["products"][0]["id"]
    serial = _serial(path, tmp_path, "--product", product)
    parallel = _run(path, tmp_path / "parallel.json", "--product", product)
    assert spy[-1] is not None and not spy[-1].failed
    assert parallel == serial


def test_the_command_line_report_is_the_same_in_a_fresh_process(tmp_path: Path) -> None:
    path = _model(tmp_path, cyclic=True)
    outputs = []
    for workers in ("1", "2"):
        env = {**os.environ, "LAYERMODEL_PARALLEL_MIN": "100", "LAYERMODEL_WORKERS": workers}
        done = subprocess.run(
            [sys.executable, "-m", "layermodel", "analyze", str(path), "--format", "json"],
            capture_output=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["schema_version"] == 1


def _writes(keep: Callable[[int, Any], Any]) -> Any:
    """The real child, its n-th write replaced by ``keep(n, data)``: the data to
    write, or None to die there."""

    def child(ecosystem: lm.Ecosystem, fd: int, note: int) -> None:
        calls = [0]
        write = worker._write_all

        def patched(fd_: int, data: Any) -> None:
            calls[0] += 1
            kept = keep(calls[0], bytes(data))
            if kept is None:
                os._exit(5)
            write(fd_, kept)

        worker._write_all = patched  # in the child only
        real(ecosystem, fd, note)

    real = worker._child
    return child


def _child_that(action: Callable[[int], None]) -> Any:
    def child(ecosystem: lm.Ecosystem, fd: int, note: int) -> None:
        action(fd)

    return child


# The child writes: 1 the header to the file, 2 "H" to the pipe, 3 the texts (one
# chunk at this size), 4 their lengths, 5 "D".
FAILURES: dict[str, Callable[[], Any]] = {
    "exits at once": lambda: _child_that(lambda fd: os._exit(3)),
    "raises": lambda: _child_that(lambda fd: [][1]),
    "killed": lambda: _child_that(lambda fd: os.kill(os.getpid(), signal.SIGKILL)),
    "bad header": lambda: _writes(lambda n, data: b"garbage" * 40 if n == 1 else data),
    "dies after the header": lambda: _writes(lambda n, data: None if n == 3 else data),
    "texts cut short": lambda: _writes(lambda n, data: data[: len(data) // 2] if n == 3 else data),
    "short file": lambda: _writes(lambda n, data: b"" if n in (3, 4) else data),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failing_worker_falls_back_to_the_serial_report(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    spy: list[worker.BlastWorker | None],
    failure: str,
) -> None:
    path = _model(tmp_path, cyclic=failure == "texts cut short")
    serial = _serial(path, tmp_path)
    monkeypatch.setattr(worker, "_child", FAILURES[failure]())
    parallel = _run(path, tmp_path / "parallel.json")
    used = spy[-1]
    assert used is not None and used.failed
    assert parallel == serial
    assert _reaped(used._pid_started)


def test_no_fork_means_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy: list[worker.BlastWorker | None]
) -> None:
    path = _model(tmp_path)
    serial = _serial(path, tmp_path)

    def fork() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", fork)
    assert _run(path, tmp_path / "parallel.json") == serial
    assert spy[-1] is None


def test_small_models_and_library_calls_start_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eco = lm.load(_model(tmp_path))
    monkeypatch.delenv("LAYERMODEL_WORKERS", raising=False)
    monkeypatch.setenv("LAYERMODEL_PARALLEL_MIN", str(N + 1))
    assert worker.start_blast_worker(eco) is None
    monkeypatch.delenv("LAYERMODEL_PARALLEL_MIN")
    assert worker.PARALLEL_MIN > N and worker.start_blast_worker(eco) is None
    analyze(eco)
    assert worker.pending(eco) is None


def test_closing_kills_and_reaps_a_running_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eco = lm.load(_model(tmp_path))
    monkeypatch.setenv("LAYERMODEL_PARALLEL_MIN", "100")
    monkeypatch.delenv("LAYERMODEL_WORKERS", raising=False)
    monkeypatch.setattr(worker, "_child", _child_that(lambda fd: time.sleep(60)))
    started = time.monotonic()
    with worker.blast_worker(eco) as running:
        assert running is not None and worker.pending(eco) is running
        # the worker is offered to the analyses through the library's slot
        assert offered_blast_figures(eco) is running
        pid = running._pid_started
    assert time.monotonic() - started < 30
    assert _reaped(pid)
    assert worker.pending(eco) is None
    assert offered_blast_figures(eco) is None


def test_no_library_module_imports_the_worker() -> None:
    """The worker belongs to the command line: the library reaches it through no
    import, module-level or lazy, and running every analysis does not load it."""
    src = REPO / "src" / "layermodel"
    importers = []
    for path in sorted(src.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if isinstance(node, ast.ImportFrom) and node.module == "layermodel.analysis":
                names += [f"layermodel.analysis.{a.name}" for a in node.names]
            if "layermodel.cli.worker" in names:
                importers.append(path.relative_to(src).as_posix())
    assert all(p == "cli.py" or p.startswith("cli/") for p in importers), importers
    code = (
        "import sys, layermodel as lm\n"
        "from layermodel.analysis import analyze\n"
        "analyze(lm.example()).to_json()\n"
        "assert 'layermodel.cli.worker' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
