"""A drift report as text, JSON, Markdown, SARIF 2.1.0, JUnit XML or GitHub Actions
workflow commands (the formats of ``check``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from layermodel.checks.drift import ComponentDrift, DependencyDrift, DriftReport
from layermodel.checks.formats import FORMATS, Failure, Outcome, RuleInfo, ci_render
from layermodel.errors import LayermodelError
from layermodel.model import Provenance

__all__ = ["DRIFT_RULES", "render_drift"]

DRIFT_RULES: tuple[RuleInfo, ...] = (
    RuleInfo("undeclared", "drift", "Every dependency seen in reality is declared in the model."),
    RuleInfo("phantom", "drift", "Every declared dependency the sources could see is seen."),
    RuleInfo("unmodelled", "drift", "Every component seen in reality is in the model."),
    RuleInfo("unseen", "drift", "Every component of the model is seen in reality."),
    RuleInfo("layer", "drift", "Each component's discovered layer is its declared layer."),
    RuleInfo("owner", "drift", "Each component's discovered owner is its declared owner."),
)
"""What drift reports, one rule per kind, as the CI formats name them."""


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _seen(where: Sequence[Provenance], limit: int = 3) -> str:
    parts = []
    for p in where[:limit]:
        place = f"{p.file}:{p.line}" if p.line is not None else (p.file or p.source)
        parts.append(f"{place} ({p.evidence})" if p.evidence else place)
    more = len(where) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _dependency_message(kind: str, d: DependencyDrift) -> str:
    if kind == "undeclared":
        text = f"undeclared dependency {d.source} -> {d.target}: seen in reality, not in the model"
        return text + (f"; seen at {_seen(d.seen)}" if d.seen else "")
    return (
        f"phantom dependency {d.source} -> {d.target}: declared, but not seen, though the "
        f"sources show {d.source}"
    )


def _component_message(c: ComponentDrift) -> str:
    if c.kind == "unmodelled":
        evidence = next((p.evidence for p in c.seen if p.evidence), None)
        text = f"component {c.id} is seen in reality" + (f" ({evidence})" if evidence else "")
        text += " but is not in the model"
        if c.suggestion:
            text += f"; is it {c.suggestion}? (alias {c.id}: {c.suggestion})"
        return text
    if c.kind == "unseen":
        text = f"component {c.id} ({c.declared}) is in the model but no source shows it"
        return text + (f"; is it {c.suggestion} in reality?" if c.suggestion else "")
    what = "layer" if c.kind == "layer" else "owner"
    return (
        f"component {c.id}: declared {what} {c.declared!r}, discovered {what} {c.discovered!r}"
        + (f"; seen at {_seen(c.seen, 1)}" if c.seen else "")
    )


def _failures(report: DriftReport) -> list[Failure]:
    out: list[Failure] = []
    for kind, items in (("undeclared", report.undeclared), ("phantom", report.phantom)):
        for d in items:
            file, line = d.file, d.line
            if file is None and d.seen:  # the consumer is not in the model: where it was seen
                file, line = d.seen[0].file, d.seen[0].line
            out.append(
                Failure(
                    kind,
                    f"drift:{kind}:{d.source}->{d.target}",
                    _dependency_message(kind, d),
                    file,
                    line,
                    "new",
                )
            )
    for c in report.components:
        out.append(
            Failure(c.kind, f"drift:{c.kind}:{c.id}", _component_message(c), c.file, c.line, "new")
        )
    return out


def _summary(report: DriftReport) -> str:
    verdict = "drifted" if report.drifted else "agrees with reality"
    counts = [
        _plural(len(report.agreed), "agreed dependency", "agreed dependencies"),
        f"{len(report.undeclared):,} undeclared",
        f"{len(report.phantom):,} phantom",
    ]
    if report.unverified:
        counts.append(f"{len(report.unverified):,} not verifiable")
    kinds = ", ".join(
        f"{len(report.of_kind(k)):,} {label}"
        for k, label in (
            ("unmodelled", "unmodelled"),
            ("unseen", "unseen"),
            ("layer", "layer mismatches"),
            ("owner", "owner mismatches"),
        )
        if report.of_kind(k)
    )
    return f"drift: {report.model!r} {verdict}: score {report.score:.1f}% ({', '.join(counts)})" + (
        f"; components: {kinds}" if kinds else ""
    )


def _text(report: DriftReport) -> str:
    lines = []
    for f in _failures(report):
        where = f"{f.file}:{f.line}" if f.file and f.line else (f.file or "<model>")
        lines.append(f"{where}: {f.rule}: {f.message}")
    if report.products:
        lines.append("per product:")
        lines.extend(
            f"  {p.product}: {p.score:.1f}% ({p.agreed} agreed, {p.undeclared} undeclared, "
            f"{p.phantom} phantom)"
            for p in report.products
        )
    if report.unverified:
        lines.append(
            f"not verifiable ({len(report.unverified)}): declared dependencies of components "
            "no source shows"
        )
    lines.extend(f"reported by discovery: {p}" for p in report.problems)
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(report: DriftReport) -> str:
    out = [f"# layermodel drift: {report.model}", "", f"**{_summary(report)}**", ""]
    if report.undeclared:
        out += ["## Undeclared dependencies", "", "| from | to | seen at |", "|---|---|---|"]
        out += [
            f"| `{_cell(d.source)}` | `{_cell(d.target)}` | {_cell(_seen(d.seen)) or '-'} |"
            for d in report.undeclared
        ]
        out.append("")
    if report.phantom:
        out += ["## Phantom dependencies", "", "| from | to | declared at |", "|---|---|---|"]
        out += [
            f"| `{_cell(d.source)}` | `{_cell(d.target)}` "
            f"| {_cell(f'{d.file}:{d.line}' if d.file and d.line else (d.file or '-'))} |"
            for d in report.phantom
        ]
        out.append("")
    if report.components:
        out += ["## Components", "", "| component | drift | declared | discovered | hint |"]
        out.append("|---|---|---|---|---|")
        for c in report.components:
            hint = c.suggestion or ""
            out.append(
                f"| `{_cell(c.id)}` | {c.kind} | {_cell(c.declared or '-')} "
                f"| {_cell(c.discovered or '-')} | {_cell(hint)} |"
            )
        out.append("")
    if report.products:
        out += ["## Per product", "", "| product | score | agreed | undeclared | phantom |"]
        out.append("|---|---|---|---|---|")
        out += [
            f"| `{_cell(p.product)}` | {p.score:.1f}% | {p.agreed} | {p.undeclared} | {p.phantom} |"
            for p in report.products
        ]
        out.append("")
    return "\n".join(out) + "\n"


def render_drift(report: DriftReport, format: str = "text") -> str:
    """``report`` in ``format``: one of ``check``'s formats (text, json, markdown,
    sarif, junit, github)."""
    if format == "text":
        return _text(report)
    if format == "markdown":
        return _markdown(report)
    if format == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if format in FORMATS:
        outcome = Outcome(
            tool="drift",
            rules=DRIFT_RULES,
            failures=tuple(_failures(report)),
            accepted=(),
            summary=_summary(report),
        )
        return ci_render(outcome, format)
    raise LayermodelError(f"unknown drift format {format!r}; expected one of {', '.join(FORMATS)}")
