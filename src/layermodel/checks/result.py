"""Findings against a baseline: what passes, what fails and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from layermodel.checks.baseline import Baseline, Entry
from layermodel.checks.rules import RULE_SUMMARIES, Finding
from layermodel.model import CheckRule

__all__ = ["CheckResult", "compare"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one model.

    It fails when there is a new finding, a stale entry (baselined, but its finding is
    gone) or an expired entry (its ``expires`` date has passed).
    """

    model: str
    rules: tuple[CheckRule, ...]
    findings: tuple[Finding, ...]
    """Every finding, baselined or not, sorted by key."""
    new: tuple[Finding, ...]
    """Findings the baseline does not hold: they fail."""
    baselined: tuple[Finding, ...]
    """Findings the baseline accepts."""
    stale: tuple[Entry, ...]
    """Baseline entries that match no finding any more: they fail until removed."""
    expired: tuple[Entry, ...]
    """Baseline entries past their ``expires`` date: they fail."""
    baseline_file: str | None = None

    @property
    def passed(self) -> bool:
        """True when nothing fails."""
        return not (self.new or self.stale or self.expired)

    def rule(self, rule_id: str) -> CheckRule:
        """The rule with this id."""
        return next(r for r in self.rules if r.id == rule_id)

    def describe(self, rule: CheckRule) -> str:
        """What a rule checks, in one line."""
        return rule.description or RULE_SUMMARIES[rule.rule]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "schema_version": 1,
            "model": self.model,
            "passed": self.passed,
            "baseline": self.baseline_file,
            "rules": [
                {"id": r.id, "rule": r.rule, "description": self.describe(r)} for r in self.rules
            ],
            "new": [f.to_dict() for f in self.new],
            "baselined": [f.to_dict() for f in self.baselined],
            "stale": [_entry_dict(e) for e in self.stale],
            "expired": [_entry_dict(e) for e in self.expired],
        }


def _entry_dict(entry: Entry) -> dict[str, Any]:
    return {**entry.to_dict(), "file": entry.file, "line": entry.line}


def compare(
    model: str,
    rules: Sequence[CheckRule],
    findings: Sequence[Finding],
    baseline: Baseline | None,
    *,
    today: dt.date | None = None,
) -> CheckResult:
    """Sort ``findings`` into new and baselined, and find the stale and expired
    entries of ``baseline`` (expiry compared with ``today``, default the local date)."""
    day = today or dt.date.today()
    accepted = baseline.by_key() if baseline is not None else {}
    keys = {f.key for f in findings}
    entries = baseline.entries if baseline is not None else ()
    return CheckResult(
        model=model,
        rules=tuple(rules),
        findings=tuple(findings),
        new=tuple(f for f in findings if f.key not in accepted),
        baselined=tuple(f for f in findings if f.key in accepted),
        stale=tuple(e for e in entries if e.key not in keys),
        expired=tuple(e for e in entries if e.key in keys and e.expires and e.expires < day),
        baseline_file=baseline.file if baseline is not None else None,
    )
