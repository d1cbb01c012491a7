"""Checks: rules a portfolio must keep, with a baseline that only tightens, for CI.

A model's ``checks:`` rules (or, without any, the layering and cycle rules) are
evaluated into findings with stable keys (the rule id and the ids involved); a
baseline file records accepted findings, and the result renders as text, JSON,
Markdown, SARIF 2.1.0, JUnit XML or GitHub Actions workflow commands.

- :mod:`~layermodel.checks.locations`: the line of each component, dependency and
  product in the model files;
- :mod:`~layermodel.checks.rules`: rules into findings;
- :mod:`~layermodel.checks.baseline`: reading and writing the baseline;
- :mod:`~layermodel.checks.result`: findings against the baseline;
- :mod:`~layermodel.checks.formats`: the output formats;
- :mod:`~layermodel.checks.run`: all of it in one call.
"""

from layermodel.checks.baseline import (
    BASELINE_NAME,
    BASELINE_VERSION,
    Baseline,
    Entry,
    baseline_text,
    read_baseline,
    updated_baseline,
)
from layermodel.checks.formats import FORMATS, render
from layermodel.checks.locations import Place, SourceLines, source_lines
from layermodel.checks.result import CheckResult, compare
from layermodel.checks.rules import DEFAULT_RULES, RULE_SUMMARIES, Finding, evaluate, rules_of
from layermodel.checks.run import check, default_baseline_path, load_baseline

__all__ = [
    "BASELINE_NAME",
    "BASELINE_VERSION",
    "DEFAULT_RULES",
    "FORMATS",
    "RULE_SUMMARIES",
    "Baseline",
    "CheckResult",
    "Entry",
    "Finding",
    "Place",
    "SourceLines",
    "baseline_text",
    "check",
    "compare",
    "default_baseline_path",
    "evaluate",
    "load_baseline",
    "read_baseline",
    "render",
    "rules_of",
    "source_lines",
    "updated_baseline",
]
