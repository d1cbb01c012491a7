"""Griffe extension (see mkdocstrings' ``extensions`` in mkdocs.yml): docstrings are
written for ``help()`` and doctest, in reST-flavoured text; this makes them read well
as Markdown without changing the source.

- A doctest session (``>>>`` lines, ``...`` continuations and their output, up to a
  blank line) becomes a fenced ``pycon`` block, instead of nested block quotes whose
  output (``['db']``) Markdown would take for a link.
- Sphinx roles (:class:`~layermodel.errors.ModelError`, :func:`x`) become code.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|exc|obj):`~?([^`]+)`")


def _role(match: re.Match[str]) -> str:
    text = match.group(1)
    short = match.group(0).split("`")[1].startswith("~")
    return f"`{text.rsplit('.', 1)[-1] if short else text}`"


def fence_doctests(text: str) -> str:
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
                i += 1
            out += [f"{indent}```pycon", *(indent + b for b in block), f"{indent}```"]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def markdownify(text: str) -> str:
    return ROLE.sub(_role, fence_doctests(text))


class MarkdownDocstrings(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdownify(obj.docstring.value)
