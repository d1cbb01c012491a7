"""layermodel: model product portfolios as layers of reusable components.

Describe products (Search, Docs, Maps) as stacks of layers holding shared
components, in Python or in YAML/JSON files; analyse reuse; draw layered diagrams.

>>> import layermodel as lm
>>> eco = lm.example()
>>> sorted(p.id for p in eco.products)
['docs', 'maps', 'search']
"""

from __future__ import annotations

from layermodel.data import example, example_text
from layermodel.errors import LayermodelError, ModelError, Problem, ReadError, WriteError
from layermodel.model.builder import Builder, Ref, dep
from layermodel.model.entities import (
    DEFAULT_LAYERS,
    Component,
    Dependency,
    Ecosystem,
    Layer,
    Link,
    Product,
)
from layermodel.model.files import dumps, load, loads, save
from layermodel.model.schema import model_file_schema


def __getattr__(name: str) -> str:
    # The version is looked up on first use: importlib.metadata is slow to import.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("layermodel")
        except PackageNotFoundError:  # running from a source tree without installing
            return "0.0.0+unknown"
    raise AttributeError(f"module 'layermodel' has no attribute {name!r}")


__all__ = [
    "DEFAULT_LAYERS",
    "Builder",
    "Component",
    "Dependency",
    "Ecosystem",
    "Layer",
    "LayermodelError",
    "Link",
    "ModelError",
    "Problem",
    "Product",
    "ReadError",
    "Ref",
    "WriteError",
    "__version__",
    "dep",
    "dumps",
    "example",
    "example_text",
    "load",
    "loads",
    "model_file_schema",
    "save",
]
