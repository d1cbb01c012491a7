"""A typed cache of derived structures, one per ecosystem.

Everything the kernel and the analyses derive from an ecosystem (the compact graph,
the condensation, the user bitsets, the blast radii...) is computed once and kept in
the ecosystem's own cache (:meth:`~layermodel.model.entities.Ecosystem.derived_cache`).
Each entry is named by a :class:`Key`, which carries the type of its value, so that
a reader gets back what the writer stored without a cast:

>>> import layermodel as lm
>>> from layermodel.graph.cache import Key, cached, peek
>>> DOUBLED: Key[int] = Key("doctest:doubled")
>>> eco = lm.example()
>>> cached(eco, DOUBLED, lambda: 2 * len(eco.components)) == 2 * len(eco.components)
True
>>> peek(eco, DOUBLED) == 2 * len(eco.components)
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar, cast

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = ["Key", "cached", "forget", "peek", "store"]

T = TypeVar("T")


class Key(Generic[T]):
    """The name of one cache entry whose value has type ``T``.

    Two keys with the same name address the same entry: give every key a name of its
    own. Each key is defined next to the function that fills it.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Key({self.name!r})"


def cached(ecosystem: Ecosystem, key: Key[T], make: Callable[[], T]) -> T:
    """The value stored under ``key`` for ``ecosystem``, made with ``make()`` and
    stored on first use. O(1) besides ``make``. ``make`` must not return None (a
    stored None counts as absent)."""
    cache = ecosystem.derived_cache()
    found = cache.get(key.name)
    if found is None:
        found = cache[key.name] = make()
    return cast(T, found)


def peek(ecosystem: Ecosystem, key: Key[T]) -> T | None:
    """The value stored under ``key`` for ``ecosystem``, or None when there is none
    yet. O(1); computes nothing."""
    return cast("T | None", ecosystem.derived_cache().get(key.name))


def store(ecosystem: Ecosystem, key: Key[T], value: T) -> None:
    """Store ``value`` under ``key`` for ``ecosystem``, replacing any value. O(1)."""
    ecosystem.derived_cache()[key.name] = value


def forget(ecosystem: Ecosystem, key: Key[T], value: T | None = None) -> None:
    """Drop the entry under ``key`` for ``ecosystem``; when ``value`` is given, only if
    it is the stored value (the same object). O(1)."""
    cache = ecosystem.derived_cache()
    if value is None or cache.get(key.name) is value:
        cache.pop(key.name, None)
