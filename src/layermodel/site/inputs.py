"""The site's optional inputs: a history table and a drift report, read through the
one reader (:mod:`layermodel.model.io`), refused with their file and line when
malformed.

- **History**: the rows of ``layermodel history``, as its CSV (columns ``commit, date,
  author, valid, components, dependencies, products, shared, violations, cycles,
  reuse_level``, then ``layer:ID`` and ``reuse:ID`` columns) or its JSON (a list of
  row objects with those keys, or an object holding such a list under ``rows``).
  Rows whose ``valid`` is false are kept for the count and left out of the trends.
- **Drift**: the JSON report of ``layermodel drift --format json``: ``undeclared``
  (dependencies seen running but not in the model) and ``phantom`` (in the model but
  never seen) lists of ``{"from": ..., "to": ...}`` records, and a ``score``.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from layermodel.errors import InputError, Problem
from layermodel.model.io import Document, read_document, read_source

__all__ = ["Drift", "DriftEdge", "History", "HistoryRow", "read_drift", "read_history"]

TREND_COLUMNS = ("components", "shared", "violations", "cycles", "reuse_level")
"""The history columns the home page draws as trends."""


@dataclass(frozen=True)
class HistoryRow:
    """One version of the model: its commit, date, whether it was valid, and its
    figures by column name (numbers only; missing or empty cells left out)."""

    commit: str
    date: str
    valid: bool
    figures: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class History:
    """The rows of a history, oldest first."""

    file: str
    rows: tuple[HistoryRow, ...]

    def series(self, column: str) -> list[tuple[str, float]]:
        """(date, value) of ``column`` over the valid rows that have it."""
        return [
            (row.date, row.figures[column])
            for row in self.rows
            if row.valid and column in row.figures
        ]

    @property
    def columns(self) -> list[str]:
        """Every figure column, in the order first seen."""
        seen: dict[str, None] = {}
        for row in self.rows:
            seen.update(dict.fromkeys(row.figures))
        return list(seen)


@dataclass(frozen=True)
class DriftEdge:
    """One dependency that differs between the model and what runs."""

    source: str
    target: str
    kind: str
    """``undeclared`` (seen, not modelled) or ``phantom`` (modelled, never seen)."""


@dataclass(frozen=True)
class Drift:
    """A drift report: the edges that differ, and the report's score."""

    file: str
    edges: tuple[DriftEdge, ...]
    score: float | None

    def of(self, component_id: str) -> list[DriftEdge]:
        """The edges from or to one component (use :meth:`by_component` for many)."""
        return self.by_component().get(component_id, [])

    def by_component(self) -> dict[str, list[DriftEdge]]:
        """Per component id, the edges from or to it, in report order."""
        out: dict[str, list[DriftEdge]] = {}
        for edge in self.edges:
            out.setdefault(edge.source, []).append(edge)
            if edge.target != edge.source:
                out.setdefault(edge.target, []).append(edge)
        return out


def _problem(file: str, message: str, line: int | None = None) -> InputError:
    return InputError([Problem(message, file=file, line=line)])


def _number(text: Any) -> float | None:
    """A cell as a number, or None for an empty or non-numeric cell."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, int | float):
        value = float(text)
    else:
        cell = str(text).strip().rstrip("%")
        if not cell:
            return None
        try:
            value = float(cell)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def _row(data: Mapping[str, Any]) -> HistoryRow:
    figures = {}
    for key, value in data.items():
        if key in ("commit", "date", "author", "valid", "problem", "problems"):
            continue
        number = _number(value)
        if number is not None:
            figures[str(key)] = number
    valid = _truth(data["valid"]) if "valid" in data else True
    return HistoryRow(str(data.get("commit", "")), str(data.get("date", "")), valid, figures)


def _history_csv(name: str, text: str) -> History:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise _problem(name, "is empty; expected the CSV of 'layermodel history'") from None
    except csv.Error as exc:
        raise _problem(name, f"is not valid CSV: {exc}", 1) from None
    header = [h.strip() for h in header]
    if header[:2] != ["commit", "date"]:
        raise _problem(
            name,
            f"starts with columns {', '.join(header[:3]) or '(none)'}; expected "
            "'commit,date,...' as 'layermodel history --format csv' writes",
            1,
        )
    rows = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                raise _problem(
                    name,
                    f"has {len(cells)} cells where the header has {len(header)} columns",
                    reader.line_num,
                )
            rows.append(_row(dict(zip(header, cells, strict=False))))
    except csv.Error as exc:
        raise _problem(name, f"is not valid CSV: {exc}", reader.line_num) from None
    return History(name, tuple(rows))


def _history_json(document: Document) -> History:
    data = document.data
    if isinstance(data, Mapping):
        data = data.get("rows", data.get("versions"))
    if not isinstance(data, Sequence) or isinstance(data, str):
        raise InputError(
            [
                document.problem(
                    "is not a history: expected a list of rows (or an object with 'rows'), "
                    "as 'layermodel history --format json' writes"
                )
            ]
        )
    rows = []
    for i, item in enumerate(data):
        if not isinstance(item, Mapping) or "commit" not in item:
            raise InputError(
                [document.problem("a history row must be an object with 'commit'", (i,))]
            )
        rows.append(_row(item))
    return History(document.file, tuple(rows))


def read_history(path: str | os.PathLike[str]) -> History:
    """The history rows in a CSV or JSON file (by its suffix, else by its first
    character).

    Raises:
        ReadError: the file is missing or unreadable.
        InputError: it is not a history, naming the line.
    """
    name = os.fspath(path)
    if name.lower().endswith((".json", ".yaml", ".yml")):
        return _history_json(read_document(name, what="history file"))
    source = read_source(name, what="history file")
    if source.text.lstrip()[:1] in ("[", "{"):
        return _history_json(read_document(name, what="history file", format="json"))
    return _history_csv(source.name, source.text)


def read_drift(path: str | os.PathLike[str]) -> Drift:
    """The drift report in a JSON file written by ``layermodel drift --format json``.

    Raises:
        ReadError: the file is missing or unreadable.
        InputError: it is not a drift report, naming the line of the offending value.
    """
    document = read_document(path, what="drift report")
    data = document.data
    if not isinstance(data, Mapping) or not ({"undeclared", "phantom"} & data.keys()):
        raise InputError(
            [
                document.problem(
                    "is not a drift report: expected an object with 'undeclared' and "
                    "'phantom' lists, as 'layermodel drift --format json' writes"
                )
            ]
        )
    edges = []
    for kind in ("undeclared", "phantom"):
        records = data.get(kind, [])
        if not isinstance(records, Sequence) or isinstance(records, str):
            raise InputError([document.problem(f"'{kind}' must be a list", (kind,))])
        for i, record in enumerate(records):
            ends = (record.get("from"), record.get("to")) if isinstance(record, Mapping) else None
            if ends is None or not all(isinstance(end, str) and end for end in ends):
                raise InputError(
                    [
                        document.problem(
                            f"a {kind} record must be an object with 'from' and 'to' ids",
                            (kind, i),
                        )
                    ]
                )
            edges.append(DriftEdge(str(ends[0]), str(ends[1]), kind))
    score = _number(data.get("score"))
    return Drift(document.file, tuple(edges), score)
