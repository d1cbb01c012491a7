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
    from layermodel.timeline import HistoryResult, history


def __getattr__(name: str) -> Any:
    # Diagrams are imported on first use, to keep `import layermodel` light.
    if name in ("render", "Diagram"):
        from layermodel import diagrams

        return getattr(diagrams, name)
    # History needs git and the checks (layermodel.timeline): imported on first use too.
    if name in ("history", "HistoryResult"):
        from layermodel import timeline

        return getattr(timeline, name)
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
