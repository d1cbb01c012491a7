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
from layermodel.interop.layer_rules import LayerRule, LayerRules, read_layer_rules
from layermodel.interop.likec4 import discover_likec4, import_likec4
from layermodel.interop.traces import discover_traces, import_traces

__all__ = [
    "ImportResult",
    "InputError",
    "LayerRule",
    "LayerRules",
    "backstage_entities",
    "discover_likec4",
    "discover_traces",
    "export_backstage",
    "import_backstage",
    "import_likec4",
    "import_traces",
    "read_layer_rules",
]
