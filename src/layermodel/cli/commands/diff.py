"""``layermodel diff``: what changed between two versions of a model."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import load_model, load_version, write_result
from layermodel.cli.terminal import say

if TYPE_CHECKING:
    from layermodel import Ecosystem
    from layermodel.analysis import Diff


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Compare OLD and NEW; exit :data:`~status.FAILED` when ``--fail-on violations``
    finds new layering violations."""
    from layermodel.analysis import diff

    new = _load(args.new, err)
    old = _load_old(args.old, args.new, err)
    if isinstance(old, int) or isinstance(new, int):
        return max(code for code in (old, new) if isinstance(code, int))
    old_eco, old_name = old
    result = diff(old_eco, new)
    picture = _picture(args, old_eco, new, old_name, result) if args.render else None
    title = f"Changes from {old_name} to {args.new}"
    write_result(result, args.format, title, args.output, out, err)
    if picture is not None:
        from layermodel.model import write_atomic

        write_atomic(args.render, picture)
        print(f"wrote {args.render}", file=err)
    if "violations" in args.fail_on and result.violations_introduced:
        count = len(result.violations_introduced)
        say(f"failing because of {count} new layering violations", err)
        return status.FAILED
    return status.OK


def _picture(
    args: argparse.Namespace, old: Ecosystem, new: Ecosystem, old_name: str, result: Diff
) -> bytes:
    """The change drawn in the format ``--render``'s suffix names."""
    from layermodel.diagrams import Diagram, build_change_scene, format_for

    fmt = format_for(args.render)
    scene = build_change_scene(old, new, old_name=old_name, new_name=args.new, changes=result)
    return Diagram(scene, fmt).pipe(fmt)


def _load_old(spec: str, new: str, err: TextIO) -> tuple[Ecosystem, str] | int:
    """OLD: a file, or a git revision of NEW (``REV`` or ``REV:PATH``)."""
    try:
        return load_version(spec, [new], err)
    except status.Stop as stop:
        return stop.code


def _load(path: str, err: TextIO) -> Ecosystem | int:
    """The model at ``path``, or the exit code after its problems were printed: both
    models are read, so that the problems of both are printed."""
    try:
        return load_model([path], err)
    except status.Stop as stop:
        return stop.code
