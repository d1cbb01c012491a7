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

__all__ = ["DEFAULT_LAYERS", "Component", "Dependency", "Ecosystem", "Layer", "Link", "Product"]
