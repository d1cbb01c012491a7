"""layermodel: model product portfolios as layers of reusable components.

Describe products (Search, Docs, Maps) as stacks of layers holding shared
components, in Python or in YAML/JSON files; analyse reuse; draw layered diagrams.

>>> import layermodel as lm
>>> eco = lm.example()
>>> sorted(p.id for p in eco.products)
['docs', 'maps', 'search']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layermodel.errors import (
    InputError,
    LayermodelError,
    ModelError,
    Problem,
    ReadError,
    WriteError,
)
from layermodel.model import (
    DEFAULT_LAYERS,
    Builder,
    Component,
    Dependency,
    Ecosystem,
    Layer,
    Link,
    Product,
    Provenance,
    Ref,
    dep,
    dumps,
    example,
    example_text,
    load,
    loads,
    model_file_schema,
    save,
)

if TYPE_CHECKING:
    from layermodel.diagrams import Diagram, render
    from layermodel.history import HistoryResult, history


def __getattr__(name: str) -> Any:
    # Diagrams are imported on first use, to keep `import layermodel` light.
    if name in ("render", "Diagram"):
        from layermodel import diagrams

        return getattr(diagrams, name)
    # History needs git and the checks: imported on first use too.
    # Importing the package sets ``layermodel.history`` to it; it is callable (it
    # runs the function), so the name means the same before and after.
    if name in ("history", "HistoryResult"):
        import importlib

        package = importlib.import_module("layermodel.history")
        return package if name == "history" else package.HistoryResult
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
    "Diagram",
    "Ecosystem",
    "HistoryResult",
    "InputError",
    "Layer",
    "LayermodelError",
    "Link",
    "ModelError",
    "Problem",
    "Product",
    "Provenance",
    "ReadError",
    "Ref",
    "WriteError",
    "__version__",
    "dep",
    "dumps",
    "example",
    "example_text",
    "history",
    "load",
    "loads",
    "model_file_schema",
    "render",
    "save",
]
