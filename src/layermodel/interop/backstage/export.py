"""Backstage catalog export: a model as multi-document catalog-info YAML.

Every entity is valid under Backstage's naming rules. The portfolio is a
``Domain``; each product a ``System`` with ``spec.type: product``; each component
a ``Component`` (or the Resource or API it was imported as). The layer is the
``layermodel.io/layer`` annotation. Whatever Backstage has no field for (layers,
sourcing, availability, cost, dependency details, properties) is kept in
``layermodel.io/*`` annotations, so importing the export gives the same model back.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from typing import Any

from layermodel.interop.backstage.names import (
    DEFAULT_NAMESPACE,
    EntityRef,
    backstage_name,
    is_valid_name,
    is_valid_namespace,
    is_valid_tag,
    is_valid_url,
    parse_ref,
)
from layermodel.interop.backstage.read import ANNOTATION
from layermodel.model.entities import Component, Ecosystem, Link, Product

__all__ = ["API_VERSION", "backstage_entities", "export_backstage"]

API_VERSION = "backstage.io/v1alpha1"
PLACEHOLDER_OWNER = "unknown"
_KIND = re.compile(r"^[a-zA-Z][a-z0-9A-Z]{0,62}\Z")
_KINDS = ("Component", "Resource", "API")


def _number(value: float) -> str:
    """A number as the user most likely wrote it: 10 rather than 10.0."""
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _backstage_props(properties: dict[str, Any]) -> dict[str, Any]:
    found = properties.get("backstage")
    return found if isinstance(found, dict) else {}


def _good_ref(value: str) -> bool:
    ref = parse_ref(value, default_kind="Group")
    return (
        isinstance(ref, EntityRef)
        and _KIND.match(ref.kind) is not None
        and is_valid_namespace(ref.namespace)
        and is_valid_name(ref.name)
    )


def _annotation_key_ok(key: str) -> bool:
    prefix, sep, name = key.rpartition("/")
    if sep and not all(is_valid_namespace(label) for label in prefix.split(".")):
        return False
    return is_valid_name(name)


class _Names:
    """Unique Backstage names per kind and namespace, compared case-insensitively."""

    def __init__(self) -> None:
        self.taken: dict[tuple[str, str], set[str]] = {}

    def claim(self, kind: str, namespace: str, wanted: Sequence[str]) -> str:
        taken = self.taken.setdefault((kind.lower(), namespace), set())
        for candidate in wanted:
            if is_valid_name(candidate) and candidate.lower() not in taken:
                taken.add(candidate.lower())
                return candidate
        n = 0
        while True:
            candidate = backstage_name(f"{wanted[-1]}\x00{n}")
            if candidate.lower() not in taken:
                taken.add(candidate.lower())
                return candidate
            n += 1


class _Exporter:
    def __init__(self, eco: Ecosystem) -> None:
        self.eco = eco
        self.names = _Names()
        self.domain = self.names.claim("Domain", DEFAULT_NAMESPACE, [backstage_name(eco.name)])
        self.kind: dict[str, str] = {}
        self.namespace: dict[str, str] = {}
        self.name: dict[str, str] = {}
        for c in eco.components:
            bs = _backstage_props(c.properties)
            kind = str(bs["kind"]) if bs.get("kind") in _KINDS else "Component"
            namespace = bs.get("namespace")
            if not isinstance(namespace, str) or not is_valid_namespace(namespace):
                namespace = DEFAULT_NAMESPACE
            assert isinstance(namespace, str)
            original = bs.get("name")
            wanted = [original] if isinstance(original, str) else []
            self.kind[c.id] = kind
            self.namespace[c.id] = namespace
            self.name[c.id] = self.names.claim(kind, namespace, [*wanted, backstage_name(c.id)])
        self.system_name = {
            p.id: self.names.claim("System", DEFAULT_NAMESPACE, [backstage_name(p.id)])
            for p in eco.products
        }
        self.system_of: dict[str, str] = {}
        for p in eco.products:
            for used in p.uses:
                self.system_of.setdefault(used, p.id)
        self.specs: dict[str, dict[str, Any]] = {c.id: {} for c in eco.components}

    def ref(self, component_id: str, *, kind: bool = True) -> str:
        namespace = self.namespace[component_id]
        text = self.name[component_id]
        if namespace != DEFAULT_NAMESPACE:
            text = f"{namespace}/{text}"
        return f"{self.kind[component_id].lower()}:{text}" if kind else text

    def metadata(
        self,
        name: str,
        record: Component | Product,
        annotations: dict[str, str],
        placeholders: list[str],
        namespace: str = DEFAULT_NAMESPACE,
    ) -> dict[str, Any]:
        meta: dict[str, Any] = {"name": name}
        if namespace != DEFAULT_NAMESPACE:
            meta["namespace"] = namespace
        if record.name is not None:
            if record.name.strip():
                meta["title"] = record.name
            else:
                annotations[ANNOTATION + "title"] = record.name
        if record.description is not None:
            meta["description"] = record.description
        valid_tags = [t for t in dict.fromkeys(record.tags) if is_valid_tag(t)]
        if valid_tags:
            meta["tags"] = valid_tags
        if len(valid_tags) != len(record.tags):
            annotations[ANNOTATION + "tags"] = _json(list(record.tags))
        links = [link for link in dict.fromkeys(record.links) if _link_ok(link)]
        if links:
            meta["links"] = [link.model_dump(exclude_none=True) for link in links]
        if len(links) != len(record.links):
            annotations[ANNOTATION + "links"] = _json(
                [link.model_dump(exclude_none=True) for link in record.links]
            )
        if name != record.id:
            annotations[ANNOTATION + "id"] = record.id
        if record.properties:
            annotations[ANNOTATION + "properties"] = _json(record.properties)
        if record.owner is not None and not _good_ref(record.owner):
            annotations[ANNOTATION + "owner"] = record.owner
        if record.owner is None or not _good_ref(record.owner):
            placeholders.append("owner")
        if placeholders:
            annotations[ANNOTATION + "placeholders"] = ",".join(placeholders)
        meta["annotations"] = annotations
        bs = _backstage_props(record.properties)
        for key in ("labels", "annotations"):
            extra = bs.get(key)
            if isinstance(extra, dict):
                kept = {
                    k: v
                    for k, v in extra.items()
                    if isinstance(v, str)
                    and _annotation_key_ok(k)
                    and not k.startswith(ANNOTATION)
                    and (key == "annotations" or v == "" or is_valid_name(v))
                }
                if kept:
                    meta.setdefault(key, {}).update(kept)
        return meta

    def owner(self, record: Component | Product) -> str:
        return (
            record.owner
            if record.owner is not None and _good_ref(record.owner)
            else (PLACEHOLDER_OWNER)
        )

    def component(self, c: Component) -> dict[str, Any]:
        kind = self.kind[c.id]
        bs = _backstage_props(c.properties)
        annotations: dict[str, str] = {ANNOTATION + "layer": c.layer}
        placeholders: list[str] = []
        if c.sourcing != "build":
            annotations[ANNOTATION + "sourcing"] = c.sourcing
        for key in ("evolution", "vendor"):
            value = getattr(c, key)
            if value is not None:
                annotations[ANNOTATION + key] = value
        if c.availability is not None:
            annotations[ANNOTATION + "availability"] = _number(c.availability)
        if c.cost is not None:
            annotations[ANNOTATION + "cost"] = _number(c.cost)
        spec: dict[str, Any] = {}
        extra = bs.get("spec")
        if isinstance(extra, dict):
            spec.update({k: v for k, v in extra.items() if isinstance(k, str)})
        kind_type = bs.get("type")
        if isinstance(kind_type, str) and kind_type.strip():
            spec["type"] = kind_type
        else:
            spec["type"] = "service" if kind == "Component" else "other"
            placeholders.append("type")
        spec["lifecycle"] = c.lifecycle
        spec["owner"] = self.owner(c)
        if kind == "API" and not (isinstance(spec.get("definition"), str) and spec["definition"]):
            spec["definition"] = "unknown"
        if c.id in self.system_of:
            spec["system"] = self.system_name[self.system_of[c.id]]
        needs_detail = any(not d.is_plain for d in c.depends_on) or (
            kind == "API" and bool(c.depends_on)
        )
        for dep in c.depends_on:
            target_kind = self.kind[dep.target]
            if kind == "API":
                if dep.kind == "provided-by" and target_kind == "Component":
                    other = self.specs[dep.target].setdefault("providesApis", [])
                    other.append(self.ref(c.id))
                continue
            if kind == "Component" and dep.kind == "consumes-api" and target_kind == "API":
                spec.setdefault("consumesApis", []).append(self.ref(dep.target))
            elif (
                kind == "Component"
                and dep.kind == "has-part"
                and target_kind == "Component"
                and "subcomponentOf" not in self.specs[dep.target]
            ):
                self.specs[dep.target]["subcomponentOf"] = self.ref(c.id)
            else:
                spec.setdefault("dependsOn", []).append(self.ref(dep.target))
        if needs_detail:
            annotations[ANNOTATION + "dependencies"] = _json(
                [d.model_dump(exclude_defaults=True) for d in c.depends_on]
            )
        self.specs[c.id].update(spec)
        return {
            "apiVersion": API_VERSION,
            "kind": kind,
            "metadata": self.metadata(
                self.name[c.id], c, annotations, placeholders, self.namespace[c.id]
            ),
            "spec": self.specs[c.id],
        }

    def product(self, p: Product) -> dict[str, Any]:
        annotations: dict[str, str] = {}
        if p.weight != 1.0:
            annotations[ANNOTATION + "weight"] = _number(p.weight)
        if p.uses:
            annotations[ANNOTATION + "uses"] = _json(list(p.uses))
        spec = {"type": "product", "owner": self.owner(p), "domain": self.domain}
        return {
            "apiVersion": API_VERSION,
            "kind": "System",
            "metadata": self.metadata(self.system_name[p.id], p, annotations, []),
            "spec": spec,
        }

    def header(self) -> dict[str, Any]:
        eco = self.eco
        model: dict[str, Any] = {
            "name": eco.name,
            "layers": [layer.model_dump(exclude_defaults=True) for layer in eco.layers],
            "policy": eco.policy,
        }
        if eco.description is not None:
            model["description"] = eco.description
        if eco.properties:
            model["properties"] = eco.properties
        meta: dict[str, Any] = {"name": self.domain}
        if eco.name.strip():
            meta["title"] = eco.name
        if eco.description is not None:
            meta["description"] = eco.description
        meta["annotations"] = {
            ANNOTATION + "model": _json(model),
            ANNOTATION + "placeholders": "owner",
        }
        return {
            "apiVersion": API_VERSION,
            "kind": "Domain",
            "metadata": meta,
            "spec": {"owner": PLACEHOLDER_OWNER},
        }

    def entities(self) -> list[dict[str, Any]]:
        components = [self.component(c) for c in self.eco.components]
        return [self.header(), *(self.product(p) for p in self.eco.products), *components]


def _link_ok(link: Link) -> bool:
    return (
        is_valid_url(link.url)
        and (link.title is None or bool(link.title.strip()))
        and (link.type is None or bool(link.type.strip()))
    )


def backstage_entities(ecosystem: Ecosystem) -> list[dict[str, Any]]:
    """The model as Backstage entities (plain data): a Domain for the portfolio,
    then a System per product, then a Component, Resource or API per component."""
    return _Exporter(ecosystem).entities()


def export_backstage(ecosystem: Ecosystem) -> str:
    """The model as a multi-document Backstage catalog file (YAML text).

    >>> import layermodel as lm
    >>> text = export_backstage(lm.example())
    >>> text.count("kind: Component")
    20
    """
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    out = io.StringIO()
    yaml.dump_all(
        backstage_entities(ecosystem),
        out,
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        explicit_start=True,
        width=100,
    )
    return out.getvalue()
