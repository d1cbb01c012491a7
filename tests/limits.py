"""Time limits for the hostile-input tests' ``layermodel`` subprocesses.

A run may use at most ``limit`` seconds of CPU time (user + system, its own: what the
program spends, which a parallel test run on the same cores does not inflate), and must
finish within ``WALL_FACTOR`` times that on the wall clock, so a run that hangs without
using CPU (a blocked read, say) still fails. Measured on an idle machine, the
slowest hostile input takes about a third of its CPU limit.
"""

from __future__ import annotations

import os
import resource
import subprocess
from typing import Any

import pytest

WALL_FACTOR = 4
"""Wall-clock allowance, as a multiple of the CPU limit: room for ``pytest -n``'s
other workers on the same cores, not for an endless loop."""

MEMORY_LIMIT = 3 * 1024**3
"""Address-space cap for a child that reads an endless file, so it cannot exhaust RAM."""


def limit_memory() -> None:  # pragma: no cover - runs in the child
    """A ``preexec_fn``: caps the child's address space at :data:`MEMORY_LIMIT`."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def children_cpu() -> float:
    """CPU seconds used so far by this process's finished (waited-for) children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_limited(
    argv: list[str], limit: float, what: str, *, memory: bool = False, **kwargs: Any
) -> subprocess.CompletedProcess[bytes]:
    """``subprocess.run(argv, **kwargs)``; fails the test when the child ran over
    ``limit`` seconds of CPU time or ``WALL_FACTOR * limit`` seconds of wall clock.
    ``what`` names the command in the failure; ``memory`` caps the child's address
    space (:func:`limit_memory`, POSIX only)."""
    before = children_cpu()
    if memory and os.name == "posix":
        kwargs["preexec_fn"] = limit_memory
    try:
        result: subprocess.CompletedProcess[bytes] = subprocess.run(
            argv, timeout=limit * WALL_FACTOR, **kwargs
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} did not finish within {limit * WALL_FACTOR:g} s (wall clock)")
    used = children_cpu() - before
    if used > limit:
        pytest.fail(f"{what} used {used:.1f} s of CPU time, over the limit of {limit:g} s")
    return result
