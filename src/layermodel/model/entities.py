"""The ecosystem: a portfolio of products built from components in layers.

An :class:`Ecosystem` is an immutable pydantic model. It checks all of its
cross-references when it is built and raises :class:`~layermodel.errors.ModelError`
listing every problem at once. Its derived indexes (component by id, components per
layer, direct dependents and direct product users of each component) are computed
once, on first use. The elements it holds are defined in
:mod:`layermodel.model.elements` and re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from pydantic import Field, PrivateAttr, model_validator

from layermodel.errors import ModelError, Path, Problem, plural, suggest
from layermodel.model.collector import collector_paused
from layermodel.model.elements import (
    DEFAULT_LAYERS,
    ID_PATTERN,
    CheckRule,
    Component,
    Dependency,
    Evolution,
    Layer,
    Lifecycle,
    Link,
    Policy,
    Product,
    Provenance,
    Selector,
    SourceKind,
    Sourcing,
    Text,
    _WithProperties,
)
from layermodel.model.integrity import check_and_index, neighbours

__all__ = [
    "DEFAULT_LAYERS",
    "ID_PATTERN",
    "CheckRule",
    "Component",
    "Dependency",
    "Ecosystem",
    "Evolution",
    "Layer",
    "Lifecycle",
    "Link",
    "Policy",
    "Product",
    "Provenance",
    "Selector",
    "SourceKind",
    "Sourcing",
]


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
    checks: tuple[CheckRule, ...] = Field(
        default=(), description="Rules for 'layermodel check'; none means layering and cycles."
    )
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
        problems, index = check_and_index(self.layers, self.components, self.products)
        if not problems:
            problems = check_rule_problems(self.checks, index.layers, index.products)
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
            with collector_paused():
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
            f"Ecosystem {self.name!r}: {plural(len(self.layers), 'layer')}, "
            f"{plural(len(self.components), 'component')}, {plural(len(self.products), 'product')}"
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
        near = suggest(key, index)
        hint = f"; did you mean {near!r}?" if near else ""
        raise KeyError(f"no {kind} {key!r}{hint}") from None


def check_rule_problems(
    rules: tuple[CheckRule, ...], layers: Mapping[str, Layer], products: Mapping[str, Product]
) -> list[Problem]:
    """Problems with the check rules: duplicate ids, unknown layers and products."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for i, rule in enumerate(rules):
        if rule.id in first:
            problems.append(
                Problem(
                    f"duplicate check id {rule.id!r}",
                    path=("checks", i, "id"),
                    see=("checks", first[rule.id], "id"),
                )
            )
        else:
            first[rule.id] = i
        places: list[tuple[Path, str, Mapping[str, Any], str]] = []
        for side, key in ((rule.from_, "from"), (rule.to, "to")):
            if side is not None and side.layer is not None and "*" not in side.layer:
                places.append(((key, "layer"), side.layer, layers, "layer"))
        if rule.layer is not None:
            places.append((("layer",), rule.layer, layers, "layer"))
        for j, product in enumerate(rule.products or ()):
            places.append((("products", j), product, products, "product"))
        for where, value, known, kind in places:
            if value not in known:
                problems.append(
                    Problem(
                        f"check {rule.id!r} names unknown {kind} {value!r}",
                        path=("checks", i, *where),
                        suggestion=suggest(value, known),
                    )
                )
    return problems
