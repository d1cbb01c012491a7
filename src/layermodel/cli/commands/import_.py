"""``layermodel import`` and ``layermodel discover``: a model from other tools' files.

The module is ``import_`` because ``import`` is a Python keyword."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import emit
from layermodel.cli.terminal import print_problems


def _write(ecosystem: Any, summary: str, output: str, out: TextIO, err: TextIO) -> int:
    """Write the model (YAML or JSON, by the suffix of ``-o``), then the account."""
    from layermodel import dumps
    from layermodel.model import format_of

    fmt = "yaml" if output == "-" else format_of(output, "", None)
    emit(dumps(ecosystem, fmt), output, out, err)
    err.write(summary)
    return status.OK


def _run(make: Callable[[], Any], args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Import, then write; on any error print every problem and write nothing, so an
    existing ``-o`` file is left as it was."""
    from layermodel.errors import LayermodelError, ModelError

    try:
        result = make()
    except ModelError as exc:  # InputError and ReadError too: each has its problems
        print_problems(exc.problems, "nothing was imported", err)
        return status.of_error(exc)
    except LayermodelError as exc:
        print(f"layermodel: {exc}", file=err)
        return status.of_error(exc)
    return _write(result.ecosystem, result.summary(), args.output, out, err)


def _rules(args: argparse.Namespace) -> Any:
    from layermodel.interop import read_layer_rules

    return read_layer_rules(args.layer_rules) if args.layer_rules else None


def backstage(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel import backstage``: Backstage catalog files and folders."""
    from layermodel.interop import import_backstage

    def make() -> Any:
        return import_backstage(
            *args.paths,
            layer_rules=args.layer_rules,
            default_layer=args.default_layer,
            product_systems=args.product_systems,
            name=args.name,
        )

    return _run(make, args, out, err)


def compose(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel import compose``: compose files, merged in order."""
    from layermodel.interop import import_compose

    def make() -> Any:
        return import_compose(
            *args.paths,
            env_file=args.env_file or None,
            rules=_rules(args),
            name=args.name,
            project_name=args.project_name,
        )

    return _run(make, args, out, err)


def kubernetes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel import kubernetes``: manifests, folders and kustomizations."""
    from layermodel.interop import import_kubernetes

    return _run(
        lambda: import_kubernetes(*args.paths, rules=_rules(args), name=args.name),
        args,
        out,
        err,
    )


def structurizr(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel import structurizr``: a workspace, DSL or JSON."""
    from layermodel.interop import import_structurizr

    return _run(
        lambda: import_structurizr(args.path, level=args.level, rules=_rules(args), name=args.name),
        args,
        out,
        err,
    )


def likec4(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel import likec4``: the JSON ``likec4 export json`` writes."""
    from layermodel.interop import import_likec4

    return _run(
        lambda: import_likec4(*args.paths, rules=_rules(args), name=args.name),
        args,
        out,
        err,
    )


def traces(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel import traces``: OTLP JSON, Jaeger or Zipkin dependency links."""
    from layermodel.interop import import_traces

    return _run(
        lambda: import_traces(*args.paths, rules=_rules(args), name=args.name),
        args,
        out,
        err,
    )


def discover(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``layermodel discover``: every file of a known kind under the paths, merged."""
    from layermodel.interop import discover as discover_all

    return _run(
        lambda: discover_all(*args.paths, rules=_rules(args), name=args.name),
        args,
        out,
        err,
    )
