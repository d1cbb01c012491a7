"""``layermodel validate``: check model files and list every problem."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO

from layermodel.cli import status
from layermodel.cli.terminal import print_problems
from layermodel.errors import plural

if TYPE_CHECKING:
    from layermodel import Ecosystem


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load the model; print a one-line summary, or every problem with its location."""
    from layermodel import ModelError, load

    try:
        eco = load(*args.models)
    except ModelError as exc:
        code = status.of_error(exc)
        if args.format == "json":
            _json_out(out, {"valid": False, "problems": [p.to_dict() for p in exc.problems]})
            return code
        verdict = "could not be read" if code == status.UNREADABLE else "is not valid"
        print_problems(exc.problems, f"the model {verdict}", err)
        return code
    orphans = _orphans(eco)
    summary = {
        "valid": True,
        "name": eco.name,
        "layers": len(eco.layers),
        "components": len(eco.components),
        "dependencies": sum(len(c.depends_on) for c in eco.components),
        "products": len(eco.products),
        "orphans": [cid for cid, _ in orphans],
    }
    if orphans:
        _warn_orphans(orphans, err)
    if args.format == "json":
        _json_out(out, summary)
    else:
        files = ", ".join(args.models)
        print(
            f"{files}: valid: {eco.name!r}, {plural(len(eco.components), 'component')} in "
            f"{plural(len(eco.layers), 'layer')}, "
            f"{plural(sum(len(c.depends_on) for c in eco.components), 'dependency')}, "
            f"{plural(len(eco.products), 'product')}",
            file=out,
        )
    return status.OK


def _orphans(eco: Ecosystem) -> list[tuple[str, float | None]]:
    """(id, monthly cost) of every component no product uses, costliest first."""
    from layermodel.analysis import orphans

    if not eco.products:  # a catalogue of parts, not a portfolio yet: nothing is orphaned
        return []
    return [(cid, cost) for cid, _, cost in orphans(eco)]


def _warn_orphans(orphans: list[tuple[str, float | None]], err: TextIO) -> None:
    """A warning on ``err``, not an error: the model is valid."""
    from layermodel.analysis import fmt_money

    cost = sum(c or 0.0 for _, c in orphans)
    shown = ", ".join(cid if c is None else f"{cid} ({fmt_money(c)})" for cid, c in orphans[:10])
    more = f" and {len(orphans) - 10:,} more" if len(orphans) > 10 else ""
    noun = plural(len(orphans), "component")
    print(
        f"warning: {noun} no product uses (orphans, {fmt_money(cost)} a month): "
        f"{shown}{more}; list each in a product's uses or a used component's depends_on, "
        "or remove it",
        file=err,
    )


def _json_out(out: TextIO, data: object) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
