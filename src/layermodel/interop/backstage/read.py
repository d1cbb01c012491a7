"""Reading a Backstage catalog: files, folders and followed Locations, into entities.

Every file is read by the one reader (``layermodel.model.io``), so a catalog gets the
same refusals as a model file: unreadable files, bytes that are not text, malformed
or hostile YAML (alias bombs, duplicate keys, unknown tags, nesting too deep), each
with its file and line. A document that is not a Backstage entity (not a mapping,
or without ``apiVersion``, ``kind`` and ``metadata.name``) is a problem too. A file
named on the command line, or followed from a Location, that holds no Backstage
entity at all is refused: it is another kind of file (a Kubernetes manifest, a
compose file). Files found by walking a folder are only read when they look like
catalog files, so the other YAML files of a repository do not stop an import.
"""

from __future__ import annotations

import datetime
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from layermodel.errors import InputError, Path, Problem, ReadError, show_value
from layermodel.interop.backstage.names import DEFAULT_NAMESPACE
from layermodel.model.io import Document, read_documents

__all__ = [
    "ANNOTATION",
    "COMPONENT_KINDS",
    "MAX_CATALOG_BYTES",
    "CatalogReader",
    "Entity",
    "plain",
]

ANNOTATION = "layermodel.io/"
"""Prefix of the annotations layermodel reads and writes."""

COMPONENT_KINDS = {"component": "Component", "resource": "Resource", "api": "API"}
"""The kinds that become components, by lower-case kind."""

MAX_CATALOG_BYTES = 1 << 28
"""Larger catalog files are refused rather than read into memory."""

_KNOWN_KINDS = {
    **COMPONENT_KINDS,
    "system": "System",
    "domain": "Domain",
    "location": "Location",
    "group": "Group",
    "user": "User",
    "template": "Template",
}


@dataclass
class Entity:
    """One catalog entity, with the document it was read from."""

    kind: str  # canonical spelling for known kinds, as written otherwise
    namespace: str
    name: str
    data: dict[str, Any]
    doc: Document
    id: str = ""
    id_from_annotation: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind.lower(), self.namespace.lower(), self.name.lower())

    @property
    def ref(self) -> str:
        return f"{self.kind.lower()}:{self.namespace}/{self.name}"

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.data.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.data.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def annotations(self) -> dict[str, Any]:
        found = self.metadata.get("annotations")
        return found if isinstance(found, dict) else {}

    def ours(self, key: str) -> Any:
        return self.annotations.get(ANNOTATION + key)

    @property
    def placeholders(self) -> set[str]:
        raw = self.ours("placeholders")
        return {p.strip() for p in raw.split(",")} if isinstance(raw, str) else set()

    def problem(self, message: str, path: Path = ()) -> Problem:
        return self.doc.problem(f"{self.ref}: {message}", path)


def _is_url(target: str) -> bool:
    head, sep, _ = target.partition(":")
    return bool(sep) and len(head) > 1 and head.replace("+", "").replace("-", "").isalnum()


def _catalog_files(folder: FsPath) -> list[FsPath]:
    found = [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in (".yaml", ".yml")
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(found)


def _is_entity_like(data: Any) -> bool:
    """True when a document says it is a Backstage entity: a mapping whose
    ``apiVersion`` is Backstage's (``backstage.io/...``) or whose ``kind`` is one
    of Backstage's kinds."""
    if not isinstance(data, dict):
        return False
    api, kind = data.get("apiVersion"), data.get("kind")
    return (isinstance(api, str) and "backstage.io/" in api) or (
        isinstance(kind, str) and kind.lower() in _KNOWN_KINDS
    )


def _what_it_is(documents: list[Document]) -> str:
    """A short description of the first document of a file that is not a catalog."""
    data = next((d.data for d in documents if d.data is not None), None)
    if isinstance(data, dict):
        api, kind = data.get("apiVersion"), data.get("kind")
        if isinstance(kind, str) and isinstance(api, str):
            return f"its first document is apiVersion {api!r}, kind {kind!r}"
        if "services" in data:
            return "it looks like a compose file (a 'services' key)"
        keys = ", ".join(repr(str(k)) for k in list(data)[:4])
        return f"its first document is a mapping with keys {keys}" if keys else "it is empty"
    return f"its first document is {show_value(data)}"


class CatalogReader:
    """Reads catalog files into entities, following Locations.

    Unreadable or invalid input is raised as :class:`~layermodel.errors.InputError`
    once every file has been read, with every problem; what an import reports but
    survives (URL locations, duplicate entities) is kept in ``problems``.
    """

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.by_key: dict[tuple[str, str, str], Entity] = {}
        self.problems: list[Problem] = []
        self.errors: list[Problem] = []
        self.files: list[str] = []
        self.not_catalogs: list[str] = []
        self.seen: set[FsPath] = set()
        self.invalid = 0
        self.duplicates = 0

    def read_paths(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        """Read files and folders (searched for ``*.yaml``/``*.yml``), then raise
        every error found, if any."""
        missing: list[Problem] = []
        queue: list[tuple[FsPath, bool]] = []
        for path in paths:
            fs = FsPath(path)
            if fs.is_dir():
                found = _catalog_files(fs)
                if not found:
                    missing.append(
                        Problem("a folder with no .yaml or .yml file in it", file=os.fspath(path))
                    )
                queue.extend((file, False) for file in found)
            elif fs.exists() or fs.is_symlink():
                queue.append((fs, True))
            else:
                missing.append(Problem("no such file or folder", file=os.fspath(path)))
        if missing:
            raise InputError(missing)
        for fs, named in queue:
            self.read_file(fs, named)
        if not self.errors and not self.files:
            shown = ", ".join(os.fspath(p) for p in paths)
            self.errors.append(Problem("no Backstage catalog file found here", file=shown))
        if self.errors:
            raise InputError(self.errors)

    def read_file(self, fs: FsPath, named: bool = True) -> None:
        """Read one catalog file. ``named``: the user or a Location named it, so a
        file that holds no entity is an error rather than skipped."""
        resolved = fs.resolve()
        if resolved in self.seen:
            return
        self.seen.add(resolved)
        name = os.fspath(fs)
        try:
            documents = read_documents(fs, what="catalog file", limit=MAX_CATALOG_BYTES)
        except ReadError as exc:  # unreadable, not text, malformed or hostile YAML
            self.errors.extend(exc.problems)
            return
        present = [d for d in documents if d.data is not None]
        if not present:
            if named:
                self.errors.append(
                    Problem(
                        "the file has no content (only comments?); expected Backstage entities",
                        file=name,
                        line=1,
                    )
                )
            else:
                self.not_catalogs.append(name)
            return
        if not any(_is_entity_like(d.data) for d in present):
            if named:
                self.errors.append(
                    Problem(
                        "not a Backstage catalog file: no document is a Backstage entity "
                        "(apiVersion backstage.io/..., or a Backstage kind); "
                        + _what_it_is(present),
                        file=name,
                        line=present[0].line,
                    )
                )
            else:
                self.not_catalogs.append(name)
            return
        self.files.append(name)
        for doc in present:
            self.read_document(doc, fs)

    def read_document(self, doc: Document, fs: FsPath) -> None:
        """Take one document as an entity; an invalid one is an error."""
        data = doc.data
        if not isinstance(data, dict):
            self.invalid += 1
            self.errors.append(
                doc.problem(f"not a Backstage entity (a mapping): {show_value(data)}")
            )
            return
        kind, meta = data.get("kind"), data.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        namespace = meta.get("namespace", DEFAULT_NAMESPACE) if isinstance(meta, dict) else None
        missing = [
            label
            for label, value in (
                ("apiVersion", data.get("apiVersion")),
                ("kind", kind),
                ("metadata.name", name),
            )
            if not isinstance(value, str) or not value.strip()
        ]
        if missing or not isinstance(namespace, str) or not namespace:
            self.invalid += 1
            what = ", ".join(missing) if missing else "metadata.namespace"
            self.errors.append(
                doc.problem(f"not a valid Backstage entity: {what} is missing, empty or not text")
            )
            return
        assert isinstance(kind, str) and isinstance(name, str)
        entity = Entity(_KNOWN_KINDS.get(kind.lower(), kind), namespace, name, data, doc)
        first = self.by_key.get(entity.key)
        if first is not None:
            self.duplicates += 1
            self.problems.append(
                entity.problem(
                    f"defined again (first at {first.doc.file}:{first.doc.line}); "
                    "this definition is ignored"
                )
            )
            return
        self.by_key[entity.key] = entity
        self.entities.append(entity)
        if entity.kind == "Location":
            self.follow(entity, fs)

    def follow(self, location: Entity, fs: FsPath) -> None:
        spec = location.spec
        targets: list[tuple[Any, Path]] = []
        if "target" in spec:
            targets.append((spec["target"], ("spec", "target")))
        raw = spec.get("targets", [])
        if isinstance(raw, list):
            targets.extend((t, ("spec", "targets", i)) for i, t in enumerate(raw))
        else:
            targets.append((raw, ("spec", "targets")))
        for target, where in targets:
            if not isinstance(target, str) or not target.strip():
                self.problems.append(
                    location.problem(f"location target {show_value(target)} is not a path", where)
                )
                continue
            if _is_url(target) and not target.lower().startswith("file:"):
                self.problems.append(
                    location.problem(f"URL target {target!r} not followed (no network)", where)
                )
                continue
            relative = target[5:] if target.lower().startswith("file:") else target
            base = fs.parent
            if any(c in relative for c in "*?["):
                matches = sorted(p for p in base.glob(relative) if p.is_file())
                if not matches:
                    self.problems.append(
                        location.problem(f"target {target!r} matches no file", where)
                    )
                for match in matches:
                    self.read_file(match)
                continue
            path = base / relative
            if not path.is_file():
                self.problems.append(
                    location.problem(f"target {target!r} not found ({path})", where)
                )
                continue
            self.read_file(path)


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
