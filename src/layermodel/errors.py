"""Errors raised by layermodel: one base class, and problems that say where they are.

Every error a user can cause derives from :class:`LayermodelError`. Model problems are
collected into a :class:`ModelError`, which carries *all* of them at once, each a
:class:`Problem` that knows its file, line, column and path in the model.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "InputError",
    "LayermodelError",
    "ModelError",
    "Problem",
    "ReadError",
    "WriteError",
    "format_path",
    "plural",
    "suggest",
]

Path = tuple[str | int, ...]
"""A path in the model, such as ``("components", 3, "depends_on", 1)``."""


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def format_path(path: Path) -> str:
    """Render a model path the way users write it: ``components[3].depends_on[1]``.

    Keys that are not plain words are quoted and escaped (``properties["a b"]``), so
    a key can never smuggle a newline or a terminal control sequence into output.
    """
    out: list[str] = []
    for part in path:
        if isinstance(part, bool) or part is None:
            out.append(f"[{json.dumps(part)}]")
        elif isinstance(part, int):
            out.append(f"[{part}]")
        elif isinstance(part, str) and _PLAIN_KEY.match(part):
            out.append(f".{part}" if out else part)
        else:
            out.append(f"[{json.dumps(str(part))}]")
    return "".join(out)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def safe_text(text: str) -> str:
    """Escape control characters (terminal escapes, stray newlines) for printing."""
    return _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest near-miss of ``word`` among ``choices``, or None."""
    slack = max(2, len(word) // 3)
    size = len(word)
    nearby = [c for c in choices if abs(len(c) - size) <= slack]
    found = difflib.get_close_matches(word, nearby, n=1, cutoff=0.6)
    if found:
        return found[0]
    lowered = word.lower()
    same = next((c for c in nearby if c.lower() == lowered), None)
    if same is not None or len(word) < 3:
        return same
    # An abbreviation such as 'prod' for 'production', when it is unambiguous.
    starts = [c for c in choices if c.lower().startswith(lowered)]
    return starts[0] if len(starts) == 1 else None


_IRREGULAR = {"dependency": "dependencies", "is": "are", "was": "were", "has": "have"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1: ``plural(1, "component")``
    is ``'1 component'``, ``plural(3, "dependency")`` is ``'3 dependencies'``, and
    ``plural(2_000, "product")`` is ``'2,000 products'``.

    Args:
        n: how many.
        word: the singular.
        many: the plural, when it is not ``word`` + ``s`` (or a known irregular one).
    """
    if n == 1:
        return f"1 {word}"
    if many is None:
        many = _IRREGULAR.get(word)
    if many is None:
        many = word + "es" if word.endswith(("s", "x", "ch", "sh")) else word + "s"
    return f"{n:,} {many}"


def show_value(value: Any, limit: int = 60) -> str:
    """A short, safe rendering of a user's value for a message."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model, with where it is.

    Attributes:
        message: what is wrong, with the offending value and what was expected.
        path: where in the model, e.g. ``("components", 3, "depends_on", 1)``.
        file: the file it came from, when it came from one.
        line: 1-based line in ``file``, when known.
        column: 1-based column in ``file``, when known.
        suggestion: a near-miss the user may have meant, when there is one.
        see: for a duplicate, the path of the first definition.
        see_location: ``see`` resolved to ``file:line``, when it could be.
    """

    message: str
    path: Path = ()
    file: str | None = None
    line: int | None = None
    column: int | None = None
    suggestion: str | None = None
    see: Path | None = None
    see_location: str | None = None

    @property
    def location(self) -> str:
        """``file:line:column``, as much of it as is known."""
        parts = [self.file or "<model>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def at(self, **changes: Any) -> Problem:
        """A copy of this problem with some fields changed."""
        return replace(self, **changes)

    def __str__(self) -> str:
        where = format_path(self.path)
        text = f"{self.location}: "
        if where:
            text += f"{where}: "
        text += self.message
        if self.suggestion is not None:
            text += f"; did you mean {self.suggestion!r}?"
        if self.see is not None or self.see_location is not None:
            text += f" (first defined at {self.see_location or format_path(self.see or ())})"
        return safe_text(text).replace("\n", "\\n")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of this problem."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": format_path(self.path),
            "message": self.message,
            "suggestion": self.suggestion,
        }


class LayermodelError(Exception):
    """Base class of every error layermodel raises for bad input or bad use."""


class WriteError(LayermodelError):
    """An output file could not be written."""

    def __init__(self, file: str, message: str) -> None:
        self.file = file
        super().__init__(f"{file}: {message}")


class ModelError(LayermodelError):
    """A model is invalid. ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the model"
        return head + ":\n" + "\n".join(f"  {p}" for p in self.problems)


class ReadError(ModelError):
    """A model file could not be read at all: missing, a directory, unreadable.

    ``problems`` also holds the problems found in the files that could be read.
    """

    @classmethod
    def of(cls, file: str, message: str) -> ReadError:
        """A read error about one file."""
        return cls([Problem(message, file=file)])

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        return super()._summary()


class InputError(ReadError):
    """An input file could not be read as the data it should hold: it is not text,
    its YAML or JSON is malformed or hostile (an alias bomb, a duplicate key, an
    unknown tag, nesting too deep), or its documents have the wrong shape.

    ``problems`` lists every problem, each with its file and, where known, its line
    and column.
    """

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        return f"{plural(len(self.problems), 'problem')} in the input:\n" + "\n".join(
            f"  {p}" for p in self.problems
        )
