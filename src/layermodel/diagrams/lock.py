"""Layout locks: a file that keeps each component's band, row and left-to-right order
from one drawing to the next, so that a team can commit it and its diagrams stay put.

A lock is JSON, one row per line so that a change to it reads well in a review::

    {
     "layermodel-layout-lock": 1,
     "products": [["search", "maps"]],
     "layers": {
      "ui": [["search-box", "results"], ["map-view"]],
      "infrastructure": [["database", "gateway"]]
     }
    }

``products`` is the products band's rows; ``layers`` maps each layer id to its rows,
each row the component ids from left to right. Drawing with a lock
(:func:`layermodel.render` with ``layout_lock=``) puts every component it names in
its row, in its order; a component it does not name goes to the row its id picks
(as without a lock) and among the locked ones by its neighbours, so nothing locked
moves. A component whose layer changed is placed as a new one in its new band.

:func:`updated` gives the lock to write after a drawing: the old entries as they
were, plus the components placed for the first time (inserted into their rows where
they were drawn). Entries of components no longer drawn are kept, so a component
that comes back returns to its place, unless ``prune`` is set (``layermodel render
--update-layout-lock``), which makes the lock exactly the drawing.

The lock is read through the one reader (:func:`layermodel.model.io.read_document`),
so a malformed or hostile file is refused with its file and line, and written with
:func:`layermodel.model.io.write_atomic`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from layermodel.diagrams.layout import Lock, Placement
from layermodel.diagrams.scene import Scene
from layermodel.errors import InputError, Problem

__all__ = [
    "LOCK_KEY",
    "PRODUCTS",
    "LayoutLock",
    "dumps_lock",
    "lock_of",
    "read_lock",
    "same",
    "updated",
    "write_lock",
]

LOCK_KEY = "layermodel-layout-lock"
"""The key, with the format version (1) as its value, that marks a layout lock."""
_VERSION = 1
PRODUCTS = ""
"""The key of the products band in :meth:`LayoutLock.rows` (never a layer id)."""
_GHOSTS = ("removed", "moved-from")

Rows = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class LayoutLock:
    """Each band's rows, each row the ids from left to right."""

    products: Rows = ()
    layers: Mapping[str, Rows] = field(default_factory=dict)

    def rows(self) -> Lock:
        """The lock as :func:`layermodel.diagrams.layout.place` takes it."""
        return {PRODUCTS: self.products, **self.layers}

    def __len__(self) -> int:
        return sum(len(row) for row in self.products) + sum(
            len(row) for rows in self.layers.values() for row in rows
        )


def _problem(document: Any, message: str, path: tuple[str | int, ...]) -> Problem:
    problem: Problem = document.problem(message, path)
    return problem


def read_lock(path: str | os.PathLike[str]) -> LayoutLock:
    """The layout lock in the JSON file ``path``.

    Raises:
        ReadError: the file cannot be read.
        InputError: it is not valid JSON, or not a layout lock (every problem with
            its line: a missing version, a row that is not a list of ids, an id
            listed twice).
    """
    from layermodel.model.io import read_document

    document = read_document(path, what="layout lock", format="json")
    data = document.data
    if not isinstance(data, dict):
        raise InputError(
            [
                _problem(
                    document,
                    f'a layout lock is a JSON object with the keys "{LOCK_KEY}", "products" '
                    f'and "layers"; got {type(data).__name__}',
                    (),
                )
            ]
        )
    problems: list[Problem] = []
    if data.get(LOCK_KEY) != _VERSION:
        problems.append(
            _problem(
                document,
                f'"{LOCK_KEY}" must be {_VERSION} (the lock format version); '
                f"got {json.dumps(data.get(LOCK_KEY))}",
                (LOCK_KEY,) if LOCK_KEY in data else (),
            )
        )
    for key in data:
        if key not in (LOCK_KEY, "products", "layers"):
            problems.append(
                _problem(
                    document,
                    f'unknown key {json.dumps(key)} in a layout lock; expected "{LOCK_KEY}", '
                    '"products" and "layers"',
                    (key,),
                )
            )
    seen: dict[str, str] = {}

    def rows_at(value: Any, where: tuple[str | int, ...], band: str) -> Rows:
        if not isinstance(value, list):
            problems.append(
                _problem(document, "expected a list of rows, each a list of ids", where)
            )
            return ()
        rows: list[tuple[str, ...]] = []
        for r, row in enumerate(value):
            if not isinstance(row, list):
                problems.append(
                    _problem(
                        document,
                        f"a row is a list of ids, got {json.dumps(row)[:40]}",
                        (*where, r),
                    )
                )
                continue
            ids: list[str] = []
            for i, ident in enumerate(row):
                if not isinstance(ident, str) or not ident:
                    problems.append(
                        _problem(
                            document,
                            f"an id is a text, got {json.dumps(ident)[:40]}",
                            (*where, r, i),
                        )
                    )
                elif f"{band}\0{ident}" in seen:
                    problems.append(
                        _problem(
                            document,
                            f"{ident!r} is listed twice (first at {seen[band + chr(0) + ident]})",
                            (*where, r, i),
                        )
                    )
                else:
                    spot = document.locate((*where, r, i))
                    seen[f"{band}\0{ident}"] = (
                        f"line {spot[0]}" if spot else "/".join(map(str, (*where, r, i)))
                    )
                    ids.append(ident)
            rows.append(tuple(ids))
        return tuple(rows)

    products = rows_at(data.get("products", []), ("products",), PRODUCTS)
    layers: dict[str, Rows] = {}
    raw_layers = data.get("layers", {})
    if not isinstance(raw_layers, dict):
        problems.append(_problem(document, "expected an object: layer id to its rows", ("layers",)))
    else:
        for layer, value in raw_layers.items():
            if not layer:
                problems.append(_problem(document, "a layer id cannot be empty", ("layers", layer)))
                continue
            layers[layer] = rows_at(value, ("layers", layer), "layer")
    if problems:
        raise InputError(problems)
    return LayoutLock(products, layers)


def lock_of(placement: Placement, scene: Scene) -> LayoutLock:
    """The lock of a drawing: every band's rows as drawn, ghosts (the removed and
    moved-away components of a change view) left out."""
    products: Rows = ()
    layers: dict[str, Rows] = {}
    for index, band in enumerate(placement.bands):
        if index == 0 and scene.products and band.id == "products":
            products = tuple(
                tuple(v.removeprefix("product:") for v in row if _kept(v, scene))
                for row in band.rows
            )
            products = tuple(row for row in products if row)
            continue
        rows = tuple(tuple(v for v in row if _kept(v, scene)) for row in band.rows)
        layers[band.id] = tuple(row for row in rows if row)
    return LayoutLock(products, layers)


def _kept(node: str, scene: Scene) -> bool:
    if node.startswith("product:"):
        mark = next((m for m in scene.products if f"product:{m.id}" == node), None)
        return mark is None or mark.change != "removed"
    found = scene.nodes.get(node)
    return found is None or found.change not in _GHOSTS


def _merge_rows(old: Rows, drawn: Rows, drop: set[str]) -> Rows:
    """``old`` with the ids of ``drawn`` it lacks inserted where they were drawn:
    into the old row of the locked ids drawn beside them (a new row at the end when a
    drawn row holds no locked id), after the locked id drawn before them."""
    rows = [[v for v in row if v not in drop] for row in old]
    known = {v: r for r, row in enumerate(rows) for v in row}
    for drawn_row in drawn:
        home = next((known[v] for v in drawn_row if v in known), None)
        if home is None:
            rows.append([])
            home = len(rows) - 1
        target = rows[home]
        cursor = 0
        for v in drawn_row:
            if v in known:
                if known[v] == home:
                    cursor = target.index(v) + 1
                continue
            target.insert(cursor, v)
            known[v] = home
            cursor += 1
    return tuple(tuple(row) for row in rows if row)


def updated(old: LayoutLock | None, drawn: LayoutLock, *, prune: bool = False) -> LayoutLock:
    """The lock to keep after a drawing: ``drawn`` when there was none or with
    ``prune``; otherwise ``old`` with the components drawn for the first time (or in
    a new band) added where they were drawn, every old entry kept as it was."""
    if old is None or prune:
        return drawn
    where = {v: band for band, rows in drawn.layers.items() for row in rows for v in row}
    layers: dict[str, Rows] = {}
    for band, rows in old.layers.items():
        moved = {v for row in rows for v in row if where.get(v, band) != band}
        layers[band] = _merge_rows(rows, drawn.layers.get(band, ()), moved)
    for band, rows in drawn.layers.items():
        if band not in layers:
            layers[band] = _merge_rows((), rows, set())
    return LayoutLock(
        _merge_rows(old.products, drawn.products, set()),
        {band: rows for band, rows in layers.items() if rows},
    )


def dumps_lock(lock: LayoutLock) -> str:
    """The lock as JSON text, one row per line, layers in the order given."""

    def rows(value: Rows, indent: str) -> str:
        if not value:
            return "[]"
        inner = f",\n{indent} ".join(json.dumps(list(row), ensure_ascii=False) for row in value)
        return f"[\n{indent} {inner}\n{indent}]"

    layers = ",\n".join(
        f"  {json.dumps(band, ensure_ascii=False)}: {rows(value, '  ')}"
        for band, value in lock.layers.items()
    )
    body = f"{{\n{layers}\n }}" if layers else "{}"
    return (
        f'{{\n "{LOCK_KEY}": {_VERSION},\n "products": {rows(lock.products, " ")},\n'
        f' "layers": {body}\n}}\n'
    )


def write_lock(path: str | os.PathLike[str], lock: LayoutLock) -> None:
    """Write ``lock`` to ``path`` atomically (a failure leaves the old file)."""
    from layermodel.model.io import write_atomic

    write_atomic(path, dumps_lock(lock))


def same(a: LayoutLock | None, b: LayoutLock) -> bool:
    """Whether writing ``b`` over ``a`` would change nothing."""
    return a is not None and dict(a.layers) == dict(b.layers) and a.products == b.products
