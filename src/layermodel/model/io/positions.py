"""Where each value of a parsed file sits in its text: model path -> line, column.

Source maps are used only when a file has problems, so the fast path (parse and
validate) never pays for them. YAML positions come from the node tree libyaml
composed while parsing, walked only along the paths asked for; JSON positions come
from one pass of a small tokenizer over text that already parsed.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from layermodel.errors import Path

__all__ = ["JsonSourceMap", "Lines", "SourceMap", "YamlSourceMap", "json_positions"]


class Lines:
    """Offsets of line starts, to turn a character offset into (line, column)."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset. O(log lines)."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


class SourceMap:
    """Positions of values and keys in one file, looked up by model path.

    ``locate(path)`` returns the 1-based (line, column) of the value at ``path`` (or,
    with ``key=True``, of its key), or of the closest enclosing value that exists
    when ``path`` does not: a missing key points at the mapping that lacks it.
    """

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int] | None:
        raise NotImplementedError


class YamlSourceMap(SourceMap):
    """Positions from a composed YAML node tree, found by walking down the path."""

    def __init__(self, root: yaml.Node | None) -> None:
        self._root = root
        self._keys: dict[int, dict[str, tuple[yaml.Node | None, yaml.Node]]] = {}
        self._at: dict[Path, tuple[yaml.Node | None, yaml.Node]] = {}
        """(key node, value node) of each path walked so far: lookups that share a
        prefix (every value an importer reports in one object) start below it."""

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int] | None:
        node = self._root
        if node is None:
            return None
        start = len(path) - 1
        while start >= 0 and tuple(path[: start + 1]) not in self._at:
            start -= 1
        key_node: yaml.Node | None = None
        if start >= 0:
            key_node, node = self._at[tuple(path[: start + 1])]
            found = _mark(key_node if key and start == len(path) - 1 and key_node else node)
        else:
            found = _mark(node)
        for depth in range(start + 1, len(path)):
            part = path[depth]
            child = self._text_key(node, part) if isinstance(part, str) else None
            if child is None:
                child = _child(node, part)
            if child is None:
                return found
            self._at[tuple(path[: depth + 1])] = child
            key_node, node = child
            last = depth == len(path) - 1
            found = _mark(key_node if key and last and key_node is not None else node)
        return found

    def _text_key(self, node: yaml.Node, part: str) -> tuple[yaml.Node | None, yaml.Node] | None:
        """The (key, value) nodes of the plain-text key ``part`` of a mapping, from an
        index of the mapping's text keys built on first use: repeated lookups (an
        importer placing every value it reports) cost O(depth), not O(keys)."""
        if not isinstance(node, yaml.MappingNode):
            return None
        index = self._keys.get(id(node))
        if index is None:
            index = self._keys[id(node)] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(":str"):
                    index.setdefault(key_node.value, (key_node, value_node))
        return index.get(part)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_SCALARS = yaml.constructor.SafeConstructor()


def _key_value(node: yaml.Node) -> Any:
    """The Python value a key node stands for (``1``, ``None``, ``True`` or text)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    try:
        return _SCALARS.construct_object(node)
    except Exception:  # an unreadable key: compare by its text
        return node.value


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.SequenceNode):
        if isinstance(part, int) and not isinstance(part, bool) and 0 <= part < len(node.value):
            return None, node.value[part]
        return None
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            value = _key_value(key_node)
            if value == part and type(value) is type(part):
                return key_node, value_node
        for key_node, value_node in node.value:  # e.g. a key pydantic reports as text
            value = _key_value(key_node)
            if str(value) == str(part) or value == part:
                return key_node, value_node
    return None


class JsonSourceMap(SourceMap):
    """Positions of every value and key of a JSON document that is known to parse."""

    def __init__(self, text: str) -> None:
        lines = Lines(text)
        self._values: dict[Path, tuple[int, int]] = {}
        self._keys: dict[Path, tuple[int, int]] = {}
        for path, offset, is_key in json_positions(text):
            (self._keys if is_key else self._values).setdefault(path, lines.position(offset))

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int] | None:
        if key and path in self._keys:
            return self._keys[path]
        probe = tuple(path)
        while True:
            found = self._values.get(probe)
            if found is not None:
                return found
            if not probe:
                return None
            probe = probe[:-1]


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)


def json_positions(text: str) -> Iterator[tuple[Path, int, bool]]:
    """Yield (path, offset, is_key) for every value and key of valid JSON text."""
    # Each frame: [is_object, path, index_or_key, expecting_key]
    stack: list[list[Any]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        start = m.start()
        if tok == ",":
            if stack:
                frame = stack[-1]
                if frame[0]:
                    frame[3] = True
                else:
                    frame[2] += 1
            continue
        if tok == ":":
            continue
        if tok in ("}", "]"):
            if stack:
                stack.pop()
            continue
        top = stack[-1] if stack else None
        if top is not None and top[0] and top[3]:
            key = json.loads(tok) if "\\" in tok else tok[1:-1]
            top[2] = key
            top[3] = False
            yield (*top[1], key), start, True
            continue
        path: Path = () if top is None else (*top[1], top[2])
        yield path, start, False
        if tok == "{":
            stack.append([True, path, None, True])
        elif tok == "[":
            stack.append([False, path, 0, False])
