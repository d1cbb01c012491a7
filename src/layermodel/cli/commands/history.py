"""``layermodel history``: a model's figures at every commit that changed it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import emit
from layermodel.cli.terminal import counter, print_sections, say


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Walk the history, then print or write the rows and draw the chart; nothing is
    written unless everything worked."""
    from layermodel import history
    from layermodel.analysis import render_markdown, render_text

    if args.chart is not None:
        suffix = Path(args.chart).suffix.lower()
        if suffix not in (".png", ".svg"):
            say(f"--chart {args.chart!r}: the file must end in .png or .svg", err)
            return status.UNREADABLE
    with counter("reading versions", err) as progress:
        result = history(
            args.models,
            rev=args.rev,
            every=args.every,
            min_users=args.min_users,
            progress=progress,
        )
    if not result.versions:
        say(f"no commit in {result.rev} changed {', '.join(result.paths)}", err)
    picture = None
    if args.chart is not None:
        from layermodel.timeline import chart_bytes

        picture = chart_bytes(result, Path(args.chart).suffix.lower().lstrip("."))
    to_file = bool(args.output and args.output != "-")
    if args.format == "csv":
        text: str | None = result.to_csv()
    elif args.format == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        text = f"# History of {', '.join(result.paths)}\n\n" + render_markdown(result.sections())
    elif to_file:
        text = render_text(result.sections())
    else:
        text = None
    if picture is not None:
        from layermodel.model import write_atomic

        write_atomic(args.chart, picture)
        print(f"wrote {args.chart}", file=err)
    if text is None:
        print_sections(result.sections(), out)
    else:
        emit(text, args.output, out, err)
    return status.OK
