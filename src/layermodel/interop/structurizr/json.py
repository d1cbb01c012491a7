"""Structurizr workspace JSON, read through the one reader, to a :class:`Workspace`.

The model section is what counts: ``model.people``, ``model.softwareSystems`` with
their ``containers`` and those containers' ``components``, and
``model.customElements``; every element may carry ``relationships`` (``sourceId``,
``destinationId``, ``description``, ``technology``, ``tags``, and
``linkedRelationshipId`` when Structurizr made it from a finer relationship),
``tags`` (one comma-separated text), ``group``, ``location``, ``properties`` and
``technology``. Deployment nodes are counted as skipped; views, styles and
documentation are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from layermodel.errors import InputError, Problem
from layermodel.interop.structurizr.mapping import (
    Element,
    Kind,
    Relationship,
    Workspace,
    split_tags,
)
from layermodel.model.io import Document, Source, parse

__all__ = ["read_workspace_json"]

Path = tuple[str | int, ...]

_LISTS: tuple[tuple[str, Kind], ...] = (
    ("people", "Person"),
    ("softwareSystems", "SoftwareSystem"),
    ("customElements", "CustomElement"),
)
_DEPLOYMENT_CHILDREN = (
    ("children", "deployment node"),
    ("infrastructureNodes", "infrastructure node"),
    ("containerInstances", "container instance"),
    ("softwareSystemInstances", "software system instance"),
)


def _not_a_workspace(doc: Document) -> InputError:
    data = doc.data
    hint = ""
    if isinstance(data, dict):
        if "apiVersion" in data and "kind" in data:
            hint = f" (it looks like a {data.get('kind')!s} document, not a workspace)"
        elif "services" in data:
            hint = " (it looks like a compose file, not a workspace)"
        elif "components" in data or "layers" in data:
            hint = " (it looks like a layermodel model, not a workspace)"
    return InputError(
        [
            doc.problem(
                "not a Structurizr workspace: expected a JSON object with a 'model' "
                f"holding people, softwareSystems or customElements{hint}"
            )
        ]
    )


class _Reader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.workspace = Workspace(files=[doc.file])
        self.by_id: dict[str, Element] = {}
        self.where: dict[str, Path] = {}
        self.keys: set[str] = set()
        self.pending: list[tuple[Element, Path, dict[str, Any]]] = []

    def line(self, path: Path) -> int | None:
        found = self.doc.locate(path)
        return found[0] if found else self.doc.line

    def bad(self, message: str, path: Path) -> None:
        self.problems.append(self.doc.problem(message, path))

    def text(self, item: dict[str, Any], key: str, path: Path) -> str | None:
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.bad(f"{key} must be a text, not {type(value).__name__}", (*path, key))
            return None
        return value

    def items(self, holder: dict[str, Any], key: str, path: Path) -> list[tuple[Path, Any]]:
        value = holder.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(f"{key} must be a list, not {type(value).__name__}", (*path, key))
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append(((*path, key, i), item))
            else:
                self.bad(
                    f"{key}[{i}] must be an object, not {type(item).__name__}", (*path, key, i)
                )
        return out

    def element(
        self, kind: Kind, item: dict[str, Any], path: Path, parent: Element | None
    ) -> Element | None:
        raw_id = item.get("id")
        name = self.text(item, "name", path)
        if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or raw_id == "":
            self.bad("an element needs an 'id' (a text)", (*path, "id") if raw_id else path)
            return None
        if not name:
            self.bad("an element needs a 'name' (a text)", path)
            return None
        element_id = str(raw_id)
        properties = item.get("properties") or {}
        if not isinstance(properties, dict):
            self.bad("properties must be an object", (*path, "properties"))
            properties = {}
        element = Element(
            kind=kind,
            name=name,
            file=self.doc.file,
            line=self.line(path),
            parent=parent,
            description=self.text(item, "description", path),
            technology=self.text(item, "technology", path),
            tags=split_tags(self.text(item, "tags", path)),
            group=self.text(item, "group", path),
            location=self.text(item, "location", path),
            properties={str(k): str(v) for k, v in properties.items()},
        )
        if element_id in self.by_id:
            self.bad(
                f"element id {element_id!r} is used twice (first at line "
                f"{self.line(self.where[element_id])})",
                (*path, "id"),
            )
            return None
        if element.key.lower() in self.keys:
            self.bad(f"there are two {kind} elements named {'.'.join(element.path)!r}", path)
            return None
        self.by_id[element_id] = element
        self.where[element_id] = path
        self.keys.add(element.key.lower())
        self.workspace.elements.append(element)
        if parent is not None:
            parent.children.append(element)
        self.pending.append((element, path, item))
        return element

    def read(self) -> Workspace:
        data = self.doc.data
        if not isinstance(data, dict) or not isinstance(data.get("model"), dict):
            raise _not_a_workspace(self.doc)
        model: dict[str, Any] = data["model"]
        if not any(k in model for k in (*(k for k, _ in _LISTS), "deploymentNodes")):
            raise _not_a_workspace(self.doc)
        name = data.get("name")
        self.workspace.name = name if isinstance(name, str) and name else None
        base: Path = ("model",)
        for key, kind in _LISTS:
            for path, item in self.items(model, key, base):
                element = self.element(kind, item, path, None)
                if element is None or kind != "SoftwareSystem":
                    continue
                for cpath, citem in self.items(item, "containers", path):
                    container = self.element("Container", citem, cpath, element)
                    if container is None:
                        continue
                    for kpath, kitem in self.items(citem, "components", cpath):
                        self.element("Component", kitem, kpath, container)
        for path, item in self.items(model, "deploymentNodes", base):
            self.deployment(item, path, "deployment node")
        for element, path, item in self.pending:
            self.relationships(element, item, path)
        if self.problems:
            raise InputError(self.problems)
        return self.workspace

    def relationships(self, source: Element, item: dict[str, Any], path: Path) -> None:
        for rpath, rel in self.items(item, "relationships", path):
            target_id = rel.get("destinationId")
            if isinstance(target_id, bool) or not isinstance(target_id, (str, int)):
                self.bad("a relationship needs a 'destinationId'", rpath)
                continue
            target = self.by_id.get(str(target_id))
            line = self.line(rpath)
            description = self.text(rel, "description", rpath)
            if target is None:
                self.workspace.reported.append(
                    Problem(
                        f"relationship {source.name!r} -> element id {str(target_id)!r}"
                        f"{': ' + description if description else ''}: no element has "
                        "that id; the relationship is not in the model",
                        file=self.doc.file,
                        line=line,
                    )
                )
                continue
            self.workspace.relationships.append(
                Relationship(
                    source=source,
                    target=target,
                    file=self.doc.file,
                    line=line,
                    description=description,
                    technology=self.text(rel, "technology", rpath),
                    tags=split_tags(self.text(rel, "tags", rpath)),
                    implied=bool(rel.get("linkedRelationshipId")),
                )
            )

    def deployment(self, item: dict[str, Any], path: Path, kind: str) -> None:
        self.workspace.skipped[kind] += 1
        relationships = item.get("relationships")
        if isinstance(relationships, list):
            self.workspace.skipped["deployment relationship"] += len(relationships)
        walk: Callable[[dict[str, Any], Path, str], None] = self.deployment
        for key, child_kind in _DEPLOYMENT_CHILDREN:
            for cpath, child in self.items(item, key, path):
                walk(child, cpath, child_kind)


def read_workspace_json(source: Source) -> Workspace:
    """The model of a workspace JSON file already read as text.

    Raises:
        InputError: the JSON is malformed or hostile, or it is not a workspace, or
            an element lacks its id or name; each problem with file, line, column.
    """
    doc = parse(source.text, source.name, "json", expected="a Structurizr workspace")
    return _Reader(doc).read()
