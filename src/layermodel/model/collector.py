"""Pausing Python's cyclic garbage collector around a bulk build.

Parsing and validating a large model allocate millions of objects that all stay
alive, so collections triggered meanwhile find nothing and cost more than the work.
The pause is scoped: the collector's state is restored on exit, whatever happens.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

__all__ = ["collector_paused", "paused"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block, then restore it.

    On exit, what the block allocated is moved straight to the oldest generation
    (``gc.freeze`` then ``gc.unfreeze``, only when nothing else has frozen objects):
    otherwise the next young collection scans all of it, only to find it still alive.
    The collector is enabled again only if it was enabled before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def paused(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function``, run with the collector paused (see :func:`collector_paused`): for
    a bulk step, such as an importer, that builds a large structure that stays alive."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with collector_paused():
            return function(*args, **kwargs)

    return run
