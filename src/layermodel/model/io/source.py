"""Reading an input file's text: the first step of the one reader.

Every input (model files, catalogs, rules files, what-if product files, and every
importer) is read here, so the same refusals hold everywhere: a missing file, a
directory, a device or pipe (which could block forever), a file over the size limit,
and bytes that are not text in the encoding their byte-order mark names (UTF-8 when
there is none). ``-`` reads standard input.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path as FsPath

from layermodel.errors import InputError, Problem, ReadError

__all__ = ["MAX_INPUT_BYTES", "Source", "decode", "read_source"]

MAX_INPUT_BYTES = 1 << 30
"""Larger files are refused rather than read into memory."""

STDIN = "<stdin>"
"""The name standard input goes by in messages."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Source:
    """The text of one input and the name to give it in messages."""

    text: str
    name: str


def decode(data: bytes, name: str) -> str:
    """``data`` as text: UTF-8, or the UTF-16/32 its byte-order mark names.

    Raises :class:`~layermodel.errors.InputError` with the line and column of the
    first byte that cannot be decoded.
    """
    encoding = "utf-8"
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding = enc
            break
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            [
                Problem(
                    f"not valid {encoding.upper().replace('-SIG', '')} text: byte "
                    f"0x{data[exc.start]:02x} cannot be decoded; save the file as UTF-8",
                    file=name,
                    line=line,
                    column=column,
                )
            ]
        ) from None


def read_source(
    path: str | os.PathLike[str],
    *,
    what: str = "file",
    limit: int = MAX_INPUT_BYTES,
) -> Source:
    """Read one input file as text. ``-`` reads standard input.

    ``what`` names the kind of file in messages ("model file", "catalog file").

    Raises:
        ReadError: the path is missing, a broken link, a directory, not a regular
            file, too large, or unreadable.
        InputError: the bytes are not text (see :func:`decode`).
    """
    name = os.fspath(path)
    if name == "-":
        return Source(decode(sys.stdin.buffer.read(), STDIN), STDIN)
    fs = FsPath(name)
    try:
        info = fs.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ReadError.of(
                name, f"is a directory, not a {what}; pass the files inside it instead"
            )
        if not stat.S_ISREG(info.st_mode):
            raise ReadError.of(name, "is not a regular file (a device, pipe or socket?)")
        if info.st_size > limit:
            raise ReadError.of(name, f"is {info.st_size:,} bytes; the limit is {limit:,}")
        data = fs.read_bytes()
    except FileNotFoundError:
        kind = "a broken symbolic link" if fs.is_symlink() else "no such file"
        raise ReadError.of(name, kind) from None
    except PermissionError:
        raise ReadError.of(name, "permission denied") from None
    except IsADirectoryError:
        raise ReadError.of(name, f"is a directory, not a {what}") from None
    except OSError as exc:
        raise ReadError.of(name, f"cannot be read: {exc.strerror or exc}") from None
    return Source(decode(data, name), name)
