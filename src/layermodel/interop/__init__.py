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
from layermodel.interop.kubernetes import discover_kubernetes, import_kubernetes
from layermodel.interop.layer_rules import LayerRule, LayerRules, read_layer_rules

__all__ = [
    "ImportResult",
    "InputError",
    "LayerRule",
    "LayerRules",
    "backstage_entities",
    "discover_kubernetes",
    "export_backstage",
    "import_backstage",
    "import_kubernetes",
    "read_layer_rules",
]
