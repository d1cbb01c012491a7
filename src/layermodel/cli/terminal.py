"""What the command line prints besides its results: rich tables and a progress bar
on a terminal, plain text everywhere else, and its messages and lists of problems.
rich and the analysis package are imported only when they are used."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from layermodel import Problem
    from layermodel.analysis import Section

__all__ = ["counter", "is_terminal", "print_problems", "print_sections", "progress", "say"]


def say(message: str, err: TextIO) -> None:
    """Print a message of the command's own, ``layermodel: message``, to ``err``."""
    print(f"layermodel: {message}", file=err)


def print_problems(problems: Sequence[Problem], verdict: str, err: TextIO) -> None:
    """Print every problem, one a line with its location, then how many and ``verdict``
    (``"the model is not valid"``, say)."""
    for problem in problems:
        print(f"{problem}", file=err)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''}; {verdict}", file=err)


def is_terminal(stream: TextIO) -> bool:
    """True when ``stream`` is an interactive terminal (not a pipe or a file)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def print_sections(sections: Sequence[Section], out: TextIO) -> None:
    """Rich tables on a terminal; plain aligned text when piped or redirected."""
    if not is_terminal(out):
        from layermodel.analysis import render_text

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


@contextlib.contextmanager
def counter(label: str, stream: TextIO | None = None) -> Iterator[Callable[[int, int], None]]:
    """A progress bar over a count of items, shown only on a terminal.

    Yields a callback to call with (items done, items in all).
    """
    err = stream or sys.stderr
    if not is_terminal(err):
        yield lambda _done, _total: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(file=err),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
