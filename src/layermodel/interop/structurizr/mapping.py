"""A Structurizr model, as both readers see it, and its mapping to discovered components.

The workspace JSON reader and the DSL parser both produce a :class:`Workspace`: the
elements (people, software systems, containers, components, custom elements) with
their parents, and the relationships between them. :func:`discover` maps it onto
the discovery core's records, the same way for both, so that a DSL workspace and the
JSON of the same model give the same components and dependencies:

- at ``level="container"`` the components are the containers and the software
  systems (and custom elements) that have no containers; a Structurizr component
  folds into its container, and its relationships are lifted with it;
- at ``level="component"`` the components are the Structurizr components, the
  containers that have none, and the software systems that have no containers; a
  container that has components is not one itself (its components stand for it);
- people are not components; a relationship with a person is not a dependency, but a
  container or component that a person uses directly is an entry point;
- a relationship that another, finer one implies (``system -> system`` when a
  container of the first already relates to the second) is not an extra dependency;
  one that no finer relationship explains, between elements coarser than the level,
  is reported;
- lifted relationships are deduplicated (one dependency, one provenance record per
  relationship that showed it) and never loop back to their own component.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from layermodel.errors import Problem
from layermodel.interop.discovery.core import Discovered, Link, Seen, facts

__all__ = [
    "LEVELS",
    "Element",
    "Kind",
    "Level",
    "Relationship",
    "Workspace",
    "canonical_name",
    "discover",
    "is_entry_point",
    "is_external",
]

Kind = Literal["Person", "SoftwareSystem", "Container", "Component", "CustomElement"]
Level = Literal["container", "component"]
LEVELS: tuple[str, ...] = ("container", "component")

_DEFAULT_TAGS = {
    "element",
    "person",
    "software system",
    "container",
    "component",
    "relationship",
}
_KIND_WORDS = {
    "Person": "person",
    "SoftwareSystem": "software system",
    "Container": "container",
    "Component": "component",
    "CustomElement": "element",
}

# What users reach directly: web and mobile apps, by tag or technology.
_ENTRY_TAGS = re.compile(
    r"\b(web ?browser|browser|mobile ?app|mobile device\w*|mobile|"
    r"single[- ]page ?app(lication)?|spa|web ?app|frontend|front-end|ui)\b",
    re.IGNORECASE,
)
_ENTRY_TECHNOLOGY = re.compile(
    r"\b(angular(js)?|react|vue(\.js)?|svelte|ember|xamarin|ios|android|flutter|"
    r"swift ?ui|web ?browser|single[- ]page|mobile|html5?)\b",
    re.IGNORECASE,
)


@dataclass
class Element:
    """One Structurizr element, as written in the workspace."""

    kind: Kind
    name: str
    file: str
    line: int | None = None
    parent: Element | None = None
    description: str | None = None
    technology: str | None = None
    tags: list[str] = field(default_factory=list)
    group: str | None = None
    location: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    children: list[Element] = field(default_factory=list, repr=False)

    @property
    def key(self) -> str:
        """Structurizr's canonical name (``Container://System.Container``)."""
        return canonical_name(self.kind, self.path)

    @property
    def path(self) -> tuple[str, ...]:
        names: list[str] = []
        element: Element | None = self
        while element is not None:
            names.append(element.name)
            element = element.parent
        return tuple(reversed(names))

    def ancestors(self) -> list[Element]:
        """The element itself, then its parent, and so on up."""
        out: list[Element] = []
        element: Element | None = self
        while element is not None:
            out.append(element)
            element = element.parent
        return out


@dataclass
class Relationship:
    """A relationship as written: ``source`` uses ``target``."""

    source: Element
    target: Element
    file: str
    line: int | None = None
    description: str | None = None
    technology: str | None = None
    tags: list[str] = field(default_factory=list)
    implied: bool = False
    """Made by Structurizr from a finer relationship (``linkedRelationshipId``)."""


@dataclass
class Workspace:
    """A Structurizr model: its elements in order, relationships, and the account of
    what the reader skipped or reported."""

    name: str | None = None
    elements: list[Element] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    reported: list[Problem] = field(default_factory=list)


def canonical_name(kind: str, path: tuple[str, ...]) -> str:
    """Structurizr's canonical name of an element: ``SoftwareSystem://A``,
    ``Container://A.B``, ``Component://A.B.C``."""
    return f"{kind}://" + ".".join(path)


def split_tags(value: str | list[str] | None) -> list[str]:
    """Tags written as ``"a,b"`` or as several values, trimmed, each once."""
    if value is None:
        return []
    parts = [value] if isinstance(value, str) else value
    out: list[str] = []
    for part in parts:
        for tag in part.split(","):
            tag = tag.strip()
            if tag and tag not in out:
                out.append(tag)
    return out


def is_external(element: Element) -> bool:
    """An element outside the organisation: ``location: External`` or tag
    ``External`` (on it or on its software system)."""
    for item in element.ancestors():
        if (item.location or "").lower() == "external":
            return True
        if any(t.lower() == "external" for t in item.tags):
            return True
    return False


def is_entry_point(element: Element) -> bool:
    """A web or mobile app, by its tags or technology."""
    if any(_ENTRY_TAGS.search(t) for t in element.tags if t.lower() not in _DEFAULT_TAGS):
        return True
    return bool(element.technology and _ENTRY_TECHNOLOGY.search(element.technology))


def _level_of(element: Element, level: Level) -> tuple[Element | None, str]:
    """The element that stands for ``element`` at ``level`` (None for people and for
    elements coarser than the level), and how it was mapped."""
    if element.kind == "Person":
        return None, "person"
    if element.kind == "SoftwareSystem":
        has_containers = any(c.kind == "Container" for c in element.children)
        return (None, "coarse") if has_containers else (element, "self")
    if element.kind == "Container":
        if level == "component" and any(c.kind == "Component" for c in element.children):
            return None, "coarse"
        return element, "self"
    if element.kind == "Component":
        if level == "container":
            return element.parent, "folded"
        return element, "self"
    return element, "self"


def discover(workspace: Workspace, *, level: Level = "container") -> Discovered:
    """The components and dependencies of a Structurizr model at ``level``."""
    found = Discovered(source="structurizr", name=workspace.name)
    found.files = list(workspace.files)
    found.skipped.update(workspace.skipped)
    found.reported.extend(workspace.reported)
    standing: dict[int, tuple[Element | None, str]] = {
        id(e): _level_of(e, level) for e in workspace.elements
    }
    components = [e for e in workspace.elements if standing[id(e)] == (e, "self")]
    names = _unique_names(components)
    used_by_people = _used_by_people(workspace, standing)
    products = _products(workspace, components, used_by_people)
    for element in workspace.elements:
        how = standing[id(element)][1]
        if how == "self":
            found.imported[_KIND_WORDS[element.kind]] += 1
        elif how == "person":
            found.skipped["person"] += 1
        elif how == "folded":
            found.skipped["component folded into its container"] += 1
        elif element.kind == "SoftwareSystem":
            found.skipped["software system with containers"] += 1
        else:
            found.skipped["container with components"] += 1
    for element in components:
        entry = is_entry_point(element) or id(element) in used_by_people
        tags = [t for t in element.tags if t.lower() not in _DEFAULT_TAGS]
        spec: dict[str, object] = {
            "location": element.location or ("External" if is_external(element) else ""),
            "group": element.group or "",
            "parent": element.parent.name if element.parent else "",
            "properties": dict(element.properties),
        }
        found.components.append(
            Seen(
                name=names[id(element)],
                key=element.key,
                source="structurizr",
                file=element.file,
                line=element.line,
                description=element.description,
                technology=element.technology,
                tags=tuple(tags),
                entry=entry,
                products=products.get(id(element), ()),
                evidence=f"{_KIND_WORDS[element.kind]} {element.name!r}",
                facts=facts(
                    element.kind,
                    element.name,
                    source="structurizr",
                    technology=element.technology,
                    tags=tags,
                    entry=entry,
                    spec=spec,
                ),
            )
        )
    _links(workspace, standing, found)
    return found


def _unique_names(components: list[Element]) -> dict[int, str]:
    """Each component's name, qualified with its parent's where two share one
    (two software systems may each have a container called ``Database``)."""
    count = Counter(e.name.lower() for e in components)
    out: dict[int, str] = {}
    for element in components:
        name = element.name
        if count[name.lower()] > 1 and element.parent is not None:
            name = f"{name} ({element.parent.name})"
        out[id(element)] = name
    return out


def _used_by_people(
    workspace: Workspace, standing: dict[int, tuple[Element | None, str]]
) -> set[int]:
    """Containers and components that a person uses directly (their entry points)."""
    out: set[int] = set()
    for rel in workspace.relationships:
        if rel.source.kind != "Person" or rel.implied:
            continue
        if standing[id(rel.target)][1] == "self" and rel.target.kind in ("Container", "Component"):
            out.add(id(rel.target))
    return out


def _products(
    workspace: Workspace, components: list[Element], used_by_people: set[int]
) -> dict[int, tuple[str, ...]]:
    """The product each component belongs to: its software system, when that system
    is internal and has containers, or when it has none but people use it."""
    people_use = {
        id(rel.target)
        for rel in workspace.relationships
        if rel.source.kind == "Person" and not rel.implied
    }
    out: dict[int, tuple[str, ...]] = {}
    for element in components:
        system = next((a for a in element.ancestors() if a.kind == "SoftwareSystem"), None)
        if system is None or is_external(system):
            continue
        if system is element and id(system) not in people_use:
            continue
        out[id(element)] = (system.name,)
    return out


def _evidence(rel: Relationship) -> str:
    text = f"{rel.source.name} -> {rel.target.name}"
    if rel.description:
        text += f": {rel.description}"
    if rel.technology:
        text += f" [{rel.technology}]"
    return text


def _links(
    workspace: Workspace, standing: dict[int, tuple[Element | None, str]], found: Discovered
) -> None:
    # Pairs (source or an ancestor, target or an ancestor) that a relationship
    # between strictly finer elements shows: these imply the coarse relationship.
    finer: set[tuple[int, int]] = set()
    for rel in workspace.relationships:
        if rel.implied:
            continue
        for a in rel.source.ancestors():
            for b in rel.target.ancestors():
                if a is not rel.source or b is not rel.target:
                    finer.add((id(a), id(b)))
    for rel in workspace.relationships:
        if rel.implied:
            found.skipped["implied relationship"] += 1
            continue
        if rel.source.kind == "Person" or rel.target.kind == "Person":
            found.skipped["relationship with a person"] += 1
            continue
        source, _ = standing[id(rel.source)]
        target, _ = standing[id(rel.target)]
        if source is None or target is None:
            if (id(rel.source), id(rel.target)) in finer:
                found.skipped["implied relationship"] += 1
                continue
            coarse = rel.source if source is None else rel.target
            inside = "components" if coarse.kind == "Container" else "containers"
            found.reported.append(
                Problem(
                    f"{_evidence(rel)}: {coarse.name!r} has {inside}, and no relationship "
                    f"of one of them shows which one it is; the dependency is not in the model",
                    file=rel.file,
                    line=rel.line,
                )
            )
            continue
        if source is target:
            found.skipped["relationship within one component"] += 1
            continue
        found.imported["relationship"] += 1
        found.links.append(
            Link(
                source=source.key,
                target=target.key,
                origin="structurizr",
                file=rel.file,
                line=rel.line,
                evidence=_evidence(rel),
            )
        )
