"""Terminal presentation for the command line: rich tables and a progress bar on a
terminal, plain text everywhere else. rich is imported only when it is used."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TextIO

from layermodel.analysis.sections import Section, render_text

__all__ = ["is_terminal", "print_sections", "progress"]


def is_terminal(stream: TextIO) -> bool:
    """True when ``stream`` is an interactive terminal (not a pipe or a file)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def print_sections(sections: Sequence[Section], out: TextIO) -> None:
    """Rich tables on a terminal; plain aligned text when piped or redirected."""
    if not is_terminal(out):
        out.write(render_text(sections))
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    for section in sections:
        console.print()
        console.rule(f"[bold]{section.title}", align="left")
        for line in section.lines:
            console.print(line, markup=False)
        for t in section.tables:
            grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
            for name, align in zip(t.columns, t.aligns(), strict=True):
                grid.add_column(name, justify="right" if align == "r" else "left", overflow="fold")
            for row in t.rows:
                grid.add_row(*row)
            console.print(grid)
            if t.total_rows is not None:
                more = t.total_rows - len(t.rows)
                console.print(f"... {more:,} more (use --format json for all)", markup=False)


@contextlib.contextmanager
def progress(steps: Sequence[str], stream: TextIO | None = None) -> Iterator[Callable[[str], None]]:
    """A progress bar over named steps, shown only on a terminal.

    Yields a callback to call with each step's name as it starts.
    """
    err = stream or sys.stderr
    if not steps or not is_terminal(err):
        yield lambda _name: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(file=err),
        transient=True,
    ) as bar:
        task = bar.add_task("analysing", total=len(steps))
        started = [False]

        def advance(name: str) -> None:
            if started[0]:
                bar.advance(task)
            started[0] = True
            bar.update(task, description=name)

        yield advance
        bar.update(task, completed=len(steps))
