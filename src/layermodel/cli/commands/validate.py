"""``layermodel validate``: check model files and list every problem."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.terminal import print_problems
from layermodel.errors import plural


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
    summary = {
        "valid": True,
        "name": eco.name,
        "layers": len(eco.layers),
        "components": len(eco.components),
        "dependencies": sum(len(c.depends_on) for c in eco.components),
        "products": len(eco.products),
    }
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


def _json_out(out: TextIO, data: object) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
