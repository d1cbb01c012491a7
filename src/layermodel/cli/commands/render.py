"""``layermodel render``: draw one view of a model, the change from an earlier version
(``--view diff:OLD``), optionally keeping the layout in a lock file, or a slide deck of
several views."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import load_model, load_version
from layermodel.cli.terminal import say

if TYPE_CHECKING:
    from layermodel.diagrams import Diagram, LayoutLock

_LOCKABLE = ("svg", "png", "pdf", "dot")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Draw the view to ``-o FILE``, or to standard output (PNG, PDF and PPTX only to a
    pipe); a pptx deck has one slide per view."""
    from layermodel.diagrams import deck, deck_views, format_for, render, render_change
    from layermodel.model import write_atomic

    if args.depth is not None and args.focus is None:
        say("--depth goes with --focus ID: it counts hops from the component in focus", err)
        return status.UNREADABLE
    to_file = args.output not in (None, "-")
    fmt = args.format or (format_for(args.output) if to_file else "svg")
    views: list[str] = args.view or []
    if len(views) > 1 and fmt != "pptx":
        say(f"only a pptx deck takes several views; {fmt} draws one (--view {views[0]})", err)
        return status.UNREADABLE
    if args.update_layout_lock and not args.layout_lock:
        say("--update-layout-lock needs --layout-lock FILE", err)
        return status.UNREADABLE
    if args.layout_lock and (fmt not in _LOCKABLE or "matrix" in views or args.style == "stack"):
        say(
            "--layout-lock keeps the layered layout of SVG, PNG, PDF and DOT drawings; "
            "Mermaid, HTML, PPTX, the stack style and the reuse matrix lay themselves out",
            err,
        )
        return status.UNREADABLE
    lock = _read_lock(args.layout_lock)
    eco = load_model(args.models, err)
    common = {
        "layers": args.layer,
        "tags": args.tag,
        "owners": args.owner,
        "row_width": args.row_width,
        "timeout": args.timeout,
        "layout_lock": lock,
    }

    def draw(view: str, style: str) -> Diagram:
        if view.startswith("diff:"):
            spec = view.removeprefix("diff:")
            if not spec:
                say("view 'diff:' needs the old version: diff:FILE, diff:REV or diff:REV:PATH", err)
                raise status.Stop(status.UNREADABLE)
            old, old_name = load_version(spec, args.models, err)
            return render_change(
                old, eco, fmt, old_name=old_name, new_name=" + ".join(args.models), **common
            )
        return render(
            eco,
            view,
            fmt,
            rollup=args.rollup,
            focus=args.focus,
            depth=1 if args.depth is None else args.depth,
            style=style,
            colour_by=args.color_by,
            highlight=args.highlight,
            **common,
        )

    diagram: Diagram | None = None
    if fmt == "pptx":
        asked = [(view, args.style) for view in views] or deck_views(eco, args.style)
        products, components = len(eco.products), len(eco.components)
        data = deck(
            [draw(view, style) for view, style in asked],
            title=eco.name,
            subtitle=f"{products} product{'s' if products != 1 else ''}, "
            f"{components} component{'s' if components != 1 else ''}",
        )
    else:
        diagram = draw(views[0] if views else "ecosystem", args.style)
        data = diagram.pipe(fmt)  # drawn before anything is written
    if to_file:
        write_atomic(args.output, data)
        print(f"wrote {args.output}", file=err)
    elif fmt in ("png", "pdf", "pptx"):
        if out.isatty():
            say(f"not writing {fmt.upper()} to a terminal; use -o FILE, or pipe it", err)
            return status.UNREADABLE
        out.flush()
        out.buffer.write(data)
        out.buffer.flush()
    else:
        out.write(data.decode("utf-8"))
    if diagram is not None:
        _write_lock(args.layout_lock, lock, diagram, args.update_layout_lock, err)
    return status.OK


def _read_lock(path: str | None) -> LayoutLock | None:
    """The lock at ``path``, or None when there is none yet (a path that exists but
    cannot be read as a lock stops the command, naming the file and line)."""
    if not path or not os.path.lexists(path):
        return None
    from layermodel.diagrams import read_lock

    return read_lock(path)


def _write_lock(
    path: str | None, old: LayoutLock | None, diagram: Diagram, prune: bool, err: TextIO
) -> None:
    if not path:
        return
    from layermodel.diagrams import same_lock as same
    from layermodel.diagrams import updated_lock as updated
    from layermodel.diagrams import write_lock

    lock = updated(old, diagram.layout_lock, prune=prune)
    if same(old, lock):
        return
    write_lock(path, lock)
    if old is None:
        print(f"wrote the layout lock {path} ({len(lock)} entries)", file=err)
    else:
        print(f"updated the layout lock {path} ({len(lock)} entries)", file=err)
