"""The built-in example: Google Search, Docs and Maps on shared infrastructure."""

from __future__ import annotations

from importlib import resources

from layermodel.model.entities import Ecosystem

__all__ = ["example", "example_text"]


def example_text() -> str:
    """The YAML text of the built-in Google example."""
    return resources.files(__package__).joinpath("google.yaml").read_text(encoding="utf-8")


def example() -> Ecosystem:
    """The built-in Google example as a model."""
    from layermodel.model.files import loads

    return loads(example_text(), "yaml", source="google.yaml")
