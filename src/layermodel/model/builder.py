"""Build an ecosystem in Python, one line per component.

Example:
    >>> import layermodel as lm
    >>> b = lm.Builder("Tiny")
    >>> with b.layer("hardware"):
    ...     dc = b.component("dc", "Data centre")
    >>> db = b.component("db", "Database", "infrastructure", depends_on=[dc])
    >>> app = b.component("app", "App", "ui", depends_on=[db, lm.dep("dc", required=False)])
    >>> _ = b.product("shop", "Shop", uses=[app])
    >>> eco = b.build()
    >>> eco.dependents("dc")
    ('db', 'app')

References can be the handle a call returned, a model object, or a plain id.
Nothing is checked until :meth:`Builder.build`, which reports every problem at once,
each pointing at the line of the script that declared it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from layermodel.errors import LayermodelError, ModelError, Problem
from layermodel.model.entities import (
    DEFAULT_LAYERS,
    Component,
    Dependency,
    Ecosystem,
    Layer,
    Product,
)
from layermodel.model.integrity import UNCHECKED, check_and_index, partial_record
from layermodel.model.problems import describe, problems_from_validation

__all__ = ["Builder", "Ref", "dep"]


@dataclass(frozen=True)
class Ref:
    """A handle on a component, product or layer declared in a :class:`Builder`."""

    id: str
    kind: str

    def __str__(self) -> str:
        return self.id


def _ref_id(value: Any) -> Any:
    """The id behind a reference: a string, a Ref, or any model object with an id."""
    if isinstance(value, str):
        return value
    ident = getattr(value, "id", None)
    if isinstance(ident, str) and isinstance(value, (Ref, Component, Product, Layer)):
        return ident
    return value


def dep(
    target: str | Ref | Component,
    *,
    kind: str | None = None,
    required: bool = True,
    description: str | None = None,
) -> Dependency:
    """A dependency record, for edges that are soft or carry a kind.

    >>> dep("db", kind="stores-in", required=False).required
    False
    """
    return Dependency(target=_ref_id(target), kind=kind, required=required, description=description)


def _dependency_input(value: Any) -> Any:
    if isinstance(value, Dependency):
        return value
    return _ref_id(value)


def _layer_input(value: Any) -> Any:
    if isinstance(value, Layer):
        return value
    if isinstance(value, str):
        return {"id": value}
    if isinstance(value, tuple) and len(value) == 2:
        return {"id": value[0], "name": value[1]}
    return value


_ADAPTERS: dict[type[BaseModel], TypeAdapter[Any]] = {
    Layer: TypeAdapter(Layer),
    Component: TypeAdapter(Component),
    Product: TypeAdapter(Product),
}


class Builder:
    """Collects layers, components and products, then builds an :class:`Ecosystem`.

    Args:
        name: the portfolio's name.
        layers: the layer stack, top to bottom, as ids, ``(id, name)`` pairs or
            :class:`Layer` objects; the default four-layer stack when omitted.
        policy: ``"relaxed"`` (default) or ``"strict"``.
        **fields: other ecosystem fields, such as ``description`` or ``properties``.
    """

    def __init__(
        self,
        name: str,
        *,
        layers: Iterable[Any] | None = None,
        policy: str = "relaxed",
        **fields: Any,
    ) -> None:
        self._name = name
        self._policy = policy
        self._fields = fields
        self._where = _caller()
        self._layers: list[tuple[Any, tuple[str, int] | None]] = (
            [(_layer_input(x), self._where) for x in layers] if layers is not None else []
        )
        self._components: list[tuple[dict[str, Any], tuple[str, int] | None]] = []
        self._products: list[tuple[dict[str, Any], tuple[str, int] | None]] = []
        self._current_layer: str | None = None

    # -- declaring ---------------------------------------------------------------------

    def add_layer(self, id: str, name: str | None = None, **fields: Any) -> Ref:
        """Append a layer below the ones declared so far (replaces the default stack)."""
        self._layers.append(({"id": id, "name": name, **fields}, _caller()))
        return Ref(id, "layer")

    @contextlib.contextmanager
    def layer(self, layer: str | Ref | Layer) -> Iterator[Ref]:
        """Within this block, components go into ``layer`` unless they name another."""
        previous = self._current_layer
        layer_id = _ref_id(layer)
        self._current_layer = layer_id
        try:
            yield Ref(layer_id, "layer")
        finally:
            self._current_layer = previous

    def component(
        self,
        id: str,
        name: str | None = None,
        layer: str | Ref | Layer | None = None,
        *,
        depends_on: Iterable[Any] = (),
        **fields: Any,
    ) -> Ref:
        """Declare a component; returns a handle to use in ``depends_on`` and ``uses``.

        ``depends_on`` takes handles, ids, components or :func:`dep` records. Other
        keyword arguments are component fields (``owner``, ``sourcing``,
        ``availability``, ``cost``, ``tags`` ...).
        """
        record: dict[str, Any] = {"id": id, **fields}
        if name is not None:
            record["name"] = name
        chosen = layer if layer is not None else self._current_layer
        if chosen is not None:
            record["layer"] = _ref_id(chosen)
        record["depends_on"] = [_dependency_input(d) for d in _as_list(depends_on)]
        self._components.append((record, _caller()))
        return Ref(id, "component")

    def depend(self, source: str | Ref, *targets: Any, **edge: Any) -> None:
        """Add dependencies from ``source`` after it was declared.

        ``edge`` keywords (``kind``, ``required``, ``description``) apply to each target.
        """
        source_id = _ref_id(source)
        for record, _ in reversed(self._components):
            if record["id"] == source_id:
                for target in targets:
                    record["depends_on"].append(
                        dep(target, **edge) if edge else _dependency_input(target)
                    )
                return
        raise LayermodelError(f"depend(): no component {source_id!r} was declared")

    def product(
        self,
        id: str,
        name: str | None = None,
        *,
        uses: Iterable[Any] = (),
        **fields: Any,
    ) -> Ref:
        """Declare a product and the components it uses directly."""
        record: dict[str, Any] = {"id": id, **fields}
        if name is not None:
            record["name"] = name
        record["uses"] = [_ref_id(u) for u in _as_list(uses)]
        self._products.append((record, _caller()))
        return Ref(id, "product")

    # -- building ----------------------------------------------------------------------

    def build(self) -> Ecosystem:
        """Check everything and return the ecosystem.

        Raises:
            ModelError: listing every problem, each at the script line that declared it.
        """
        problems: list[Problem] = []
        sections: dict[str, list[Any]] = {}
        origins: dict[str, list[int]] = {}
        broken: dict[str, set[str]] = {}
        where: dict[str, list[tuple[str, int] | None]] = {}
        plan: list[tuple[str, type[BaseModel], list[tuple[Any, tuple[str, int] | None]]]] = [
            ("layers", Layer, self._layers or [(x, None) for x in DEFAULT_LAYERS]),
            ("components", Component, list(self._components)),
            ("products", Product, list(self._products)),
        ]
        for section, model, records in plan:
            adapter = _ADAPTERS[model]
            kept, kept_at, bad = [], [], {UNCHECKED}
            where[section] = [w for _, w in records]
            for i, (record, place) in enumerate(records):
                try:
                    kept.append(adapter.validate_python(_clean(record)))
                except ValidationError as exc:
                    for problem, _ in problems_from_validation(exc, model):
                        problems.append(
                            _placed(problem.at(path=(section, i, *problem.path)), place)
                        )
                    partial = partial_record(model, record)
                    if partial is None:
                        continue
                    kept.append(partial)
                kept_at.append(i)
            sections[section], origins[section], broken[section] = kept, kept_at, bad

        def relocate(problem: Problem) -> Problem:
            path = problem.path
            if len(path) >= 2 and isinstance(path[1], int) and str(path[0]) in origins:
                section = str(path[0])
                original = origins[section][path[1]]
                see = problem.see
                see_location = None
                if see is not None and len(see) >= 2 and isinstance(see[1], int):
                    see = (see[0], origins[section][see[1]], *see[2:])
                    first = where[section][see[1]]  # type: ignore[index]
                    see_location = f"{first[0]}:{first[1]}" if first else None
                moved = problem.at(
                    path=(section, original, *path[2:]), see=see, see_location=see_location
                )
                return _placed(moved, where[section][original])
            return problem

        if problems:
            ref_problems, _ = check_and_index(
                sections["layers"],
                sections["components"],
                sections["products"],
                extra_layers=broken["layers"],
                extra_components=broken["components"],
                extra_products=broken["products"],
            )
            problems.extend(relocate(p) for p in ref_problems)
            raise ModelError(_by_line(problems))
        try:
            return Ecosystem(
                name=self._name,
                layers=tuple(sections["layers"]),
                policy=self._policy,
                components=tuple(sections["components"]),
                products=tuple(sections["products"]),
                **self._fields,
            )
        except ModelError as exc:
            raise ModelError(_by_line([relocate(p) for p in exc.problems])) from None
        except ValidationError as exc:
            raise ModelError(
                [_placed(p, self._where) for p, _ in problems_from_validation(exc, Ecosystem)]
            ) from None


def _by_line(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0))


def _as_list(values: Any) -> list[Any]:
    if isinstance(values, (str, Ref, Component, Dependency)):
        return [values]
    try:
        return list(values)
    except TypeError:
        raise LayermodelError(f"expected a list of references, got {describe(values)}") from None


def _clean(record: Any) -> Any:
    if isinstance(record, dict):
        return {k: v for k, v in record.items() if v is not None or k == "id"}
    return record


def _placed(problem: Problem, place: tuple[str, int] | None) -> Problem:
    if place is None:
        return problem
    return problem.at(file=place[0], line=place[1])


def _caller() -> tuple[str, int] | None:
    """File and line of the user code that called into the builder."""
    frame = sys._getframe(1)
    here = frame.f_code.co_filename
    while frame is not None and frame.f_code.co_filename in (here, contextlib.__file__):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return None
    return frame.f_code.co_filename, frame.f_lineno
