"""The JSON Schema of model files, generated from the pydantic models so it cannot drift."""

from __future__ import annotations

from typing import Any

from layermodel.model.io.model_files import ModelFile

SCHEMA_ID = "https://layermodel.dev/schema/model-1.json"


def model_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that model files, YAML or JSON, must follow.

    Point an editor at it to get completion and checking while writing YAML, e.g. with
    the YAML language server: ``# yaml-language-server: $schema=layermodel.schema.json``.
    """
    schema = ModelFile.model_json_schema(mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
    schema["title"] = "layermodel model file"
    return schema
