"""Docs stay true to the code: generated pages are current, links resolve, code runs."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import re
import runpy
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO


def test_generated_pages_are_up_to_date() -> None:
    generate = runpy.run_path(str(REPO / "docs" / "generate.py"))
    assert generate["main"](check=True) == 0, "run: python docs/generate.py"


def test_relative_links_resolve() -> None:
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#]+)\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


_PAGES_WITH_CODE = [
    REPO / "README.md",
    *sorted((REPO / "docs").glob("*.md")),
    *sorted((REPO / "examples").glob("*/README.md")),
]

# A Python block, then optionally a line of prose such as "prints", then the text block
# showing what the Python block prints.
_BLOCK = re.compile(r"```python\n(.*?)```\n(?:\n(?:[^`\n][^\n]*\n)?\n?```text\n(.*?)```)?", re.S)


@pytest.mark.parametrize("page", _PAGES_WITH_CODE, ids=lambda p: str(p.relative_to(REPO)))
def test_python_blocks_in_docs_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The blocks of one page run in order in one namespace, as a reader would type
    # them, in an empty folder so that files they write go nowhere. A block followed
    # by a text block must print exactly that text (as a doctest would check it).
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for block, shown in _BLOCK.findall(page.read_text(encoding="utf-8")):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(page), "exec"), namespace)
        if shown and out.getvalue():
            printed = out.getvalue().rstrip("\n")
            assert printed == shown.rstrip("\n"), (
                f"{page.name}: the block\n{block}\nprints otherwise"
            )


# -- the command-line reference ------------------------------------------------------


def _commands(
    parser: argparse.ArgumentParser, prefix: str
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((f"{prefix} {name}", sub))
                found += _commands(sub, f"{prefix} {name}")
    return found


def test_cli_reference_is_generated_from_the_parser() -> None:
    from layermodel.cli.parser import build_parser

    generate = runpy.run_path(str(REPO / "docs" / "generate.py"))
    page = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == generate["cli_page"](), "docs/cli.md is stale: run python docs/generate.py"
    commands = _commands(build_parser(), "layermodel")
    assert {"layermodel analyze", "layermodel render", "layermodel export wardley"} <= {
        name for name, _ in commands
    }
    for name, parser in commands:
        heading = re.search(rf"^#+ `{name}`\n", page, re.M)
        assert heading, f"no section for {name}"
        section = page[heading.end() :].split("\n#", 1)[0]
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help", "--version", "--debug"):
                    assert f"`{option}`" in section, f"{name}: {option} not documented"
            if action.help and not action.option_strings and action.nargs != argparse.PARSER:
                assert " ".join(action.help.split()) in section, f"{name}: {action.dest}"


# -- the site's hook ------------------------------------------------------------------


def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("site_hook", REPO / "docs" / "hooks" / "site.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_site_nav_lists_every_example() -> None:
    hook = _hook()
    config = hook.on_config({"nav": [{"Home": "index.md"}, {"Examples": []}]})
    section = config["nav"][1]["Examples"]
    pages = [next(iter(item.values())) for item in section]
    readmes = sorted(p.parent.name for p in (REPO / "examples").glob("*/README.md"))
    assert pages == ["examples/index.md", *(f"examples/{name}/README.md" for name in readmes)]
    index = hook.index_page()
    for name in readmes:
        assert f"({name}/README.md)" in index


def test_site_hook_rewrites_repository_links() -> None:
    hook = _hook()

    class Files:
        published = frozenset({"analysis-layering.md", "index.md", "examples/taxi/README.md"})

        def get_file_from_path(self, path: str) -> object | None:
            return path if path in self.published else None

    example = (
        "[rules](../../docs/analysis-layering.md#sources) [home](../../README.md) "
        "[code](../../src/layermodel/cli/main.py) [gone](../../docs/nope.md)\n"
        "```md\n[kept](../../src/layermodel/cli/main.py)\n```\n"
    )
    out = hook.rewrite(example, "examples/taxi/README.md", Files())
    assert "[rules](../../analysis-layering.md#sources)" in out
    assert "[home](../../index.md)" in out
    assert "code [gone](../../docs/nope.md)" in out  # unpublished: text; missing: left to fail
    assert "[kept](../../src/layermodel/cli/main.py)" in out  # code blocks untouched
    assert hook.rewrite("[s](../src/layermodel/cli/main.py)", "diagrams.md", Files()) == "s"


def test_gallery_shows_every_generated_image() -> None:
    page = _hook().gallery_page()
    images = [*sorted((REPO / "docs" / "images").glob("*.png"))]
    for readme in sorted((REPO / "examples").glob("*/README.md")):
        images += sorted((readme.parent / "diagrams").glob("*.png"))
    for image in images:
        assert image.relative_to(REPO).as_posix().removeprefix("docs/") in page
