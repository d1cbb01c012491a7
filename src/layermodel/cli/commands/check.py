"""``layermodel check``: the model's rules against a baseline that only tightens."""

from __future__ import annotations

import argparse
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.commands._shared import emit
from layermodel.cli.terminal import print_problems, say
from layermodel.errors import plural


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load the model, check it, compare with the baseline (or rewrite it), report."""
    from layermodel import InputError, ModelError, ReadError, load
    from layermodel.checks import (
        baseline_text,
        check,
        combined_rules,
        config_for,
        default_baseline_path,
        load_baseline,
        render,
        updated_baseline,
    )
    from layermodel.model import write_atomic

    try:
        eco = load(*args.models)
    except ModelError as exc:
        in_rules = any(p.path[:1] == ("checks",) for p in exc.problems)
        code = status.UNREADABLE if in_rules else status.of_error(exc)
        what = "the check configuration is not valid" if in_rules else "the model cannot be used"
        print_problems(exc.problems, what, err)
        return code
    try:
        config = config_for(args.models, args.config)
        rules = combined_rules(eco, config)
    except (InputError, ReadError) as exc:
        print_problems(exc.problems, "the check configuration is not valid", err)
        return status.UNREADABLE
    configured = config.baseline if config is not None else None
    path = args.baseline or configured or str(default_baseline_path(args.models))
    try:
        baseline = load_baseline(path, eco, rules)
    except (InputError, ReadError) as exc:
        print_problems(exc.problems, "the baseline cannot be used", err)
        return status.UNREADABLE
    try:
        result = check(eco, files=args.models, baseline=baseline, rules=rules)
    except ModelError as exc:  # a launch-reuse rule's product file
        print_problems(exc.problems, "the check configuration is not valid", err)
        return status.UNREADABLE
    if args.update_baseline:
        fresh = updated_baseline(result.findings, model=eco.name, previous=baseline)
        write_atomic(path, baseline_text(fresh))
        say(f"wrote {path}: {plural(len(fresh.entries), 'entry', 'entries')}", err)
        baseline = load_baseline(path, eco, rules)
        result = check(eco, files=args.models, baseline=baseline, rules=rules)
    text = render(result, args.format, fix_hint="remove it with --update-baseline")
    emit(text, args.output, out, err)
    return status.OK if result.passed else status.FAILED
