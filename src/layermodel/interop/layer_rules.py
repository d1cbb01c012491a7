"""Layer rules: which layer an imported entity or discovered component belongs to.

One mechanism for every importer. A rules file is YAML (or JSON)::

    layers: [ui, algorithms, infrastructure, hardware]   # optional, top to bottom
    default: algorithms                                  # optional
    rules:                                               # first match wins
      - {layer: ui, when: {spec.type: [website, frontend]}}
      - {layer: infrastructure, when: {kind: Resource}}
      - {layer: hardware, when: {tag: bare-metal}}
      - {layer: infrastructure, when: {image: "*postgres*"}}
    aliases:                                             # optional, discovery only
      cart: cart-service          # a source's name -> the model id it stands for
    products:                                            # optional, discovery only
      web-shop: [webmvc, webspa]  # a product and the components it uses
      mobile: {name: Mobile app, uses: [mobile-bff]}
    ignore: [loadgenerator, "rack-*"]                    # optional, drift only

``ignore`` names components (model ids or names in a source; shell wildcards) that
``layermodel drift`` reports on neither side: a load generator the model leaves out,
hardware no manifest shows.

A ``when`` key is a dotted path into the entity (``kind``, ``spec.type``,
``metadata.namespace``, ``spec.system``...), or ``tag`` (any of
``metadata.tags``). Short forms: ``type`` is ``spec.type``, ``name`` is
``metadata.name``, ``namespace`` is ``metadata.namespace``. A value is a text or a
list of texts (any may match); shell wildcards (``*-db``) work; case is ignored.
Every key of a rule must match. Discovered components also have ``image``,
``technology``, ``source`` (compose, kubernetes...) and ``entry`` (``yes`` when
users reach them directly); the built-in discovery defaults come after the rules.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from layermodel.errors import InputError, Problem, ReadError, show_value, suggest
from layermodel.model.entities import DEFAULT_LAYERS, ID_PATTERN, Layer
from layermodel.model.io import Document, read_document

__all__ = ["BUILTIN_RULES", "LayerRule", "LayerRules", "ProductRule", "read_layer_rules"]

_MAX_RULES_BYTES = 1 << 24
_KEYS = ["layers", "default", "rules", "aliases", "products", "ignore"]

_ALIASES = {
    "type": "spec.type",
    "name": "metadata.name",
    "namespace": "metadata.namespace",
    "tags": "tag",
    "metadata.tags": "tag",
}


@dataclass(frozen=True)
class LayerRule:
    """Entities matching every ``(key, patterns)`` condition go to ``layer``."""

    layer: str
    conditions: tuple[tuple[str, tuple[str, ...] | re.Pattern[str]], ...]
    """Each ``(key, patterns)``: shell wildcards (any may match, case ignored), or one
    regular expression searched in the lower-cased value (the built-in rules)."""
    where: str = "<built-in>"

    def matches(self, entity: dict[str, Any]) -> bool:
        return all(_matches(entity, key, patterns) for key, patterns in self.conditions)


def _value_at(entity: dict[str, Any], key: str) -> list[str]:
    if key == "tag":
        tags = (entity.get("metadata") or {}).get("tags") or []
        return [str(t) for t in tags] if isinstance(tags, list) else []
    if key == "metadata.namespace":
        meta = entity.get("metadata") or {}
        return [str(meta.get("namespace") or "default")]
    current: Any = entity
    for part in key.split("."):
        if not isinstance(current, dict):
            return []
        current = current.get(part)
    if current is None or isinstance(current, (dict, list)):
        return []
    return [str(current)]


@functools.lru_cache(maxsize=4096)
def _pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for a condition's wildcards (``fnmatchcase`` of each,
    joined), compiled once: the built-in rules have hundreds of patterns."""
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns))


def _matches(entity: dict[str, Any], key: str, patterns: tuple[str, ...] | re.Pattern[str]) -> bool:
    values = _value_at(entity, key)
    if not values:
        return False
    if isinstance(patterns, re.Pattern):
        return any(patterns.search(v.lower()) for v in values)
    pattern = _pattern(patterns)
    return any(pattern.match(v.lower()) for v in values)


@dataclass(frozen=True)
class ProductRule:
    """A product of a discovered model: its id, display name, and the components it
    uses, by their names in the sources (or their model ids)."""

    id: str
    uses: tuple[str, ...]
    name: str | None = None
    where: str = "<built-in>"


@dataclass(frozen=True)
class LayerRules:
    """The layers of an imported model, the rules that place entities in them, and
    the layer for entities no rule places (None: such entities are an error)."""

    layers: tuple[Layer, ...] = DEFAULT_LAYERS
    rules: tuple[LayerRule, ...] = ()
    default: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()
    """(name in a source, model id) pairs: the same service under several names is one
    component (discovery importers)."""
    products: tuple[ProductRule, ...] = ()
    """Products of a discovered model, each with the components it uses; when given,
    they replace the products the sources suggest (discovery importers)."""
    ignore: tuple[str, ...] = ()
    """Component ids or source names (shell wildcards) drift does not report."""

    def layer_for(self, entity: dict[str, Any]) -> str | None:
        """The layer of the first matching rule, else the default."""
        for rule in self.rules:
            if rule.matches(entity):
                return rule.layer
        return self.default


def _rule(layer: str, **when: str | tuple[str, ...]) -> LayerRule:
    return LayerRule(
        layer,
        tuple(
            (_ALIASES.get(k, k).replace("__", "."), (v,) if isinstance(v, str) else v)
            for k, v in when.items()
        ),
    )


BUILTIN_RULES = LayerRules(
    layers=DEFAULT_LAYERS,
    rules=(
        _rule("ui", kind="component", spec__type=("website", "frontend", "web*", "*app", "ui")),
        _rule("infrastructure", kind="resource"),
        _rule("infrastructure", kind="component", spec__type=("infrastructure", "platform")),
    ),
    default="algorithms",
)
"""Used when no rules file is given: websites and apps are ``ui``, resources are
``infrastructure``, everything else (services, libraries, APIs) ``algorithms``."""


def read_layer_rules(path: str | os.PathLike[str]) -> LayerRules:
    """Read a rules file. Raises :class:`InputError` naming the file, line and the
    offending value for every problem found."""
    try:
        doc = read_document(path, what="layer-rules file", limit=_MAX_RULES_BYTES)
    except ReadError as exc:  # unreadable, not text, malformed or hostile YAML
        raise InputError(exc.problems) from None
    data = doc.data
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError([doc.problem(f"expected a mapping, got {show_value(data)}")])
    for key in data:
        if key not in _KEYS:
            near = suggest(str(key), _KEYS)
            problems.append(
                doc.problem(
                    f"unknown key {show_value(key)}; expected {', '.join(_KEYS)}",
                    (str(key),),
                    key=True,
                ).at(suggestion=near)
            )
    layers = _read_layers(doc, data.get("layers"), problems)
    known = [layer.id for layer in layers]

    def check_layer(value: Any, where: tuple[str | int, ...]) -> str | None:
        if not isinstance(value, str) or value not in known:
            near = suggest(value, known) if isinstance(value, str) else None
            problems.append(
                doc.problem(
                    f"unknown layer {show_value(value)}; expected one of {', '.join(known)}",
                    where,
                ).at(suggestion=near)
            )
            return None
        return value

    default = data.get("default")
    if default is not None:
        default = check_layer(default, ("default",))
    rules: list[LayerRule] = []
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        problems.append(doc.problem("rules must be a list of {layer, when} records", ("rules",)))
        raw_rules = []
    for i, raw in enumerate(raw_rules):
        rule = _read_rule(doc, raw, i, check_layer, problems)
        if rule is not None:
            rules.append(rule)
    aliases = _read_aliases(doc, data.get("aliases"), problems)
    products = _read_products(doc, data.get("products"), problems)
    ignore = _read_ignore(doc, data.get("ignore"), problems)
    if problems:
        raise InputError(problems)
    return LayerRules(
        layers=layers,
        rules=tuple(rules),
        default=default,
        aliases=aliases,
        products=products,
        ignore=ignore,
    )


def _read_ignore(doc: Document, raw: Any, problems: list[Problem]) -> tuple[str, ...]:
    """``ignore: [name or wildcard, ...]``."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        problems.append(
            doc.problem(
                f"ignore must be a list of names or wildcards, got {show_value(raw)}", ("ignore",)
            )
        )
        return ()
    out: list[str] = []
    for i, item in enumerate(raw):
        if not isinstance(item, str) or not item.strip():
            problems.append(
                doc.problem(
                    "ignore entries are names or wildcards such as 'rack-*', got "
                    f"{show_value(item)}",
                    ("ignore", i),
                )
            )
            continue
        out.append(item.strip())
    return tuple(out)


def _read_products(doc: Document, raw: Any, problems: list[Problem]) -> tuple[ProductRule, ...]:
    """``products: {id: [component, ...]}`` or ``{id: {name: ..., uses: [...]}}``."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        problems.append(
            doc.problem(
                f"products must be a mapping of product ids to the components they use, "
                f"got {show_value(raw)}",
                ("products",),
            )
        )
        return ()
    out: list[ProductRule] = []
    for pid, value in raw.items():
        where: tuple[str | int, ...] = ("products", str(pid))
        name = None
        uses = value
        if isinstance(value, dict):
            extra = [k for k in value if k not in ("name", "uses")]
            if extra:
                problems.append(
                    doc.problem(
                        f"unknown key {show_value(extra[0])} in product {show_value(pid)}; "
                        "expected name, uses",
                        (*where, str(extra[0])),
                        key=True,
                    )
                )
            name, uses = value.get("name"), value.get("uses")
            if name is not None and not isinstance(name, str):
                problems.append(
                    doc.problem(f"a product name is text, got {show_value(name)}", where)
                )
                name = None
        if not isinstance(pid, str) or not re.match(ID_PATTERN, pid):
            problems.append(
                doc.problem(
                    f"product id {show_value(pid)} is not an id (letters, digits, '.', '_', '-')",
                    where,
                    key=True,
                )
            )
            continue
        if (
            not isinstance(uses, list)
            or not uses
            or not all(isinstance(u, str) and u for u in uses)
        ):
            problems.append(
                doc.problem(
                    f"product {pid!r} needs 'uses': a list of component names, got "
                    f"{show_value(uses)}",
                    where,
                )
            )
            continue
        line = (doc.locate(where) or (doc.line,))[0]
        out.append(ProductRule(pid, tuple(uses), name, where=f"{doc.file}:{line}"))
    return tuple(out)


def _read_aliases(doc: Document, raw: Any, problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """``aliases: {name in a source: model id}``."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        problems.append(
            doc.problem(
                f"aliases must be a mapping of source names to model ids, got {show_value(raw)}",
                ("aliases",),
            )
        )
        return ()
    out: list[tuple[str, str]] = []
    for name, target in raw.items():
        if not isinstance(target, str) or not re.match(ID_PATTERN, target):
            problems.append(
                doc.problem(
                    f"alias {show_value(name)} must map to a model id (letters, digits, '.', "
                    f"'_', '-'), got {show_value(target)}",
                    ("aliases", str(name)),
                )
            )
            continue
        out.append((str(name), target))
    return tuple(out)


def _read_layers(doc: Document, raw: Any, problems: list[Problem]) -> tuple[Layer, ...]:
    if raw is None:
        return DEFAULT_LAYERS
    if not isinstance(raw, list) or not raw:
        problems.append(doc.problem("layers must be a non-empty list", ("layers",)))
        return DEFAULT_LAYERS
    from pydantic import ValidationError

    layers: list[Layer] = []
    for i, item in enumerate(raw):
        try:
            layers.append(Layer(id=item) if isinstance(item, str) else Layer.model_validate(item))
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"] if exc.errors() else str(exc)
            problems.append(doc.problem(f"bad layer {show_value(item)}: {reason}", ("layers", i)))
    ids = [layer.id for layer in layers]
    for i, layer_id in enumerate(ids):
        if layer_id in ids[:i]:
            problems.append(doc.problem(f"layer {layer_id!r} is listed twice", ("layers", i)))
    return tuple(layers) if layers else DEFAULT_LAYERS


def _read_rule(
    doc: Document, raw: Any, i: int, check_layer: Any, problems: list[Problem]
) -> LayerRule | None:
    where: tuple[str | int, ...] = ("rules", i)
    if not isinstance(raw, dict):
        problems.append(
            doc.problem(f"a rule is a {{layer, when}} record, got {show_value(raw)}", where)
        )
        return None
    extra = [k for k in raw if k not in ("layer", "when")]
    if extra:
        problems.append(
            doc.problem(
                f"unknown key {show_value(extra[0])} in a rule; expected layer, when", where
            )
        )
    if "layer" not in raw:
        problems.append(doc.problem("a rule needs a layer", where))
        return None
    layer = check_layer(raw["layer"], (*where, "layer"))
    when = raw.get("when")
    if not isinstance(when, dict) or not when:
        problems.append(
            doc.problem("a rule needs 'when': a mapping such as {kind: Resource}", (*where, "when"))
        )
        return None
    conditions: list[tuple[str, tuple[str, ...]]] = []
    for key, value in when.items():
        values: Sequence[Any] = value if isinstance(value, list) else [value]
        if not values or not all(isinstance(v, (str, int, float)) for v in values):
            problems.append(
                doc.problem(
                    f"condition {key!s} must be a text or a list of texts, got {show_value(value)}",
                    (*where, "when", str(key)),
                )
            )
            continue
        conditions.append((_ALIASES.get(str(key), str(key)), tuple(str(v).lower() for v in values)))
    if layer is None or len(conditions) != len(when):
        return None
    return LayerRule(
        layer, tuple(conditions), where=f"{doc.file}:{(doc.locate(where) or (doc.line,))[0]}"
    )
