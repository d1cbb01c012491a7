"""The one reader: a file (or standard input) to parsed documents, in one call.

Every input layermodel reads goes through here or through the two steps it joins,
:func:`~layermodel.model.io.source.read_source` and
:func:`~layermodel.model.io.parse.parse_documents`, so that every input is refused
the same way, with its file, line and column: unreadable files, bytes that are not
text, malformed or hostile YAML and JSON.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from layermodel.model.collector import collector_paused
from layermodel.model.io.parse import Document, format_of, parse, parse_documents
from layermodel.model.io.source import MAX_INPUT_BYTES, read_source

__all__ = ["read_document", "read_documents", "reading_once"]

_Key = tuple[str, str | None, int, int, int]
_MEMO: ContextVar[dict[_Key, list[Document]] | None] = ContextVar("_MEMO", default=None)


@contextmanager
def reading_once() -> Iterator[None]:
    """Inside this block, :func:`read_documents` parses a file it has parsed before
    (the same name, format and limit, unchanged in size and modification time) only
    once: discovery recognises each file's kind from its content, and then its
    importer reads it again. Only successful reads are kept, until the block ends."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _key(path: str | os.PathLike[str], format: str | None, limit: int) -> _Key | None:
    name = os.fspath(path)
    if name == "-":
        return None
    try:
        info = os.stat(name)
    except OSError:
        return None
    return (name, format, limit, info.st_size, info.st_mtime_ns)


def read_documents(
    path: str | os.PathLike[str],
    *,
    what: str = "file",
    format: str | None = None,
    limit: int = MAX_INPUT_BYTES,
) -> list[Document]:
    """Every document of one YAML or JSON file (``-``: standard input).

    The format is ``format`` when given, else the file's suffix, else a guess from
    its first character. ``what`` names the kind of file in messages.

    Raises:
        ReadError: the file cannot be read (see ``read_source``).
        InputError: it is not text, or not valid, safe YAML or JSON.
    """
    memo = _MEMO.get()
    key = _key(path, format, limit) if memo is not None else None
    if memo is not None and key is not None and key in memo:
        return memo[key]
    source = read_source(path, what=what, limit=limit)
    with collector_paused():  # the node trees stay alive: collections would find nothing
        documents = parse_documents(
            source.text, source.name, format_of(source.name, source.text, format)
        )
    if memo is not None and key is not None:
        memo[key] = documents
    return documents


def read_document(
    path: str | os.PathLike[str],
    *,
    what: str = "file",
    format: str | None = None,
    limit: int = MAX_INPUT_BYTES,
) -> Document:
    """The one document of a YAML or JSON file; as :func:`read_documents`, and a
    file holding several documents is refused with the line of the second."""
    source = read_source(path, what=what, limit=limit)
    fmt = format_of(source.name, source.text, format)
    with collector_paused():
        return parse(source.text, source.name, fmt, expected=f"a {what}")
