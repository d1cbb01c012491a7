"""Structurizr in: workspace JSON and the DSL's model section, to a discovered model.

- :mod:`~layermodel.interop.structurizr.json` reads workspace JSON through the one
  reader;
- :mod:`~layermodel.interop.structurizr.dsl` tokenises and parses the DSL;
- :mod:`~layermodel.interop.structurizr.mapping` maps both onto the discovery core
  the same way (see that module for the rules).
"""

from __future__ import annotations

import os
import re

from layermodel.errors import InputError, Problem
from layermodel.interop.discovery.core import Discovered, DiscoveryResult, build_model
from layermodel.interop.layer_rules import LayerRules
from layermodel.interop.structurizr.dsl import read_workspace_dsl
from layermodel.interop.structurizr.json import read_workspace_json
from layermodel.interop.structurizr.mapping import LEVELS, Level, Workspace, discover
from layermodel.model.collector import paused
from layermodel.model.io import Source, read_source

__all__ = ["LEVELS", "discover_structurizr", "import_structurizr", "read_structurizr"]

_DSL_START = re.compile(r"\A(?:\s|#[^\n]*\n|//[^\n]*\n|/\*.*?\*/)*workspace\b", re.I | re.S)


def _format(source: Source) -> str:
    suffix = os.path.splitext(source.name)[1].lower()
    if suffix == ".json":
        return "json"
    if suffix == ".dsl":
        return "dsl"
    head = source.text.lstrip("\ufeff \t\r\n")[:1]
    if head == "{":
        return "json"
    if _DSL_START.match(source.text[:65536]):
        return "dsl"
    raise InputError(
        [
            Problem(
                "not a Structurizr workspace: expected workspace JSON (a .json file) or the "
                "DSL (a .dsl file starting with 'workspace')",
                file=source.name,
                line=1,
            )
        ]
    )


def read_structurizr(path: str | os.PathLike[str]) -> Workspace:
    """The Structurizr model in ``path``: workspace JSON (``.json``) or the DSL
    (``.dsl``); other names are recognised by their content.

    Raises:
        ReadError: the file (or one it includes) cannot be read.
        InputError: it is not a Structurizr workspace, or it is malformed; with file,
            line and column.
    """
    source = read_source(path, what="Structurizr workspace")
    if _format(source) == "json":
        return read_workspace_json(source)
    return read_workspace_dsl(source)


@paused
def discover_structurizr(
    path: str | os.PathLike[str], level: Level | str = "container"
) -> Discovered:
    """The components and dependencies a Structurizr workspace shows.

    Args:
        path: a workspace JSON or DSL file.
        level: ``"container"`` (the default: containers, and software systems without
            containers, are the components; Structurizr components fold into their
            container) or ``"component"`` (Structurizr components are kept apart;
            a container that has components is replaced by them).

    Raises:
        ValueError: ``level`` is not one of those.
        ReadError, InputError: as :func:`read_structurizr`.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    return discover(read_structurizr(path), level=level)  # type: ignore[arg-type]


def import_structurizr(
    path: str | os.PathLike[str],
    level: Level | str = "container",
    rules: LayerRules | None = None,
    aliases: dict[str, str] | None = None,
    name: str | None = None,
) -> DiscoveryResult:
    """A model from a Structurizr workspace (JSON or DSL), with the provenance of every
    component and dependency; see :func:`discover_structurizr` for ``level`` and
    :func:`~layermodel.interop.discovery.core.build_model` for ``rules``,
    ``aliases`` and ``name`` (the default name is the workspace's)."""
    found = discover_structurizr(path, level=level)
    return build_model(found, rules=rules, aliases=aliases, name=name, fallback_name="structurizr")
