"""``layermodel advise``: platform opportunities, ranked, with evidence and gains."""

from __future__ import annotations

import argparse
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import load_model, write_result


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Find the opportunities and print or write them; exits 0 (advice is not a
    failure)."""
    from layermodel.analysis import advise

    eco = load_model(args.models, err)
    result = advise(eco, cost_method=args.cost_method, limit=args.limit)
    write_result(result, args.format, f"Platform opportunities: {eco.name}", args.output, out, err)
    return status.OK
