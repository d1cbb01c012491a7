"""The model: immutable pydantic classes, the builder, and model files."""

from layermodel.model.entities import (
    DEFAULT_LAYERS,
    Component,
    Dependency,
    Ecosystem,
    Layer,
    Link,
    Product,
)
from layermodel.model.files import _format_of as format_of
from layermodel.model.files import write_atomic

__all__ = [
    "DEFAULT_LAYERS",
    "Component",
    "Dependency",
    "Ecosystem",
    "Layer",
    "Link",
    "Product",
    "format_of",
    "write_atomic",
]
