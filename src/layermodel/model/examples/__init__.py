"""The built-in example model: Google Search, Docs and Maps on shared infrastructure,
and a fragment adding Google Photos, for launch plans."""

from __future__ import annotations

from importlib import resources

from layermodel.model.entities import Ecosystem
from layermodel.model.io.model_files import loads

__all__ = ["example", "example_text", "new_product_text"]


def example_text() -> str:
    """The YAML text of the built-in Google example."""
    return resources.files(__package__).joinpath("google.yaml").read_text(encoding="utf-8")


def example() -> Ecosystem:
    """The built-in Google example as a model."""
    return loads(example_text(), "yaml", source="google.yaml")


def new_product_text() -> str:
    """A model fragment adding Google Photos to the example, for launch plans."""
    return resources.files(__package__).joinpath("google-photos.yaml").read_text(encoding="utf-8")
