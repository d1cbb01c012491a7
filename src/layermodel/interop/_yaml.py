"""Reading YAML input files document by document, keeping the line of every value.

Import formats are read with this rather than the model-file reader: a Backstage
file holds many documents, and every problem found later (an unresolved
reference, an unknown layer) must still name its file and line.
"""

from __future__ import annotations

import datetime
import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from layermodel.errors import Path, Problem, ReadError, show_value

__all__ = ["Document", "InputError", "plain", "read_documents", "read_text"]

MAX_INPUT_BYTES = 1 << 28


class InputError(ReadError):
    """Input for an import (a catalog file, a rules file) is missing or malformed.

    ``problems`` lists every problem, each with its file and, where known, line.
    """

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        return f"{len(self.problems)} problems in the input:\n" + "\n".join(
            f"  {p}" for p in self.problems
        )


@dataclass
class Document:
    """One YAML document: its data, file, first line, and the place of each value."""

    data: Any
    file: str
    line: int
    places: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def problem(self, message: str, path: Path = ()) -> Problem:
        """A problem at ``path`` in this document, with the best line known."""
        probe = path
        while probe and probe not in self.places:
            probe = probe[:-1]
        found = self.places.get(probe)
        if found is None:
            return Problem(message, path=path, file=self.file, line=self.line)
        return Problem(message, path=path, file=self.file, line=found[0], column=found[1])


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of a file; a clear :class:`InputError` if it cannot be read."""
    name = os.fspath(path)
    fs = FsPath(name)
    try:
        info = fs.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError.of(name, "is a directory, not a file")
        if info.st_size > MAX_INPUT_BYTES:
            raise InputError.of(
                name, f"is {info.st_size:,} bytes; the limit is {MAX_INPUT_BYTES:,}"
            )
        data = fs.read_bytes()
    except FileNotFoundError:
        raise InputError.of(name, "no such file") from None
    except PermissionError:
        raise InputError.of(name, "permission denied") from None
    except OSError as exc:
        raise InputError.of(name, f"cannot be read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            [
                Problem(
                    f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
                    file=name,
                    line=line,
                )
            ]
        ) from None


def _places(node: Any, path: Path, out: dict[Path, tuple[int, int]]) -> None:
    import yaml

    stack = [(node, path)]
    while stack:
        current, where = stack.pop()
        out[where] = (current.start_mark.line + 1, current.start_mark.column + 1)
        if len(where) > 32:
            continue
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    stack.append((value, (*where, str(key.value))))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, (*where, i)) for i, item in enumerate(current.value))


def read_documents(text: str, file: str) -> list[Document]:
    """Every document of a YAML stream, with the place of each value.

    Raises :class:`InputError` naming the file, line and column of a syntax error.
    """
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    documents: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            data = loader.construct_document(node)
            doc = Document(data, file, node.start_mark.line + 1)
            _places(node, (), doc.places)
            documents.append(doc)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise InputError(
            [
                Problem(
                    f"not valid YAML: {reason}",
                    file=file,
                    line=mark.line + 1 if mark is not None else None,
                    column=mark.column + 1 if mark is not None else None,
                )
            ]
        ) from None
    except RecursionError:
        raise InputError.of(file, "not valid YAML: nested too deeply") from None
    finally:
        loader.dispose()
    return documents


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` as plain JSON data: dates become ISO text, odd keys become text."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if depth > 48:
        return show_value(value, 200)
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
