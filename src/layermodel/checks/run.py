"""Checking a model in one call: rules, findings placed at their lines, the baseline."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from layermodel.checks.baseline import BASELINE_NAME, Baseline, read_baseline
from layermodel.checks.locations import source_lines
from layermodel.checks.result import CheckResult, compare
from layermodel.checks.rules import evaluate, rules_of
from layermodel.model import Ecosystem

__all__ = ["check", "default_baseline_path", "load_baseline"]


def default_baseline_path(files: Sequence[str | os.PathLike[str]]) -> Path:
    """``layermodel-baseline.json`` beside the first model file (in the working
    directory when the model comes from standard input)."""
    first = os.fspath(files[0]) if files else "-"
    folder = Path(".") if first == "-" else Path(first).parent
    return folder / BASELINE_NAME


def load_baseline(path: str | os.PathLike[str], ecosystem: Ecosystem) -> Baseline | None:
    """The baseline at ``path`` for ``ecosystem``, or None when there is no file there.

    Raises:
        ReadError: the file exists but cannot be read.
        InputError: it is malformed, for another model, or names rules the model does
            not have (see :func:`~layermodel.checks.baseline.read_baseline`).
    """
    if not os.path.lexists(path):
        return None
    rules = {rule.id for rule in rules_of(ecosystem)}
    return read_baseline(path, model=ecosystem.name, rules=rules)


def check(
    ecosystem: Ecosystem,
    *,
    files: Sequence[str | os.PathLike[str]] = (),
    baseline: Baseline | None = None,
    today: dt.date | None = None,
) -> CheckResult:
    """Run the model's check rules (or layering and cycles), place each finding at its
    line in ``files`` (the model files ``ecosystem`` was loaded from) and compare the
    findings with ``baseline``.

    Raises:
        ModelError: a ``launch-reuse`` rule's product file does not make a valid
            model with ``files``.

    >>> import layermodel as lm
    >>> from layermodel.checks import check
    >>> check(lm.example()).passed
    True
    """
    rules = rules_of(ecosystem)
    findings = evaluate(ecosystem, rules, source_lines(files) if files else None, files)
    return compare(ecosystem.name, rules, findings, baseline, today=today)
