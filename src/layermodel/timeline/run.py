"""A model's history in one call: walk the commits, load each version that changed,
measure it.

Loading is incremental: each distinct blob (file contents) is read from git and
parsed once, and a version whose files were all seen before, in the same places,
reuses the figures measured then. A version that does not validate is loaded again in
full, under ``path@commit`` names, so that its first problem has its file and line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

from layermodel.errors import LayermodelError, ModelError
from layermodel.model.io import ParsedFile, loads_files, merge_files, parse_file
from layermodel.timeline.figures import measure
from layermodel.timeline.git import BlobReader, Repository
from layermodel.timeline.result import Commit, Figures, HistoryResult, Version
from layermodel.timeline.versions import ModelVersion, model_versions

__all__ = ["history"]

Progress = Callable[[int, int], None]
"""Called with (versions done, versions in all) after each version."""

_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def history(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    rev: str | None = None,
    every: int | None = None,
    repo: str | os.PathLike[str] | None = None,
    *,
    min_users: int = 2,
    progress: Progress | None = None,
) -> HistoryResult:
    """The history of a model kept in git: one row per commit that changed its files.

    Args:
        paths: the model file, or the files of a split model, as they are named at the
            newest commit of ``rev``; relative to ``repo`` when it is given, else to
            the working directory. Renames are followed back.
        rev: a commit or a range (``v1.0..main``); default ``HEAD``. Only first
            parents are followed.
        every: keep every N-th version (the first, every N-th after it, and always the
            newest).
        repo: a folder inside the git work tree; default the folder of the first path.
        min_users: how many products make a component reused (default 2).
        progress: called with (done, total) after each version is measured.

    Returns:
        The versions, oldest first, each valid with its figures or invalid with its
        first problem.

    Raises:
        LayermodelError: git is missing, the folder is not in a git repository, the
            revision is unknown, or a path is not a committed file.

    >>> import layermodel as lm
    >>> result = lm.history(["model.yaml"], rev="HEAD")  # doctest: +SKIP
    >>> [v.figures.components for v in result.versions if v.valid]  # doctest: +SKIP
    [12, 14, 15]
    """
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not given:
        raise LayermodelError("history needs at least one model file")
    if every is not None and every < 1:
        raise LayermodelError(f"every must be at least 1, got {every}")
    if min_users < 1:
        raise LayermodelError(f"min_users must be at least 1, got {min_users}")
    for path in given:
        if Path(repo if repo is not None else ".", path).is_dir():
            raise LayermodelError(f"{os.fspath(path)!r} is a folder, not a model file")
    if repo is not None:
        base = Path(repo)
        full = [p if Path(p).is_absolute() else base / p for p in given]
        repository = Repository(base)
    else:
        full = [Path(p) for p in given]
        repository = Repository(Path(os.path.abspath(full[0])).parent)
    inside = list(dict.fromkeys(repository.relative(p) for p in full))
    revision = "HEAD" if rev is None else rev
    versions = model_versions(repository, inside, revision)
    total = len(versions)
    if every is not None and every > 1:
        versions = [v for i, v in enumerate(versions) if i % every == 0 or i == total - 1]
    rows = _measure_all(repository, versions, min_users, progress)
    return HistoryResult(
        paths=tuple(inside),
        rev=revision,
        versions=tuple(rows),
        min_users=min_users,
        total_versions=total,
    )


def _measure_all(
    repository: Repository,
    versions: Sequence[ModelVersion],
    min_users: int,
    progress: Progress | None,
) -> list[Version]:
    parsed: dict[tuple[str, str | None], ParsedFile | None] = {}
    measured: dict[tuple[object, ...], Figures] = {}
    rows: list[Version] = []
    with BlobReader(repository) as blobs:
        for done, version in enumerate(versions, 1):
            entry = version.commit
            commit = Commit(entry.sha, entry.date, entry.author, entry.subject)
            files = version.files
            formats = [_FORMATS.get(PurePosixPath(f.path).suffix.lower()) for f in files]
            default_name = PurePosixPath(files[0].path).stem
            key = (default_name, *((f.blob, fmt) for f, fmt in zip(files, formats, strict=True)))
            figures = measured.get(key)
            paths = tuple(f.path for f in files)
            if figures is not None:
                rows.append(Version(commit, paths, figures))
            else:
                rows.append(
                    _measure_one(blobs, version, commit, formats, parsed, measured, key, min_users)
                )
            if progress is not None:
                progress(done, len(versions))
    return rows


def _measure_one(
    blobs: BlobReader,
    version: ModelVersion,
    commit: Commit,
    formats: Sequence[str | None],
    parsed: dict[tuple[str, str | None], ParsedFile | None],
    measured: dict[tuple[object, ...], Figures],
    key: tuple[object, ...],
    min_users: int,
) -> Version:
    files = version.files
    paths = tuple(f.path for f in files)
    default_name = PurePosixPath(files[0].path).stem
    pieces: list[ParsedFile] = []
    for file, fmt in zip(files, formats, strict=True):
        blob_key = (file.blob, fmt)
        if blob_key not in parsed:
            try:
                parsed[blob_key] = parse_file(
                    blobs.read(file.blob), f"{file.path}@{commit.short}", fmt
                )
            except ModelError:
                parsed[blob_key] = None
        piece = parsed[blob_key]
        if piece is not None:
            pieces.append(piece)
    ecosystem = None
    if len(pieces) == len(files):
        try:
            ecosystem = merge_files(pieces, default_name)
        except ModelError:
            ecosystem = None
    if ecosystem is None:
        # Load the version again in full, for its problems at their lines.
        texts = [
            (f"{file.path}@{commit.short}", blobs.read(file.blob), fmt)
            for file, fmt in zip(files, formats, strict=True)
        ]
        try:
            ecosystem = loads_files(texts, default_name=default_name)
        except ModelError as exc:
            first = exc.problems[0] if exc.problems else None
            return Version(commit, paths, None, first, len(exc.problems))
    figures = measure(ecosystem, min_users)
    measured[key] = figures
    return Version(commit, paths, figures)
