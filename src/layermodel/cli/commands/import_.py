"""``layermodel import``: a model from another tool's files (``import backstage``).

The module is ``import_`` because ``import`` is a Python keyword."""

from __future__ import annotations

import argparse
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import emit
from layermodel.cli.terminal import print_problems


def backstage(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel import backstage``: write the model (YAML or JSON, by the suffix of
    ``-o``), then an account of every entity; an existing ``-o`` file is replaced only
    when the import succeeded."""
    from layermodel import dumps
    from layermodel.interop import InputError, import_backstage
    from layermodel.model import format_of

    try:
        result = import_backstage(
            *args.paths,
            layer_rules=args.layer_rules,
            default_layer=args.default_layer,
            product_systems=args.product_systems,
            name=args.name,
        )
    except InputError as exc:
        print_problems(exc.problems, "nothing was imported", err)
        return status.of_error(exc)
    output = args.output
    fmt = "yaml" if output == "-" else format_of(output, "", None)
    emit(dumps(result.ecosystem, fmt), output, out, err)
    err.write(result.summary())
    return status.OK
