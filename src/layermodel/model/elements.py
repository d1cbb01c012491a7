"""The elements of a model: layers, components, their dependencies, products, links.

Every class here is an immutable pydantic model that validates its own fields. The
:class:`~layermodel.model.entities.Ecosystem` that holds them checks the references
between them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictStr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "DEFAULT_LAYERS",
    "ID_PATTERN",
    "RULE_TYPES",
    "CheckRule",
    "Component",
    "Dependency",
    "Evolution",
    "Layer",
    "Lifecycle",
    "Link",
    "Policy",
    "Product",
    "Provenance",
    "RuleType",
    "Selector",
    "SourceKind",
    "Sourcing",
]

ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$"
"""Ids are slugs: letters, digits, ``.``, ``_`` and ``-``, starting and ending with a
letter or digit, at most 128 characters."""

Id = Annotated[StrictStr, Field(pattern=ID_PATTERN)]
Lifecycle = Literal["experimental", "production", "deprecated"]
Sourcing = Literal["build", "buy", "external-api", "open-source"]
Evolution = Literal["genesis", "custom", "product", "commodity"]
Policy = Literal["relaxed", "strict"]


def _plain_number(value: float) -> float | int:
    """Write 90000.0 back as 90000, as the user most likely wrote it."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


_AsWritten = PlainSerializer(_plain_number, return_type=float | int)
Availability = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False, strict=True)]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True), _AsWritten]
Weight = Annotated[float, Field(gt=0, allow_inf_nan=False, strict=True), _AsWritten]
Text = StrictStr
GroupPath = Annotated[
    StrictStr,
    Field(pattern=r"^[^/\s](?:[^/]*[^/\s])?(?:/[^/\s](?:[^/]*[^/\s])?)*$", max_length=200),
]
"""A group path: a domain, capability or team, nested with ``/`` (``Payments/Risk``)."""


_MAX_DEPTH = 64


def _not_plain(value: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Every place in ``value`` that is not plain JSON data, with what is wrong there.

    Plain data is text, finite numbers, booleans, null, lists and mappings with text
    keys, nested at most 64 deep: what survives a JSON round trip unchanged.
    """
    found: list[tuple[tuple[str | int, ...], str]] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if item is None or isinstance(item, (str, bool, int)):
            continue
        if len(path) > _MAX_DEPTH:
            found.append((path, f"nested more than {_MAX_DEPTH} levels deep"))
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                found.append((path, f"numbers must be finite, got {item!r}"))
        elif isinstance(item, list):
            stack.extend((sub, (*path, i)) for i, sub in enumerate(item))
        elif isinstance(item, dict):
            for key, sub in item.items():
                if isinstance(key, str):
                    stack.append((sub, (*path, key)))
                else:
                    found.append((path, f"keys must be text, got {key!r}; put the key in quotes"))
        elif type(item).__name__ == "YamlSet":
            found.append((path, f"sets are not plain data, got {item!r}; use a list"))
        else:
            found.append(
                (
                    path,
                    "values must be plain data (text, number, boolean, null, list or mapping), "
                    f"got {type(item).__name__} {item!r:.40}; quote it in YAML to keep it as text",
                )
            )
    return sorted(found, key=lambda pair: [str(p) for p in pair[0]])


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class _WithProperties(_Frozen):
    @field_validator("properties", check_fields=False)
    @classmethod
    def _plain_properties(cls, value: dict[str, Any]) -> dict[str, Any]:
        bad = _not_plain(value)
        if bad:
            raise PydanticCustomError(
                "plain_data",
                "{count} value(s) are not plain data",
                {"count": len(bad), "places": [(list(path), message) for path, message in bad]},
            )
        return value


def _link_from_text(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [{"url": v} if isinstance(v, str) else v for v in value]
    return value


class Link(_Frozen):
    """A link to documentation, a dashboard or a repository."""

    url: Text = Field(description="Where the link points.")
    title: Text | None = Field(default=None, description="Text to show for the link.")
    type: Text | None = Field(default=None, description="What kind of link, e.g. 'runbook'.")


Links = Annotated[tuple[Link, ...], BeforeValidator(_link_from_text)]


class Layer(_Frozen):
    """An ordered band of the architecture, such as UI or Hardware.

    Layers are listed top (closest to the user) to bottom. A ``closed`` layer may not
    be skipped: nothing above it may reach below it except through it. The
    components of an ``independent`` layer may not depend on each other.
    """

    id: Id = Field(description="Layer id, a slug such as 'ui'.")
    name: Text | None = Field(default=None, description="Display name; defaults to the id.")
    description: Text | None = Field(default=None, description="What belongs in this layer.")
    closed: StrictBool = Field(
        default=False, description="Nothing above may reach below this layer except through it."
    )
    independent: StrictBool = Field(
        default=False, description="Components in this layer may not depend on each other."
    )

    @property
    def label(self) -> str:
        """The name to display: ``name``, or the id when no name is given."""
        return self.name if self.name is not None else self.id


DEFAULT_LAYERS: tuple[Layer, ...] = (
    Layer(id="ui", name="UI"),
    Layer(id="algorithms", name="Algorithms"),
    Layer(id="infrastructure", name="Infrastructure"),
    Layer(id="hardware", name="Hardware"),
)
"""The default stack, top to bottom: UI, Algorithms, Infrastructure, Hardware."""


SourceKind = Literal[
    "backstage", "compose", "kubernetes", "structurizr", "likec4", "traces", "manual"
]


class Provenance(_Frozen):
    """Where a component or a dependency was found: a discovery importer records one
    for every place that showed it, so the same dependency seen in three sources has
    three records."""

    source: SourceKind = Field(
        description="What kind of source showed it: backstage, compose, kubernetes, "
        "structurizr, likec4, traces or manual."
    )
    file: Text | None = Field(default=None, description="The file it was found in.")
    line: Annotated[int, Field(ge=1, strict=True)] | None = Field(
        default=None, description="The line of that file, from 1."
    )
    evidence: Text | None = Field(
        default=None, description="What showed it, e.g. 'env CART_ADDR=cart:7070'."
    )
    count: Annotated[int, Field(ge=0, strict=True)] | None = Field(
        default=None, description="How many times it was seen, e.g. calls in traces."
    )

    def __str__(self) -> str:
        """``compose docker-compose.yml:12 (env CART_ADDR=cart:7070; seen 3 times)``."""
        text: str = self.source
        if self.file:
            text += f" {self.file}" + (f":{self.line}" if self.line is not None else "")
        notes = [self.evidence] if self.evidence else []
        if self.count is not None:
            notes.append(f"seen {self.count:,} time{'s' if self.count != 1 else ''}")
        return text + (f" ({'; '.join(notes)})" if notes else "")


class Dependency(_Frozen):
    """An edge from a consumer component to the provider it depends on.

    In files it is written as a bare id (``ranking``) or as a record. A dependency
    that is not ``required`` is soft: its failure does not propagate.
    """

    target: Id = Field(description="Id of the component depended on.")
    kind: Text | None = Field(
        default=None, description="Free-form kind, e.g. 'runs-on', 'calls', 'stores-in'."
    )
    required: StrictBool = Field(
        default=True, description="False for a soft dependency whose failure does not propagate."
    )
    description: Text | None = Field(default=None, description="What the dependency is for.")
    provenance: tuple[Provenance, ...] = Field(
        default=(), description="Where the dependency was found, one record per place."
    )

    @property
    def is_plain(self) -> bool:
        """True when only the target is set, so the edge can be written as a bare id."""
        return (
            self.kind is None and self.required and self.description is None and not self.provenance
        )


_PLAIN_DEPENDENCIES: dict[str, Dependency] = {}


def _plain_dependency(target: str) -> Dependency:
    """The shared, immutable plain dependency on ``target``."""
    found = _PLAIN_DEPENDENCIES.get(target)
    if found is None:
        if len(_PLAIN_DEPENDENCIES) > 1_000_000:
            _PLAIN_DEPENDENCIES.clear()
        found = _new(Dependency)
        _set(
            found,
            "__dict__",
            {
                "target": target,
                "kind": None,
                "required": True,
                "description": None,
                "provenance": (),
            },
        )
        _set(found, "__pydantic_fields_set__", {"target"})
        _set(found, "__pydantic_extra__", None)
        _set(found, "__pydantic_private__", None)
        _PLAIN_DEPENDENCIES[target] = found
    return found


# model_construct costs microseconds per call; a plain dependency is built for every
# distinct target of a large model, so it is assembled directly, as model_construct does.
_new = object.__new__
_set = object.__setattr__


class Component(_WithProperties):
    """A reusable building block in one layer, such as a ranking service or a database."""

    id: Id = Field(description="Component id, a slug unique in the ecosystem.")
    name: Text | None = Field(default=None, description="Display name; defaults to the id.")
    layer: Id = Field(description="Id of the layer the component belongs to.")
    description: Text | None = Field(default=None, description="What the component does.")
    owner: Text | None = Field(default=None, description="Owning team.")
    group: GroupPath | None = Field(
        default=None,
        description="Domain, capability or team the component belongs to; nest with '/'.",
    )
    lifecycle: Lifecycle = Field(default="production", description="Lifecycle stage.")
    sourcing: Sourcing = Field(
        default="build", description="Build it, buy it, call an external API, or use open source."
    )
    vendor: Text | None = Field(default=None, description="Vendor, for bought or external parts.")
    evolution: Evolution | None = Field(
        default=None, description="Wardley evolution stage: genesis, custom, product, commodity."
    )
    availability: Availability | None = Field(
        default=None, description="Availability SLO, in (0, 1], e.g. 0.999."
    )
    cost: Money | None = Field(
        default=None, description="Running cost per month, in the model's one currency; >= 0."
    )
    tags: tuple[Text, ...] = Field(default=(), description="Free-form tags.")
    links: Links = Field(default=(), description="Links: URLs or {url, title, type} records.")
    properties: dict[str, Any] = Field(
        default_factory=dict, description="Free-form data, kept as written."
    )
    provenance: tuple[Provenance, ...] = Field(
        default=(), description="Where the component was found, one record per place."
    )
    if TYPE_CHECKING:
        depends_on: tuple[Dependency, ...] = ()
    else:
        # Validated as "id or record" inside pydantic-core (fast), then normalised to
        # Dependency records in model_post_init.
        depends_on: tuple[Id | Dependency, ...] = Field(
            default=(),
            description="What this component depends on: ids, or {target, kind, required} records.",
        )

    def model_post_init(self, context: Any, /) -> None:
        deps = self.depends_on
        if deps:
            for dep in deps:
                if isinstance(dep, str):
                    self.__dict__["depends_on"] = tuple(
                        _plain_dependency(d) if isinstance(d, str) else d for d in deps
                    )
                    break

    @property
    def label(self) -> str:
        """The name to display: ``name``, or the id when no name is given."""
        return self.name if self.name is not None else self.id

    @property
    def targets(self) -> tuple[str, ...]:
        """Ids of the components this one depends on, in order."""
        return tuple(d.target for d in self.depends_on)


class Product(_WithProperties):
    """A product users buy or use, such as Google Search, and the components it uses."""

    id: Id = Field(description="Product id, a slug unique among products.")
    name: Text | None = Field(default=None, description="Display name; defaults to the id.")
    description: Text | None = Field(default=None, description="What the product is.")
    owner: Text | None = Field(default=None, description="Owning team.")
    uses: tuple[Id, ...] = Field(
        default=(), description="Components the product uses directly, usually its UI."
    )
    weight: Weight = Field(
        default=1.0, description="Importance (users, revenue) for weighted impact and cost; > 0."
    )
    availability_target: Availability | None = Field(
        default=None,
        description=(
            "The availability the product must reach, in (0, 1]; the 'availability' "
            "check compares the product's rollup with it."
        ),
    )
    tags: tuple[Text, ...] = Field(default=(), description="Free-form tags.")
    links: Links = Field(default=(), description="Links: URLs or {url, title, type} records.")
    properties: dict[str, Any] = Field(
        default_factory=dict, description="Free-form data, kept as written."
    )

    @property
    def label(self) -> str:
        """The name to display: ``name``, or the id when no name is given."""
        return self.name if self.name is not None else self.id


# -- check rules ----------------------------------------------------------------------

RuleType = Literal[
    "layering",
    "cycles",
    "forbidden",
    "reuse",
    "launch-reuse",
    "specific",
    "availability",
    "spof",
    "drift",
    "undeclared",
]
RULE_TYPES: tuple[str, ...] = get_args(RuleType)
"""The rule types a check can have."""

_PATTERN_CHARS = r"^[A-Za-z0-9._*-]+$"
Pattern = Annotated[StrictStr, Field(pattern=_PATTERN_CHARS, max_length=128)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False, strict=True), _AsWritten]
Share = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False, strict=True), _AsWritten]


class Selector(_Frozen):
    """Which components a ``forbidden`` rule names: every key given must match. Values
    are ids, layer ids, tags or owners, where ``*`` matches any run of characters."""

    id: Pattern | None = Field(default=None, description="Component id, e.g. 'pay-*'.")
    layer: Pattern | None = Field(default=None, description="Layer id, e.g. 'infrastructure'.")
    tag: Pattern | None = Field(default=None, description="A tag the component has.")
    owner: Text | None = Field(default=None, description="The owning team.")

    @field_validator("owner")
    @classmethod
    def _owner_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("owner must not be blank")
        return value

    def keys(self) -> dict[str, str]:
        """The keys given, with their patterns."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


class CheckRule(_Frozen):
    """A rule ``layermodel check`` enforces. Its ``id`` names it in findings and
    baselines, so keep it stable. Each ``rule`` type takes its own keys:
    ``forbidden`` needs ``from`` and ``to``; ``reuse`` needs ``min_percent`` (and may
    name ``products``); ``launch-reuse`` needs ``min_percent`` and ``product_file``;
    ``specific`` needs ``max`` (and may name a ``layer``);
    ``spof`` needs ``max_share``; ``drift`` needs ``sources`` and ``min_percent``, and
    ``undeclared`` needs ``sources`` (both may name ``layer_rules`` and ``ignore``);
    ``layering``, ``cycles`` and ``availability`` take no parameters
    (``availability`` compares each product with its ``availability_target``)."""

    model_config = ConfigDict(populate_by_name=True)

    id: Id = Field(description="Rule id, unique and stable: findings and baselines use it.")
    rule: RuleType = Field(description="What the rule checks.")
    description: Text | None = Field(default=None, description="Why the rule exists.")
    from_: Selector | None = Field(
        default=None, alias="from", description="forbidden: the consumers the rule names."
    )
    to: Selector | None = Field(
        default=None, description="forbidden: the providers they must not depend on."
    )
    min_percent: Percent | None = Field(
        default=None,
        description=(
            "reuse, launch-reuse: the least reuse level a product (or a new product's "
            "launch plan) may have, 0-100; drift: the least drift score, 0-100."
        ),
    )
    product_file: Text | None = Field(
        default=None,
        description=(
            "launch-reuse: a model file of new products and the new components they "
            "bring, merged with the model; relative to the (first) model file."
        ),
    )
    products: tuple[Id, ...] | None = Field(
        default=None, description="reuse: the products it applies to; default all."
    )
    layer: Id | None = Field(
        default=None, description="specific: the layer it counts in; default every layer."
    )
    max: Annotated[int, Field(ge=0, strict=True)] | None = Field(
        default=None,
        description="specific: the most components one product alone may use in a layer.",
    )
    max_share: Share | None = Field(
        default=None,
        description="spof: the largest share of product weight one component may take down.",
    )
    sources: tuple[Text, ...] | None = Field(
        default=None,
        description=(
            "drift, undeclared: what reality is: discovered model files, or files and "
            "folders 'layermodel discover' reads; relative to the (first) model file."
        ),
    )
    layer_rules: Text | None = Field(
        default=None,
        description=(
            "drift, undeclared: a layer-rules file with aliases and ignore patterns; "
            "relative to the (first) model file."
        ),
    )
    ignore: tuple[Text, ...] | None = Field(
        default=None,
        description="drift, undeclared: component ids or wildcards to leave out.",
    )

    @model_validator(mode="after")
    def _keys_fit_rule(self) -> CheckRule:
        takes = _RULE_KEYS[self.rule]
        given = {
            key
            for key in (
                "from",
                "to",
                "min_percent",
                "product_file",
                "products",
                "layer",
                "max",
                "max_share",
                "sources",
                "layer_rules",
                "ignore",
            )
            if getattr(self, "from_" if key == "from" else key) is not None
        }
        extra = sorted(given - takes[0] - takes[1])
        if extra:
            raise ValueError(
                f"rule {self.rule!r} does not take {', '.join(extra)}"
                + (
                    f"; it takes {', '.join(sorted(takes[0] | takes[1]))}"
                    if takes[0] | takes[1]
                    else "; it takes no parameters"
                )
            )
        missing = sorted(takes[0] - given)
        if missing:
            raise ValueError(f"rule {self.rule!r} needs {', '.join(missing)}")
        for side in (self.from_, self.to):
            if side is not None and not side.keys():
                raise ValueError("a selector needs at least one of id, layer, tag, owner")
        return self


_RULE_KEYS: dict[str, tuple[set[str], set[str]]] = {
    "layering": (set(), set()),
    "cycles": (set(), set()),
    "forbidden": ({"from", "to"}, set()),
    "reuse": ({"min_percent"}, {"products"}),
    "launch-reuse": ({"min_percent", "product_file"}, set()),
    "specific": ({"max"}, {"layer"}),
    "availability": (set(), set()),
    "spof": ({"max_share"}, set()),
    "drift": ({"sources", "min_percent"}, {"layer_rules", "ignore"}),
    "undeclared": ({"sources"}, {"layer_rules", "ignore"}),
}
"""Per rule type: the keys it needs and the keys it may take."""
