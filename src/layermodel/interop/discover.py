"""Discover one model from a folder (or files) of whatever describes the architecture.

:func:`discover` walks the paths it is given, recognises each file's kind from its
name and content — compose files, Kubernetes manifests and kustomizations, Structurizr
workspaces (DSL or JSON), LikeC4 JSON exports, traces (OTLP JSON, Jaeger or Zipkin
dependency links) and Backstage catalogs — imports each kind with its importer, and
merges the findings into one model (:func:`~layermodel.interop.discovery.build_model`):
the same service found in several sources is one component (by id, or through the
aliases of the rules file), with a provenance record for every place that showed it,
and the same object found twice (a release manifest and per-service manifests) counts
once. Files of no known kind are listed in the account, not read further.

Compose files in one folder are one project, merged in the order ``docker compose``
would use: the base file (``compose.yaml``, ``docker-compose.yml``) first, then the
override file, then the others by name. A kustomization decides what is read from its
folder.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from layermodel.errors import InputError, Problem, ReadError
from layermodel.interop.discovery import (
    Discovered,
    DiscoveryResult,
    Link,
    Seen,
    build_model,
    facts,
)
from layermodel.interop.layer_rules import LayerRules
from layermodel.model.collector import paused
from layermodel.model.io import (
    Document,
    Format,
    parse,
    parse_documents,
    read_documents,
    read_source,
    reading_once,
)

__all__ = ["FileKind", "discover", "discover_files", "kind_of"]

FileKind = str
"""One of ``compose``, ``kubernetes``, ``kustomization``, ``structurizr``,
``likec4``, ``traces``, ``backstage``, ``env`` or ``unknown``."""

_SUFFIXES = {".yaml", ".yml", ".json", ".jsonl", ".dsl", ".env"}
_COMPOSE_NAME = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$", re.IGNORECASE)
_BASE_COMPOSE = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
_OVERRIDE_COMPOSE = (
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yaml",
    "docker-compose.override.yml",
)
_KUSTOMIZATION = ("kustomization.yaml", "kustomization.yml", "kustomization")
_SKIPPED_FOLDERS = {".git", "node_modules", ".venv", "__pycache__", ".likec4"}


def _looks_like(data: Any) -> FileKind:
    """The kind of one parsed document."""
    if isinstance(data, list):
        if data and all(isinstance(d, dict) and "parent" in d and "child" in d for d in data):
            return "traces"
        return "unknown"
    if not isinstance(data, dict):
        return "unknown"
    if "resourceSpans" in data:
        return "traces"
    links = data.get("data")
    if (
        isinstance(links, list)
        and links
        and all(isinstance(d, dict) and "parent" in d and "child" in d for d in links)
    ):
        return "traces"
    api, kind = data.get("apiVersion"), data.get("kind")
    if isinstance(api, str) and isinstance(kind, str):
        if "backstage.io/" in api:
            return "backstage"
        if kind == "Kustomization":
            return "kustomization"
        return "kubernetes"
    model = data.get("model")
    if isinstance(model, dict) and ("softwareSystems" in model or "people" in model):
        return "structurizr"
    if "elements" in data and "relations" in data:
        return "likec4"
    if isinstance(data.get("services"), dict):
        return "compose"
    return "unknown"


def kind_of(path: str | os.PathLike[str], text: str | None = None) -> FileKind:
    """The kind of one file, from its name and, when that does not decide, its content
    (read through the one reader; a file that cannot be read or parsed is ``unknown``)."""
    return _sniff(path, text)[0]


def _sniff(
    path: str | os.PathLike[str], text: str | None = None
) -> tuple[FileKind, ReadError | None]:
    """The kind of one file, and why it could not be read when it could not."""
    fs = FsPath(path)
    name = fs.name.lower()
    if name == ".env" or name.endswith(".env") or name.startswith(".env."):
        return "env", None
    if name in _KUSTOMIZATION:
        return "kustomization", None
    if name.endswith(".dsl"):
        return "structurizr", None
    if fs.suffix.lower() not in _SUFFIXES:
        return "unknown", None
    try:
        if text is None and fs.suffix.lower() in (".yaml", ".yml"):
            # through read_documents, so that the importer reading it next (inside
            # reading_once) does not parse it again
            documents = read_documents(fs)
            return _kind_of_documents(fs, documents), None
        if text is None:
            text = read_source(fs).text
        if name.endswith(".jsonl"):
            first = next((line for line in text.splitlines() if line.strip()), "")
            found = _looks_like(parse(first, os.fspath(fs), "json").data) if first else "unknown"
            return found, None
        fmt: Format = "json" if fs.suffix.lower() == ".json" else "yaml"
        if fmt == "json" and "\n{" in text.strip() and text.lstrip().startswith("{"):
            first = text.lstrip().split("\n", 1)[0]
            if first.rstrip().endswith("}"):  # JSON Lines in a .json file
                return _looks_like(parse(first, os.fspath(fs), "json").data), None
        documents = parse_documents(text, os.fspath(fs), fmt)
    except ReadError as exc:  # unreadable, not text, malformed or hostile
        return "unknown", exc
    return _kind_of_documents(fs, documents), None


def _kind_of_documents(fs: FsPath, documents: Sequence[Document]) -> FileKind:
    """The kind of a file from its parsed documents: the most common known kind."""
    kinds = [_looks_like(d.data) for d in documents if d.data is not None]
    known = [k for k in kinds if k != "unknown"]
    if not known:
        return "unknown"
    if _COMPOSE_NAME.match(fs.name) and "compose" in known:
        return "compose"
    return Counter(known).most_common(1)[0][0]


@dataclass
class _Walk:
    by_kind: dict[FileKind, list[FsPath]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)

    def add(self, kind: FileKind, path: FsPath) -> None:
        if kind == "unknown":
            self.unknown.append(os.fspath(path))
        elif path not in self.by_kind.setdefault(kind, []):
            self.by_kind[kind].append(path)


def _walk(paths: Sequence[str | os.PathLike[str]]) -> _Walk:
    walk = _Walk()
    missing: list[Problem] = []
    for path in paths:
        fs = FsPath(path)
        if fs.is_dir():
            for found in sorted(_files_below(fs)):
                kind, error = _sniff(found)
                if error is not None:  # in a folder: reported and left out, not fatal
                    first = error.problems[0]
                    walk.unreadable.append(
                        first.at(message=f"left out, it cannot be read: {first.message}")
                    )
                walk.add(kind, found)
        elif fs.exists():
            kind, error = _sniff(fs)
            if error is not None:
                missing.extend(error.problems)
            elif kind == "unknown":
                missing.append(
                    Problem(
                        "not a kind of file discover reads (compose, Kubernetes, "
                        "Structurizr, LikeC4 JSON, traces, Backstage)",
                        file=os.fspath(fs),
                        line=1,
                    )
                )
            walk.add(kind, fs)
        else:
            missing.append(Problem("no such file or folder", file=os.fspath(fs)))
    if missing:
        raise InputError(missing)
    return walk


def _files_below(folder: FsPath) -> list[FsPath]:
    out: list[FsPath] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_FOLDERS)
        for name in files:
            path = FsPath(root) / name
            wanted = path.suffix.lower() in _SUFFIXES or name in _KUSTOMIZATION
            if (wanted or name == ".env") and path.is_file() and not path.is_symlink():
                out.append(path)
    return out


def _compose_order(path: FsPath) -> tuple[int, str]:
    name = path.name.lower()
    if name in _BASE_COMPOSE:
        return (0, name)
    if name in _OVERRIDE_COMPOSE:
        return (1, name)
    return (2, name)


def _kustomized(walk: _Walk) -> None:
    """Drop the manifests a kustomization's folder holds from the plain list: the
    kustomization decides what is read there."""
    roots = [p.parent for p in walk.by_kind.get("kustomization", [])]
    manifests = walk.by_kind.get("kubernetes", [])
    walk.by_kind["kubernetes"] = [
        p for p in manifests if not any(root == p.parent or root in p.parents for root in roots)
    ]


@paused
def discover_files(
    paths: Sequence[str | os.PathLike[str]],
) -> tuple[list[Discovered], list[str], list[Problem]]:
    """What every importer finds in ``paths``, the files of no known kind, and the
    files in folders that could not be read (each with its first problem)."""
    from layermodel.interop import compose, kubernetes, likec4, structurizr, traces

    walk = _walk(paths)
    _kustomized(walk)
    found: list[Discovered] = []
    compose_files = walk.by_kind.get("compose", [])
    folders = sorted({p.parent for p in compose_files})
    for folder in folders:
        files = sorted((p for p in compose_files if p.parent == folder), key=_compose_order)
        found.append(compose.discover_compose(*files))
    kube = [*walk.by_kind.get("kustomization", []), *walk.by_kind.get("kubernetes", [])]
    if kube:
        found.append(kubernetes.discover_kubernetes(*kube))
    for path in walk.by_kind.get("structurizr", []):
        found.append(structurizr.discover_structurizr(path))
    for path in walk.by_kind.get("likec4", []):
        found.append(likec4.discover_likec4(path))
    if walk.by_kind.get("traces"):
        found.append(traces.discover_traces(*walk.by_kind["traces"]))
    if walk.by_kind.get("backstage"):
        found.append(_backstage(walk.by_kind["backstage"]))
    return found, walk.unknown, walk.unreadable


def _backstage(paths: list[FsPath]) -> Discovered:
    """A Backstage import, as discovery findings: each component keeps the layer the
    import gave it."""
    from layermodel.interop.backstage import import_backstage

    result = import_backstage(*paths)
    found = Discovered("backstage", files=list(result.files))
    found.imported.update(result.imported)
    found.skipped.update(result.skipped)
    found.reported.extend(result.problems)
    names = {c.id: c.name or c.id for c in result.ecosystem.components}
    members: dict[str, list[str]] = {}
    for product in result.ecosystem.products:
        for used in product.uses:
            members.setdefault(used, []).append(product.label)
    first = result.files[0] if result.files else ""
    for c in result.ecosystem.components:
        file, line = result.origins.get(c.id, (first, None))
        found.components.append(
            Seen(
                name=names[c.id],
                key=c.id,
                source="backstage",
                file=file,
                line=line,
                facts=facts("Component", c.id, source="backstage", tags=c.tags),
                description=c.description,
                owner=c.owner,
                tags=c.tags,
                products=tuple(members.get(c.id, ())),
                entry=c.id in members,
                layer=c.layer,
                evidence="Backstage entity",
            )
        )
        for d in c.depends_on:
            found.links.append(
                Link(c.id, d.target, "backstage", file, line, kind=d.kind, required=d.required)
            )
    return found


def discover(
    *paths: str | os.PathLike[str],
    rules: LayerRules | None = None,
    aliases: dict[str, str] | None = None,
    name: str | None = None,
) -> DiscoveryResult:
    """One model from every file of a known kind in ``paths`` (files or folders).

    Raises :class:`~layermodel.errors.InputError`: a path is missing, a named file is
    of no known kind, or a file of a known kind is malformed (each problem with its file
    and line).
    """
    if not paths:
        raise InputError([Problem("discover() needs at least one file or folder")])
    with reading_once():  # each file is parsed once: to know its kind and to import it
        found, unknown, unreadable = discover_files(paths)
    if not found:
        shown = ", ".join(os.fspath(p) for p in paths)
        raise InputError([Problem("no file of a kind discover reads was found", file=shown)])
    first = FsPath(paths[0]).resolve()
    fallback = first.name if first.is_dir() else first.stem
    result = build_model(found, rules=rules, aliases=aliases, name=name, fallback_name=fallback)
    skipped = dict(result.skipped)
    if unknown:
        skipped["files of no known kind"] = len(unknown)
    return DiscoveryResult(
        ecosystem=result.ecosystem,
        imported=result.imported,
        skipped=skipped,
        duplicates=result.duplicates,
        problems=(*unreadable, *result.problems),
        files=result.files,
    )
