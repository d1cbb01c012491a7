"""Interoperability: models from where the architecture already lives, and out to other
tools.

In: Backstage catalogs; discovery from compose files, Kubernetes manifests, Structurizr
workspaces, LikeC4 JSON exports and traces, one importer each or all at once
(:func:`discover`). Out: Backstage, ArchiMate, Wardley maps.

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
from layermodel.interop.compose import discover_compose, import_compose
from layermodel.interop.discover import discover
from layermodel.interop.discovery import Discovered, DiscoveryResult
from layermodel.interop.kubernetes import discover_kubernetes, import_kubernetes
from layermodel.interop.layer_rules import LayerRule, LayerRules, read_layer_rules
from layermodel.interop.likec4 import discover_likec4, import_likec4
from layermodel.interop.structurizr import discover_structurizr, import_structurizr
from layermodel.interop.traces import discover_traces, import_traces
from layermodel.interop.wardley import export_wardley

__all__ = [
    "Discovered",
    "DiscoveryResult",
    "ImportResult",
    "InputError",
    "LayerRule",
    "LayerRules",
    "backstage_entities",
    "discover",
    "discover_compose",
    "discover_kubernetes",
    "discover_likec4",
    "discover_structurizr",
    "discover_traces",
    "export_archimate",
    "export_backstage",
    "export_wardley",
    "import_backstage",
    "import_compose",
    "import_kubernetes",
    "import_likec4",
    "import_structurizr",
    "import_traces",
    "read_layer_rules",
]
