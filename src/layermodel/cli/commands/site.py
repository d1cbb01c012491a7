"""``layermodel site``: write the portfolio site."""

from __future__ import annotations

import argparse
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import load_model
from layermodel.cli.terminal import print_problems, progress, say


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load the model and the optional history and drift files, write the site."""
    from layermodel import InputError, ModelError, ReadError
    from layermodel.site import SiteError, build_site, read_drift, read_history

    if "-" in args.models:
        say("the site needs model files (their lines place the check findings), not -", err)
        return status.UNREADABLE
    eco = load_model(args.models, err)
    try:
        history = read_history(args.history) if args.history else None
        drift = read_drift(args.drift) if args.drift else None
    except (InputError, ReadError) as exc:
        print_problems(exc.problems, "the file cannot be used", err)
        return status.UNREADABLE
    try:
        with progress(("analysis", "pictures", "pages"), err) as step:
            result = build_site(
                eco, args.output, files=args.models, history=history, drift=drift, progress=step
            )
    except SiteError as exc:
        say(str(exc), err)
        return status.UNREADABLE
    except ModelError as exc:  # a check rule's product file, or a bad baseline
        print_problems(exc.problems, "the checks cannot be run", err)
        return status.UNREADABLE
    for note in result.notes:
        say(note, err)
    say(
        f"wrote {result.path}: {result.pages:,} pages in {result.seconds:.1f} s; "
        f"open {result.path / 'index.html'}",
        err,
    )
    return status.OK
