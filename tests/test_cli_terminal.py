"""Terminal output: rich tables and a progress bar on a terminal, plain text in a pipe."""

from __future__ import annotations

import io

import layermodel as lm
from layermodel.analysis import STEPS, analyze
from layermodel.cli.terminal import print_sections, progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_tables_on_a_terminal_plain_text_in_a_pipe() -> None:
    sections = analyze(lm.example()).sections()
    terminal, pipe = FakeTerminal(), io.StringIO()
    print_sections(sections, terminal)
    print_sections(sections, pipe)
    assert "─" in terminal.getvalue()  # rich rules and table borders
    assert "─" not in pipe.getvalue() and "\x1b[" not in pipe.getvalue()
    assert "Summary\n=======" in pipe.getvalue()
    assert "data-centres" in terminal.getvalue()


def test_progress_bar_only_on_a_terminal() -> None:
    terminal = FakeTerminal()
    with progress(STEPS, terminal) as step:
        for name in STEPS:
            step(name)
    assert "analysing" in terminal.getvalue() or STEPS[-1] in terminal.getvalue()
    pipe = io.StringIO()
    with progress(STEPS, pipe) as step:
        step(STEPS[0])
    assert pipe.getvalue() == ""
