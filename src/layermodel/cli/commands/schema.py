"""``layermodel schema``: print the JSON Schema of model files."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import emit


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the schema (of model files, or of ``[tool.layermodel]`` with
    ``--pyproject``), or write it to ``-o FILE``."""
    from layermodel import model_file_schema

    if args.pyproject:
        from layermodel.checks import tool_schema

        schema = tool_schema()
    else:
        schema = model_file_schema()
    emit(json.dumps(schema, indent=2) + "\n", args.output, out, err)
    return status.OK
