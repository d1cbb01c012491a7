"""``layermodel export``: a model in another tool's format (Backstage, ArchiMate,
Wardley maps) and the JSON Schema of model files."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import check_product, emit, load_model


def backstage(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel export backstage``: multi-document Backstage catalog YAML."""
    from layermodel.interop import export_backstage

    emit(export_backstage(load_model(args.models, err)), args.output, out, err)
    return status.OK


def archimate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel export archimate``: an ArchiMate Open Exchange Format file."""
    from layermodel.interop import export_archimate

    emit(export_archimate(load_model(args.models, err)), args.output, out, err)
    return status.OK


def wardley(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel export wardley``: an OnlineWardleyMaps map of the model, or of one
    product's footprint."""
    from layermodel.interop import export_wardley

    eco = load_model(args.models, err)
    check_product(eco, args.product, err)
    emit(export_wardley(eco, args.product), args.output, out, err)
    return status.OK


def jsonschema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel export jsonschema``: the same schema as ``layermodel schema``."""
    from layermodel import model_file_schema

    emit(json.dumps(model_file_schema(), indent=2) + "\n", args.output, out, err)
    return status.OK
