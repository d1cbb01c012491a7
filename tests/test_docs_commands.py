"""Every ``layermodel ...`` command line in the README, the docs and the examples'
READMEs uses only subcommands and flags the real parser has, and the workflows the
docs describe run."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

_GENERATED = {"cli.md"}  # written from the parser itself (tests/test_docs.py)


def _pages() -> list[Path]:
    return [
        REPO / "README.md",
        *sorted(p for p in (REPO / "docs").glob("*.md") if p.name not in _GENERATED),
        *sorted((REPO / "examples").glob("*/README.md")),
    ]


_INLINE = re.compile(r"`(layermodel [^`\n]+)`")
_FENCE = re.compile(r"^\s*(```|~~~)")


def command_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(line number, command, whole) for each ``layermodel ...`` command: lines of code
    blocks that start with it (after an optional ``$``; ``whole`` is true), and inline
    code spans that do (often a fragment of a command, so ``whole`` is false)."""
    in_block = False
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if _FENCE.match(line):
            in_block = not in_block
            continue
        if in_block:
            stripped = line.strip().removeprefix("$ ")
            if stripped.startswith("layermodel ") and not stripped.startswith("layermodel: "):
                at = number
                while stripped.endswith("\\") and at < len(lines):  # a continued line
                    stripped = stripped[:-1] + " " + lines[at].strip()
                    at += 1
                yield number, stripped, True
            continue
        for match in _INLINE.finditer(line):
            yield number, match.group(1), False


_TOOLS = r"(?:head|tail|jq|grep|less|tee|sort|wc|python|dot|xargs)\b"
"""Programs a documented command is piped into; ``a | b`` elsewhere is a choice."""


def _cut(command: str) -> str:
    """A command without its trailing comment and what a shell pipe, redirection or
    ``&&`` adds (``| head``, ``> out.txt``)."""
    command = re.sub(r"\s#.*$", "", command)
    return re.split(rf"\s(?:\|\s*(?={_TOOLS})|>|&&|;)", command, maxsplit=1)[0]


def _words(command: str) -> list[str]:
    """The words of a command, with ``[...]`` optional groups opened up."""
    return shlex.split(command.replace("[", " ").replace("]", " "))


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def problems_in(command: str, parser: argparse.ArgumentParser, whole: bool = True) -> list[str]:
    """What in ``command`` the parser does not have: a subcommand or a flag; and, for a
    ``whole`` command written out in full (no ``[...]``, ``a|b`` or ``...``
    placeholders), whatever argparse itself refuses."""
    command = _cut(command)
    words = _words(command)[1:]
    found: list[str] = []
    current, path = parser, ["layermodel"]
    position = 0
    while position < len(words):
        subs = _subparsers(current)
        word = words[position]
        if not subs or word.startswith("-"):
            break
        if word not in subs:
            if word in ("COMMAND", "...", "|") or "|" in word:
                return found  # "layermodel COMMAND --help", "analyze | whatif | diff ..."
            found.append(f"no subcommand {word!r} of {' '.join(path)}")
            return found
        current = subs[word]
        path.append(word)
        position += 1
    known = _options(current)
    for word in words[position:]:
        if word.startswith("-") and word not in ("-", "--"):
            flag = word.split("=", 1)[0]
            if flag not in known:
                found.append(f"{' '.join(path)} has no option {flag}")
    written_out = not any(s in command for s in ("...", "[", "|"))
    if not found and whole and written_out:
        with (
            contextlib.redirect_stderr(io.StringIO()) as err,
            contextlib.redirect_stdout(io.StringIO()),
        ):
            try:
                parser.parse_args(words)
            except SystemExit as stop:
                if stop.code not in (0, None):
                    message = err.getvalue().strip().splitlines()[-1:]
                    found.append(f"argparse refuses it: {' '.join(message)}")
    return found


def test_the_extractor_finds_blocks_and_inline_code() -> None:
    text = (
        "Run `layermodel analyze m.yaml --bogus` or `ls`.\n"
        "```sh\n$ layermodel whatif m.yaml --retire x  # comment\n"
        "layermodel: error: not a command\n```\n"
    )
    assert list(command_lines(text)) == [
        (1, "layermodel analyze m.yaml --bogus", False),
        (3, "layermodel whatif m.yaml --retire x  # comment", True),
    ]
    from layermodel.cli.parser import build_parser

    parser = build_parser()
    assert problems_in("layermodel analyze m.yaml --bogus", parser) == [
        "layermodel analyze has no option --bogus"
    ]
    assert problems_in("layermodel nosuch m.yaml", parser) == [
        "no subcommand 'nosuch' of layermodel"
    ]
    assert problems_in("layermodel whatif m.yaml --retire x | head -3", parser) == []
    assert problems_in("layermodel whatif m.yaml --retire | head", parser)  # no ID
    assert problems_in("layermodel diff a.yaml b.yaml [--fail-on violations]", parser) == []
    assert problems_in("layermodel diff a.yaml b.yaml --no-violations", parser)
    assert problems_in("layermodel whatif m.yaml", parser)  # argparse: a change is required


def test_every_documented_command_line_is_one_the_cli_has() -> None:
    from layermodel.cli.parser import build_parser

    parser = build_parser()
    seen = 0
    wrong = []
    for page in _pages():
        for number, command, whole in command_lines(page.read_text(encoding="utf-8")):
            seen += 1
            for problem in problems_in(command, parser, whole):
                wrong.append(f"{page.relative_to(REPO)}:{number}: {command}: {problem}")
    assert seen > 100, "the extractor found too few command lines"
    assert not wrong, "\n".join(wrong)


# -- the workflows the docs describe --------------------------------------------------


def _run(*argv: str) -> tuple[int, str, str]:
    from layermodel.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_documented_whatif_save_diff_workflow_runs(tmp_path: Path) -> None:
    # docs/analysis-whatif.md, "Command line": review a what-if, save the model after
    # with --save, then diff the two; -o writes the report, not the model.
    import layermodel as lm

    model = tmp_path / "model.yaml"
    lm.save(lm.example(), model)
    after, report = tmp_path / "after.yaml", tmp_path / "report.json"
    code, _, err = _run(
        "whatif", str(model), "--retire", "maps", "--format", "json",
        "-o", str(report), "--save", str(after),
    )  # fmt: skip
    assert code == 0, err
    answer = json.loads(report.read_text(encoding="utf-8"))
    assert answer["kind"] == "retire-product"
    assert lm.load(after).product_index.keys() == {"search", "docs"}
    code, out, err = _run("diff", str(model), str(after), "--fail-on", "violations")
    assert code == 0, err
    assert "removed (1): maps" in out
    code, out, _ = _run("diff", str(model), str(after), "--format", "json")
    assert json.loads(out)["products"]["removed"] == ["maps"]


@pytest.mark.parametrize("page", ["docs/analysis-whatif.md"])
def test_whatif_page_documents_save_for_the_model(page: str) -> None:
    text = (REPO / page).read_text(encoding="utf-8")
    assert "--save AFTER" in text
    assert "-o AFTER" not in text
