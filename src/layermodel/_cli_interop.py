"""The ``import`` and ``export`` commands: Backstage in and out; ArchiMate, Wardley
maps and JSON Schema out. Registered into the main parser by :func:`register`."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

EXIT_OK = 0
EXIT_USAGE = 2


def register(commands: Any) -> None:
    """Add ``import`` and ``export`` to the ``layermodel`` subcommands."""
    from layermodel.cli import _add_common

    importer = commands.add_parser(
        "import",
        help="import a model from another tool (Backstage)",
        description="Import a model from another tool's files.",
    )
    _add_common(importer)
    importer.set_defaults(run=_usage(importer))
    sources = importer.add_subparsers(dest="source", metavar="FORMAT")
    backstage = sources.add_parser(
        "backstage",
        help="Backstage catalog-info YAML files or folders",
        description=(
            "Import Backstage catalog files (multi-document YAML, folders, Location "
            "entities followed) into a model. Components, Resources and APIs become "
            "components; Systems of type product become products. Prints an account of "
            "every entity: imported, skipped by kind, or reported. Exit 0 when the model "
            "was written, 2 when the input cannot be read."
        ),
    )
    backstage.add_argument("paths", nargs="+", metavar="PATH", help="catalog files or folders")
    backstage.add_argument(
        "-o", "--output", metavar="MODEL", default="-", help="model file to write; - for stdout"
    )
    backstage.add_argument("--layer-rules", metavar="FILE", help="YAML rules that place entities")
    backstage.add_argument(
        "--default-layer", metavar="ID", help="layer of entities no annotation or rule places"
    )
    backstage.add_argument(
        "--product-systems",
        metavar="TYPES",
        default="product",
        help="System spec.type values that make a product, comma-separated, or ALL "
        "(default: product)",
    )
    backstage.add_argument("--name", help="the model's name")
    _add_common(backstage)
    backstage.set_defaults(run=cmd_import_backstage)

    exporter = commands.add_parser(
        "export",
        help="export a model for other tools (Backstage, ArchiMate, Wardley, JSON Schema)",
        description="Export a model in another tool's format.",
    )
    _add_common(exporter)
    exporter.set_defaults(run=_usage(exporter))
    targets = exporter.add_subparsers(dest="target", metavar="FORMAT")

    def target(name: str, help: str, description: str, models: bool = True) -> Any:
        parser = targets.add_parser(name, help=help, description=description)
        if models:
            parser.add_argument("models", nargs="+", metavar="MODEL", help="model files")
        parser.add_argument(
            "-o", "--output", metavar="FILE", default="-", help="file to write; - for stdout"
        )
        _add_common(parser)
        return parser

    target(
        "backstage",
        "Backstage catalog YAML",
        "Write the model as multi-document Backstage catalog YAML; importing it again "
        "gives the same model.",
    ).set_defaults(run=cmd_export_backstage)
    target(
        "archimate",
        "ArchiMate Open Exchange Format XML",
        "Write the model as an ArchiMate 3 Open Group exchange file with one layered view.",
    ).set_defaults(run=cmd_export_archimate)
    wardley = target(
        "wardley",
        "OnlineWardleyMaps text",
        "Write the model, or one product's footprint, as an OnlineWardleyMaps map.",
    )
    wardley.add_argument("--product", metavar="ID", help="map only this product's footprint")
    wardley.set_defaults(run=cmd_export_wardley)
    target(
        "jsonschema",
        "JSON Schema of model files",
        "Write the JSON Schema of model files, for editors.",
        models=False,
    ).set_defaults(run=cmd_export_jsonschema)


def _usage(parser: argparse.ArgumentParser) -> Any:
    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        parser.print_help(err)
        return EXIT_USAGE

    return run


def _print_problems(problems: Any, err: TextIO, verdict: str) -> None:
    for problem in problems:
        print(f"{problem}", file=err)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''}; {verdict}", file=err)


def cmd_import_backstage(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel import backstage``."""
    from layermodel.cli import _emit
    from layermodel.interop import InputError, import_backstage
    from layermodel.model import dumps
    from layermodel.model import format_of as _format_of

    try:
        result = import_backstage(
            *args.paths,
            layer_rules=args.layer_rules,
            default_layer=args.default_layer,
            product_systems=args.product_systems,
            name=args.name,
        )
    except InputError as exc:
        _print_problems(exc.problems, err, "nothing was imported")
        return EXIT_USAGE
    output = args.output
    fmt = "yaml" if output == "-" else _format_of(output, "", None)
    _emit(dumps(result.ecosystem, fmt), output, out, err)
    err.write(result.summary())
    return EXIT_OK


def _load(args: argparse.Namespace, err: TextIO) -> Any:
    from layermodel.cli import _load_or_report

    return _load_or_report(args.models, err)


def cmd_export_backstage(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel export backstage``."""
    from layermodel.cli import _emit
    from layermodel.interop import export_backstage

    eco = _load(args, err)
    if eco is None:
        return EXIT_USAGE
    _emit(export_backstage(eco), args.output, out, err)
    return EXIT_OK


def cmd_export_archimate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel export archimate``."""
    from layermodel.cli import _emit
    from layermodel.interop.archimate import export_archimate

    eco = _load(args, err)
    if eco is None:
        return EXIT_USAGE
    _emit(export_archimate(eco), args.output, out, err)
    return EXIT_OK


def cmd_export_wardley(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel export wardley``."""
    from layermodel.cli import _emit
    from layermodel.errors import suggest
    from layermodel.interop.wardley import export_wardley

    eco = _load(args, err)
    if eco is None:
        return EXIT_USAGE
    if args.product is not None and args.product not in eco.product_index:
        near = suggest(args.product, eco.product_index)
        hint = f"; did you mean {near!r}?" if near else ""
        print(f"layermodel: no product {args.product!r} in the model{hint}", file=err)
        return EXIT_USAGE
    _emit(export_wardley(eco, args.product), args.output, out, err)
    return EXIT_OK


def cmd_export_jsonschema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel export jsonschema``: the same schema as ``layermodel schema``."""
    from layermodel.cli import _emit
    from layermodel.model.schema import model_file_schema

    _emit(json.dumps(model_file_schema(), indent=2) + "\n", args.output, out, err)
    return EXIT_OK
