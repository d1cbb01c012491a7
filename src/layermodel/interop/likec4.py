"""LikeC4 models: the JSON that ``likec4 export json`` writes, as a discovered model.

A LikeC4 model is a tree of elements of any depth (each known by its fully
qualified name, ``cloud.next.backend``) and the relations between them. The
components are taken at the level of C4 containers, as the Structurizr importer
takes them:

- elements of a person kind (drawn with the ``person`` shape, or a kind named
  ``person``, ``actor``, ``user``, ``customer`` or ``staff``) are not components,
  and neither are their relations;
- a *system* is an element whose kind, or the kind's notation, has the word
  ``system`` in it (``softwareSystem``, ``externalSystem``, ``existingsystem``), or
  of a kind named in ``system_kinds``. A system with children (other than people)
  is a product, and each of its children is a component; a system without
  children is a component;
- an element outside every system that has a system somewhere below it (an
  ``enterprise``, a landscape) is a grouping, walked through; any other element
  outside every system is a component;
- everything below a component folds into it, and relations are lifted with
  their ends: a relation between two elements inside one component is not a
  dependency, and several relations between two components are one dependency
  with a provenance record for each.

Only the relations the model states are read; those LikeC4 derives between
parents (shown in views) are not extra dependencies. A stated relation from or to
a product (a system with children) stands for relations between their components:
when those exist it is counted as implied, else it is reported.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from layermodel.errors import InputError, Problem, show_value
from layermodel.interop.discovery.core import (
    Discovered,
    DiscoveryResult,
    Link,
    Seen,
    build_model,
    facts,
)
from layermodel.interop.layer_rules import LayerRules
from layermodel.model.collector import paused
from layermodel.model.io import Document, read_documents

__all__ = ["PERSON_KINDS", "discover_likec4", "import_likec4"]

PERSON_KINDS = ("person", "actor", "user", "customer", "staff")
"""Element kinds taken for people when their shape does not say so."""

_ENTRY_SHAPES = ("browser", "mobile")
_EXPECTED = (
    "expected the JSON that 'likec4 export json' writes: an object (or a list of them) "
    "with 'elements' and 'relations'"
)


@dataclass
class _Element:
    fqn: str
    data: dict[str, Any]
    kind: str
    path: tuple[str | int, ...]
    children: list[str]


@paused
def discover_likec4(*paths: str | os.PathLike[str], system_kinds: Iterable[str] = ()) -> Discovered:
    """What the LikeC4 JSON exports at ``paths`` hold (see the module docstring).

    Several exports merge: an element with the same fully qualified name is the
    same component; a project exported twice (the command line writes each
    project once per workspace it finds) is read once.

    Raises:
        ReadError: a file cannot be read.
        InputError: a file is not valid JSON, not a LikeC4 export (a Structurizr
            workspace, a compose file), or holds an element or relation of the
            wrong shape.
    """
    found = Discovered(source="likec4")
    wanted = {k.lower() for k in system_kinds}
    projects_seen: set[str] = set()
    for path in paths:
        for doc in read_documents(path, what="LikeC4 JSON export"):
            found.files.append(doc.file)
            for project, where in _projects(doc):
                project_id = str(project.get("projectId") or project.get("id") or "")
                if project_id and project_id in projects_seen:
                    found.skipped["repeated project"] += 1
                    continue
                projects_seen.add(project_id)
                if found.name is None and project_id:
                    found.name = project_id
                _read_project(doc, project, where, wanted, found)
    return found


def import_likec4(
    *paths: str | os.PathLike[str],
    rules: LayerRules | None = None,
    aliases: dict[str, str] | None = None,
    name: str | None = None,
    system_kinds: Iterable[str] = (),
) -> DiscoveryResult:
    """A model from LikeC4 JSON exports: :func:`discover_likec4`, then
    :func:`~layermodel.interop.discovery.build_model` with ``rules``, ``aliases``
    and ``name``."""
    return build_model(
        discover_likec4(*paths, system_kinds=system_kinds),
        rules=rules,
        aliases=aliases,
        name=name,
        fallback_name="likec4",
    )


# -- reading ----------------------------------------------------------------------


def _is_project(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("elements"), dict)
        and isinstance(data.get("relations"), dict)
    )


def _projects(doc: Document) -> list[tuple[dict[str, Any], tuple[str | int, ...]]]:
    data = doc.data
    if _is_project(data):
        return [(data, ())]
    if isinstance(data, list) and data and all(_is_project(p) for p in data):
        return [(p, (i,)) for i, p in enumerate(data)]
    raise InputError([doc.problem(f"not a LikeC4 model: {_what_it_is(data)}; {_EXPECTED}")])


def _what_it_is(data: Any) -> str:
    if isinstance(data, dict):
        if isinstance(data.get("model"), dict) and ("views" in data or "name" in data):
            return "it looks like a Structurizr workspace"
        if isinstance(data.get("services"), dict):
            return "it looks like a compose file"
        if "apiVersion" in data and "kind" in data:
            return f"it looks like a {show_value(data.get('kind'))} manifest"
        if "resourceSpans" in data:
            return "it looks like OTLP traces"
        keys = ", ".join(show_value(k) for k in list(data)[:5])
        return f"an object with keys {keys}" if keys else "an empty object"
    if isinstance(data, list):
        if not data:
            return "an empty list"
        bad = next(p for p in data if not _is_project(p))
        return f"a list holding {show_value(bad)}"
    return f"got {show_value(data)}"


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("txt", "md"):
            if isinstance(value.get(key), str):
                return str(value[key]).strip() or None
    return None


def _line(doc: Document, path: tuple[str | int, ...]) -> int | None:
    found = doc.locate(path, key=True)
    return found[0] if found else doc.line


def _read_project(
    doc: Document,
    project: dict[str, Any],
    where: tuple[str | int, ...],
    system_kinds: set[str],
    found: Discovered,
) -> None:
    problems: list[Problem] = []
    spec = project.get("specification")
    kinds: dict[str, Any] = {}
    if isinstance(spec, dict) and isinstance(spec.get("elements"), dict):
        kinds = spec["elements"]
    elements: dict[str, _Element] = {}
    for fqn, data in project["elements"].items():
        path = (*where, "elements", fqn)
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
            problems.append(doc.problem(f"element {fqn!r}: expected an object with a 'kind'", path))
            continue
        elements[fqn] = _Element(fqn, data, data["kind"], path, [])
    for fqn in elements:
        parent = _parent(fqn, elements)
        if parent is not None:
            elements[parent].children.append(fqn)
    relations: list[tuple[str, str, dict[str, Any], tuple[str | int, ...]]] = []
    for rid, data in project["relations"].items():
        path = (*where, "relations", rid)
        ends = [_end(data, side) for side in ("source", "target")]
        if ends[0] is None or ends[1] is None:
            problems.append(
                doc.problem(
                    f"relation {rid!r}: expected 'source' and 'target' objects naming "
                    "elements ({'model': 'a.b'})",
                    path,
                )
            )
            continue
        relations.append((ends[0], ends[1], data, path))
    if problems:
        raise InputError(problems)

    def style(element: _Element) -> dict[str, Any]:
        kind = kinds.get(element.kind)
        merged: dict[str, Any] = {}
        if isinstance(kind, dict) and isinstance(kind.get("style"), dict):
            merged.update(kind["style"])
        if isinstance(element.data.get("style"), dict):
            merged.update(element.data["style"])
        return merged

    def is_person(element: _Element) -> bool:
        return style(element).get("shape") == "person" or element.kind.lower() in PERSON_KINDS

    def is_system(element: _Element) -> bool:
        if system_kinds:
            return element.kind.lower() in system_kinds
        kind = kinds.get(element.kind)
        notation = kind.get("notation") if isinstance(kind, dict) else None
        return "system" in element.kind.lower() or (
            isinstance(notation, str) and "system" in notation.lower()
        )

    # Which elements have a system below them (deepest first, so one pass).
    below: set[str] = set()
    for fqn in sorted(elements, key=lambda f: f.count("."), reverse=True):
        element = elements[fqn]
        if any(c in below or is_system(elements[c]) for c in element.children):
            below.add(fqn)

    owner: dict[str, str] = {}  # element -> its component, or itself (product, grouping)
    role: dict[str, str] = {}  # component, product, grouping, person, inside
    product_of: dict[str, str] = {}  # component -> product system
    stack = [f for f in reversed(list(elements)) if _parent(f, elements) is None]
    parent_role: dict[str, tuple[str, str | None]] = {f: ("top", None) for f in stack}
    while stack:
        fqn = stack.pop()
        element = elements[fqn]
        context, above = parent_role[fqn]
        people_free = [c for c in element.children if not is_person(elements[c])]
        if is_person(element) or context == "person":
            kind = "person"
            owner[fqn] = fqn
        elif context in ("component", "inside"):
            kind = "inside"
            assert above is not None
            owner[fqn] = owner[above]
        elif context == "product":
            kind = "component"
            owner[fqn] = fqn
            assert above is not None
            product_of[fqn] = above
        elif is_system(element):
            kind = "product" if people_free else "component"
            owner[fqn] = fqn
        elif fqn in below:
            kind = "grouping"
            owner[fqn] = fqn
        else:
            kind = "component"
            owner[fqn] = fqn
        role[fqn] = kind
        for child in reversed(element.children):
            parent_role[child] = (kind, fqn)
            stack.append(child)

    components = [f for f, r in role.items() if r == "component"]
    names = _short_names(components)
    for fqn in components:
        element = elements[fqn]
        data = element.data
        shape = style(element).get("shape")
        entry = shape in _ENTRY_SHAPES
        tags = tuple(str(t) for t in data.get("tags") or () if isinstance(t, str))
        technology = data.get("technology") if isinstance(data.get("technology"), str) else None
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else None
        name = names[fqn]
        product = product_of.get(fqn)
        found.components.append(
            Seen(
                name=name,
                key=fqn,
                source="likec4",
                file=doc.file,
                line=_line(doc, element.path),
                title=_text(data.get("title")),
                description=_text(data.get("description")),
                technology=technology,
                tags=tags,
                entry=entry,
                products=(_last(product),) if product else (),
                evidence=f"element {fqn} ({element.kind})",
                facts=facts(
                    element.kind,
                    name,
                    source="likec4",
                    technology=technology,
                    tags=tags,
                    entry=entry,
                    labels=metadata,
                    spec={**data, "fqn": fqn, "style": style(element)},
                ),
            )
        )
    counts = Counter(role.values())
    found.imported["element"] += counts["component"]
    found.imported["system with children (a product)"] += counts["product"]
    for kind, label in (
        ("person", "person"),
        ("inside", "element inside a component"),
        ("grouping", "grouping element"),
    ):
        if counts[kind]:
            found.skipped[label] += counts[kind]

    # Relations, lifted to the components that hold their ends.
    wide: list[tuple[str, str, str, str, dict[str, Any], tuple[str | int, ...]]] = []
    covered: set[tuple[str, str]] = set()
    for source, target, data, path in relations:
        missing = [end for end in (source, target) if end not in elements]
        if missing:
            found.reported.append(
                doc.problem(
                    f"relation {source} -> {target}: no element {missing[0]!r} in the model; "
                    "the dependency is not in the model",
                    path,
                    key=True,
                )
            )
            continue
        a, b = owner[source], owner[target]
        if role[a] == "person" or role[b] == "person":
            found.skipped["relation with a person"] += 1
            continue
        if a == b:
            found.skipped["relation inside a component"] += 1
            continue
        if role[a] != "component" or role[b] != "component":
            wide.append((source, target, a, b, data, path))
            continue
        for x in _ancestors(a, elements):
            for y in _ancestors(b, elements):
                covered.add((x, y))
        found.imported["relation"] += 1
        found.links.append(
            Link(
                source=a,
                target=b,
                origin="likec4",
                file=doc.file,
                line=_line(doc, path),
                evidence=_evidence(source, target, data),
                kind=data.get("kind") if isinstance(data.get("kind"), str) else None,
            )
        )
    for source, target, a, b, data, path in wide:
        if (a, b) in covered:
            found.skipped["relation implied by relations between components"] += 1
            continue
        which = " and ".join(
            f"{end} is a {role[end]}" for end in dict.fromkeys((a, b)) if role[end] != "component"
        )
        found.reported.append(
            doc.problem(
                f"{_evidence(source, target, data)}: {which}, not a component, and no "
                "relation between components stands for it; it is not a dependency",
                path,
                key=True,
            )
        )
    deployments = project.get("deployments")
    if isinstance(deployments, dict):
        for part, label in (
            ("elements", "deployment element"),
            ("relations", "deployment relation"),
        ):
            if isinstance(deployments.get(part), dict) and deployments[part]:
                found.skipped[label] += len(deployments[part])
    if isinstance(project.get("views"), dict) and project["views"]:
        found.skipped["view"] += len(project["views"])


def _end(data: Any, side: str) -> str | None:
    if not isinstance(data, dict):
        return None
    end = data.get(side)
    if isinstance(end, dict) and isinstance(end.get("model"), str):
        return str(end["model"])
    return None


def _parent(fqn: str, elements: dict[str, _Element]) -> str | None:
    while "." in fqn:
        fqn = fqn.rsplit(".", 1)[0]
        if fqn in elements:
            return fqn
    return None


def _ancestors(fqn: str, elements: dict[str, _Element]) -> list[str]:
    out: list[str] = [fqn]
    current: str | None = fqn
    while current is not None:
        current = _parent(current, elements)
        if current is not None:
            out.append(current)
    return out


def _last(fqn: str) -> str:
    return fqn.rsplit(".", 1)[-1]


def _short_names(fqns: list[str]) -> dict[str, str]:
    """Each element's own name (the last part of its qualified name), or as many
    parts as make it unique among ``fqns`` (``legacy.backend``, ``next.backend``)."""
    parts = {f: f.split(".") for f in fqns}
    size = dict.fromkeys(fqns, 1)
    pending = list(fqns)
    while pending:
        groups: dict[str, list[str]] = {}
        for f in pending:
            groups.setdefault(".".join(parts[f][-size[f] :]), []).append(f)
        pending = []
        for group in groups.values():
            if len(group) > 1:
                for f in group:
                    if size[f] < len(parts[f]):
                        size[f] += 1
                        pending.append(f)
    return {f: ".".join(parts[f][-size[f] :]) for f in fqns}


def _evidence(source: str, target: str, data: dict[str, Any]) -> str:
    text = f"relation {source} -> {target}"
    title = _text(data.get("title"))
    if title:
        text += f" {title!r}"
    if isinstance(data.get("technology"), str):
        text += f" [{data['technology']}]"
    return text
