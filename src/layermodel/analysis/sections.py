"""Sections: how analysis results render as text and Markdown.

Every result type turns itself into a list of :class:`Section` objects (a heading,
some lines of prose, and optional tables); this module renders sections as plain
text for terminals and pipes, or as Markdown for a wiki. The command line renders
the same sections with rich tables when it writes to a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "Result",
    "Section",
    "Table",
    "fmt_money",
    "fmt_number",
    "fmt_percent",
    "render_markdown",
    "render_text",
]


@dataclass(frozen=True)
class Table:
    """Rows under column headings. ``align`` is 'l' or 'r' per column."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: str = ""
    total_rows: int | None = None
    """How many rows there were before the table was cut to a readable length."""

    def aligns(self) -> str:
        return (self.align or "l" * len(self.columns)).ljust(len(self.columns), "l")


@dataclass(frozen=True)
class Section:
    """A titled part of a report: prose lines, then tables."""

    title: str
    lines: tuple[str, ...] = ()
    tables: tuple[Table, ...] = field(default_factory=tuple)


class Result(Protocol):
    """What every analysis result offers."""

    def to_dict(self) -> dict[str, Any]: ...

    def sections(self) -> list[Section]: ...


def table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], align: str = "", limit: int | None = None
) -> Table:
    """Build a table, converting cells to text and keeping at most ``limit`` rows."""
    shown = rows if limit is None else rows[:limit]
    return Table(
        tuple(columns),
        tuple(tuple(_cell(c) for c in row) for row in shown),
        align,
        total_rows=len(rows) if limit is not None and len(rows) > limit else None,
    )


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return fmt_number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def fmt_number(value: float) -> str:
    """A number for people: integers plainly, others to 4 significant digits."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.4g}"


def fmt_money(value: float) -> str:
    """An amount of money: whole units with thousands separators, cents below 100."""
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def fmt_percent(share: float) -> str:
    """A share in [0, 1] as a percentage."""
    return f"{share * 100:.0f}%"


def _text_table(t: Table) -> list[str]:
    widths = [len(c) for c in t.columns]
    for row in t.rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    aligns = t.aligns()

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if aligns[i] == "r" else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  " + "  ".join(parts).rstrip()

    out = [line(t.columns), "  " + "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in t.rows)
    if t.total_rows is not None:
        out.append(f"  ... {t.total_rows - len(t.rows):,} more (use --format json for all)")
    return out


def render_text(sections: Sequence[Section]) -> str:
    """Plain text: titles underlined, tables aligned; safe to pipe."""
    out: list[str] = []
    for s in sections:
        if out:
            out.append("")
        out.append(s.title)
        out.append("=" * len(s.title))
        out.extend(s.lines)
        for t in s.tables:
            if s.lines or t is not s.tables[0]:
                out.append("")
            out.extend(_text_table(t))
    return "\n".join(out) + "\n"


def _md_escape(cell: str) -> str:
    return cell.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(sections: Sequence[Section], heading: int = 2) -> str:
    """GitHub-flavoured Markdown, one heading per section."""
    out: list[str] = []
    for s in sections:
        out.append(f"{'#' * heading} {s.title}\n")
        for line in s.lines:
            out.append(f"{line}\n" if line else "")
        for t in s.tables:
            aligns = t.aligns()
            out.append("| " + " | ".join(_md_escape(c) for c in t.columns) + " |")
            out.append("|" + "|".join("---:" if a == "r" else "---" for a in aligns) + "|")
            out.extend("| " + " | ".join(_md_escape(c) for c in row) + " |" for row in t.rows)
            if t.total_rows is not None:
                out.append(f"\n... {t.total_rows - len(t.rows):,} more rows (see the JSON report)")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
