"""Exit codes of the ``layermodel`` command, defined once, with the same meaning in
every command, and the one place that maps a library error to its code.

- :data:`OK` (0): the command did what it was asked.
- :data:`FAILED` (1): the model is invalid, or a check failed (what ``--fail-on``
  names, for example).
- :data:`UNREADABLE` (2): the input could not be read or used (a missing file, a
  directory, a catalog that is not valid YAML, an unknown id or view), or the usage
  is wrong (an unknown option, a missing argument).
"""

from __future__ import annotations

from layermodel.errors import LayermodelError, ModelError, ReadError

__all__ = [
    "EPILOG",
    "FAILED",
    "INTERRUPTED",
    "MEANINGS",
    "OK",
    "UNREADABLE",
    "Stop",
    "of_error",
]

OK = 0
FAILED = 1
UNREADABLE = 2
INTERRUPTED = 130
"""Interrupted with Ctrl-C (128 + SIGINT, as shells report it)."""

MEANINGS = (
    (OK, "success"),
    (FAILED, "the model is invalid, or a check failed (such as what --fail-on names)"),
    (UNREADABLE, "the input could not be read, or the usage is wrong"),
)
"""Each exit code with what it means, for ``--help`` and the CLI reference."""

EPILOG = "Exit codes: " + "; ".join(f"{code} {meaning}" for code, meaning in MEANINGS) + "."
"""The paragraph that ends every command's ``--help``."""


class Stop(Exception):
    """Raised by a command that has already said why it stops, to exit with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def of_error(exc: LayermodelError) -> int:
    """The exit code of a library error: :data:`UNREADABLE` for a file that could not
    be read, :data:`FAILED` for an invalid model, :data:`UNREADABLE` for any other
    error a user can cause (an unknown id, view or format, a missing Graphviz)."""
    if isinstance(exc, ReadError):
        return UNREADABLE
    if isinstance(exc, ModelError):
        return FAILED
    return UNREADABLE
