"""Models for the site tests: a random 1,000-component portfolio with nested groups
and owners, from the benchmarks' seeded generator."""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from typing import Any

import layermodel as lm
from tests.conftest import REPO


@cache
def _synthetic() -> Any:
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DOMAINS = ("Payments", "Search", "Maps", "Identity", "Data", "Platform", "Ads")


def grouped_document(n: int, seed: int = 0) -> dict[str, Any]:
    """The synthetic model of ``n`` components, each in a group ``Domain/Team k`` (and
    every ninth in a third level), so every kind of page is written."""
    document: dict[str, Any] = _synthetic().generate(n, seed=seed)
    for i, c in enumerate(document["components"]):
        group = f"{DOMAINS[i % len(DOMAINS)]}/Team {i % 11}"
        if i % 9 == 0:
            group += "/Core"
        c["group"] = group
    return document


def grouped(n: int, seed: int = 0) -> lm.Ecosystem:
    """:func:`grouped_document` as a model."""
    return lm.loads(json.dumps(grouped_document(n, seed)), "json")
