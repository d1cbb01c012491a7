"""``layermodel render``: draw one view of a model, or a slide deck of several."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import load_model
from layermodel.cli.terminal import say

if TYPE_CHECKING:
    from layermodel.diagrams import Diagram


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Draw the view to ``-o FILE``, or to standard output (PNG, PDF and PPTX only to a
    pipe)."""
    from layermodel.diagrams import deck, deck_views, format_for, render

    to_file = args.output not in (None, "-")
    fmt = args.format or (format_for(args.output) if to_file else "svg")
    views: list[str] = args.view or []
    if len(views) > 1 and fmt != "pptx":
        say(f"only a pptx deck takes several views; {fmt} draws one (--view {views[0]})", err)
        return status.UNREADABLE
    eco = load_model(args.models, err)

    def draw(view: str, style: str) -> Diagram:
        return render(
            eco,
            view,
            fmt,
            layers=args.layer,
            tags=args.tag,
            owners=args.owner,
            row_width=args.row_width,
            timeout=args.timeout,
            style=style,
            colour_by=args.color_by,
            highlight=args.highlight,
        )

    if fmt == "pptx":
        asked = [(view, args.style) for view in views] or deck_views(eco, args.style)
        diagrams = [draw(view, style) for view, style in asked]
        products = len(eco.products)
        data = deck(
            diagrams,
            title=eco.name,
            subtitle=f"{products} product{'s' if products != 1 else ''}, "
            f"{len(eco.components)} component{'s' if len(eco.components) != 1 else ''}",
        )
    else:
        diagram = draw(views[0] if views else "ecosystem", args.style)
        if to_file:
            path = diagram.save(args.output, fmt)
            print(f"wrote {path}", file=err)
            return status.OK
        data = diagram.pipe(fmt)
    if to_file:
        from layermodel.model import write_atomic

        write_atomic(args.output, data)
        print(f"wrote {args.output}", file=err)
        return status.OK
    if fmt in ("png", "pdf", "pptx"):
        if out.isatty():
            say(f"not writing {fmt.upper()} to a terminal; use -o FILE, or pipe it", err)
            return status.UNREADABLE
        out.flush()
        out.buffer.write(data)
        out.buffer.flush()
    else:
        out.write(data.decode("utf-8"))
    return status.OK
