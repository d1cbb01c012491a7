"""``layermodel whatif``: apply one change to a model and report what it does."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import load_model, write_result
from layermodel.cli.terminal import print_problems, say


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Remove, replace, retire or add, report it, and ``--save`` the model after."""
    from layermodel import ModelError, save
    from layermodel.analysis import (
        add_products,
        remove_component,
        replace_component,
        retire_product,
    )

    eco = load_model(args.models, err)
    try:
        if args.remove is not None:
            result: Any = remove_component(eco, args.remove, cost_method=args.cost_method)
        elif args.replace is not None:
            old, sep, new = args.replace.partition("=")
            if not sep or not old or not new:
                say(f"--replace takes OLD=NEW, got {args.replace!r}", err)
                return status.UNREADABLE
            result = replace_component(eco, old, new, cost_method=args.cost_method)
        elif args.retire is not None:
            result = retire_product(eco, args.retire, cost_method=args.cost_method)
        else:
            after = load_model([*args.models, *args.add_product], err)
            result = add_products(eco, after, cost_method=args.cost_method)
    except KeyError as exc:  # an unknown id; the message names the nearest one
        say(f"{exc.args[0] if exc.args else exc}", err)
        return status.UNREADABLE
    except ValueError as exc:  # a change that is not one, such as replacing X with X
        say(f"{exc}", err)
        return status.UNREADABLE
    except ModelError as exc:  # the model after the change is invalid
        print_problems(exc.problems, "the changed model is not valid", err)
        return status.of_error(exc)
    write_result(result, args.format, f"What if: {eco.name}", args.output, out, err)
    if args.save:
        save(result.after, args.save)
        print(f"saved the changed model to {args.save}", file=err)
    return status.OK
