"""Check rules in ``pyproject.toml``, under ``[tool.layermodel]``.

::

    [tool.layermodel]
    baseline = "ci/layermodel-baseline.json"   # optional; relative to pyproject.toml

    [[tool.layermodel.checks]]
    id = "layering"
    rule = "layering"

    [[tool.layermodel.checks]]
    id = "no-ui-to-data"
    rule = "forbidden"
    from = {layer = "ui"}
    to = {layer = "infrastructure", tag = "database"}

The rules are those of a model file's ``checks:`` section (the same JSON Schema, see
:func:`tool_schema`); paths in them (``product_file``, ``sources``, ``layer_rules``) are
relative to ``pyproject.toml``. The file found is the nearest ``pyproject.toml`` in the
first model file's folder or above it.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from layermodel.errors import InputError, Problem, ReadError, show_value
from layermodel.model import CheckRule, Ecosystem
from layermodel.model.elements import _Frozen
from layermodel.model.entities import check_rule_problems
from layermodel.model.io import read_source
from layermodel.model.problems import problems_from_validation

__all__ = [
    "Config",
    "ToolConfig",
    "config_for",
    "find_pyproject",
    "read_tool_config",
    "tool_schema",
]

_LIMIT = 1 << 22


class ToolConfig(_Frozen):
    """The ``[tool.layermodel]`` table of ``pyproject.toml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    checks: tuple[CheckRule, ...] = Field(
        default=(), description="Rules `layermodel check` enforces, as in a model's checks:."
    )
    baseline: str | None = Field(
        default=None, description="The baseline file, relative to pyproject.toml."
    )


@dataclass(frozen=True)
class Config:
    """Rules and baseline read from one ``pyproject.toml``, paths already made relative
    to the model file's folder."""

    file: str
    checks: tuple[CheckRule, ...]
    baseline: str | None
    text: str = field(default="", repr=False)

    def problems_for(self, ecosystem: Ecosystem) -> list[Problem]:
        """The rules' references to layers and products ``ecosystem`` does not have,
        each at its line in the file."""
        found = check_rule_problems(self.checks, ecosystem.layer_index, ecosystem.product_index)
        headers = _header_lines(self.text)
        return [
            Problem(
                p.message,
                path=("tool", "layermodel", *p.path),
                file=self.file,
                line=_line_of(self.text, tuple(p.path), headers),
                suggestion=p.suggestion,
            )
            for p in found
        ]


def tool_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``[tool.layermodel]`` table."""
    schema = ToolConfig.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://layermodel.dev/schema/pyproject-tool-1.json",
        **schema,
        "title": "[tool.layermodel] in pyproject.toml",
    }


def find_pyproject(model_file: str | os.PathLike[str]) -> Path | None:
    """The nearest ``pyproject.toml`` in the folder of ``model_file`` or above it
    (the working directory for standard input), or None."""
    start = Path.cwd() if os.fspath(model_file) == "-" else Path(model_file).resolve().parent
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def _header_lines(text: str) -> list[int]:
    """The 1-based line of each ``[[tool.layermodel.checks]]`` header, in order."""
    pattern = re.compile(r"^\s*\[\[\s*tool\s*\.\s*layermodel\s*\.\s*checks\s*\]\]")
    return [i for i, line in enumerate(text.splitlines(), 1) if pattern.match(line)]


def _line_of(text: str, path: tuple[Any, ...], headers: list[int]) -> int | None:
    """The best line for a problem at ``path`` inside ``[tool.layermodel]``."""
    lines = text.splitlines()
    if (
        path[:1] == ("checks",)
        and len(path) > 1
        and isinstance(path[1], int)
        and path[1] < len(headers)
    ):
        start = headers[path[1]]
        end = headers[path[1] + 1] if path[1] + 1 < len(headers) else len(lines) + 1
        if len(path) > 2:
            key = str(path[2])
            key = "from" if key == "from_" else key
            want = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
            for i in range(start, min(end - 1, len(lines))):
                if want.match(lines[i]):
                    return i + 1
        return start
    table = re.compile(r"^\s*\[\s*tool\s*\.\s*layermodel\s*\]")
    found = next((i for i, line in enumerate(lines, 1) if table.match(line)), None)
    if found is not None and path and isinstance(path[0], str):
        want = re.compile(rf"^\s*\"?{re.escape(path[0])}\"?\s*=")
        for i in range(found, len(lines)):
            if lines[i].lstrip().startswith("["):
                break
            if want.match(lines[i]):
                return i + 1
    return found


def read_tool_config(
    path: str | os.PathLike[str], model_file: str | os.PathLike[str] = "-"
) -> Config | None:
    """The ``[tool.layermodel]`` table of the ``pyproject.toml`` at ``path``, or None
    when it has none. Paths in the rules become relative to ``model_file``'s folder.

    Raises:
        ReadError: the file cannot be read.
        InputError: it is not valid TOML, or the table is not valid (each problem with
            the file, its line and the offending value).
    """
    name = os.fspath(path)
    source = read_source(path, what="pyproject.toml", limit=_LIMIT)
    try:
        data = tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_AT.search(str(exc))
        message = _TOML_AT.sub("", str(exc)).strip()
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        raise InputError(
            [Problem(f"not valid TOML: {message}", file=name, line=line, column=column)]
        ) from None
    except RecursionError:
        raise InputError(
            [Problem("not valid TOML: arrays or tables nested too deeply", file=name)]
        ) from None
    tool = data.get("tool")
    raw = tool.get("layermodel") if isinstance(tool, dict) else None
    if raw is None:
        return None
    headers = _header_lines(source.text)
    if not isinstance(raw, dict):
        raise InputError(
            [
                Problem(
                    f"[tool.layermodel] must be a table, got {show_value(raw)}",
                    file=name,
                    line=next(
                        (
                            i
                            for i, text in enumerate(source.text.splitlines(), 1)
                            if re.match(r"^\s*(\"?tool\"?\s*\.\s*)?\"?layermodel\"?\s*=", text)
                        ),
                        None,
                    ),
                )
            ]
        )
    try:
        config = ToolConfig.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for problem, _at_key in problems_from_validation(exc, ToolConfig):
            problems.append(
                Problem(
                    problem.message,
                    path=("tool", "layermodel", *problem.path),
                    file=name,
                    line=_line_of(source.text, tuple(problem.path), headers),
                    suggestion=problem.suggestion,
                )
            )
        raise InputError(problems) from None
    seen: dict[str, int] = {}
    for i, rule in enumerate(config.checks):
        if rule.id in seen:
            raise InputError(
                [
                    Problem(
                        f"duplicate check id {rule.id!r} (also check {seen[rule.id] + 1})",
                        path=("tool", "layermodel", "checks", i, "id"),
                        file=name,
                        line=_line_of(source.text, ("checks", i, "id"), headers),
                    )
                ]
            )
        seen[rule.id] = i
    here = Path(name).resolve().parent
    there = Path.cwd() if os.fspath(model_file) == "-" else Path(model_file).resolve().parent

    def moved(value: str) -> str:
        return value if Path(value).is_absolute() else os.path.relpath(here / value, there)

    rules = []
    for rule in config.checks:
        update: dict[str, Any] = {}
        if rule.product_file is not None:
            update["product_file"] = moved(rule.product_file)
        if rule.layer_rules is not None:
            update["layer_rules"] = moved(rule.layer_rules)
        if rule.sources is not None:
            update["sources"] = tuple(moved(s) for s in rule.sources)
        rules.append(rule.model_copy(update=update) if update else rule)
    baseline = os.path.relpath(here / config.baseline) if config.baseline else None
    return Config(name, tuple(rules), baseline, source.text)


def config_for(model_files: list[str], explicit: str | None = None) -> Config | None:
    """The configuration of ``explicit`` (a ``pyproject.toml``), else of the nearest
    one to the first model file; None when there is none or it has no
    ``[tool.layermodel]`` table.

    Raises:
        ReadError, InputError: see :func:`read_tool_config`.
    """
    first = model_files[0] if model_files else "-"
    path = Path(explicit) if explicit else find_pyproject(first)
    if path is None:
        return None
    if explicit and not path.exists():
        raise ReadError.of(explicit, "does not exist")
    return read_tool_config(path, first)
