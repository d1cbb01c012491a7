"""``layermodel drift``: the declared model against what the sources show."""

from __future__ import annotations

import argparse
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import emit, load_model
from layermodel.cli.terminal import print_problems


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load the model and the sources, compare them, report; 0 when they agree, 1 when
    they drift, 2 when anything cannot be read."""
    from layermodel import InputError, ModelError, ReadError
    from layermodel.checks import drift, observe, render_drift, source_lines
    from layermodel.interop import read_layer_rules

    eco = load_model(args.models, err)
    try:
        rules = read_layer_rules(args.layer_rules) if args.layer_rules else None
    except (InputError, ReadError) as exc:
        print_problems(exc.problems, "the layer-rules file cannot be used", err)
        return status.UNREADABLE
    try:
        reality = observe(*args.against, rules=rules)
    except ModelError as exc:  # unreadable sources, or a source model file that is invalid
        print_problems(exc.problems, "the sources cannot be read", err)
        return status.UNREADABLE
    ignore = [*(rules.ignore if rules is not None else ()), *args.ignore]
    report = drift(
        eco, reality, lines=source_lines(args.models), ignore=ignore, sources=args.against
    )
    emit(render_drift(report, args.format), args.output, out, err)
    return status.FAILED if report.drifted else status.OK
