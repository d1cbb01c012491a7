"""Parse YAML or JSON text safely into plain data: the one parser of every input.

YAML goes through libyaml's C parser and a safe constructor: no tag can build a
Python object or run code. Duplicate keys, alias bombs, recursive aliases, unknown
tags (``!!python/object``, ``!Ref``), sets and values a tag cannot hold are refused
with the line and column where they are; libyaml refuses nesting over 1,000 levels.
JSON goes through the standard library's C decoder, refusing duplicate keys, lone
surrogates and too-deep nesting, again with a line and column. A YAML stream may
hold several documents; each comes with the positions of its values, worked out
only when a problem needs them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, Literal

import yaml

from layermodel.errors import InputError, LayermodelError, Path, Problem
from layermodel.model.io.positions import (
    JsonSourceMap,
    Lines,
    SourceMap,
    YamlSourceMap,
    json_positions,
)

__all__ = [
    "JSON_DEPTH",
    "MAX_EXPANSION",
    "Document",
    "Format",
    "YamlLoader",
    "YamlSet",
    "format_of",
    "parse",
    "parse_documents",
]

Format = Literal["yaml", "json"]

MAX_EXPANSION = 200_000
"""The most values a YAML document's aliases may expand to (when that is also more
than ten times what is written): beyond that it is taken for an alias bomb."""

JSON_DEPTH = 500
"""JSON nested deeper than this is refused."""


@dataclass
class Document:
    """One parsed document: its data, the file it came from, the line it starts on,
    and the position of every value, worked out only when asked for."""

    data: Any
    file: str
    line: int = 1
    yaml_root: yaml.Node | None = field(default=None, repr=False)
    json_text: str | None = field(default=None, repr=False)
    _map: SourceMap | None = field(default=None, repr=False)

    def source_map(self) -> SourceMap:
        """The positions of this document's values (built on first use)."""
        if self._map is None:
            if self.json_text is not None:
                self._map = JsonSourceMap(self.json_text)
            else:
                self._map = YamlSourceMap(self.yaml_root)
        return self._map

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int] | None:
        """The 1-based (line, column) of the value at ``path`` (of its key, with
        ``key``), or of the closest enclosing value when ``path`` is not there."""
        return self.source_map().locate(path, key=key)

    def problem(self, message: str, path: Path = (), *, key: bool = False) -> Problem:
        """A problem at ``path`` in this document (at its key, with ``key``), with the
        best position known."""
        found = self.locate(path, key=key)
        if found is None:
            return Problem(message, path=path, file=self.file, line=self.line)
        return Problem(message, path=path, file=self.file, line=found[0], column=found[1])

    def forget_positions(self) -> None:
        """Free what positions are worked out from; problems then get only the file
        and the document's first line."""
        self.yaml_root = None
        self.json_text = None
        self._map = None


def _problem(message: str, name: str, where: tuple[int, int] | None = None) -> InputError:
    line, column = where if where is not None else (None, None)
    return InputError([Problem(message, file=name, line=line, column=column)])


def format_of(name: str, text: str = "", given: str | None = None) -> Format:
    """The format of a file: ``given`` when set (``yaml``, ``yml`` or ``json``), else
    from the name's suffix, else JSON when the text starts with ``{`` or ``[``."""
    if given is not None:
        fmt = given.lower()
        if fmt in ("yml", "yaml"):
            return "yaml"
        if fmt == "json":
            return "json"
        raise LayermodelError(f"unknown format {given!r}; expected 'yaml' or 'json'")
    suffix = FsPath(name).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


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
        written = node.value
        result = super().construct_mapping(node, deep=deep)
        # A mapping with as many entries as it has keys has no duplicate: the common
        # case costs one comparison. Otherwise (a duplicate, or a merge key, which
        # replaces the list of pairs and removes itself from the written one) the
        # keys written here are compared, with their tags (``1`` and ``"1"`` differ).
        if node.value is not written or len(result) != len(written):
            self._refuse_duplicates(written)
        return result

    def _refuse_duplicates(self, pairs: list[tuple[yaml.Node, yaml.Node]]) -> None:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in pairs:
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


def _yaml_problem(exc: yaml.YAMLError, name: str, text: str) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character
        shown = f"{char!r}" if isinstance(char, str) else f"byte 0x{char:02x}"
        return _problem(
            f"character {shown} is not allowed in YAML: {exc.reason}",
            name,
            Lines(text).position(exc.position),
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
    elif "maximum nesting depth" in problem:
        message = "YAML nesting is too deep (over 1,000 levels)"
    else:
        message = f"YAML syntax error: {problem}"
        if context:
            message += f" ({context})"
    at = (mark.line + 1, mark.column + 1) if mark is not None else None
    return _problem(message, name, at)


def _parse_yaml(text: str, name: str, *, single: bool) -> list[Document]:
    loader = YamlLoader(text)
    documents: list[Document] = []
    try:
        if single:
            root = loader.get_single_node()
            roots = iter([root] if root is not None else [])
        else:
            roots = _nodes(loader)
        for root in roots:
            if "*" in text:
                _check_aliases(root, name, text)
            data = loader.construct_document(root)
            documents.append(Document(data, name, root.start_mark.line + 1, yaml_root=root))
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, name, text) from None
    except _CONSTRUCTION_ERRORS as exc:  # a value its tag cannot hold: !!int abc
        node = _failing_node(text, exc, single)
        tag = node.tag.rsplit(":", 1)[-1] if node is not None else "its tag"
        detail = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
        where = (node.start_mark.line + 1, node.start_mark.column + 1) if node else None
        raise _problem(f"this value cannot be read as {tag}: {detail}", name, where) from None
    except RecursionError:
        raise _problem("YAML nesting is too deep", name) from None
    finally:
        loader.dispose()
    return documents


def _nodes(loader: YamlLoader) -> Iterator[yaml.Node]:
    """The root node of each document of a stream, composed one at a time."""
    while loader.check_node():
        node = loader.get_node()
        if node is not None:
            yield node


def _failing_node(text: str, exc: BaseException, single: bool) -> yaml.Node | None:
    """Construct again, tracking nodes, to find the one that raised ``exc``."""
    tracker = _TrackingLoader(text)
    try:
        if single:
            root = tracker.get_single_node()
            if root is not None:
                tracker.construct_document(root)
        else:
            for root in _nodes(tracker):
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
            return Lines(text).position(found)
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
    if total > MAX_EXPANSION and total > 10 * len(sizes):
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
            if depth > JSON_DEPTH:
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


def _parse_json(text: str, name: str) -> Document:
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
        where = Lines(text).position(offset) if offset is not None else None
        raise _problem(
            f"JSON nesting is too deep (over {JSON_DEPTH} levels)", name, where
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python allows
        m = _LONG_NUMBER.search(text)
        where = Lines(text).position(m.start()) if m else None
        detail = str(exc).splitlines()[0][:100]
        raise _problem(f"JSON value cannot be read: {detail}", name, where) from None
    if "\\u" in text and _SURROGATE.search(text) and _has_surrogate(data):
        offset = _lone_surrogate_at(text)
        where = Lines(text).position(offset) if offset is not None else None
        raise _problem(
            "a \\u escape makes half of a UTF-16 surrogate pair, which is not valid text",
            name,
            where,
        )
    return Document(data, name, 1, json_text=text)


def _json_duplicate_position(text: str, key: str) -> tuple[int, int] | None:
    """Where the second occurrence of ``key`` in one object is (slow path)."""
    lines = Lines(text)
    seen: set[Any] = set()
    for path, offset, is_key in json_positions(text):
        if is_key and path[-1] == key:
            if path in seen:
                return lines.position(offset)
            seen.add(path)
    return None


# -- either --------------------------------------------------------------------------


def parse(text: str, name: str, fmt: Format, *, expected: str = "a document") -> Document:
    """Parse text that must hold exactly one document (a model file, a rules file).

    A YAML file of only comments gives a document whose data is None. Raises
    :class:`~layermodel.errors.InputError` with the position of any problem, and for
    empty text ("the file is empty; expected ``expected``").
    """
    if not text.strip():
        raise _problem(f"the file is empty; expected {expected}", name, (1, 1))
    if fmt == "json":
        return _parse_json(text, name)
    found = _parse_yaml(text, name, single=True)
    return found[0] if found else Document(None, name, 1)


def parse_documents(text: str, name: str, fmt: Format) -> list[Document]:
    """Parse text that may hold several YAML documents (``---`` between them), each
    checked as :func:`parse` checks one; JSON text holds one. Empty documents are
    left out, so an empty file gives an empty list.

    Raises :class:`~layermodel.errors.InputError` with the position of any problem.
    """
    if fmt == "json":
        return [_parse_json(text, name)] if text.strip() else []
    return _parse_yaml(text, name, single=False)
