"""The baseline: today's findings, recorded so they pass while new ones fail.

It is a ratchet. A finding not in the baseline fails; an entry that no longer matches
a finding fails until the baseline is rewritten without it, so the baseline only
shrinks; an entry whose ``expires`` date has passed fails. Entries name one finding
each, by its stable key: wildcards are refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from layermodel.checks.rules import Finding
from layermodel.errors import InputError, Problem
from layermodel.model import Document, read_document

__all__ = [
    "BASELINE_NAME",
    "BASELINE_VERSION",
    "Baseline",
    "Entry",
    "baseline_text",
    "read_baseline",
    "updated_baseline",
]

BASELINE_VERSION = 1
"""The baseline format version this release reads and writes."""

BASELINE_NAME = "layermodel-baseline.json"
"""The baseline's usual file name, beside the model file."""

_TOP_KEYS = {"version", "model", "entries"}
_ENTRY_KEYS = {"key", "rule", "owner", "reason", "expires"}


@dataclass(frozen=True)
class Entry:
    """One accepted finding."""

    key: str
    rule: str
    owner: str | None = None
    reason: str | None = None
    expires: dt.date | None = None
    file: str | None = None
    line: int | None = None
    """Where the entry sits in the baseline file it was read from."""

    def to_dict(self) -> dict[str, Any]:
        """The entry as the baseline file writes it."""
        out: dict[str, Any] = {"key": self.key, "rule": self.rule}
        if self.owner is not None:
            out["owner"] = self.owner
        if self.reason is not None:
            out["reason"] = self.reason
        if self.expires is not None:
            out["expires"] = self.expires.isoformat()
        return out


@dataclass(frozen=True)
class Baseline:
    """The accepted findings of one model."""

    model: str
    entries: tuple[Entry, ...] = ()
    file: str | None = None

    def by_key(self) -> dict[str, Entry]:
        """Entries by key."""
        return {e.key: e for e in self.entries}


def read_baseline(path: str | os.PathLike[str], *, model: str, rules: Collection[str]) -> Baseline:
    """Read a baseline file for the model named ``model`` whose rule ids are ``rules``.

    Raises:
        ReadError: the file cannot be read.
        InputError: it is not valid JSON or YAML, has unknown keys, is for another
            model, names an unknown rule, a wildcard key or a bad date; every problem
            has the file and line.
    """
    document = read_document(path, what="baseline file")
    problems: list[Problem] = []
    data = document.data
    if not isinstance(data, dict):
        raise InputError(
            [document.problem("a baseline must be a mapping with version, model and entries")]
        )
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(
                document.problem(
                    f"unknown key {key!r}; a baseline has {', '.join(sorted(_TOP_KEYS))}",
                    (key,),
                    key=True,
                )
            )
    version = data.get("version")
    if type(version) is not int or version != BASELINE_VERSION:
        problems.append(
            document.problem(
                f"unsupported baseline version {version!r}; expected {BASELINE_VERSION}",
                ("version",),
            )
        )
    name = data.get("model")
    if not isinstance(name, str):
        problems.append(document.problem("model must be the model's name, as text", ("model",)))
    elif name != model:
        problems.append(
            document.problem(f"this baseline is for the model {name!r}, not {model!r}", ("model",))
        )
    raw = data.get("entries", [])
    entries: list[Entry] = []
    if not isinstance(raw, list):
        problems.append(document.problem("entries must be a list", ("entries",)))
        raw = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        entry = _entry(document, i, item, rules, problems)
        if entry is None:
            continue
        if entry.key in seen:
            problems.append(
                document.problem(
                    f"entry {entry.key!r} is listed twice (first as entries[{seen[entry.key]}])",
                    ("entries", i, "key"),
                )
            )
            continue
        seen[entry.key] = i
        entries.append(entry)
    if problems:
        raise InputError(problems)
    return Baseline(model=model, entries=tuple(entries), file=document.file)


def _entry(
    document: Document, i: int, item: Any, rules: Collection[str], problems: list[Problem]
) -> Entry | None:
    here = ("entries", i)
    if not isinstance(item, dict):
        problems.append(document.problem("an entry must be a mapping with key and rule", here))
        return None
    before = len(problems)
    for key in item:
        if key not in _ENTRY_KEYS:
            problems.append(
                document.problem(
                    f"unknown key {key!r}; an entry has {', '.join(sorted(_ENTRY_KEYS))}",
                    (*here, key),
                    key=True,
                )
            )
    key, rule = item.get("key"), item.get("rule")
    if not isinstance(key, str) or not key:
        problems.append(document.problem("key must be a finding's key, as text", (*here, "key")))
    elif "*" in key or "?" in key:
        problems.append(
            document.problem(
                f"key {key!r} has a wildcard; each entry names exactly one finding",
                (*here, "key"),
            )
        )
    if not isinstance(rule, str):
        problems.append(document.problem("rule must be a rule id, as text", (*here, "rule")))
    elif rule not in rules:
        known = ", ".join(sorted(rules))
        problems.append(
            document.problem(
                f"unknown rule {rule!r}; the model's rules are {known}", (*here, "rule")
            )
        )
    elif isinstance(key, str) and not key.startswith(f"{rule}:"):
        problems.append(
            document.problem(
                f"key {key!r} does not belong to rule {rule!r} (it must start {rule + ':'!r})",
                (*here, "key"),
            )
        )
    texts: dict[str, str | None] = {}
    for name in ("owner", "reason"):
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(document.problem(f"{name} must be text", (*here, name)))
        texts[name] = value if isinstance(value, str) else None
    expires = _date(document, item.get("expires"), (*here, "expires"), problems)
    if len(problems) > before:
        return None
    assert isinstance(key, str) and isinstance(rule, str)
    place = document.locate((*here, "key"))
    return Entry(
        key=key,
        rule=rule,
        owner=texts["owner"],
        reason=texts["reason"],
        expires=expires,
        file=document.file,
        line=place[0] if place else None,
    )


def _date(
    document: Document, value: Any, path: tuple[str | int, ...], problems: list[Problem]
) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(
        document.problem(f"expires must be a date such as 2027-03-31, got {value!r:.40}", path)
    )
    return None


def updated_baseline(
    findings: Iterable[Finding], *, model: str, previous: Baseline | None = None
) -> Baseline:
    """A baseline of exactly ``findings``, keeping the owner, reason and expiry date of
    the previous entries that still match."""
    kept = previous.by_key() if previous is not None else {}
    entries = []
    for finding in sorted(findings, key=lambda f: f.key):
        old = kept.get(finding.key)
        entries.append(
            Entry(
                key=finding.key,
                rule=finding.rule,
                owner=old.owner if old else None,
                reason=old.reason if old else None,
                expires=old.expires if old else None,
            )
        )
    return Baseline(model=model, entries=tuple(entries))


def baseline_text(baseline: Baseline) -> str:
    """The baseline file's text: JSON, entries sorted by key, one key per line."""
    data = {
        "version": BASELINE_VERSION,
        "model": baseline.model,
        "entries": [e.to_dict() for e in sorted(baseline.entries, key=lambda e: e.key)],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
