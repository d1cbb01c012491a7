"""``layermodel render``: draw one view of a model."""

from __future__ import annotations

import argparse
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import load_model
from layermodel.cli.terminal import say


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Draw the view to ``-o FILE``, or to standard output (PNG and PDF only to a pipe)."""
    from layermodel.diagrams import format_for, render

    if args.depth is not None and args.focus is None:
        say("--depth goes with --focus ID: it counts hops from the component in focus", err)
        return status.UNREADABLE
    eco = load_model(args.models, err)
    to_file = args.output not in (None, "-")
    fmt = args.format or (format_for(args.output) if to_file else "svg")
    diagram = render(
        eco,
        args.view,
        fmt,
        layers=args.layer,
        tags=args.tag,
        owners=args.owner,
        row_width=args.row_width,
        timeout=args.timeout,
        rollup=args.rollup,
        focus=args.focus,
        depth=1 if args.depth is None else args.depth,
    )
    if to_file:
        path = diagram.save(args.output, fmt)
        print(f"wrote {path}", file=err)
        return status.OK
    data = diagram.pipe(fmt)
    if fmt in ("png", "pdf"):
        if out.isatty():
            say(f"not writing {fmt.upper()} to a terminal; use -o FILE, or pipe it", err)
            return status.UNREADABLE
        out.flush()
        out.buffer.write(data)
        out.buffer.flush()
    else:
        out.write(data.decode("utf-8"))
    return status.OK
