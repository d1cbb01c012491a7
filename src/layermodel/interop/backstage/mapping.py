"""Backstage catalog import: catalog-info YAML files into a layermodel ecosystem.

Mapping (see docs/interop.md):

- Component, Resource and API entities become components; a System becomes a
  product when its ``spec.type`` is one of ``product_systems`` (``product`` by
  default, ``ALL`` for every System).
- ``dependsOn`` and ``consumesApis`` become dependencies of the entity that lists
  them. ``providesApis`` makes the API depend on the component providing it (kind
  ``provided-by``): a consumer of the API thus depends, through the API, on its
  provider. ``subcomponentOf`` makes the parent depend on the part (kind
  ``has-part``); ``dependencyOf`` is ``dependsOn`` written on the other end.
- A component's layer is its ``layermodel.io/layer`` annotation, else the first
  matching layer rule, else the default layer.

Nothing is dropped silently: every entity read is imported, skipped (counted by
kind), or reported, and so is every reference that does not resolve.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from layermodel.errors import InputError, Path, Problem, plural, show_value, suggest
from layermodel.interop.backstage.names import (
    DEFAULT_NAMESPACE,
    EntityRef,
    layermodel_id,
    parse_ref,
)
from layermodel.interop.backstage.read import (
    ANNOTATION,
    COMPONENT_KINDS,
    CatalogReader,
    Entity,
    plain,
)
from layermodel.interop.layer_rules import BUILTIN_RULES, LayerRules, read_layer_rules
from layermodel.model.entities import (
    ID_PATTERN,
    Component,
    Dependency,
    Ecosystem,
    Layer,
    Link,
    Product,
)
from layermodel.model.io import parse

__all__ = ["ANNOTATION", "ImportResult", "import_backstage"]

_KIND_RANK = {"component": 0, "resource": 1, "api": 2, "system": 0}
_MAPPED_SPEC = {
    "type",
    "lifecycle",
    "owner",
    "system",
    "domain",
    "dependsOn",
    "dependencyOf",
    "consumesApis",
    "providesApis",
    "subcomponentOf",
}
_LIFECYCLES = {
    "experimental": "experimental",
    "production": "production",
    "deprecated": "deprecated",
    "development": "experimental",
    "dev": "experimental",
    "alpha": "experimental",
    "beta": "experimental",
    "preview": "experimental",
    "incubating": "experimental",
    "prod": "production",
    "live": "production",
    "stable": "production",
    "ga": "production",
    "active": "production",
    "retired": "deprecated",
    "retiring": "deprecated",
    "legacy": "deprecated",
    "sunset": "deprecated",
    "eol": "deprecated",
    "end-of-life": "deprecated",
}
_SOURCING = ("build", "buy", "external-api", "open-source")
_EVOLUTION = ("genesis", "custom", "product", "commodity")


@dataclass(frozen=True)
class ImportResult:
    """What an import produced, and an account of every entity it read.

    Attributes:
        ecosystem: the imported model.
        imported: entities turned into components or products, by kind.
        skipped: entities of kinds that have no place in a model, by kind
            (Location entities are followed, then counted here).
        invalid: documents that are not valid entities (each is in ``problems``).
        duplicates: entities defined a second time (each is in ``problems``).
        problems: everything reported: unresolved references, URL locations,
            invalid entities, bad annotations.
        files: the catalog files read, in order.
        skipped_files: files found in a folder that hold no Backstage entity (other
            YAML files of a repository), left out.
        origins: for each component id, the file and line of the entity it came from.
    """

    ecosystem: Ecosystem
    imported: dict[str, int]
    skipped: dict[str, int]
    invalid: int
    duplicates: int
    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    skipped_files: tuple[str, ...] = ()
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def entities(self) -> int:
        """Every document read: imported + skipped + invalid + duplicates."""
        return (
            sum(self.imported.values())
            + sum(self.skipped.values())
            + self.invalid
            + self.duplicates
        )

    def summary(self) -> str:
        """A short text account of the import, problems included."""

        def counts(data: dict[str, int]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(data.items())) or "none"

        eco = self.ecosystem
        lines = [
            f"Read {plural(self.entities, 'entity', 'entities')} from "
            f"{plural(len(self.files), 'file')}.",
            f"Imported: {counts(self.imported)} -> {plural(len(eco.components), 'component')}, "
            f"{plural(len(eco.products), 'product')}, "
            f"{plural(sum(len(c.depends_on) for c in eco.components), 'dependency')}.",
            f"Skipped by kind: {counts(self.skipped)}.",
        ]
        if self.skipped_files:
            shown = ", ".join(self.skipped_files[:5])
            more = f" and {len(self.skipped_files) - 5} more" if len(self.skipped_files) > 5 else ""
            lines.append(f"Not catalog files (no Backstage entity), left out: {shown}{more}.")
        if not eco.products and self.skipped.get("System"):
            lines.append(
                "No System has spec.type 'product', so there are no products; "
                "with product systems ALL, every System is a product."
            )
        if self.invalid:
            lines.append(f"Invalid documents: {self.invalid}.")
        if self.duplicates:
            lines.append(f"Duplicate entities: {self.duplicates}.")
        if self.problems:
            lines.append(f"Reported ({len(self.problems)}):")
            lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines) + "\n"


# -- ids ------------------------------------------------------------------------------


def _valid_id(value: Any) -> bool:
    import re

    return isinstance(value, str) and re.match(ID_PATTERN, value) is not None


def _assign_ids(entities: list[Entity]) -> None:
    """Give each entity a unique id: its ``layermodel.io/id`` annotation when it has
    one; else its name made valid; else, when that is taken, the name with the kind,
    then with the namespace and kind, then numbered. Components sort first, then
    resources, then APIs, default namespace first, so a component keeps its plain
    name when an API of the same name exists."""
    taken: set[str] = set()
    rest: list[Entity] = []
    for entity in sorted(entities, key=lambda e: e.key):
        wanted = entity.ours("id")
        if _valid_id(wanted) and wanted not in taken:
            entity.id = wanted
            entity.id_from_annotation = True
            taken.add(wanted)
        else:
            rest.append(entity)
    rest.sort(
        key=lambda e: (
            _KIND_RANK.get(e.kind.lower(), 9),
            e.namespace.lower() != DEFAULT_NAMESPACE,
            e.key,
        )
    )
    for entity in rest:
        base = layermodel_id(entity.name)
        kind = entity.kind.lower()
        candidates = [
            base,
            layermodel_id(f"{base}-{kind}"),
            layermodel_id(f"{entity.namespace}-{base}-{kind}"),
        ]
        chosen = next((c for c in candidates if c not in taken), None)
        n = 2
        while chosen is None:
            candidate = layermodel_id(f"{candidates[-1]}-{n}")
            chosen = candidate if candidate not in taken else None
            n += 1
        entity.id = chosen
        taken.add(chosen)


# -- mapping --------------------------------------------------------------------------


class _Mapper:
    def __init__(
        self,
        reader: CatalogReader,
        rules: LayerRules,
        default_layer: str | None,
        product_types: set[str] | None,
    ) -> None:
        self.reader = reader
        self.problems = reader.problems
        self.rules = rules
        self.default_layer = default_layer
        self.product_types = product_types
        self.imported: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.header: Entity | None = None
        self.components: list[Entity] = []
        self.products: list[Entity] = []
        for entity in reader.entities:
            kind = entity.kind.lower()
            if kind in COMPONENT_KINDS:
                self.components.append(entity)
            elif kind == "system" and self._is_product(entity):
                self.products.append(entity)
            elif kind == "domain" and entity.ours("model") is not None and self.header is None:
                self.header = entity
                self.imported["Domain"] += 1
                continue
            else:
                self.skipped[entity.kind] += 1
                continue
            self.imported[entity.kind] += 1
        _assign_ids(self.components)
        _assign_ids(self.products)
        self.component_of = {e.key: e for e in self.components}
        self.product_of = {e.key: e for e in self.products}

    def _is_product(self, system: Entity) -> bool:
        if self.product_types is None:
            return True
        kind = system.spec.get("type")
        return isinstance(kind, str) and kind.lower() in self.product_types

    # references -------------------------------------------------------------------

    def resolve(
        self, entity: Entity, raw: Any, where: Path, default_kind: str | None, what: str
    ) -> Entity | None:
        """The component entity ``raw`` refers to, or None after reporting why not."""
        if not isinstance(raw, str):
            self.problems.append(
                entity.problem(f"{what} reference {show_value(raw)} is not text", where)
            )
            return None
        kinds = [default_kind] if default_kind else ["Component", "Resource", "API"]
        parsed: EntityRef | str = ""
        for kind in kinds:
            parsed = parse_ref(raw, default_kind=kind, default_namespace=entity.namespace)
            if isinstance(parsed, str):
                break
            found = self.reader.by_key.get(parsed.key)
            if found is not None:
                if found.key in self.component_of:
                    return found
                self.problems.append(
                    entity.problem(
                        f"{what} {raw!r} is a {found.kind}, which is not imported as a "
                        "component; dependency left out",
                        where,
                    )
                )
                return None
        if isinstance(parsed, str):
            self.problems.append(entity.problem(f"bad {what} reference: {parsed}", where))
            return None
        near = suggest(raw.lower(), [e.name.lower() for e in self.components])
        hint = f"; did you mean {near!r}?" if near else ""
        self.problems.append(entity.problem(f"unresolved {what} reference {raw!r}{hint}", where))
        return None

    def refs(self, entity: Entity, key: str) -> list[tuple[Any, Path]]:
        raw = entity.spec.get(key)
        if raw is None:
            return []
        if isinstance(raw, list):
            return [(r, ("spec", key, i)) for i, r in enumerate(raw)]
        return [(raw, ("spec", key))]

    def edges(self) -> dict[str, list[tuple[str, str | None]]]:
        """Native dependencies: source id -> [(target id, kind)], in catalog order."""
        out: dict[str, list[tuple[str, str | None]]] = {e.id: [] for e in self.components}

        def add(
            source: Entity, target: Entity, kind: str | None, entity: Entity, where: Path
        ) -> None:
            if all(t != target.id for t, _ in out[source.id]):
                out[source.id].append((target.id, kind))

        for entity in self.components:
            kind = entity.kind.lower()
            if kind == "api":
                continue
            for raw, where in self.refs(entity, "dependsOn"):
                target = self.resolve(entity, raw, where, None, "dependsOn")
                if target is not None:
                    add(entity, target, None, entity, where)
            if kind == "component":
                for raw, where in self.refs(entity, "consumesApis"):
                    target = self.resolve(entity, raw, where, "API", "consumesApis")
                    if target is not None:
                        add(entity, target, "consumes-api", entity, where)
        for entity in self.components:
            if entity.kind.lower() != "component":
                continue
            for raw, where in self.refs(entity, "providesApis"):
                api = self.resolve(entity, raw, where, "API", "providesApis")
                if api is not None:
                    add(api, entity, "provided-by", entity, where)
            for raw, where in self.refs(entity, "subcomponentOf"):
                parent = self.resolve(entity, raw, where, "Component", "subcomponentOf")
                if parent is not None:
                    add(parent, entity, "has-part", entity, where)
        for entity in self.components:
            if entity.kind.lower() == "api":
                continue
            for raw, where in self.refs(entity, "dependencyOf"):
                dependent = self.resolve(entity, raw, where, None, "dependencyOf")
                if dependent is not None:
                    add(dependent, entity, None, entity, where)
        return out

    def system_of(self, entity: Entity) -> Entity | None:
        """The product a component belongs to through ``spec.system``, if any.
        A system that is not imported as a product stays in the properties; one
        that is not in the catalog at all is reported."""
        raw = entity.spec.get("system")
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.problems.append(
                entity.problem(f"system {show_value(raw)} is not text", ("spec", "system"))
            )
            return None
        parsed = parse_ref(raw, default_kind="System", default_namespace=entity.namespace)
        if isinstance(parsed, str):
            self.problems.append(
                entity.problem(f"bad system reference: {parsed}", ("spec", "system"))
            )
            return None
        if parsed.key in self.product_of:
            return self.product_of[parsed.key]
        if parsed.key not in self.reader.by_key:
            self.problems.append(
                entity.problem(f"unresolved system reference {raw!r}", ("spec", "system"))
            )
        return None

    # fields -----------------------------------------------------------------------

    def json_annotation(self, entity: Entity, key: str, expected: type) -> Any:
        raw = entity.ours(key)
        if raw is None:
            return None
        where: Path = ("metadata", "annotations", ANNOTATION + key)
        try:  # the one reader's JSON parser: duplicate keys, depth and bad escapes refused
            value = parse(raw, entity.doc.file, "json").data if isinstance(raw, str) else None
        except InputError as exc:
            value = None
            reason = f"not JSON ({exc.problems[0].message})"
        else:
            reason = f"expected JSON {expected.__name__}"
        if not isinstance(value, expected):
            self.problems.append(
                entity.problem(f"annotation {ANNOTATION + key} ignored: {reason}", where)
            )
            return None
        return value

    def number_annotation(
        self, entity: Entity, key: str, low: float, high: float, low_open: bool
    ) -> float | None:
        raw = entity.ours(key)
        if raw is None:
            return None
        try:
            value = float(raw)
            ok = (value > low if low_open else value >= low) and value <= high
        except (TypeError, ValueError):
            ok = False
        if not ok:
            self.problems.append(
                entity.problem(
                    f"annotation {ANNOTATION + key} ignored: {show_value(raw)} is not a number "
                    f"in {'(' if low_open else '['}{low:g}, {high:g}]",
                    ("metadata", "annotations", ANNOTATION + key),
                )
            )
            return None
        return value

    def choice_annotation(self, entity: Entity, key: str, choices: Sequence[str]) -> str | None:
        raw = entity.ours(key)
        if raw is None:
            return None
        if raw not in choices:
            near = suggest(str(raw), choices)
            self.problems.append(
                entity.problem(
                    f"annotation {ANNOTATION + key} ignored: {show_value(raw)} is not one of "
                    f"{', '.join(choices)}",
                    ("metadata", "annotations", ANNOTATION + key),
                ).at(suggestion=near)
            )
            return None
        return str(raw)

    def tags(self, entity: Entity) -> list[str]:
        native = entity.metadata.get("tags")
        native = [str(t) for t in native if t is not None] if isinstance(native, list) else []
        kept = self.json_annotation(entity, "tags", list)
        tags = [str(t) for t in kept] if kept is not None else []
        return tags + [t for t in native if t not in tags]

    def links(self, entity: Entity) -> list[Link]:
        out: list[Link] = []
        kept = self.json_annotation(entity, "links", list) or []
        native = entity.metadata.get("links")
        for i, raw in enumerate([*kept, *(native if isinstance(native, list) else [])]):
            if isinstance(raw, str):
                raw = {"url": raw}
            if not isinstance(raw, dict) or not isinstance(raw.get("url"), str):
                self.problems.append(
                    entity.problem(
                        f"link {show_value(raw)} has no url; left out", ("metadata", "links")
                    )
                )
                continue
            link = Link(
                url=raw["url"],
                title=raw["title"] if isinstance(raw.get("title"), str) else None,
                type=raw["type"] if isinstance(raw.get("type"), str) else None,
            )
            if i >= len(kept) and link in out:
                continue
            out.append(link)
        return out

    def title(self, entity: Entity) -> str | None:
        kept = entity.ours("title")
        return kept if isinstance(kept, str) else _text(entity.metadata.get("title"))

    def owner(self, entity: Entity) -> str | None:
        kept = entity.ours("owner")
        if isinstance(kept, str):
            return kept
        if "owner" in entity.placeholders:
            return None
        owner = entity.spec.get("owner")
        return str(owner) if isinstance(owner, (str, int, float)) else None

    def backstage_info(
        self, entity: Entity, default_kind: str, extra: dict[str, Any]
    ) -> dict[str, Any]:
        info: dict[str, Any] = {}
        if entity.kind != default_kind:
            info["kind"] = entity.kind
        if entity.namespace != DEFAULT_NAMESPACE:
            info["namespace"] = entity.namespace
        if entity.name != entity.id and not entity.id_from_annotation:
            info["name"] = entity.name
        kind = entity.spec.get("type")
        if kind is not None and "type" not in entity.placeholders:
            info["type"] = plain(kind)
        info.update(extra)
        labels = entity.metadata.get("labels")
        if isinstance(labels, dict) and labels:
            info["labels"] = plain(labels)
        others = {k: v for k, v in entity.annotations.items() if not str(k).startswith(ANNOTATION)}
        if others:
            info["annotations"] = plain(others)
        spec = {k: v for k, v in entity.spec.items() if k not in _MAPPED_SPEC}
        if spec:
            info["spec"] = plain(spec)
        return info

    def properties(self, entity: Entity, info: dict[str, Any]) -> dict[str, Any]:
        kept = self.json_annotation(entity, "properties", dict)
        if kept is not None:
            return dict(kept)
        return {"backstage": info} if info else {}

    def layer(self, entity: Entity, layers: Sequence[str]) -> str | None:
        wanted = entity.ours("layer")
        if wanted is not None:
            if wanted in layers:
                return str(wanted)
            near = suggest(str(wanted), layers)
            self.problems.append(
                entity.problem(
                    f"annotation {ANNOTATION}layer {show_value(wanted)} is not a layer of the "
                    f"model ({', '.join(layers)}); the layer rules decide instead",
                    ("metadata", "annotations", ANNOTATION + "layer"),
                ).at(suggestion=near)
            )
        for rule in self.rules.rules:
            if rule.layer in layers and rule.matches(entity.data):
                return rule.layer
        if self.default_layer is not None:
            return self.default_layer
        if self.rules.default in layers:
            return self.rules.default
        return None

    def lifecycle(self, entity: Entity) -> tuple[str, dict[str, Any]]:
        raw = entity.spec.get("lifecycle")
        if raw is None:
            return "production", {}
        mapped = _LIFECYCLES.get(str(raw).strip().lower(), "production")
        return mapped, ({} if raw == mapped else {"lifecycle": plain(raw)})

    def dependencies(
        self, entity: Entity, native: list[tuple[str, str | None]], ids: set[str]
    ) -> list[Dependency]:
        out: list[Dependency] = []
        kept = self.json_annotation(entity, "dependencies", list) or []
        where: Path = ("metadata", "annotations", ANNOTATION + "dependencies")
        for raw in kept:
            record = {"target": raw} if isinstance(raw, str) else raw
            try:
                dep = Dependency.model_validate(record)
            except Exception:
                self.problems.append(
                    entity.problem(
                        f"dependency {show_value(raw)} in the annotation is not valid", where
                    )
                )
                continue
            if dep.target not in ids:
                self.problems.append(
                    entity.problem(f"unresolved dependency {dep.target!r} in the annotation", where)
                )
                continue
            if any(d.target == dep.target for d in out):
                continue
            out.append(dep)
        for target, kind in native:
            if all(d.target != target for d in out):
                out.append(Dependency(target=target, kind=kind))
        return out

    # building ---------------------------------------------------------------------

    def build(self, name: str | None, fallback_name: str) -> Ecosystem:
        header = self._header()
        layers: tuple[Layer, ...] = header.get("layers") or self.rules.layers
        layer_ids = [layer.id for layer in layers]
        if self.default_layer is not None and self.default_layer not in layer_ids:
            near = suggest(self.default_layer, layer_ids)
            raise InputError(
                [
                    Problem(
                        f"unknown default layer {self.default_layer!r}; expected one of "
                        f"{', '.join(layer_ids)}",
                        suggestion=near,
                    )
                ]
            )
        native = self.edges()
        ids = {e.id for e in self.components}
        members: dict[str, list[str]] = {p.id: [] for p in self.products}
        components: list[Component] = []
        no_layer: list[Problem] = []
        for entity in self.components:
            layer = self.layer(entity, layer_ids)
            if layer is None:
                no_layer.append(
                    entity.problem(
                        "no layer: no layermodel.io/layer annotation, no matching rule and no "
                        "default layer; give a default layer or a rule that matches it"
                    )
                )
                continue
            system = self.system_of(entity)
            extra: dict[str, Any] = {}
            if system is not None:
                members[system.id].append(entity.id)
            elif entity.spec.get("system") is not None:
                extra["system"] = plain(entity.spec["system"])
            lifecycle, original = self.lifecycle(entity)
            extra.update(original)
            meta = entity.metadata
            fields: dict[str, Any] = {
                "sourcing": self.choice_annotation(entity, "sourcing", _SOURCING),
                "evolution": self.choice_annotation(entity, "evolution", _EVOLUTION),
                "availability": self.number_annotation(entity, "availability", 0, 1, True),
                "cost": self.number_annotation(entity, "cost", 0, float("inf"), False),
                "vendor": entity.ours("vendor") if isinstance(entity.ours("vendor"), str) else None,
            }
            components.append(
                Component(
                    id=entity.id,
                    name=self.title(entity),
                    layer=layer,
                    description=_text(meta.get("description")),
                    owner=self.owner(entity),
                    lifecycle=lifecycle,
                    tags=self.tags(entity),
                    links=self.links(entity),
                    properties=self.properties(
                        entity, self.backstage_info(entity, "Component", extra)
                    ),
                    depends_on=self.dependencies(entity, native[entity.id], ids),
                    **{k: v for k, v in fields.items() if v is not None},
                )
            )
        if no_layer:
            raise InputError(no_layer)
        products = [self._product(entity, members[entity.id], ids) for entity in self.products]
        from layermodel.errors import ModelError

        try:
            return Ecosystem(
                name=name or header.get("name") or fallback_name,
                description=header.get("description"),
                layers=layers,
                policy=header.get("policy", "relaxed"),
                components=components,
                products=products,
                properties=header.get("properties", {}),
            )
        except ModelError as exc:  # a bad header: say where it came from
            where = self.header.doc if self.header is not None else None
            raise InputError(
                [p.at(file=where.file, line=where.line) if where else p for p in exc.problems]
            ) from None

    def _product(self, entity: Entity, members: list[str], ids: set[str]) -> Product:
        uses: list[str] = []
        for raw in self.json_annotation(entity, "uses", list) or []:
            if isinstance(raw, str) and raw in ids:
                if raw not in uses:
                    uses.append(raw)
            else:
                self.problems.append(
                    entity.problem(
                        f"unresolved component {show_value(raw)} in the uses annotation",
                        ("metadata", "annotations", ANNOTATION + "uses"),
                    )
                )
        uses.extend(m for m in members if m not in uses)
        extra: dict[str, Any] = {}
        domain = entity.spec.get("domain")
        if domain is not None and not (
            self.header is not None
            and isinstance(domain, str)
            and isinstance(
                ref := parse_ref(domain, default_kind="Domain", default_namespace=entity.namespace),
                EntityRef,
            )
            and ref.key == self.header.key
        ):
            extra["domain"] = plain(domain)
        info = self.backstage_info(entity, "System", extra)
        if str(info.get("type", "")).lower() == "product":
            del info["type"]
        weight = self.number_annotation(entity, "weight", 0, float("inf"), True)
        meta = entity.metadata
        return Product(
            id=entity.id,
            name=self.title(entity),
            description=_text(meta.get("description")),
            owner=self.owner(entity),
            uses=uses,
            tags=self.tags(entity),
            links=self.links(entity),
            properties=self.properties(entity, info),
            **({"weight": weight} if weight is not None else {}),
        )

    def _header(self) -> dict[str, Any]:
        if self.header is None:
            return {}
        raw = self.json_annotation(self.header, "model", dict) or {}
        out: dict[str, Any] = {}
        from pydantic import ValidationError

        try:
            if "layers" in raw:
                out["layers"] = tuple(Layer.model_validate(x) for x in raw["layers"])
        except (ValidationError, TypeError):
            self.problems.append(
                self.header.problem("the layers in the model annotation are not valid; ignored")
            )
        for key in ("name", "description", "policy"):
            if isinstance(raw.get(key), str):
                out[key] = raw[key]
        if isinstance(raw.get("properties"), dict):
            out["properties"] = raw["properties"]
        return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(plain(value))


def import_backstage(
    *paths: str | os.PathLike[str],
    layer_rules: LayerRules | str | os.PathLike[str] | None = None,
    default_layer: str | None = None,
    product_systems: str | Iterable[str] = "product",
    name: str | None = None,
) -> ImportResult:
    """Import Backstage catalog files (or folders of them) into a model.

    Args:
        paths: catalog YAML files, multi-document or not, or folders searched for
            ``*.yaml``/``*.yml``. ``kind: Location`` targets are followed,
            relative to the file that names them; URL targets are reported.
        layer_rules: a rules file or :class:`LayerRules`; by default websites and
            apps go to ``ui``, resources to ``infrastructure``, the rest to
            ``algorithms``.
        default_layer: the layer of entities that no annotation or rule places.
        product_systems: the System ``spec.type`` values that make a product,
            or ``"ALL"`` for every System.
        name: the model's name; by default the name kept by a layermodel export,
            else the first path's name.

    Returns:
        The model and an account of every entity read (:class:`ImportResult`).

    Raises:
        InputError: a path is missing, a file is not YAML, the rules file is bad,
            or an entity has no layer. Each problem names file and line.
    """
    if not paths:
        raise InputError([Problem("import_backstage() needs at least one path")])
    rules = layer_rules if isinstance(layer_rules, LayerRules) else None
    if layer_rules is not None and rules is None:
        assert not isinstance(layer_rules, LayerRules)
        rules = read_layer_rules(layer_rules)
    if isinstance(product_systems, str):
        product_systems = product_systems.split(",")
    wanted = {t.strip().lower() for t in product_systems if t.strip()}
    types = None if "all" in wanted else wanted
    reader = CatalogReader()
    reader.read_paths(paths)
    mapper = _Mapper(reader, rules or BUILTIN_RULES, default_layer, types)
    first = FsPath(paths[0]).resolve()
    fallback = first.stem if first.is_file() else first.name
    eco = mapper.build(name, fallback or "catalog")
    return ImportResult(
        ecosystem=eco,
        imported=dict(mapper.imported),
        skipped=dict(mapper.skipped),
        invalid=reader.invalid,
        duplicates=reader.duplicates,
        problems=tuple(reader.problems),
        files=tuple(reader.files),
        skipped_files=tuple(reader.not_catalogs),
        origins={e.id: (e.doc.file, e.doc.line) for e in mapper.components},
    )
