"""The one reader: a file (or standard input) to parsed documents, in one call.

Every input layermodel reads goes through here or through the two steps it joins,
:func:`~layermodel.model.io.source.read_source` and
:func:`~layermodel.model.io.parse.parse_documents`, so that every input is refused
the same way, with its file, line and column: unreadable files, bytes that are not
text, malformed or hostile YAML and JSON.
"""

from __future__ import annotations

import os

from layermodel.model.collector import collector_paused
from layermodel.model.io.parse import Document, format_of, parse, parse_documents
from layermodel.model.io.source import MAX_INPUT_BYTES, read_source

__all__ = ["read_document", "read_documents"]


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
    source = read_source(path, what=what, limit=limit)
    with collector_paused():  # the node trees stay alive: collections would find nothing
        return parse_documents(
            source.text, source.name, format_of(source.name, source.text, format)
        )


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
