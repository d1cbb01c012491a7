"""Turn pydantic validation errors into problems a person can act on.

Pydantic reports ``('components', 0, 'depends_on', 1, 'Dependency', 'kidn')
extra_forbidden``; users need ``components[0].depends_on[1]: unknown key 'kidn';
did you mean 'kind'?``. This module does that translation: it drops union branch
tags, keeps only the branch that matches what the user wrote, names the expected
keys and values, and suggests near misses.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from layermodel.errors import Path, Problem, show_value, suggest
from layermodel.model.elements import Dependency, Link

__all__ = ["describe", "problems_from_validation"]

_UNION_TAGS = {"constrained-str", "str", "Dependency", "Link"}


_NAMED_MODELS: dict[str, type[BaseModel]] = {"Dependency": Dependency, "Link": Link}


def describe(value: Any) -> str:
    """Say what kind of value the user wrote: ``number 5``, ``text 'x'``, ``a list``."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {show_value(value, 40)}"
    if isinstance(value, str):
        return f"text {show_value(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if type(value).__name__ == "YamlSet":
        return f"a YAML set {show_value(value)}; use a list"
    return f"{type(value).__name__} {show_value(value)}"


_UNION_FIELDS = {"depends_on", "links"}


def _tag_position(loc: tuple[Any, ...]) -> int | None:
    """Where pydantic put a union-branch tag in ``loc``: right after an item of a
    union-typed list field, never elsewhere (a user's key may be called 'str')."""
    for i in range(2, len(loc)):
        if (
            loc[i - 2] in _UNION_FIELDS
            and isinstance(loc[i - 1], int)
            and isinstance(loc[i], str)
            and loc[i] in _UNION_TAGS
        ):
            return i
    return None


def _model_at(root: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at ``path``."""
    current: type[BaseModel] | None = root
    for part in path:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return None
        current = _model_in(info.annotation)
    return current


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    meta = getattr(annotation, "__origin__", None)
    if meta is not None and meta is not annotation:
        return _model_in(meta)
    return None


def _slug(value: str) -> str | None:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", value.strip()).strip("-._")
    return slug[:128] if slug else None


def _expected_words(ctx: dict[str, Any] | None) -> list[str]:
    return re.findall(r"'([^']*)'", str((ctx or {}).get("expected", "")))


_NUMBER_HINT = "; write it as a plain number, without quotes"
_QUOTE_HINT = "; put it in quotes to make it text"


def _group(text: str) -> str | None:
    """``text`` as a valid group path, or None when nothing is left."""
    parts = [p.strip() for p in text.split("/") if p.strip()]
    return "/".join(parts) or None


_SAME_AS = {
    "bought": "buy",
    "purchased": "buy",
    "purchase": "buy",
    "vendor": "buy",
    "commercial": "buy",
    "built": "build",
    "in-house": "build",
    "inhouse": "build",
    "internal": "build",
    "custom": "build",
    "saas": "external-api",
    "api": "external-api",
    "external": "external-api",
    "oss": "open-source",
    "opensource": "open-source",
    "open source": "open-source",
    "prod": "production",
    "live": "production",
    "ga": "production",
    "beta": "experimental",
    "alpha": "experimental",
    "experiment": "experimental",
    "retired": "deprecated",
    "legacy": "deprecated",
    "sunset": "deprecated",
}
"""Words people write for a choice, and the choice they mean (``sourcing: bought``
is ``buy``); used only when the choice is one the field allows."""


def _message(err: dict[str, Any], root: type[BaseModel]) -> tuple[str, str | None, bool]:
    """(message, suggestion, points_at_key) for one pydantic error."""
    kind = err["type"]
    value = err.get("input")
    loc = err["loc"]
    field = loc[-1] if loc else ""
    if kind == "missing":
        return f"missing required key {field!r}", None, False
    if kind == "invalid_key":
        return f"keys must be text, got {describe(value)}; put the key in quotes", None, True
    if field == "[key]":
        return f"keys must be text, got {describe(value)}; put the key in quotes", None, True
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = sorted(f.alias or n for n, f in model.model_fields.items()) if model else []
        near = suggest(str(field), allowed) if allowed else None
        expected = f"; expected one of: {', '.join(allowed)}" if allowed and not near else ""
        free = "; free-form data goes under 'properties'" if "properties" in allowed else ""
        return f"unknown key {str(field)!r}{expected}{free}", near, True
    if kind == "literal_error":
        words = _expected_words(err.get("ctx"))
        near = None
        if isinstance(value, str):
            near = _SAME_AS.get(value.strip().lower())
            if near not in words:
                near = suggest(str(value), words)
        return f"invalid value {show_value(value)}; expected one of {', '.join(words)}", near, False
    if kind == "string_pattern_mismatch" and field == "group":
        near = _group(value) if isinstance(value, str) else None
        return (
            f"invalid group {show_value(value)}: a group is one or more names separated by "
            "'/', with no empty name and no space at either end of a name",
            near if near != value else None,
            False,
        )
    if kind == "string_pattern_mismatch":
        near = _slug(value) if isinstance(value, str) else None
        return (
            f"invalid id {show_value(value)}: ids use letters, digits, '.', '_' and '-', "
            "and start and end with a letter or digit",
            near if near != value else None,
            False,
        )
    if kind == "string_type":
        hint = _QUOTE_HINT if isinstance(value, (bool, int, float)) else ""
        if isinstance(value, bool):
            hint += " (YAML reads yes, no, on, off, true and false as booleans)"
        return f"expected text, got {describe(value)}{hint}", None, False
    if kind == "bool_type":
        return f"expected true or false, got {describe(value)}", None, False
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing"):
        hint = _NUMBER_HINT if isinstance(value, str) else ""
        return f"expected a number, got {describe(value)}{hint}", None, False
    if kind in ("tuple_type", "list_type", "iterable_type"):
        return f"expected a list, got {describe(value)}", None, False
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping, got {describe(value)}", None, False
    if (
        kind == "less_than_equal"
        and field in ("availability", "availability_target")
        and isinstance(value, (int, float))
        and 50 <= value <= 100  # a percentage: 99.95 for 0.9995
    ):
        fraction = f"{value / 100:.10f}".rstrip("0").rstrip(".")
        return (
            f"must be a fraction between 0 and 1, got {describe(value)}; for {value:g}% "
            f"write {fraction}",
            None,
            False,
        )
    if kind == "finite_number":
        return f"must be a finite number, got {describe(value)}", None, False
    if kind == "value_error":
        text = str(err.get("msg", "")).removeprefix("Value error, ")
        return text, None, False
    message = str(err.get("msg", kind)).replace("Input should be", "must be")
    return f"{message}, got {describe(value)}", None, False


def _union_choice(errors: list[dict[str, Any]], tag_at: int) -> list[dict[str, Any]]:
    """Keep the errors of the union branch that matches what the user wrote."""
    value = errors[0].get("input")
    branches: dict[str, list[dict[str, Any]]] = {}
    for err in errors:
        branches.setdefault(str(err["loc"][tag_at]), []).append(err)
    want = None
    if isinstance(value, dict):
        want = next((b for b in branches if b[:1].isupper()), None)
    elif isinstance(value, str):
        want = next((b for b in branches if not b[:1].isupper()), None)
    if want is not None:
        return [{**e, "loc": e["loc"][:tag_at] + e["loc"][tag_at + 1 :]} for e in branches[want]]
    record = ""
    for branch in branches:
        model = _NAMED_MODELS.get(branch)
        if model is not None:
            record = " or a record with keys " + ", ".join(model.model_fields)
    return [
        {
            "type": "value_error",
            "loc": errors[0]["loc"][:tag_at],
            "msg": f"expected an id{record}; got {describe(value)}",
            "input": value,
        }
    ]


def problems_from_validation(
    exc: ValidationError, root: type[BaseModel]
) -> list[tuple[Problem, bool]]:
    """Every error of ``exc`` as a (problem, points_at_key) pair.

    ``root`` is the model class that was validated, used to name expected keys.
    """
    plain: list[dict[str, Any]] = []
    unions: dict[tuple[Any, ...], tuple[int, list[dict[str, Any]]]] = {}
    for details in exc.errors(include_url=False):
        loc = tuple(details["loc"])
        tag_at = _tag_position(loc)
        err: dict[str, Any] = {**details, "loc": loc}
        if tag_at is None:
            plain.append(err)
        else:
            unions.setdefault(loc[:tag_at], (tag_at, []))[1].append(err)
    for tag_at, group in unions.values():
        plain.extend(_union_choice(group, tag_at))
    results: list[tuple[Problem, bool]] = []
    for err in plain:
        if err["type"] == "plain_data":
            for where, message in (err.get("ctx") or {}).get("places", []):
                place: Path = (*tuple(err["loc"]), *where)
                results.append((Problem(message, path=place), False))
            continue
        message, near, at_key = _message(err, root)
        path: Path = tuple(err["loc"])
        if err["type"] == "missing" or (path and path[-1] == "[key]"):
            path = path[:-1]
        results.append((Problem(message, path=path, suggestion=near), at_key))
    return results
