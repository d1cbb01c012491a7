"""A model's history as typed rows, one per version, rendered as CSV, JSON, text or
Markdown.

The CSV starts with the columns ``commit, date, author, valid, components,
dependencies, products, shared, violations, cycles, reuse_level``, then one
``layer:ID`` column per layer and one ``reuse:ID`` column per product (over every
version, in the order they first appear), then the other figures and the problem of an
invalid version.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from layermodel.analysis.sections import Section, fmt_percent, table
from layermodel.errors import Problem, safe_text

__all__ = ["CSV_COLUMNS", "Commit", "Figures", "HistoryResult", "Version"]

CSV_COLUMNS = (
    "commit",
    "date",
    "author",
    "valid",
    "components",
    "dependencies",
    "products",
    "shared",
    "violations",
    "cycles",
    "reuse_level",
)
"""The first columns of :meth:`HistoryResult.to_csv`, in order."""

_TAIL_COLUMNS = (
    "platform_candidates",
    "single_points_of_failure",
    "total_cost",
    "check_findings",
    "check_passed",
    "files",
    "subject",
    "problem",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Commit:
    """The commit a version comes from."""

    sha: str
    date: str
    """The author date, ISO 8601 with its offset."""
    author: str
    subject: str

    @property
    def short(self) -> str:
        """The first 7 characters of the id, as in ``path@short`` in problems."""
        return self.sha[:7]


@dataclass(frozen=True)
class Figures:
    """What the analyses say about one valid version.

    Attributes:
        components: components in the model.
        dependencies: dependencies (edges) in the model.
        products: products in the model.
        layers: components per layer id, top to bottom.
        reuse_level: the share of all components used by ``min_users`` or more
            products (the per-layer reuse level of :func:`~layermodel.analysis.reuse`,
            over every layer); None for a model without components.
        product_reuse: each product's reuse level (its footprint's share used by
            ``min_users`` or more products).
        shared: components used by two or more products.
        platform_candidates: components used by ``min_users`` or more products.
        violations: layering violations.
        cycles: dependency cycles (strongly connected groups).
        single_points_of_failure: components whose failure takes down two or more
            products through required dependencies.
        total_cost: the sum of the components' monthly costs.
        check_findings: findings of the model's ``checks:`` rules (no baseline); None
            when the model has no rules, or they could not run (``check_error``).
        check_passed: whether those rules pass; None likewise.
        check_error: why the rules could not run, if they could not.
    """

    components: int
    dependencies: int
    products: int
    layers: Mapping[str, int]
    reuse_level: float | None
    product_reuse: Mapping[str, float]
    shared: int
    platform_candidates: int
    violations: int
    cycles: int
    single_points_of_failure: int
    total_cost: float
    check_findings: int | None = None
    check_passed: bool | None = None
    check_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "components": self.components,
            "dependencies": self.dependencies,
            "products": self.products,
            "layers": dict(self.layers),
            "reuse_level": self.reuse_level,
            "product_reuse": dict(self.product_reuse),
            "shared": self.shared,
            "platform_candidates": self.platform_candidates,
            "violations": self.violations,
            "cycles": self.cycles,
            "single_points_of_failure": self.single_points_of_failure,
            "total_cost": self.total_cost,
            "check_findings": self.check_findings,
            "check_passed": self.check_passed,
            "check_error": self.check_error,
        }


@dataclass(frozen=True)
class Version:
    """One version of the model: the commit that made it, its files, and either its
    figures (valid) or its first problem (invalid)."""

    commit: Commit
    files: tuple[str, ...]
    """The model's paths in the repository at that commit."""
    figures: Figures | None
    problem: Problem | None = None
    """The first problem of an invalid version, at ``path@short:line``."""
    problem_count: int = 0

    @property
    def valid(self) -> bool:
        """True when the files made a valid model."""
        return self.figures is not None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "commit": self.commit.sha,
            "date": self.commit.date,
            "author": self.commit.author,
            "subject": self.commit.subject,
            "files": list(self.files),
            "valid": self.valid,
            "figures": self.figures.to_dict() if self.figures is not None else None,
            "problem": str(self.problem) if self.problem is not None else None,
            "problems": self.problem_count,
        }


@dataclass(frozen=True)
class HistoryResult:
    """Every version of a model in a revision range, oldest first."""

    paths: tuple[str, ...]
    """The model files, as paths in the repository at the newest commit."""
    rev: str
    versions: tuple[Version, ...]
    min_users: int = 2
    total_versions: int = 0
    """Versions in the range before ``every`` thinned them."""

    @cached_property
    def layers(self) -> tuple[str, ...]:
        """Every layer id of any valid version, in the order they first appear."""
        found: dict[str, None] = {}
        for version in self.versions:
            if version.figures is not None:
                found.update(dict.fromkeys(version.figures.layers))
        return tuple(found)

    @cached_property
    def products(self) -> tuple[str, ...]:
        """Every product id of any valid version, in the order they first appear."""
        found: dict[str, None] = {}
        for version in self.versions:
            if version.figures is not None:
                found.update(dict.fromkeys(version.figures.product_reuse))
        return tuple(found)

    # -- CSV and JSON -----------------------------------------------------------------

    def csv_columns(self) -> tuple[str, ...]:
        """The CSV header: :data:`CSV_COLUMNS`, ``layer:ID`` and ``reuse:ID`` columns,
        then the rest."""
        return (
            *CSV_COLUMNS,
            *(f"layer:{lid}" for lid in self.layers),
            *(f"reuse:{pid}" for pid in self.products),
            *_TAIL_COLUMNS,
        )

    def csv_rows(self) -> list[list[str]]:
        """The CSV rows, oldest first, as text cells (empty for a figure an invalid
        version does not have, or a layer or product a version does not have)."""
        layers, products = self.layers, self.products
        rows: list[list[str]] = []
        for version in self.versions:
            commit, f = version.commit, version.figures
            row = [commit.sha, commit.date, _text(commit.author), _flag(version.valid)]
            if f is None:
                row += [""] * (len(CSV_COLUMNS) - 4 + len(layers) + len(products) + 5)
            else:
                row += [
                    str(f.components),
                    str(f.dependencies),
                    str(f.products),
                    str(f.shared),
                    str(f.violations),
                    str(f.cycles),
                    _share(f.reuse_level),
                    *(_count(f.layers.get(lid)) for lid in layers),
                    *(_share(f.product_reuse.get(pid)) for pid in products),
                    str(f.platform_candidates),
                    str(f.single_points_of_failure),
                    _number(f.total_cost),
                    _count(f.check_findings),
                    "" if f.check_passed is None else _flag(f.check_passed),
                ]
            row += [
                " ".join(version.files),
                _text(commit.subject),
                _text(str(version.problem)) if version.problem is not None else "",
            ]
            rows.append(row)
        return rows

    def to_csv(self) -> str:
        """The history as CSV (see the module docs), one row per version."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.csv_columns())
        writer.writerows(self.csv_rows())
        return out.getvalue()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``schema_version`` 1)."""
        return {
            "schema_version": 1,
            "paths": list(self.paths),
            "rev": self.rev,
            "min_users": self.min_users,
            "total_versions": self.total_versions,
            "layers": list(self.layers),
            "products": list(self.products),
            "versions": [v.to_dict() for v in self.versions],
        }

    # -- text and Markdown ----------------------------------------------------------------

    def sections(self) -> list[Section]:
        """Report sections: a summary, one row per version, the invalid versions."""
        versions = self.versions
        valid = [v for v in versions if v.figures is not None]
        shown = f"{len(versions):,} versions"
        if self.total_versions > len(versions):
            shown += f" (of {self.total_versions:,})"
        lines = [f"{', '.join(self.paths)} in {self.rev}: {shown}, {len(valid):,} valid."]
        if len(valid) >= 2:
            first, last = valid[0], valid[-1]
            a, b = first.figures, last.figures
            assert a is not None and b is not None
            lines.append(
                f"From {first.commit.short} ({first.commit.date[:10]}) to {last.commit.short} "
                f"({last.commit.date[:10]}): components {a.components:,} -> {b.components:,}, "
                f"shared {a.shared:,} -> {b.shared:,}, violations {a.violations:,} -> "
                f"{b.violations:,}, reuse level {_percent(a.reuse_level)} -> "
                f"{_percent(b.reuse_level)}."
            )
        rows: list[tuple[object, ...]] = []
        for v in versions:
            f = v.figures
            head = (v.commit.short, v.commit.date[:10], safe_text(v.commit.author))
            if f is None:
                rows.append((*head, "no", "", "", "", "", "", "", ""))
                continue
            rows.append(
                (
                    *head,
                    "yes",
                    f.components,
                    f.dependencies,
                    f.products,
                    f.shared,
                    f.violations,
                    f.cycles,
                    _percent(f.reuse_level),
                )
            )
        columns = tuple(c.replace("_", " ") for c in CSV_COLUMNS)
        out = [
            Section("History", lines=tuple(lines)),
            Section("Versions, oldest first", tables=(table(columns, rows, "llllrrrrrrr"),)),
        ]
        if self.products and valid:
            reuse_rows: list[tuple[object, ...]] = []
            for v in valid:
                f = v.figures
                assert f is not None
                reuse_rows.append(
                    (v.commit.short, *(_percent(f.product_reuse.get(p)) for p in self.products))
                )
            out.append(
                Section(
                    "Reuse level per product",
                    tables=(
                        table(
                            ("commit", *self.products),
                            reuse_rows,
                            "l" + "r" * len(self.products),
                        ),
                    ),
                )
            )
        broken = [v for v in versions if v.problem is not None]
        if broken:
            out.append(
                Section(
                    "Invalid versions (first problem of each)",
                    lines=tuple(
                        f"{v.commit.short}: {safe_text(str(v.problem))}"
                        + (f" (and {v.problem_count - 1:,} more)" if v.problem_count > 1 else "")
                        for v in broken
                    ),
                )
            )
        return out


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else fmt_percent(value)


def _text(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula, with no control codes."""
    value = safe_text(value)
    return "'" + value if value.startswith(_FORMULA_START) else value
