"""Parse model text, YAML or JSON, safely, into plain data, with a position for every
syntax problem.

YAML goes through libyaml's C parser and a safe constructor: no tag can build a
Python object or run code. Duplicate keys, alias bombs, recursive aliases, sets and
values a tag cannot hold are refused with the line and column where they are. JSON
goes through the standard library's C decoder, refusing duplicate keys, lone
surrogates and too-deep nesting, again with a line and column.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import yaml

from layermodel.errors import ModelError, Problem

__all__ = ["Format", "Parsed", "YamlLoader", "YamlSet", "line_index", "parse"]

Format = Literal["yaml", "json"]

_MAX_EXPANSION = 200_000
_JSON_DEPTH = 500


@dataclass
class Parsed:
    """What a file held: plain data, and for YAML the node tree (for positions)."""

    data: Any
    yaml_root: yaml.Node | None = None


class _Lines:
    """Offsets of line starts, to turn a character offset into (line, column)."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


def line_index(text: str) -> _Lines:
    """A helper that turns character offsets in ``text`` into 1-based (line, column)."""
    return _Lines(text)


def _problem(message: str, name: str, where: tuple[int, int] | None = None) -> ModelError:
    line, column = where if where is not None else (None, None)
    return ModelError([Problem(message, file=name, line=line, column=column)])


# -- YAML ------------------------------------------------------------------------------

_CONSTRUCTION_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


class YamlSet:
    """A YAML ``!!set``. Kept as its own type so that every field refuses it with a
    clear message (a model has lists, not sets), without stopping the parse."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def __repr__(self) -> str:
        return "!!set {" + ", ".join(str(i) for i in self.items) + "}"


def _construct_set(loader: Any, node: yaml.Node) -> Any:
    return YamlSet(list(loader.construct_mapping(node)))


def _refuse(what: str, instead: str) -> Callable[..., Any]:
    def constructor(loader: Any, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(
            None, None, f"{what} are not supported in model files; {instead}", node.start_mark
        )

    return constructor


class YamlLoader(yaml.CSafeLoader):
    """libyaml's safe loader, stricter: it refuses duplicate keys, sets, ordered maps
    and pairs, keeps dates as text, and reports unreadable tagged values with their
    position. Safe means that no tag can construct Python objects or run code."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key {key_node.value!r}: the first value would be lost",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _TrackingLoader(YamlLoader):
    """The same loader, remembering the node being constructed. Used only to find
    where a value its tag cannot hold (``!!int abc``) is, after a failed load."""

    current: yaml.Node | None = None

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        self.current = node
        return super().construct_object(node, deep=deep)


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
YamlLoader.yaml_constructors = dict(yaml.CSafeLoader.yaml_constructors)
YamlLoader.yaml_constructors["tag:yaml.org,2002:set"] = _construct_set
YamlLoader.yaml_constructors["tag:yaml.org,2002:omap"] = _refuse(
    "ordered maps (!!omap)", "use a mapping"
)
YamlLoader.yaml_constructors["tag:yaml.org,2002:pairs"] = _refuse(
    "pairs (!!pairs)", "use a mapping"
)


def _yaml_problem(exc: yaml.YAMLError, name: str, text: str) -> ModelError:
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character
        shown = f"{char!r}" if isinstance(char, str) else f"byte 0x{char:02x}"
        return _problem(
            f"character {shown} is not allowed in YAML: {exc.reason}",
            name,
            _Lines(text).position(exc.position),
        )
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    if isinstance(exc, yaml.constructor.ConstructorError):
        message = (
            problem
            if problem.startswith(("duplicate", "this value", "sets", "ordered", "pairs"))
            else (
                f"YAML tag not allowed: {problem}"
                if "could not determine a constructor" in problem
                else f"YAML error: {problem}"
            )
        )
    else:
        message = f"YAML syntax error: {problem}"
        if context:
            message += f" ({context})"
    at = (mark.line + 1, mark.column + 1) if mark is not None else None
    return _problem(message, name, at)


def _parse_yaml(text: str, name: str) -> Parsed:
    loader = YamlLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return Parsed(None, None)
        if "*" in text:
            _check_aliases(root, name, text)
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, name, text) from None
    except _CONSTRUCTION_ERRORS as exc:  # a value its tag cannot hold: !!int abc
        node = _failing_node(text, exc)
        tag = node.tag.rsplit(":", 1)[-1] if node is not None else "its tag"
        detail = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
        where = (node.start_mark.line + 1, node.start_mark.column + 1) if node else None
        raise _problem(f"this value cannot be read as {tag}: {detail}", name, where) from None
    except RecursionError:
        raise _problem("YAML nesting is too deep", name) from None
    finally:
        loader.dispose()
    return Parsed(data, root)


def _failing_node(text: str, exc: BaseException) -> yaml.Node | None:
    """Construct again, tracking nodes, to find the one that raised ``exc``."""
    tracker = _TrackingLoader(text)
    try:
        root = tracker.get_single_node()
        if root is not None:
            tracker.construct_document(root)
    except _CONSTRUCTION_ERRORS:
        return tracker.current
    except yaml.YAMLError:
        return None
    finally:
        tracker.dispose()
    return None


def _alias_inside(text: str, node: yaml.Node) -> tuple[int, int]:
    """Where ``*name`` refers back to the anchored ``node`` from inside it."""
    start, end = node.start_mark, node.end_mark
    anchor = re.match(r"&([^\s,\[\]{}]+)", text[start.index :])
    if anchor:
        found = text.find(f"*{anchor.group(1)}", start.index, max(end.index, start.index + 1))
        if found >= 0:
            return _Lines(text).position(found)
    return start.line + 1, start.column + 1


def _check_aliases(root: yaml.Node, name: str, text: str) -> None:
    """Refuse alias bombs and recursive aliases before anything is constructed.

    An alias reuses an anchored node. Expanded, a few lines can stand for billions of
    values ("billion laughs"), and an anchor may contain itself. Expanded sizes are
    computed once per node, so this is linear in the size of the text.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()
    shared: yaml.Node | None = None
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            active.discard(key)
            continue
        if key in sizes:
            if shared is None:
                shared = node
            continue
        if key in active:
            raise _problem(
                "an alias refers to the value that contains it (a recursive alias)",
                name,
                _alias_inside(text, node),
            )
        if key in seen and shared is None:
            shared = node
        seen.add(key)
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children)
    total = sizes[id(root)]
    if total > _MAX_EXPANSION and total > 10 * len(sizes):
        mark = (shared or root).start_mark
        raise _problem(
            f"aliases expand to {total:,} values from {len(sizes):,} written ones "
            "(an alias bomb?); write the values out instead of nesting aliases",
            name,
            (mark.line + 1, mark.column + 1),
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


# -- JSON ------------------------------------------------------------------------------


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)
_SURROGATE = re.compile(r"(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONG_NUMBER = re.compile(r"(?<![\w.])-?\d{4000,}")


def _first_too_deep(text: str) -> int | None:
    depth = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok in ("{", "["):
            depth += 1
            if depth > _JSON_DEPTH:
                return m.start()
        elif tok in ("}", "]"):
            depth -= 1
    return None


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _lone_surrogate_at(text: str) -> int | None:
    """Offset of the first \\uD800-\\uDFFF escape that is not half of a valid pair."""
    for m in _SURROGATE.finditer(text):
        escape = m.group()[-6:]
        try:
            json.loads(f'"{escape}{text[m.end() : m.end() + 6]}"').encode("utf-8")
        except (UnicodeEncodeError, ValueError):
            if 0xDC00 <= int(escape[2:], 16) <= 0xDFFF:
                before = text[max(0, m.end() - 12) : m.end() - 6]
                if re.fullmatch(r"\\u[dD][89abAB][0-9a-fA-F]{2}", before):
                    continue  # the low half of a valid pair
            return m.end() - 6
    return None


def _parse_json(text: str, name: str) -> Parsed:
    try:
        data = json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        raise _problem(f"JSON syntax error: {exc.msg}", name, (exc.lineno, exc.colno)) from None
    except _DuplicateKey as exc:
        raise _problem(
            f"duplicate key {exc.key!r}: the first value would be lost",
            name,
            _json_duplicate_position(text, exc.key),
        ) from None
    except RecursionError:
        offset = _first_too_deep(text)
        where = _Lines(text).position(offset) if offset is not None else None
        raise _problem(
            f"JSON nesting is too deep (over {_JSON_DEPTH} levels)", name, where
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python allows
        m = _LONG_NUMBER.search(text)
        where = _Lines(text).position(m.start()) if m else None
        detail = str(exc).splitlines()[0][:100]
        raise _problem(f"JSON value cannot be read: {detail}", name, where) from None
    if "\\u" in text and _SURROGATE.search(text) and _has_surrogate(data):
        offset = _lone_surrogate_at(text)
        where = _Lines(text).position(offset) if offset is not None else None
        raise _problem(
            "a \\u escape makes half of a UTF-16 surrogate pair, which is not valid text",
            name,
            where,
        )
    return Parsed(data)


def _json_duplicate_position(text: str, key: str) -> tuple[int, int] | None:
    """Where the second occurrence of ``key`` in one object is (slow path)."""
    from layermodel.model.sourcemap import json_positions

    lines = _Lines(text)
    seen: set[Any] = set()
    for path, offset, is_key in json_positions(text):
        if is_key and path[-1] == key:
            if path in seen:
                return lines.position(offset)
            seen.add(path)
    return None


# -- either --------------------------------------------------------------------------


def parse(text: str, name: str, fmt: Format) -> Parsed:
    """Parse model text. Raises ModelError with the position of any syntax problem."""
    if not text.strip():
        raise _problem("the file is empty; expected a model", name, (1, 1))
    if fmt == "json":
        return _parse_json(text, name)
    return _parse_yaml(text, name)
