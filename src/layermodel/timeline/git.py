"""The git commands history needs, run as the real ``git``: where the repository is,
which commits a revision range holds, what each commit changed, and blob contents
through one ``git cat-file --batch`` process (so a thousand versions do not start a
thousand processes).

Every call passes ``--end-of-options`` before a revision and literal pathspecs
(``GIT_LITERAL_PATHSPECS=1``), so neither a revision nor a path given by a user can
be read as an option or a pattern.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from layermodel.errors import LayermodelError

__all__ = ["BlobReader", "Change", "LogEntry", "Repository"]

_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")
_NO_BLOB = re.compile(r"0+\Z")
_HEADER = "%H%x1f%aI%x1f%an%x1f%s"
_TIMEOUT = 600.0


@dataclass(frozen=True)
class Change:
    """One file changed by a commit, as ``git log --raw -M`` reports it."""

    status: str
    """``A`` added, ``M`` modified, ``D`` deleted, ``R`` renamed, ``C`` copied, ``T``
    type changed (the similarity score of ``R`` and ``C`` is dropped)."""
    old_blob: str | None
    new_blob: str | None
    old_mode: str
    new_mode: str
    path: str
    """The path after the commit (before it, for ``D``)."""
    source: str | None = None
    """The path before the commit, for ``R`` and ``C``."""


@dataclass(frozen=True)
class LogEntry:
    """One commit of the walk and the files it changed."""

    sha: str
    date: str
    """The author date, ISO 8601."""
    author: str
    subject: str
    changes: tuple[Change, ...]


class Repository:
    """A git work tree, found from a folder inside it."""

    def __init__(self, start: str | os.PathLike[str] = ".") -> None:
        if shutil.which("git") is None:
            raise LayermodelError("history needs git, which is not installed (not on PATH)")
        folder = Path(start)
        if not folder.is_dir():
            raise LayermodelError(f"{os.fspath(start)!r} is not a folder")
        self._env = {
            **os.environ,
            "GIT_LITERAL_PATHSPECS": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_OPTIONAL_LOCKS": "0",
            "LC_ALL": "C",
        }
        self._env.pop("GIT_DIR", None)
        self._env.pop("GIT_WORK_TREE", None)
        result = self._run(["rev-parse", "--show-toplevel"], cwd=folder, check=False)
        if result.returncode != 0:
            raise LayermodelError(
                f"{os.fspath(folder.resolve())} is not in a git repository "
                "(history reads the model files' git history)"
            )
        self.root = Path(result.stdout.decode("utf-8", "surrogateescape").strip())

    # -- running git ----------------------------------------------------------------

    def _run(
        self, args: Sequence[str], *, cwd: Path | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        command = [
            "git",
            "-c",
            "log.showSignature=false",
            "-c",
            "core.quotePath=false",
            *args,
        ]
        try:
            result = subprocess.run(
                command,
                cwd=cwd if cwd is not None else self.root,
                env=self._env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise LayermodelError(f"git {args[0]} took more than {_TIMEOUT:.0f} s") from None
        except OSError as exc:
            raise LayermodelError(f"cannot run git: {exc}") from None
        if check and result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise LayermodelError(f"git {args[0]} failed: {message[-1] if message else '?'}")
        return result

    # -- questions --------------------------------------------------------------------

    def relative(self, path: str | os.PathLike[str]) -> str:
        """``path`` (relative to the working directory, or absolute) as a path inside
        the repository, with ``/`` separators.

        Raises:
            LayermodelError: the path is outside the repository.
        """
        given = os.fspath(path)
        full = Path(os.path.abspath(given))
        root = Path(os.path.realpath(self.root))
        try:
            inside = Path(os.path.realpath(full.parent)).relative_to(root) / full.name
        except ValueError:
            raise LayermodelError(
                f"{given!r} is not inside the git repository at {self.root}"
            ) from None
        text = inside.as_posix()
        if text in ("", ".") or full.name in ("", ".", ".."):
            raise LayermodelError(f"{given!r} is a folder, not a model file")
        return text

    def tip(self, rev: str) -> str:
        """The newest commit of ``rev`` (a commit, or a range such as ``v1..main``).

        Raises:
            LayermodelError: ``rev`` is not a revision of the repository, or holds no
                commit.
        """
        _check_revision(rev)
        result = self._run(
            ["rev-list", "--max-count=1", "--first-parent", "--end-of-options", rev, "--"],
            check=False,
        )
        if result.returncode != 0:
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = f" ({detail[0]})" if detail else ""
            raise LayermodelError(f"unknown revision {rev!r} in {self.root}{reason}")
        sha = result.stdout.decode("ascii", "replace").strip()
        if not sha:
            raise LayermodelError(f"the revision range {rev!r} holds no commit")
        return sha

    def blobs_at(self, commit: str, paths: Sequence[str]) -> dict[str, tuple[str, str]]:
        """(mode, blob id) of each of ``paths`` that is a file in ``commit``."""
        result = self._run(["ls-tree", "-z", "--full-tree", commit, "--", *paths])
        found: dict[str, tuple[str, str]] = {}
        for record in result.stdout.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, kind, blob = meta.decode("ascii").split(" ")
            if kind == "blob":
                found[name.decode("utf-8", "surrogateescape")] = (mode, blob)
        return found

    def log(self, rev: str) -> Iterator[LogEntry]:
        """The commits of ``rev``, newest first, along first parents, each with every
        file it changed (renames detected), over the whole tree: a rename can only be
        seen with both of its paths in view."""
        _check_revision(rev)
        result = self._run(
            [
                "log",
                "-z",
                "--raw",
                "--no-abbrev",
                "-M",
                "--first-parent",
                "--diff-merges=first-parent",
                "--no-color",
                "--no-ext-diff",
                f"--format={_HEADER}",
                "--end-of-options",
                rev,
                "--",
            ]
        )
        yield from _parse_log(result.stdout)


def _check_revision(rev: str) -> None:
    if not rev or rev.startswith("-") or "\0" in rev or "\n" in rev:
        raise LayermodelError(f"{rev!r} is not a revision (a commit, a tag or a range A..B)")


def _blob(sha: str) -> str | None:
    return None if _NO_BLOB.match(sha) else sha


def _parse_log(output: bytes) -> Iterator[LogEntry]:
    tokens = output.decode("utf-8", "surrogateescape").split("\0")
    header: list[str] | None = None
    changes: list[Change] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        i += 1
        if not token:
            continue
        if token.startswith(":") and header is not None:
            meta = token[1:].split(" ")
            old_mode, new_mode, old, new, status = meta[:5]
            kind = status[:1]
            if kind in ("R", "C"):
                source, path = tokens[i], tokens[i + 1]
                i += 2
            else:
                source, path = None, tokens[i]
                i += 1
            changes.append(Change(kind, _blob(old), _blob(new), old_mode, new_mode, path, source))
            continue
        if header is not None:
            yield _entry(header, changes)
        fields = token.split("\x1f", 3)
        if len(fields) != 4 or not _SHA.match(fields[0]):
            raise LayermodelError(f"unexpected output from git log: {token[:80]!r}")
        header, changes = fields, []
    if header is not None:
        yield _entry(header, changes)


def _entry(header: list[str], changes: list[Change]) -> LogEntry:
    sha, date, author, subject = header
    return LogEntry(sha, date, author, subject, tuple(changes))


class BlobReader:
    """Blob contents from one long-running ``git cat-file --batch``; use as a context
    manager, which ends the process."""

    def __init__(self, repository: Repository) -> None:
        self._repository = repository
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BlobReader:
        try:
            self._process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self._repository.root,
                env=self._repository._env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise LayermodelError(f"cannot run git cat-file: {exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        process = self._process
        if process is None:
            return
        self._process = None
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()

    def read(self, blob: str) -> bytes:
        """The contents of ``blob``.

        Raises:
            LayermodelError: git does not have it.
        """
        process = self._process
        if process is None:
            raise LayermodelError("BlobReader.read() outside its 'with' block")
        stdin: IO[bytes] | None = process.stdin
        stdout: IO[bytes] | None = process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(blob.encode("ascii") + b"\n")
        stdin.flush()
        header = stdout.readline().decode("ascii", "replace").split()
        if len(header) != 3 or header[1] != "blob":
            raise LayermodelError(f"git cat-file: no blob {blob}")
        size = int(header[2])
        data = stdout.read(size)
        stdout.read(1)  # the newline after the contents
        return data
