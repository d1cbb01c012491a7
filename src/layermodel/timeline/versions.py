"""Which versions a model had: walk the commits of a range newest first and follow each
model file back through modifications, renames, additions and deletions, so that every
commit that changed any of the files yields the set of (path, blob) that made the model
just after it.

``git log --follow`` follows one path only, and restricting ``git log`` to the paths
hides renames (the old name is out of view), so the walk reads every commit's changes
and tracks the files itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from layermodel.errors import LayermodelError
from layermodel.timeline.git import LogEntry, Repository

__all__ = ["FileVersion", "ModelVersion", "model_versions"]

_FILE_MODES = ("100644", "100755")


@dataclass(frozen=True)
class FileVersion:
    """One model file as it was in one commit."""

    path: str
    """Its path in the repository then."""
    blob: str
    """The git blob id of its contents."""


@dataclass(frozen=True)
class ModelVersion:
    """The model files just after a commit that changed one of them."""

    commit: LogEntry
    files: tuple[FileVersion, ...]
    """In the order the files were given (a file that did not exist yet is left out)."""


def model_versions(repository: Repository, paths: Sequence[str], rev: str) -> list[ModelVersion]:
    """Every version of the model made of ``paths`` (paths in the repository as they are
    at the newest commit of ``rev``), oldest first.

    Complexity: one ``git log`` over the range, then O(changes in the range x files).

    Raises:
        LayermodelError: ``rev`` is unknown, or a path is not a file in git at its
            newest commit.
    """
    tip = repository.tip(rev)
    present = repository.blobs_at(tip, paths)
    for path in paths:
        if path not in present:
            raise LayermodelError(
                f"{path!r} is not a file in git at {rev!r} (commit {tip[:12]}); "
                "history reads committed model files: add and commit it first"
            )
        mode = present[path][0]
        if mode not in _FILE_MODES:
            raise LayermodelError(f"{path!r} is not a regular file in git (mode {mode})")
    slots: list[tuple[str, str | None]] = [(p, present[p][1]) for p in paths]
    found: list[ModelVersion] = []
    for entry in repository.log(rev):
        after = _files(slots)
        by_path = {change.path: change for change in entry.changes}
        touched = False
        for i, (path, blob) in enumerate(slots):
            change = by_path.get(path)
            if change is None:
                continue
            if blob is not None and change.status != "D":
                touched = True
                if change.status == "R" and change.source is not None:
                    slots[i] = (change.source, change.old_blob)
                elif change.status in ("A", "C"):
                    slots[i] = (path, None)
                else:  # M or T: the contents before the commit
                    slots[i] = (path, change.old_blob)
            elif blob is None and change.status == "D":
                touched = True  # deleted by this commit: it existed before it
                slots[i] = (path, change.old_blob)
        if touched and after:
            found.append(ModelVersion(entry, after))
    found.reverse()
    return found


def _files(slots: Sequence[tuple[str, str | None]]) -> tuple[FileVersion, ...]:
    seen: set[str] = set()
    out: list[FileVersion] = []
    for path, blob in slots:
        if blob is not None and path not in seen:
            seen.add(path)
            out.append(FileVersion(path, blob))
    return tuple(out)
