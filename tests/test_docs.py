"""Docs stay true to the code: generated pages are current, links resolve, code runs."""

from __future__ import annotations

import re
import runpy

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


def test_python_blocks_in_docs_run() -> None:
    for page in sorted((REPO / "docs").glob("*.md")):
        for block in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
            exec(compile(block, str(page), "exec"), {})
