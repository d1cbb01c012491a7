"""Interoperability: Backstage catalogs in and out; ArchiMate, Wardley maps and JSON
Schema out.

>>> import layermodel as lm
>>> from layermodel.interop import export_backstage
>>> export_backstage(lm.example()).count("kind: System")
3
"""

from layermodel.errors import InputError
from layermodel.interop.backstage import (
    ImportResult,
    backstage_entities,
    export_backstage,
    import_backstage,
)
from layermodel.interop.compose import discover_compose, import_compose
from layermodel.interop.layer_rules import LayerRule, LayerRules, read_layer_rules

__all__ = [
    "ImportResult",
    "InputError",
    "LayerRule",
    "LayerRules",
    "backstage_entities",
    "discover_compose",
    "export_backstage",
    "import_backstage",
    "import_compose",
    "read_layer_rules",
]
