"""Where each value of a parsed model file sits in its text: model path -> line, column.

Source maps are built only when a file has problems, so the fast path (parse and
validate) never pays for them. YAML positions come from libyaml's composed node tree;
JSON positions come from a small tokenizer over text that already parsed.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from layermodel.errors import Path

__all__ = ["SourceMap"]


class SourceMap:
    """Positions of values and keys in one file, looked up by model path.

    ``locate(path)`` returns the 1-based (line, column) of the value at ``path``, or
    of the closest enclosing value that exists when ``path`` does not (a missing key
    points at the mapping that lacks it).
    """

    def __init__(self, values: dict[Path, tuple[int, int]], keys: dict[Path, tuple[int, int]]):
        self._values = values
        self._keys = keys

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int] | None:
        """Line and column of the value (or, with ``key=True``, the key) at ``path``."""
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

    @classmethod
    def from_yaml(cls, text: str, loader: type[Any]) -> SourceMap:
        """Map a YAML document through libyaml's composed node tree."""
        try:
            root = yaml.compose(text, Loader=loader)
        except yaml.YAMLError:
            return cls({}, {})
        values: dict[Path, tuple[int, int]] = {}
        keys: dict[Path, tuple[int, int]] = {}
        if root is None:
            return cls(values, keys)
        seen: set[int] = set()
        stack: list[tuple[yaml.Node, Path]] = [(root, ())]
        while stack:
            node, path = stack.pop()
            mark = node.start_mark
            values.setdefault(path, (mark.line + 1, mark.column + 1))
            if id(node) in seen:  # an alias: already walked under its anchor
                continue
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if not isinstance(key_node, yaml.ScalarNode):
                        continue
                    sub = (*path, key_node.value)
                    km = key_node.start_mark
                    keys.setdefault(sub, (km.line + 1, km.column + 1))
                    stack.append((value_node, sub))
            elif isinstance(node, yaml.SequenceNode):
                for i, item in enumerate(node.value):
                    stack.append((item, (*path, i)))
        return cls(values, keys)

    @classmethod
    def from_json(cls, text: str) -> SourceMap:
        """Map a JSON document that is known to parse."""
        lines = _LineIndex(text)
        values: dict[Path, tuple[int, int]] = {}
        keys: dict[Path, tuple[int, int]] = {}
        for path, offset, is_key in _json_positions(text):
            (keys if is_key else values).setdefault(path, lines.position(offset))
        return cls(values, keys)


class _LineIndex:
    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)


def _json_positions(text: str) -> Iterator[tuple[Path, int, bool]]:
    """Yield (path, offset, is_key) for every value and key of valid JSON text."""
    # Each frame: [is_object, path, index_or_key, expecting_key]
    stack: list[list[Any]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        start = m.start()
        if tok in ",":
            if stack:
                frame = stack[-1]
                if frame[0]:
                    frame[3] = True
                else:
                    frame[2] += 1
            continue
        if tok == ":":
            continue
        if tok in "}]":
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
