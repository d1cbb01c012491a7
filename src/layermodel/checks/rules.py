"""Evaluating check rules into findings, each with a stable key.

A finding's key is its rule id and the ids involved (``layering:upward:pay->web``),
never a line number, so a baseline survives edits elsewhere in the model.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from layermodel.analysis import (
    add_products,
    availability,
    cycles,
    reuse,
    single_points_of_failure,
    violations,
)
from layermodel.checks.drift import DriftReport, drift, observe
from layermodel.checks.locations import Place, SourceLines, source_lines
from layermodel.errors import LayermodelError, plural
from layermodel.interop.layer_rules import read_layer_rules
from layermodel.model import CheckRule, Component, Ecosystem, Selector, load

__all__ = ["DEFAULT_RULES", "RULE_SUMMARIES", "Finding", "evaluate", "rules_of"]

DEFAULT_RULES: tuple[CheckRule, ...] = (
    CheckRule(id="layering", rule="layering"),
    CheckRule(id="cycles", rule="cycles"),
)
"""What ``check`` runs on a model without rules of its own."""

RULE_SUMMARIES: dict[str, str] = {
    "layering": "No dependency breaks a layering rule (upward, bypass, independent).",
    "cycles": "No dependency cycles.",
    "forbidden": "No dependency from the components 'from' names to those 'to' names.",
    "reuse": "Every product reuses at least min_percent of its footprint.",
    "launch-reuse": "The new products of product_file reuse at least min_percent.",
    "specific": "No product uses more than max components of a layer that only it uses.",
    "availability": "Every product's availability rollup meets its availability_target.",
    "spof": "No component takes down more than max_share of product weight.",
    "drift": "The model agrees with its sources on at least min_percent of dependencies.",
    "undeclared": "Every dependency the sources show is declared in the model.",
}
"""One line per rule type, for reports and SARIF rule descriptions."""


@dataclass(frozen=True)
class Finding:
    """One thing a rule found."""

    key: str
    """Stable: the rule id and the ids involved, e.g. ``layering:upward:pay->web``."""
    rule: str
    """The id of the rule that found it."""
    rule_type: str
    """The rule's type (``layering``, ``forbidden``, ...)."""
    message: str
    ids: tuple[str, ...]
    """The component or product ids it is about, the offending one first."""
    file: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "key": self.key,
            "rule": self.rule,
            "type": self.rule_type,
            "message": self.message,
            "ids": list(self.ids),
            "file": self.file,
            "line": self.line,
        }


def rules_of(ecosystem: Ecosystem) -> tuple[CheckRule, ...]:
    """The rules the model configures, or the default layering and cycle rules."""
    return ecosystem.checks or DEFAULT_RULES


@dataclass(frozen=True)
class _Context:
    lines: SourceLines
    files: tuple[str | os.PathLike[str], ...]
    drifts: dict[tuple[Any, ...], DriftReport] = field(default_factory=dict)
    """Drift reports already made in this evaluation, by sources, rules file and ignore."""


def evaluate(
    ecosystem: Ecosystem,
    rules: Sequence[CheckRule] | None = None,
    lines: SourceLines | None = None,
    files: Sequence[str | os.PathLike[str]] = (),
) -> tuple[Finding, ...]:
    """Every finding of ``rules`` (default: :func:`rules_of`) on ``ecosystem``, sorted
    by key, each placed at the model-file line ``lines`` gives for it. ``files`` are
    the model files ``ecosystem`` was loaded from; ``launch-reuse`` rules need them.

    Raises:
        ModelError: a ``launch-reuse`` rule's product file does not make a valid
            model with the model files.
        LayermodelError: a ``launch-reuse`` rule without the model files.
    """
    context = _Context(lines or SourceLines(), tuple(files))
    found: list[Finding] = []
    for rule in rules if rules is not None else rules_of(ecosystem):
        found.extend(_EVALUATORS[rule.rule](ecosystem, rule, context))
    return tuple(sorted(found, key=lambda f: f.key))


def _finding(
    rule: CheckRule, key: str, message: str, ids: Iterable[str], place: Place | None
) -> Finding:
    return Finding(
        key=f"{rule.id}:{key}",
        rule=rule.id,
        rule_type=rule.rule,
        message=message,
        ids=tuple(ids),
        file=place.file if place else None,
        line=place.line if place else None,
    )


def _layering(eco: Ecosystem, rule: CheckRule, context: _Context) -> list[Finding]:
    lines = context.lines
    out = []
    for v in violations(eco).violations:
        message = (
            f"{v.kind} dependency {v.source} ({eco.component(v.source).layer}) -> "
            f"{v.target} ({eco.component(v.target).layer})"
        )
        if v.skipped:
            message += f", bypassing closed {', '.join(v.skipped)}"
        out.append(
            _finding(
                rule,
                f"{v.kind}:{v.source}->{v.target}",
                message,
                (v.source, v.target),
                lines.dependency(v.source, v.target),
            )
        )
    return out


def _cycles(eco: Ecosystem, rule: CheckRule, context: _Context) -> list[Finding]:
    lines = context.lines
    report = cycles(eco)
    out = []
    for members in report.cycles:
        inside = set(members)
        edge = next(((a, b) for a, b in report.feedback_edges if a in inside and b in inside), None)
        place = lines.dependency(*edge) if edge else lines.component(members[0])
        shown = ", ".join(members[:8]) + (", ..." if len(members) > 8 else "")
        message = f"dependency cycle through {plural(len(members), 'component')}: {shown}"
        if edge:
            message += f" (break it at {edge[0]} -> {edge[1]}?)"
        out.append(_finding(rule, "+".join(members), message, members, place))
    return out


@lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern[str]:
    """``*`` matches any run of characters; every other character is itself."""
    return re.compile("".join(".*" if ch == "*" else re.escape(ch) for ch in text) + r"\Z", re.S)


def _matcher(selector: Selector) -> Callable[[Component], bool]:
    keys = selector.keys()

    def matches(component: Component) -> bool:
        for key, pattern in keys.items():
            regex = _pattern(pattern)
            if key == "id" and not regex.match(component.id):
                return False
            if key == "layer" and not regex.match(component.layer):
                return False
            if key == "owner" and not (component.owner and regex.match(component.owner)):
                return False
            if key == "tag" and not any(regex.match(tag) for tag in component.tags):
                return False
        return True

    return matches


def _describe(selector: Selector) -> str:
    return ", ".join(f"{k} {v}" for k, v in selector.keys().items())


def _forbidden(eco: Ecosystem, rule: CheckRule, context: _Context) -> list[Finding]:
    lines = context.lines
    assert rule.from_ is not None and rule.to is not None  # the model checks it
    source_ok, target_ok = _matcher(rule.from_), _matcher(rule.to)
    out = []
    for c in eco.components:
        if not source_ok(c):
            continue
        for d in c.depends_on:
            if target_ok(eco.component(d.target)):
                out.append(
                    _finding(
                        rule,
                        f"{c.id}->{d.target}",
                        f"forbidden dependency {c.id} -> {d.target} "
                        f"(from {_describe(rule.from_)} to {_describe(rule.to)})",
                        (c.id, d.target),
                        lines.dependency(c.id, d.target),
                    )
                )
    return out


def _reuse(eco: Ecosystem, rule: CheckRule, context: _Context) -> list[Finding]:
    lines = context.lines
    assert rule.min_percent is not None
    report = reuse(eco)
    wanted = set(rule.products) if rule.products is not None else None
    out = []
    for pid, p in report.products.items():
        if wanted is not None and pid not in wanted:
            continue
        level = p.reuse_level * 100
        if level < rule.min_percent:
            out.append(
                _finding(
                    rule,
                    pid,
                    f"product {pid} reuses {level:.1f}% of its footprint "
                    f"({p.reused} of {len(p.footprint)}); the rule asks for at least "
                    f"{rule.min_percent:g}%",
                    (pid,),
                    lines.product(pid),
                )
            )
    return out


def _specific(eco: Ecosystem, rule: CheckRule, context: _Context) -> list[Finding]:
    lines = context.lines
    assert rule.max is not None
    report = reuse(eco)
    out = []
    for pid, p in report.products.items():
        alone: dict[str, list[str]] = {}
        for cid in p.footprint:
            info = report.components[cid]
            if info.users == (pid,) and (rule.layer is None or info.layer == rule.layer):
                alone.setdefault(info.layer, []).append(cid)
        for layer, ids in sorted(alone.items()):
            if len(ids) > rule.max:
                out.append(
                    _finding(
                        rule,
                        f"{pid}:{layer}",
                        f"product {pid} alone uses {plural(len(ids), layer + ' component')} "
                        f"(at most {rule.max}): {', '.join(sorted(ids)[:8])}"
                        + (", ..." if len(ids) > 8 else ""),
                        (pid, *sorted(ids)),
                        lines.product(pid),
                    )
                )
    return out


def _availability(eco: Ecosystem, rule: CheckRule, context: _Context) -> list[Finding]:
    lines = context.lines
    report = availability(eco)
    out = []
    for product in eco.products:
        target = product.availability_target
        rollup = report.products.get(product.id)
        if target is None or rollup is None or rollup.availability >= target:
            continue
        weakest = ", ".join(f"{c} {a:g}" for c, a in rollup.weakest[:3])
        out.append(
            _finding(
                rule,
                product.id,
                f"product {product.id} has an availability of {rollup.availability:.6g}, "
                f"below its target {target:g}" + (f"; weakest: {weakest}" if weakest else ""),
                (product.id,),
                lines.product(product.id),
            )
        )
    return out


def _spof(eco: Ecosystem, rule: CheckRule, context: _Context) -> list[Finding]:
    lines = context.lines
    assert rule.max_share is not None
    out = []
    for cid, _layer, count, _weight, share, _down in single_points_of_failure(eco).ranking:
        if share > rule.max_share:
            out.append(
                _finding(
                    rule,
                    cid,
                    f"single point of failure {cid}: its failure takes down {count} "
                    f"product(s), {share:.1%} of product weight (at most "
                    f"{rule.max_share:.1%})",
                    (cid,),
                    lines.component(cid),
                )
            )
    return out


def _launch_reuse(eco: Ecosystem, rule: CheckRule, context: _Context) -> list[Finding]:
    assert rule.min_percent is not None and rule.product_file is not None
    models = [f for f in context.files if os.fspath(f) != "-"]
    if not models:
        raise LayermodelError(
            f"check {rule.id!r} (launch-reuse) needs the model's files, to merge "
            f"{rule.product_file!r} with them"
        )
    path = Path(rule.product_file)
    if not path.is_absolute():
        path = Path(models[0]).parent / path
    after = load(*models, path)
    lines = source_lines([path])
    out = []
    for plan in add_products(eco, after).products:
        if plan.reuse_percent < rule.min_percent:
            out.append(
                _finding(
                    rule,
                    plan.id,
                    f"new product {plan.id} reuses {plan.reuse_percent:.1f}% of its "
                    f"footprint ({len(plan.reused)} of {len(plan.footprint)}); "
                    f"the rule asks for at least {rule.min_percent:g}%; to build: "
                    f"{', '.join(plan.to_build[:8])}" + (", ..." if len(plan.to_build) > 8 else ""),
                    (plan.id, *plan.to_build),
                    lines.product(plan.id),
                )
            )
    return out


def _relative(context: _Context, rule: CheckRule, path: str) -> Path:
    """``path`` as written in ``rule``, relative to the first model file."""
    found = Path(path)
    if found.is_absolute():
        return found
    models = [f for f in context.files if os.fspath(f) != "-"]
    if not models:
        raise LayermodelError(
            f"check {rule.id!r} ({rule.rule}) names sources relative to the model file, "
            "but the model was not read from a file"
        )
    return Path(models[0]).parent / found


def _drift_of(eco: Ecosystem, rule: CheckRule, context: _Context) -> DriftReport:
    """The drift report a rule asks for: made once per evaluation for the same sources."""
    assert rule.sources is not None
    key = (rule.sources, rule.layer_rules, rule.ignore)
    found = context.drifts.get(key)
    if found is None:
        found = context.drifts[key] = _new_drift(eco, rule, context)
    return found


def _new_drift(eco: Ecosystem, rule: CheckRule, context: _Context) -> DriftReport:
    assert rule.sources is not None
    rules = (
        read_layer_rules(_relative(context, rule, rule.layer_rules)) if rule.layer_rules else None
    )
    reality = observe(*(_relative(context, rule, s) for s in rule.sources), rules=rules)
    ignore = [*(rules.ignore if rules is not None else ()), *(rule.ignore or ())]
    return drift(eco, reality, lines=context.lines, ignore=ignore, sources=rule.sources)


def _drift(eco: Ecosystem, rule: CheckRule, context: _Context) -> list[Finding]:
    assert rule.min_percent is not None
    report = _drift_of(eco, rule, context)
    if report.score >= rule.min_percent:
        return []
    worst = sorted(report.products, key=lambda p: p.score)[:3]
    products = ", ".join(f"{p.product} {p.score:.1f}%" for p in worst)
    return [
        _finding(
            rule,
            "score",
            f"drift score {report.score:.1f}% against {', '.join(rule.sources or ())} is below "
            f"{rule.min_percent:g}% ({len(report.agreed)} agreed, {len(report.undeclared)} "
            f"undeclared, {len(report.phantom)} phantom)"
            + (f"; lowest products: {products}" if products else ""),
            (),
            context.lines.checks.get(rule.id),
        )
    ]


def _undeclared(eco: Ecosystem, rule: CheckRule, context: _Context) -> list[Finding]:
    report = _drift_of(eco, rule, context)
    out = []
    for d in report.undeclared:
        seen = d.seen[0] if d.seen else None
        where = f"{seen.file}:{seen.line}" if seen and seen.line else (seen.file if seen else "")
        evidence = f" ({seen.evidence})" if seen and seen.evidence else ""
        place = context.lines.component(d.source)
        if place is None and seen is not None and seen.file and seen.line:
            place = Place(seen.file, seen.line)
        out.append(
            _finding(
                rule,
                f"{d.source}->{d.target}",
                f"undeclared dependency {d.source} -> {d.target}: seen in reality, not in "
                "the model" + (f"; seen at {where}{evidence}" if where else ""),
                (d.source, d.target),
                place,
            )
        )
    return out


_EVALUATORS: dict[str, Callable[[Ecosystem, CheckRule, _Context], list[Finding]]] = {
    "layering": _layering,
    "cycles": _cycles,
    "forbidden": _forbidden,
    "reuse": _reuse,
    "launch-reuse": _launch_reuse,
    "specific": _specific,
    "availability": _availability,
    "spof": _spof,
    "drift": _drift,
    "undeclared": _undeclared,
}
