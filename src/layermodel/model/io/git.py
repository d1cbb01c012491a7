"""Model files as they were at a git revision, read with ``git show REV:PATH``.

A path is resolved against the root of the repository that holds it (``git
rev-parse --show-toplevel``), so ``model.yaml`` in a subfolder means the same file at
every revision. The text goes through the same checks as any file (it must be
text, within the size limit) and the model through the one reader, under a display
name such as ``model.yaml@HEAD~3`` that places every problem.

Every failure is a :class:`~layermodel.errors.ReadError` saying which: git is not
installed, the path is not in a git repository, the revision is unknown, or the
file does not exist at that revision.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from layermodel.errors import ReadError
from layermodel.model.entities import Ecosystem
from layermodel.model.io.model_files import MAX_FILE_BYTES, loads_files
from layermodel.model.io.source import decode

__all__ = ["display_name", "load_at", "read_at", "repository_root"]

_TIMEOUT = 60.0


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    program = shutil.which("git")
    if program is None:
        raise ReadError.of(
            "git", "git is not installed (or not on PATH); it is needed to read a revision"
        )
    try:
        return subprocess.run(
            [program, *args],
            cwd=cwd,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
            env={**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"},
        )
    except subprocess.TimeoutExpired:
        raise ReadError.of(str(cwd), f"git did not answer within {_TIMEOUT:g} s") from None
    except OSError as exc:
        raise ReadError.of(str(cwd), f"git could not be run: {exc.strerror or exc}") from None


def _folder(path: str | os.PathLike[str]) -> Path:
    """The nearest existing folder of ``path`` (the file may not exist today)."""
    folder = Path(path).absolute().parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def repository_root(path: str | os.PathLike[str]) -> Path:
    """The root of the git repository that holds ``path``.

    Raises:
        ReadError: ``path`` is not inside a git repository, or git is missing.
    """
    done = _git(["rev-parse", "--show-toplevel"], _folder(path))
    if done.returncode != 0:
        raise ReadError.of(
            os.fspath(path),
            "is not inside a git repository, so it has no revisions to read; "
            "give the old version as a file instead",
        )
    return Path(done.stdout.decode("utf-8", "replace").strip())


def display_name(rev: str, path: str | os.PathLike[str]) -> str:
    """How a file at a revision is named in messages: ``path@rev``."""
    return f"{os.fspath(path)}@{rev}"


def read_at(rev: str, path: str | os.PathLike[str]) -> str:
    """The text of the file ``path`` at revision ``rev`` (``HEAD~3``, a tag, a commit).

    Raises:
        ReadError: not a git repository, an unknown revision, or no such file at
            that revision (each named, with the file).
        InputError: the file's bytes at that revision are not text.
    """
    name = display_name(rev, path)
    if not rev or rev.startswith("-"):
        raise ReadError.of(name, f"{rev!r} is not a revision")
    root = repository_root(path)
    try:
        relative = Path(path).absolute().resolve().relative_to(root.resolve())
    except ValueError:
        raise ReadError.of(name, f"is outside the git repository at {root}") from None
    found = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root
    )
    if found.returncode != 0:
        raise ReadError.of(
            name,
            f"unknown revision {rev!r} in the repository at {root} "
            "(try a commit, a branch, a tag or HEAD~N)",
        )
    commit = found.stdout.decode("ascii", "replace").strip()
    spec = f"{commit}:{relative.as_posix()}"
    kind = _git(["cat-file", "-t", spec], root)
    if kind.returncode != 0:
        raise ReadError.of(name, f"no file {relative.as_posix()} at revision {rev}")
    if kind.stdout.strip() != b"blob":
        raise ReadError.of(name, f"{relative.as_posix()} is not a file at revision {rev}")
    size = _git(["cat-file", "-s", spec], root)
    if size.returncode == 0 and int(size.stdout.strip() or 0) > MAX_FILE_BYTES:
        raise ReadError.of(name, f"is larger than the limit of {MAX_FILE_BYTES:,} bytes")
    shown = _git(["show", spec], root)
    if shown.returncode != 0:
        message = shown.stderr.decode("utf-8", "replace").strip()
        raise ReadError.of(name, f"git could not read it: {message}")
    return decode(shown.stdout, name)


def load_at(rev: str, *paths: str | os.PathLike[str]) -> Ecosystem:
    """The model made of the files ``paths`` as they were at revision ``rev``, merged
    as :func:`~layermodel.model.io.load` merges files, each named ``path@rev`` in
    messages.

    Raises:
        ReadError: as :func:`read_at`.
        ModelError: the model at that revision is invalid.
    """
    files: list[tuple[str, str | bytes, str | None]] = [
        (display_name(rev, path), read_at(rev, path), _format_of(path)) for path in paths
    ]
    stem = Path(os.fspath(paths[0])).stem if paths else "untitled"
    return loads_files(files, default_name=stem or "untitled")


def _format_of(path: str | os.PathLike[str]) -> str | None:
    """The format a model file's name gives (``.json``: JSON, ``.yaml``/``.yml``: YAML)."""
    suffix = Path(os.fspath(path)).suffix.lower()
    return "json" if suffix == ".json" else "yaml" if suffix in (".yaml", ".yml") else None
