"""Checking a model in one call: rules, findings placed at their lines, the baseline."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from layermodel.checks.baseline import BASELINE_NAME, Baseline, read_baseline
from layermodel.checks.config import Config
from layermodel.checks.locations import source_lines
from layermodel.checks.result import CheckResult, compare
from layermodel.checks.rules import evaluate, rules_of
from layermodel.errors import InputError, Problem
from layermodel.model import CheckRule, Ecosystem

__all__ = ["check", "combined_rules", "default_baseline_path", "load_baseline"]


def default_baseline_path(files: Sequence[str | os.PathLike[str]]) -> Path:
    """``layermodel-baseline.json`` beside the first model file (in the working
    directory when the model comes from standard input)."""
    first = os.fspath(files[0]) if files else "-"
    folder = Path(".") if first == "-" else Path(first).parent
    return folder / BASELINE_NAME


def load_baseline(
    path: str | os.PathLike[str],
    ecosystem: Ecosystem,
    rules: Sequence[CheckRule] | None = None,
) -> Baseline | None:
    """The baseline at ``path`` for ``ecosystem``, or None when there is no file there.

    Raises:
        ReadError: the file exists but cannot be read.
        InputError: it is malformed, for another model, or names rules the model does
            not have (see :func:`~layermodel.checks.baseline.read_baseline`).
    """
    if not os.path.lexists(path):
        return None
    ids = {rule.id for rule in (rules if rules is not None else rules_of(ecosystem))}
    return read_baseline(path, model=ecosystem.name, rules=ids)


def check(
    ecosystem: Ecosystem,
    *,
    files: Sequence[str | os.PathLike[str]] = (),
    baseline: Baseline | None = None,
    today: dt.date | None = None,
    rules: Sequence[CheckRule] | None = None,
) -> CheckResult:
    """Run the model's check rules (or layering and cycles), place each finding at its
    line in ``files`` (the model files ``ecosystem`` was loaded from) and compare the
    findings with ``baseline``. ``rules`` replaces the model's own (see
    :func:`combined_rules` for adding those of ``pyproject.toml``).

    Raises:
        ModelError: a ``launch-reuse`` rule's product file does not make a valid
            model with ``files``.

    >>> import layermodel as lm
    >>> from layermodel.checks import check
    >>> check(lm.example()).passed
    True
    """
    chosen = tuple(rules) if rules is not None else rules_of(ecosystem)
    findings = evaluate(ecosystem, chosen, source_lines(files) if files else None, files)
    return compare(ecosystem.name, chosen, findings, baseline, today=today)


def combined_rules(ecosystem: Ecosystem, config: Config | None) -> tuple[CheckRule, ...]:
    """The model's rules and those of ``config`` (``[tool.layermodel]``), or the
    default layering and cycle rules when neither has any.

    Raises:
        InputError: a rule id is in both, or a rule of ``config`` names a layer or
            product the model does not have.
    """
    if config is None or not config.checks:
        return rules_of(ecosystem)
    problems = config.problems_for(ecosystem)
    if problems:
        raise InputError(problems)
    own = {rule.id for rule in ecosystem.checks}
    twice = [rule.id for rule in config.checks if rule.id in own]
    if twice:
        raise InputError(
            [
                Problem(
                    f"check id {rule_id!r} is in both the model and [tool.layermodel]; "
                    "give each rule one id",
                    file=config.file,
                )
                for rule_id in twice
            ]
        )
    return (*ecosystem.checks, *config.checks)
