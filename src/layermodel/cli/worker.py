"""The blast radii of a large model in a second process, for the command line's JSON
report.

The blast radius of every component (the upstream closure over required edges) and
its JSON text are the largest single piece of ``layermodel analyze --format json``
on a large portfolio: 4.9 million ids at 100,000 components, a third of the run.
They depend only on the compact adjacency, so once that exists the command forks a
child that computes them while the parent runs every other analysis, then reads
them back:

1. a header: the size of every blast radius (for the single points of failure) and
   the size of the transitive closure (for the propagation cost);
2. every component's ``blast_radius.components`` list as JSON text, UTF-8, as one
   blob with the byte length of each list.

The child writes both to an unlinked temporary file, in a few large writes (no
pickling, no per-id objects), and says on a pipe when each is complete, so it never
waits for the parent. The parent asks for the header when it ranks the single points
of failure (it does so last), and for the texts when it writes the report, after
everything else in it; it maps the file and decodes each text from it.

The worker hands its figures to the analyses through the library's slot for them
(:mod:`layermodel.analysis.precomputed`): :class:`BlastWorker` is a
:class:`~layermodel.analysis.precomputed.BlastFigures`, offered while it runs. This is
an optimisation of the command line only: nothing in the library imports this module,
and :func:`~layermodel.analysis.analyze` and ``to_dict()`` never start a worker. The
result is byte-for-byte the report of the serial path; whenever the worker cannot be
used (no ``os.fork``, threads running, the fork fails, the child dies or sends
something incomplete) the parent kills and reaps it and computes the same figures
itself. ``LAYERMODEL_WORKERS=1`` turns the worker off; ``LAYERMODEL_PARALLEL_MIN``
sets the smallest model that gets one.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import signal
import struct
import sys
import tempfile
import threading
from array import array
from collections.abc import Iterator
from json.encoder import encode_basestring
from operator import itemgetter
from typing import IO, TYPE_CHECKING

from layermodel.analysis import (
    offer_blast_figures,
    offered_blast_figures,
    withdraw_blast_figures,
)
from layermodel.graph import BLAST_RANKS, blast_ranks, compact, dag, peek, reach_total

if TYPE_CHECKING:
    from layermodel import Ecosystem

__all__ = ["BlastWorker", "blast_worker", "pending", "start_blast_worker"]

PARALLEL_MIN = 20_000
"""The smallest model (in components) whose blast radii go to a worker by default.

The choice is about overhead. On the synthetic portfolio of docs/performance.md,
measured on a 2-core machine: forking takes 30 ms at 10,000 components (60 ms at
30,000, 170 ms at 100,000: the page tables of the whole process are copied), and
reading the texts back 20 ms (60 ms, 190 ms); meanwhile the two processes slow each
other by 10 to 20 % (shared caches and memory bandwidth). What the parent is spared,
the sweep and the texts, costs 0.17 s at 10,000 components, 0.7 to 0.8 s at 30,000
and 3.6 s at 100,000. At 10,000 the gain is within the run-to-run noise of a 1.2 s
run; from 20,000 on (about 0.4 s spared) it is a clear net gain.
"""

_HEADER = struct.Struct("<8sqqq")
_MAGIC = b"LMBLAST1"
_CHUNK = 1 << 20


def _parallel_min() -> int:
    raw = os.environ.get("LAYERMODEL_PARALLEL_MIN", "")
    try:
        return max(0, int(raw)) if raw else PARALLEL_MIN
    except ValueError:
        return PARALLEL_MIN


def _enabled() -> bool:
    raw = os.environ.get("LAYERMODEL_WORKERS", "").strip()
    return raw not in {"0", "1"}


def pending(ecosystem: Ecosystem) -> BlastWorker | None:
    """The worker computing this model's blast radii, if one was started."""
    found = offered_blast_figures(ecosystem)
    return found if isinstance(found, BlastWorker) else None


def start_blast_worker(ecosystem: Ecosystem) -> BlastWorker | None:
    """Fork a child that computes the blast radii of ``ecosystem`` and their JSON
    texts, or return None (and compute nothing) when the model is small, the worker
    is turned off, fork is unavailable or threads are running (forking a threaded
    process is unsafe). While it runs, it is offered to the analyses as the model's
    blast-radius figures. The caller must :meth:`~BlastWorker.close` it."""
    if (
        not _enabled()
        or not hasattr(os, "fork")
        or len(ecosystem.components) < max(_parallel_min(), 1)
        or threading.active_count() > 1
        or offered_blast_figures(ecosystem) is not None
        or peek(ecosystem, BLAST_RANKS) is not None
    ):
        return None
    # What the child reads, built before the fork so that the parent keeps it too
    # and the pages stay shared.
    compact(ecosystem).rank()
    dag(ecosystem, False)
    dag(ecosystem, True)
    try:
        # Unlinked at once: gone when both processes have closed it.
        data = tempfile.TemporaryFile()  # noqa: SIM115 - closed by BlastWorker.close
    except OSError:
        return None
    try:
        read, write = os.pipe()
    except OSError:
        data.close()
        return None
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        data.close()
        return None
    if pid == 0:  # pragma: no cover - the child; measured through the parent's output
        code = 1
        try:
            if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                # Interrupted with the parent (Ctrl-C reaches the whole process
                # group), it ends at once; ignored by the parent, ignored here too.
                signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.close(read)
            _die_with(parent)
            _child(ecosystem, data.fileno(), write)
            code = 0
        finally:
            os._exit(code)  # never the parent's cleanup, buffers or atexit handlers
    os.close(write)
    worker = BlastWorker(ecosystem, pid, read, data)
    offer_blast_figures(ecosystem, worker)
    return worker


@contextlib.contextmanager
def blast_worker(ecosystem: Ecosystem) -> Iterator[BlastWorker | None]:
    """:func:`start_blast_worker`, closed (killed if still running, and reaped) on exit."""
    worker = start_blast_worker(ecosystem)
    try:
        yield worker
    finally:
        if worker is not None:
            worker.close()


def _die_with(parent: int) -> None:  # pragma: no cover - in the child
    """Have the kernel kill this child if the parent dies first (Linux), so that a
    killed command leaves nothing running; elsewhere the child stops at its next
    write into the pipe, which has no reader any more."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent is already gone
        os._exit(1)


def _write_all(fd: int, data: bytes | bytearray | memoryview) -> None:
    view = memoryview(data).cast("B")
    while view:
        view = view[os.write(fd, view[:_CHUNK]) :]


def _child(ecosystem: Ecosystem, fd: int, note: int) -> None:  # pragma: no cover - child
    """Compute the blast radii and their texts, write them to the file ``fd`` and say
    on the pipe ``note`` when the header (``H``) and everything (``D``) are there."""
    blast = blast_ranks(ecosystem)
    total = reach_total(ecosystem)
    n = len(blast)
    _write_all(fd, _HEADER.pack(_MAGIC, n, total, 0) + array("q", map(len, blast)).tobytes())
    _write_all(note, b"H")
    graph = compact(ecosystem)
    # Each id as UTF-8 JSON followed by ", ": a list is one join of these, less its
    # last separator, between brackets, which is what the serial path writes
    # ("[" + ", ".join(ids) + "]") without a copy per list to add the brackets.
    listed = [b""] * n
    for cid, r in zip(graph.ids, graph.rank(), strict=True):
        listed[r] = encode_basestring(cid).encode() + b", "
    lengths = array("q", bytes(8 * n))
    batch: list[bytes | memoryview] = []
    size = 0
    for i in range(n):
        ranks = blast[i]
        if not ranks:
            batch.append(b"[]")
            lengths[i] = 2
            size += 2
            continue
        body = b"".join(itemgetter(*ranks)(listed)) if len(ranks) > 1 else listed[ranks[0]]
        blast[i] = []  # free the ranks as they are written
        batch += (b"[", memoryview(body)[:-2], b"]")
        lengths[i] = len(body)
        size += len(body)
        if size >= _CHUNK:
            _write_all(fd, b"".join(batch))
            batch.clear()
            size = 0
    _write_all(fd, b"".join(batch))
    _write_all(fd, lengths.tobytes())
    _write_all(note, b"D")


class BlastWorker:
    """The parent's end of a blast-radius child, and the blast-radius figures
    (:class:`~layermodel.analysis.precomputed.BlastFigures`) it offers the analyses:
    see the module docstring."""

    def __init__(self, ecosystem: Ecosystem, pid: int, note: int, data: IO[bytes]) -> None:
        self._ecosystem = ecosystem
        self._pid: int | None = pid
        self._pid_started = pid
        self._note: int | None = note
        self._data: IO[bytes] | None = data
        self._n = len(ecosystem.components)
        self._header: tuple[list[int], int] | None = None
        self.failed = False
        """True when the worker could not be used: the figures were computed here."""

    def _await(self, what: bytes) -> None:
        """Wait for the child to say ``what``; EOFError when it ends first."""
        if self._note is None or os.read(self._note, 1) != what:
            raise EOFError("the blast-radius worker stopped short")

    def _pread(self, size: int, offset: int) -> bytes:
        if self._data is None:
            raise EOFError("the blast-radius worker is closed")
        found = os.pread(self._data.fileno(), size, offset)
        if len(found) != size:
            raise EOFError("the blast-radius worker stopped short")
        return found

    def _fail(self) -> None:
        self.failed = True
        self.close()

    def header(self) -> tuple[list[int], int] | None:
        """(size of every blast radius in model order, size of the transitive
        closure), waiting for the child if need be; None when the worker failed."""
        if self._header is None and not self.failed:
            try:
                self._await(b"H")
                magic, n, total, _ = _HEADER.unpack(self._pread(_HEADER.size, 0))
                if magic != _MAGIC or n != self._n:
                    raise ValueError("the blast-radius worker sent a bad header")
                sizes = array("q")
                sizes.frombytes(self._pread(8 * n, _HEADER.size))
                self._header = (sizes.tolist(), total)
            except (OSError, EOFError, ValueError, struct.error):
                self._fail()
        return self._header

    def texts(self) -> list[str] | None:
        """Every component's ``blast_radius.components`` as JSON text, in model order,
        waiting for the child if need be; None when the worker failed. Once only: the
        child is reaped, and its exit status checked, before anything is read, and
        the worker is closed after."""
        if self.header() is None:
            return None
        try:
            self._await(b"D")
            if self._reap() != 0:
                raise ValueError("the blast-radius worker failed")
            if self._data is None:
                raise EOFError("the blast-radius worker is closed")
            n = self._n
            start = _HEADER.size + 8 * n  # the texts, then their lengths
            end = os.fstat(self._data.fileno()).st_size
            lengths = array("q")
            lengths.frombytes(self._pread(8 * n, end - 8 * n))
            if end != start + sum(lengths) + 8 * n:
                raise EOFError("the blast-radius worker stopped short")
            out = []
            with (
                mmap.mmap(self._data.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
                memoryview(mapped) as view,
            ):
                at = start
                for length in lengths:
                    end = at + length
                    out.append(str(view[at:end], "utf-8"))
                    at = end
            return out
        except (OSError, EOFError, ValueError, UnicodeDecodeError):
            self._fail()
            return None
        finally:
            self.close()

    def _reap(self) -> int:
        """Wait for the child; its exit code (negative: killed by that signal)."""
        pid, self._pid = self._pid, None
        if pid is None:
            return -1
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return -1
        return os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        """Stop using the worker: kill the child if it still runs, reap it, close the
        pipe and the file, forget it. Idempotent."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()
        if self._note is not None:
            with contextlib.suppress(OSError):
                os.close(self._note)
            self._note = None
        if self._data is not None:
            with contextlib.suppress(OSError):
                self._data.close()
            self._data = None
        withdraw_blast_figures(self._ecosystem, self)
