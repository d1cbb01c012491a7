"""``layermodel analyze``: the whole analysis report, as tables, text, Markdown or JSON."""

from __future__ import annotations

import argparse
import contextlib
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import check_product, emit, load_model
from layermodel.cli.terminal import print_sections, progress, say
from layermodel.errors import plural

BIG = 2_000
"""From this many components on, a progress bar shows the steps (on a terminal)."""


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Analyse the model; exit :data:`~status.FAILED` when ``--fail-on`` finds what it
    names."""
    from layermodel.analysis import STEPS, analyze

    eco = load_model(args.models, err)
    check_product(eco, args.product, err)
    big = len(eco.components) >= BIG
    with contextlib.ExitStack() as stack:
        if args.format == "json":
            from layermodel.cli.worker import blast_worker

            # On a large model, the blast radii and their JSON text are computed in a
            # second process meanwhile (LAYERMODEL_WORKERS=1 turns that off). It is
            # started before the progress bar, whose thread would make forking unsafe,
            # and killed and reaped on the way out whatever happens.
            stack.enter_context(blast_worker(eco))
        with progress(STEPS if big else (), err) as step:
            report = analyze(
                eco,
                min_users=args.min_users,
                cost_method=args.cost_method,
                product=args.product,
                gateways=args.gateways,
                advice=args.advice,
                progress=step,
            )
        text = report.to_json() + "\n" if args.format == "json" else None
    if text is not None:
        emit(text, args.output, out, err)
    elif args.format == "markdown":
        emit(report.to_markdown(), args.output, out, err)
    elif args.output and args.output != "-":
        emit(report.to_text(), args.output, out, err)
    else:
        print_sections(report.sections(), out)
    failed = []
    if "violations" in args.fail_on and report.layering.violations:
        failed.append(plural(len(report.layering.violations), "layering violation"))
    if "cycles" in args.fail_on and report.cycles.cycles:
        failed.append(plural(len(report.cycles.cycles), "dependency cycle"))
    if failed:
        say(f"failing because of {' and '.join(failed)}", err)
        return status.FAILED
    return status.OK
