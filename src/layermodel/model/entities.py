"""The layered model: an ecosystem of products built from components in layers.

Every class here is an immutable pydantic model. An :class:`Ecosystem` checks all of
its cross-references when it is built and raises :class:`~layermodel.errors.ModelError`
listing every problem at once. Its derived indexes (component by id, components per
layer, direct dependents and direct product users of each component) are computed
once, at construction.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    StrictBool,
    StrictStr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from layermodel.errors import ModelError

__all__ = [
    "DEFAULT_LAYERS",
    "ID_PATTERN",
    "Component",
    "Dependency",
    "Ecosystem",
    "Evolution",
    "Layer",
    "Lifecycle",
    "Link",
    "Policy",
    "Product",
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

    @property
    def is_plain(self) -> bool:
        """True when only the target is set, so the edge can be written as a bare id."""
        return self.kind is None and self.required and self.description is None


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
            {"target": target, "kind": None, "required": True, "description": None},
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
    tags: tuple[Text, ...] = Field(default=(), description="Free-form tags.")
    links: Links = Field(default=(), description="Links: URLs or {url, title, type} records.")
    properties: dict[str, Any] = Field(
        default_factory=dict, description="Free-form data, kept as written."
    )

    @property
    def label(self) -> str:
        """The name to display: ``name``, or the id when no name is given."""
        return self.name if self.name is not None else self.id


class Ecosystem(_WithProperties):
    """A portfolio of products that share components, arranged in layers.

    Building one checks every reference and raises
    :class:`~layermodel.errors.ModelError` with every problem found. Cycles and
    layering violations are not errors: they are findings of the analysis.

    Example:
        >>> from layermodel import Ecosystem, Component, Product
        >>> eco = Ecosystem(
        ...     name="Tiny",
        ...     components=[
        ...         Component(id="app", layer="ui", depends_on=["db"]),
        ...         Component(id="db", layer="infrastructure"),
        ...     ],
        ...     products=[Product(id="shop", uses=["app"])],
        ... )
        >>> [c.id for c in eco.components_in("infrastructure")]
        ['db']
        >>> eco.dependents("db")
        ('app',)
    """

    name: Text = Field(description="Name of the portfolio, e.g. 'Google'.")
    description: Text | None = Field(default=None, description="What the portfolio is.")
    layers: tuple[Layer, ...] = Field(
        default=DEFAULT_LAYERS,
        description="Layers top to bottom; defaults to ui, algorithms, infrastructure, hardware.",
    )
    policy: Policy = Field(
        default="relaxed",
        description="'relaxed' allows skipping layers; 'strict' makes every layer closed.",
    )
    components: tuple[Component, ...] = Field(default=(), description="All components.")
    products: tuple[Product, ...] = Field(default=(), description="All products.")
    properties: dict[str, Any] = Field(
        default_factory=dict, description="Free-form data, kept as written."
    )

    _layer_rank: dict[str, int] = PrivateAttr(default_factory=dict)
    _layer_index: dict[str, Layer] = PrivateAttr(default_factory=dict)
    _component_index: dict[str, Component] = PrivateAttr(default_factory=dict)
    _product_index: dict[str, Product] = PrivateAttr(default_factory=dict)
    _derived: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check_and_index(self) -> Ecosystem:
        from layermodel.model.integrity import check_and_index

        problems, index = check_and_index(self.layers, self.components, self.products)
        if problems:
            raise ModelError(problems)
        self._layer_rank = index.layer_rank
        self._layer_index = index.layers
        self._component_index = index.components
        self._product_index = index.products
        return self

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield "name", self.name
        yield "layers", len(self.layers)
        yield "components", len(self.components)
        yield "products", len(self.products)

    # -- lookups -------------------------------------------------------------------

    def component(self, component_id: str) -> Component:
        """The component with this id. Raises KeyError, with a suggestion, if absent."""
        return _lookup(self._component_index, component_id, "component")

    def product(self, product_id: str) -> Product:
        """The product with this id. Raises KeyError, with a suggestion, if absent."""
        return _lookup(self._product_index, product_id, "product")

    def layer(self, layer_id: str) -> Layer:
        """The layer with this id. Raises KeyError, with a suggestion, if absent."""
        return _lookup(self._layer_index, layer_id, "layer")

    def layer_rank(self, layer_id: str) -> int:
        """Position of a layer, 0 at the top (closest to the user)."""
        self.layer(layer_id)
        return self._layer_rank[layer_id]

    def components_in(self, layer_id: str) -> tuple[Component, ...]:
        """The components of one layer, in model order."""
        self.layer(layer_id)
        return self._neighbours()[0][layer_id]

    def dependents(self, component_id: str) -> tuple[str, ...]:
        """Ids of the components that depend directly on this one."""
        self.component(component_id)
        return self._neighbours()[1].get(component_id, ())

    def direct_products(self, component_id: str) -> tuple[str, ...]:
        """Ids of the products that list this component in their ``uses``."""
        self.component(component_id)
        return self._neighbours()[2].get(component_id, ())

    @property
    def component_index(self) -> Mapping[str, Component]:
        """Read-only mapping of component id to component."""
        return _ReadOnly(self._component_index)

    @property
    def product_index(self) -> Mapping[str, Product]:
        """Read-only mapping of product id to product."""
        return _ReadOnly(self._product_index)

    @property
    def layer_index(self) -> Mapping[str, Layer]:
        """Read-only mapping of layer id to layer."""
        return _ReadOnly(self._layer_index)

    def _neighbours(
        self,
    ) -> tuple[
        dict[str, tuple[Component, ...]], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]
    ]:
        """Components per layer, direct dependents and direct product users: built on
        first use, once, in one pass over the edges."""
        found = self._derived.get("neighbours")
        if found is None:
            from layermodel.model.files import _collector_paused
            from layermodel.model.integrity import neighbours

            with _collector_paused():
                found = self._derived["neighbours"] = neighbours(
                    self.layers, self.components, self.products
                )
        return found

    def derived_cache(self) -> dict[str, Any]:
        """Per-ecosystem cache for derived structures (graph, users); internal."""
        return self._derived

    def __eq__(self, other: object) -> bool:
        """Equal when the data is: the same layers in the same order, and the same
        components and products whatever order they are listed in."""
        if not isinstance(other, Ecosystem):
            return NotImplemented
        return (
            self.name == other.name
            and self.description == other.description
            and self.policy == other.policy
            and self.layers == other.layers
            and self.properties == other.properties
            and self._component_index == other._component_index
            and self._product_index == other._product_index
        )

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def builder(cls, name: str, **fields: Any) -> Any:
        """Start building an ecosystem in Python; see :class:`layermodel.Builder`."""
        from layermodel.model.builder import Builder

        return Builder(name, **fields)

    def render(self, view: str = "ecosystem", format: str = "svg", **options: Any) -> Any:
        """Draw a view of this ecosystem; the same as ``layermodel.render(self, ...)``.

        >>> import layermodel as lm
        >>> lm.example().render("product:search").save("search.svg")  # doctest: +SKIP
        """
        from layermodel.diagrams.api import render

        return render(self, view, format, **options)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """Jupyter shows an ecosystem as its ecosystem view (up to 500 components;
        beyond that, a summary and a hint to draw a focused view)."""
        summary = (
            f"Ecosystem {self.name!r}: {len(self.layers)} layers, "
            f"{len(self.components)} components, {len(self.products)} products"
        )
        if len(self.components) > 500:
            return {
                "text/plain": summary + "; too many components to draw inline: use "
                "ecosystem.render('product:ID') or render(..., layers=[...])",
            }
        from layermodel.diagrams.api import render

        bundle = render(self, "ecosystem")._repr_mimebundle_(include, exclude)
        bundle["text/plain"] = summary
        return bundle


_T = TypeVar("_T")


class _ReadOnly(Mapping[str, Any]):
    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data


def _lookup(index: Mapping[str, _T], key: str, kind: str) -> _T:
    try:
        return index[key]
    except KeyError:
        from layermodel.errors import suggest

        near = suggest(key, index)
        hint = f"; did you mean {near!r}?" if near else ""
        raise KeyError(f"no {kind} {key!r}{hint}") from None
