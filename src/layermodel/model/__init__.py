"""The model: immutable pydantic classes, the builder, model files and the one reader.

The modules, bottom to top (each imports only those before it):
``elements`` (layers, components, dependencies, products), ``problems`` (validation
errors a person can act on), ``integrity`` (cross-references), ``collector``,
``entities`` (the :class:`Ecosystem`), ``builder``, ``io`` (the one reader of every
input, model files, atomic writes), ``schema`` and ``examples``.
"""

from layermodel.model.builder import Builder, Ref, dep
from layermodel.model.entities import (
    DEFAULT_LAYERS,
    CheckRule,
    Component,
    Dependency,
    Ecosystem,
    Layer,
    Link,
    Product,
    Provenance,
    Selector,
)
from layermodel.model.examples import example, example_text, new_product_text
from layermodel.model.io import (
    Document,
    display_name,
    dumps,
    format_of,
    load,
    load_at,
    loads,
    read_at,
    read_document,
    read_documents,
    save,
    write_atomic,
)
from layermodel.model.schema import model_file_schema

__all__ = [
    "DEFAULT_LAYERS",
    "Builder",
    "CheckRule",
    "Component",
    "Dependency",
    "Document",
    "Ecosystem",
    "Layer",
    "Link",
    "Product",
    "Provenance",
    "Ref",
    "Selector",
    "dep",
    "display_name",
    "dumps",
    "example",
    "example_text",
    "format_of",
    "load",
    "load_at",
    "loads",
    "model_file_schema",
    "new_product_text",
    "read_at",
    "read_document",
    "read_documents",
    "save",
    "write_atomic",
]
