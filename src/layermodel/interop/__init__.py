"""Interoperability: Backstage catalogs in and out; ArchiMate, Wardley maps and JSON
Schema out.

>>> import layermodel as lm
>>> from layermodel.interop import export_backstage
>>> export_backstage(lm.example()).count("kind: System")
3
"""

from layermodel.errors import InputError
from layermodel.interop.archimate import export_archimate
from layermodel.interop.backstage import (
    ImportResult,
    backstage_entities,
    export_backstage,
    import_backstage,
)
from layermodel.interop.layer_rules import LayerRule, LayerRules, read_layer_rules
from layermodel.interop.wardley import export_wardley

__all__ = [
    "ImportResult",
    "InputError",
    "LayerRule",
    "LayerRules",
    "backstage_entities",
    "export_archimate",
    "export_backstage",
    "export_wardley",
    "import_backstage",
    "read_layer_rules",
]
