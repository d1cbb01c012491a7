"""Models for the check tests, built from the examples."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from layermodel.cli import main
from tests.conftest import EXAMPLES

GOOGLE = EXAMPLES / "google" / "model.yaml"


def google() -> dict[str, Any]:
    """The Google example as plain data."""
    data: dict[str, Any] = yaml.safe_load(GOOGLE.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def component(data: dict[str, Any], ident: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in data["components"] if c["id"] == ident)
    return found


def depend(data: dict[str, Any], source: str, target: str) -> dict[str, Any]:
    """Add the dependency source -> target."""
    record = component(data, source)
    record.setdefault("depends_on", []).append(target)
    return data


def undepend(data: dict[str, Any], source: str, target: str) -> dict[str, Any]:
    record = component(data, source)
    record["depends_on"] = [
        d for d in record["depends_on"] if (d["target"] if isinstance(d, dict) else d) != target
    ]
    return data


def legacy() -> dict[str, Any]:
    """Google with two upward dependencies, as a legacy portfolio has."""
    data = google()
    depend(data, "distributed-db", "logo")
    depend(data, "mapreduce", "collaboration")
    return data


def save(path: Path, data: dict[str, Any], **style: Any) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, **style), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err
