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
- :mod:`~layermodel.checks.run`: all of it in one call;
- :mod:`~layermodel.checks.config`: rules in ``pyproject.toml`` (``[tool.layermodel]``);
- :mod:`~layermodel.checks.drift` and :mod:`~layermodel.checks.drift_report`: the model
  against what runs (``layermodel drift``), in the same formats.
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
from layermodel.checks.config import Config, ToolConfig, config_for, read_tool_config, tool_schema
from layermodel.checks.drift import DriftReport, Reality, drift, observe
from layermodel.checks.drift_report import render_drift
from layermodel.checks.formats import FORMATS, render
from layermodel.checks.locations import Place, SourceLines, source_lines
from layermodel.checks.result import CheckResult, compare
from layermodel.checks.rules import DEFAULT_RULES, RULE_SUMMARIES, Finding, evaluate, rules_of
from layermodel.checks.run import check, combined_rules, default_baseline_path, load_baseline

__all__ = [
    "BASELINE_NAME",
    "BASELINE_VERSION",
    "DEFAULT_RULES",
    "FORMATS",
    "RULE_SUMMARIES",
    "Baseline",
    "CheckResult",
    "Config",
    "DriftReport",
    "Entry",
    "Finding",
    "Place",
    "Reality",
    "SourceLines",
    "ToolConfig",
    "baseline_text",
    "check",
    "combined_rules",
    "compare",
    "config_for",
    "default_baseline_path",
    "drift",
    "evaluate",
    "load_baseline",
    "observe",
    "read_baseline",
    "read_tool_config",
    "render",
    "render_drift",
    "rules_of",
    "source_lines",
    "tool_schema",
    "updated_baseline",
]
