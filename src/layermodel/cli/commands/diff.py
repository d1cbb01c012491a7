"""``layermodel diff``: what changed between two versions of a model."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import load_model, write_result
from layermodel.cli.terminal import say

if TYPE_CHECKING:
    from layermodel import Ecosystem


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Compare OLD and NEW; exit :data:`~status.FAILED` when ``--fail-on violations``
    finds new layering violations."""
    from layermodel.analysis import diff

    old = _load(args.old, err)
    new = _load(args.new, err)
    if isinstance(old, int) or isinstance(new, int):
        return max(code for code in (old, new) if isinstance(code, int))
    result = diff(old, new)
    title = f"Changes from {args.old} to {args.new}"
    write_result(result, args.format, title, args.output, out, err)
    if "violations" in args.fail_on and result.violations_introduced:
        count = len(result.violations_introduced)
        say(f"failing because of {count} new layering violations", err)
        return status.FAILED
    return status.OK


def _load(path: str, err: TextIO) -> Ecosystem | int:
    """The model at ``path``, or the exit code after its problems were printed: both
    models are read, so that the problems of both are printed."""
    try:
        return load_model([path], err)
    except status.Stop as stop:
        return stop.code
