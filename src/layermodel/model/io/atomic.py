"""Writing a file atomically: a temporary file beside it, then a rename.

A failure at any point (a full disk, an interrupt, an error while the text was being
made) leaves the file that was there before exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path as FsPath

from layermodel.errors import WriteError

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write text (as UTF-8) or bytes to ``path`` through a temporary file and a rename,
    so that a failure never leaves a half-written file behind. An existing file keeps
    its permissions.

    Raises :class:`~layermodel.errors.WriteError` when the folder cannot be written.
    """
    target = FsPath(path)
    directory = target.parent if str(target.parent) else FsPath(".")
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise WriteError(str(path), f"cannot be written: {exc.strerror or exc}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteError(str(path), f"cannot be written: {exc.strerror or exc}") from None
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
