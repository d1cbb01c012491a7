"""Backstage catalogs in and out.

- :mod:`~layermodel.interop.backstage.read`: catalog files, folders and Locations
  into entities, through the one reader;
- :mod:`~layermodel.interop.backstage.mapping`: entities into a model
  (:func:`import_backstage`);
- :mod:`~layermodel.interop.backstage.export`: a model into catalog YAML;
- :mod:`~layermodel.interop.backstage.names`: entity references and names.

Which layer an entity goes to is decided by :mod:`layermodel.interop.layer_rules`.
"""

from layermodel.interop.backstage.export import backstage_entities, export_backstage
from layermodel.interop.backstage.mapping import ImportResult, import_backstage

__all__ = ["ImportResult", "backstage_entities", "export_backstage", "import_backstage"]
