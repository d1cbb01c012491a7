"""A check result as text, JSON, Markdown, SARIF 2.1.0, JUnit XML or GitHub Actions
workflow commands."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from layermodel.checks.baseline import Entry
from layermodel.checks.result import CheckResult
from layermodel.checks.rules import Finding
from layermodel.errors import LayermodelError, plural

__all__ = ["FORMATS", "Failure", "Outcome", "RuleInfo", "ci_render", "render"]

FORMATS = ("text", "json", "markdown", "sarif", "junit", "github")
"""The formats :func:`render` writes."""

DEFAULT_FIX = "remove it from the baseline"
"""How a stale entry's message says to fix it, unless told otherwise."""

BASELINE_RULE = "baseline"
"""The rule id SARIF and JUnit give the baseline's own failures."""


@dataclass(frozen=True)
class _Failure:
    """One line of failure, whatever its cause."""

    rule: str
    key: str
    message: str
    file: str | None
    line: int | None
    kind: str  # new, stale, expired


@dataclass(frozen=True)
class RuleInfo:
    """A rule as the CI formats describe it."""

    id: str
    type: str
    description: str


@dataclass(frozen=True)
class Outcome:
    """What the CI formats (SARIF, JUnit, GitHub) show, whatever produced it: a check
    result or a drift report."""

    tool: str
    """``check`` or ``drift``: names the JUnit suites and test classes."""
    rules: tuple[RuleInfo, ...]
    failures: tuple[_Failure, ...]
    accepted: tuple[Finding, ...]
    """Findings that pass because a baseline holds them."""
    summary: str
    baseline_file: str | None = None


def _outcome(result: CheckResult, fix: str) -> Outcome:
    return Outcome(
        tool="check",
        rules=tuple(RuleInfo(r.id, r.rule, result.describe(r)) for r in result.rules),
        failures=tuple(_failures(result, fix)),
        accepted=result.baselined,
        summary=_summary(result),
        baseline_file=result.baseline_file,
    )


def _failures(result: CheckResult, fix: str) -> list[_Failure]:
    out = [_Failure(f.rule, f.key, f.message, f.file, f.line, "new") for f in result.new]
    out.extend(
        _Failure(
            BASELINE_RULE,
            e.key,
            f"entry {e.key} no longer matches a finding: {fix}",
            e.file,
            e.line,
            "stale",
        )
        for e in result.stale
    )
    out.extend(
        _Failure(BASELINE_RULE, e.key, _expired_message(e), e.file, e.line, "expired")
        for e in result.expired
    )
    return out


def _expired_message(entry: Entry) -> str:
    assert entry.expires is not None
    who = f" (owner {entry.owner})" if entry.owner else ""
    return f"entry {entry.key} expired on {entry.expires.isoformat()}{who}: fix the finding"


def _where(file: str | None, line: int | None) -> str:
    if file is None:
        return "<model>"
    return f"{file}:{line}" if line is not None else file


def _summary(result: CheckResult) -> str:
    verdict = "passed" if result.passed else "failed"
    parts = [f"{len(result.new)} new"]
    for count, what in ((len(result.stale), "stale"), (len(result.expired), "expired")):
        if count:
            parts.append(f"{count} {what} baseline {'entry' if count == 1 else 'entries'}")
    parts.append(f"{len(result.baselined)} baselined")
    return (
        f"check {verdict}: {result.model!r}, {plural(len(result.rules), 'rule')}, "
        f"{plural(len(result.findings), 'finding')} ({', '.join(parts)})"
    )


# -- text, json, markdown ---------------------------------------------------------------


def _text(result: CheckResult, fix: str) -> str:
    lines = []
    for f in _failures(result, fix):
        label = "new" if f.kind == "new" else f.kind
        lines.append(f"{_where(f.file, f.line)}: {label}: [{f.key}] {f.message}")
    if result.baselined:
        lines.append(f"baselined in {result.baseline_file}:")
        lines.extend(f"  {f.key}" for f in result.baselined)
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def _json(result: CheckResult, fix: str) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(result: CheckResult, fix: str) -> str:
    out = [f"# layermodel check: {result.model}", "", f"**{_summary(result)}**", ""]
    failures = _failures(result, fix)
    if failures:
        out += ["## Failures", "", "| where | kind | key | message |", "|---|---|---|---|"]
        out += [
            f"| {_cell(_where(f.file, f.line))} | {f.kind} | `{_cell(f.key)}` "
            f"| {_cell(f.message)} |"
            for f in failures
        ]
        out.append("")
    if result.baselined:
        out += ["## Baselined", "", "| key | message |", "|---|---|"]
        out += [f"| `{_cell(f.key)}` | {_cell(f.message)} |" for f in result.baselined]
        out.append("")
    out += ["## Rules", "", "| id | type | checks |", "|---|---|---|"]
    out += [f"| `{r.id}` | {r.rule} | {_cell(result.describe(r))} |" for r in result.rules]
    return "\n".join(out) + "\n"


# -- SARIF 2.1.0 -------------------------------------------------------------------------


def _uri(file: str) -> str:
    """A path relative to the working directory (as code scanning expects), or a
    ``file:`` URI for a file outside it."""
    path = Path(file)
    try:
        relative = os.path.relpath(path.resolve(), Path.cwd().resolve())
    except ValueError:  # another drive
        relative = ".."
    if relative.startswith(".."):
        return path.resolve().as_uri()
    return Path(relative).as_posix()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("layermodel")
    except PackageNotFoundError:
        return "0.0.0+unknown"


def _location(file: str | None, line: int | None) -> list[dict[str, Any]]:
    if file is None:
        return []
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(file)}}
    if line is not None:
        physical["region"] = {"startLine": line}
    return [{"physicalLocation": physical}]


def _fingerprint(failure: _Failure) -> str:
    """A finding's stable key; a baseline entry's key behind ``baseline:`` and why."""
    if failure.kind == "new":
        return failure.key
    return f"{BASELINE_RULE}:{failure.kind}:{failure.key}"


def _sarif(result: Outcome) -> str:
    rules: list[dict[str, Any]] = [
        {
            "id": r.id,
            "name": r.type,
            "shortDescription": {"text": r.description},
            "defaultConfiguration": {"level": "error"},
            "properties": {"type": r.type},
        }
        for r in result.rules
    ]
    rules.append(
        {
            "id": BASELINE_RULE,
            "name": "baseline",
            "shortDescription": {
                "text": "Baseline entries match a current finding and have not expired."
            },
            "defaultConfiguration": {"level": "error"},
        }
    )
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for f in result.failures:
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": "error",
                "message": {"text": f.message},
                "locations": _location(f.file, f.line),
                "partialFingerprints": {"layermodelKey/v1": _fingerprint(f)},
                "baselineState": "new" if f.kind == "new" else "updated",
            }
        )
    for finding in result.accepted:
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": "note",
                "message": {"text": finding.message},
                "locations": _location(finding.file, finding.line),
                "partialFingerprints": {"layermodelKey/v1": finding.key},
                "baselineState": "unchanged",
                "suppressions": [{"kind": "external", "justification": "in the baseline"}],
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "layermodel",
                        "informationUri": "https://layermodel.dev/",
                        "version": _version(),
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# -- JUnit XML ---------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: str) -> str:
    """Text XML 1.0 can hold (ElementTree escapes the rest)."""
    return _NOT_XML.sub("\ufffd", text)


def _junit(result: Outcome) -> str:
    root = ET.Element("testsuites", name=f"layermodel {result.tool}")
    by_rule: dict[str, list[_Failure]] = {}
    for f in result.failures:
        by_rule.setdefault(f.rule, []).append(f)
    total = fails = 0
    for rule_id in [r.id for r in result.rules] + [BASELINE_RULE]:
        failed = by_rule.get(rule_id, [])
        accepted = [f for f in result.accepted if f.rule == rule_id]
        if rule_id == BASELINE_RULE and not failed and result.baseline_file is None:
            continue
        suite = ET.SubElement(root, "testsuite", name=_x(rule_id))
        cases = 0
        for f in failed:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_x(f"layermodel.{result.tool}.{rule_id}"),
                name=_x(f.key),
            )
            if f.file is not None:
                case.set("file", _x(f.file))
            if f.line is not None:
                case.set("line", str(f.line))
            failure = ET.SubElement(case, "failure", message=_x(f.message), type=f.kind)
            failure.text = _x(f"{_where(f.file, f.line)}: {f.message}")
            cases += 1
        for finding in accepted:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_x(f"layermodel.{result.tool}.{rule_id}"),
                name=_x(finding.key),
            )
            ET.SubElement(case, "skipped", message="in the baseline")
            cases += 1
        if not cases:
            ET.SubElement(
                suite,
                "testcase",
                classname=_x(f"layermodel.{result.tool}.{rule_id}"),
                name=_x(rule_id),
            )
            cases = 1
        suite.set("tests", str(cases))
        suite.set("failures", str(len(failed)))
        suite.set("errors", "0")
        suite.set("skipped", str(len(accepted)))
        total += cases
        fails += len(failed)
    root.set("tests", str(total))
    root.set("failures", str(fails))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- GitHub Actions workflow commands ---------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(result: Outcome) -> str:
    lines = []
    for f in result.failures:
        props = []
        if f.file is not None:
            props.append(f"file={_escape_property(_uri(f.file))}")
            if f.line is not None:
                props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f'layermodel {f.rule}: {f.key}')}")
        lines.append(f"::error {','.join(props)}::{_escape_data(f.message)}")
    for finding in result.accepted:
        props = []
        if finding.file is not None:
            props.append(f"file={_escape_property(_uri(finding.file))}")
            if finding.line is not None:
                props.append(f"line={finding.line}")
        props.append(f"title={_escape_property(f'layermodel {finding.rule}: {finding.key}')}")
        lines.append(
            f"::notice {','.join(props)}::{_escape_data(f'in the baseline: {finding.message}')}"
        )
    lines.append(_escape_data(result.summary))
    return "\n".join(lines) + "\n"


_WRITERS: dict[str, Callable[[CheckResult, str], str]] = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
}

_CI_WRITERS: dict[str, Callable[[Outcome], str]] = {
    "sarif": _sarif,
    "junit": _junit,
    "github": _github,
}

Failure = _Failure
"""One failure line: rule id, stable key, message, file, line, and kind (``new``,
``stale``, ``expired``)."""


def ci_render(outcome: Outcome, format: str) -> str:
    """``outcome`` as SARIF 2.1.0, JUnit XML or GitHub workflow commands."""
    writer = _CI_WRITERS.get(format)
    if writer is None:
        raise LayermodelError(
            f"unknown CI format {format!r}; expected one of {', '.join(_CI_WRITERS)}"
        )
    return writer(outcome)


def render(result: CheckResult, format: str = "text", *, fix_hint: str = DEFAULT_FIX) -> str:
    """``result`` as text in ``format`` (one of :data:`FORMATS`). ``fix_hint`` ends
    the message of a stale baseline entry: how to remove it."""
    writer = _WRITERS.get(format)
    if writer is not None:
        return writer(result, fix_hint)
    if format in _CI_WRITERS:
        return _CI_WRITERS[format](_outcome(result, fix_hint))
    raise LayermodelError(f"unknown check format {format!r}; expected one of {', '.join(FORMATS)}")
