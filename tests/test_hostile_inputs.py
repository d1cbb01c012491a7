"""Malformed and hostile model files through the real ``layermodel validate`` command.

Every file here is generated in a fresh directory and checked with the command line run
as a subprocess, exactly as a user (or an attacker) would run it. Each run must:

* finish within 5 s of CPU time (and 20 s of wall clock: tests/limits.py) and exit 1
  (invalid) or 2 (unreadable / usage);
* name the file, and give ``FILE:LINE`` when the problem has a place in the file
  (the exact line, where the place is unambiguous);
* print no traceback and no "internal error";
* write nothing into the directory, and never run code (a marker file that a
  successful code-execution payload would create must not exist);
* not echo terminal control characters from the file back to the terminal.

A few hostile-looking inputs are valid (merge keys, UTF-16 with a BOM, ...); those are
checked for the right result rather than for failure.
"""

from __future__ import annotations

import json
import os
import random
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import layermodel as lm
from tests.limits import run_limited

TIMEOUT = float(os.environ.get("LAYERMODEL_HOSTILE_TIMEOUT", "5"))
"""CPU seconds a single ``layermodel validate`` run may take: 5, the requirement (the
variable is only for a machine known to be much slower than a user's). The wall clock
may take ``limits.WALL_FACTOR`` times as long, for a parallel test run."""

MARKER = "@MARKER@"
"""Replaced in file contents by the absolute path of a file that must never appear."""

ANY = 0
"""In ``Case.lines``: some ``FILE:LINE`` must appear, whatever the line."""

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Case:
    """One hostile input.

    ``lines``: lines that must each appear as ``NAME:LINE``; ``ANY`` means some line
    must appear; a negative number counts from the end of the file (-1 is its last
    line). ``content`` may be a function, for large files built only when needed.
    ``setup`` creates something other than a plain file and returns the argument to
    pass to ``validate`` (and the name the output must show).
    """

    id: str
    name: str = "model.yaml"
    content: bytes | Callable[[], bytes] | None = None
    lines: tuple[int, ...] = ()
    exit_codes: tuple[int, ...] = (1, 2)
    marker: bool = False
    must_contain: tuple[str, ...] = ()
    must_not_contain: tuple[str, ...] = ()
    max_output: int = 2_000_000
    slow: bool = False
    setup: Callable[[Path], str] | None = None
    stdin: bytes | None = None
    limit_memory: bool = False


def y(*lines: str) -> bytes:
    """Lines joined into a file's bytes, with a final newline."""
    return ("\n".join(lines) + "\n").encode("utf-8")


CASES: list[Case] = []


def case(*args: object, **kwargs: object) -> None:
    CASES.append(Case(*args, **kwargs))  # type: ignore[arg-type]


# -- YAML tags that would construct Python objects or run code -------------------------

case(
    "yaml-python-object-apply-os-system",
    content=y("name: x", "properties:", f'  p: !!python/object/apply:os.system ["touch {MARKER}"]'),
    lines=(3,),
    marker=True,
)
case(
    "yaml-python-object-apply-subprocess",
    content=y(
        "layermodel: 1",
        f'name: !!python/object/apply:subprocess.check_call [["touch", "{MARKER}"]]',
    ),
    lines=(2,),
    marker=True,
)
case(
    "yaml-python-object-new-os-system",
    content=y(
        "name: x",
        "components:",
        "  - id: a",
        f'    layer: !!python/object/new:os.system ["touch {MARKER}"]',
    ),
    lines=(4,),
    marker=True,
)
case(
    "yaml-python-object-apply-exec",
    content=y(
        "name: x",
        "properties:",
        f"  e: !!python/object/apply:builtins.exec [\"open('{MARKER}', 'w')\"]",
    ),
    lines=(3,),
    marker=True,
)
case(
    "yaml-python-object-with-state",
    content=y(
        "name: x",
        "properties:",
        "  o: !!python/object:subprocess.Popen",
        f"    args: [touch, '{MARKER}']",
    ),
    lines=(3,),
    marker=True,
)
case(
    "yaml-python-name",
    content=y("name: x", "properties:", "  f: !!python/name:os.system"),
    lines=(3,),
)
case("yaml-python-module", content=y("name: x", "description: !!python/module:os"), lines=(2,))
case(
    "yaml-python-tag-on-a-key",
    content=y("name: x", f'? !!python/object/apply:os.system ["touch {MARKER}"]', ": 1"),
    lines=(2,),
    marker=True,
)
case(
    "yaml-python-tag-via-tag-directive",
    content=y(
        "%TAG !py! tag:yaml.org,2002:python/object/apply:",
        "---",
        f'name: !py!os.system ["touch {MARKER}"]',
    ),
    lines=(3,),
    marker=True,
)
case(
    "yaml-python-tag-verbatim",
    content=y(
        "name: x",
        f'description: !<tag:yaml.org,2002:python/object/apply:os.system> ["touch {MARKER}"]',
    ),
    lines=(2,),
    marker=True,
)
case(
    "yaml-python-tag-in-flow-list",
    content=y(
        "name: x",
        "components:",
        "  - id: a",
        "    layer: ui",
        f'    tags: [ok, !!python/object/apply:os.system ["touch {MARKER}"]]',
    ),
    lines=(5,),
    marker=True,
)
case(
    "yaml-unknown-local-tag-include",
    content=y("name: x", "description: !include /etc/passwd"),
    lines=(2,),
    must_not_contain=("root:",),
)
case(
    "json-extension-with-python-tag",
    name="model.json",
    content=y("{", f'"name": !!python/object/apply:os.system ["touch {MARKER}"]', "}"),
    lines=(2,),
    marker=True,
)
case(
    "no-extension-with-python-tag",
    name="model",
    content=y("name: x", f'description: !!python/object/apply:os.system ["touch {MARKER}"]'),
    lines=(2,),
    marker=True,
)

# -- aliases --------------------------------------------------------------------------


def _billion_laughs(mapping: bool) -> bytes:
    out = ["name: x", "properties:", '  l0: &l0 ["lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 12):
        if mapping:
            body = ", ".join(f"k{j}: *l{i - 1}" for j in range(9))
            out.append(f"  l{i}: &l{i} {{{body}}}")
        else:
            out.append(f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    return y(*out)


case("yaml-billion-laughs-lists", content=_billion_laughs(mapping=False))
case("yaml-billion-laughs-mappings", content=_billion_laughs(mapping=True))
case(
    "yaml-billion-laughs-in-components",
    content=y(
        "name: x",
        "components:",
        "  - id: a",
        "    layer: ui",
        "    properties:",
        "      t0: &t0 [a, b, c, d, e, f, g, h]",
        *(f"      t{i}: &t{i} [{', '.join([f'*t{i - 1}'] * 8)}]" for i in range(1, 10)),
    ),
)
case("yaml-recursive-alias-list", content=y("name: x", "properties:", "  a: &a [*a]"), lines=(3,))
case(
    "yaml-recursive-alias-mapping",
    content=y("name: x", "properties: &p", "  self: *p"),
    lines=(3,),
)
case(
    "yaml-recursive-alias-in-depends-on",
    content=y("name: x", "components: &c", "  - id: a", "    layer: ui", "    depends_on: *c"),
    lines=(5,),
)
case("yaml-undefined-alias", content=y("name: x", "description: *nope"), lines=(2,))

# -- extreme nesting ------------------------------------------------------------------

DEEP = 100_000

case(
    "yaml-flow-list-nesting-100k",
    content=y("name: x", "properties:", "  a: " + "[" * DEEP + "]" * DEEP),
    lines=(3,),
)
case(
    "yaml-flow-list-nesting-100k-unclosed",
    content=y("name: x", "properties:", "  a: " + "[" * DEEP),
    lines=(3,),
)
case(
    "yaml-flow-mapping-nesting-100k",
    content=y("name: x", "properties:", "  a: " + "{a: " * DEEP + "}" * DEEP),
    lines=(3,),
)
case(
    "yaml-block-list-nesting-100k",
    content=y("name: x", "properties:", "  a:", "    " + "- " * DEEP + "x"),
    lines=(4,),
)
case(
    "yaml-block-mapping-nesting-1500",
    content=y(
        "name: x", "properties:", *(" " * (2 + i) + f"k{i}:" for i in range(1500)), " " * 1502 + "1"
    ),
    lines=(ANY,),
)
case(
    "json-list-nesting-100k",
    name="model.json",
    content=y("{", '"name": "x",', '"properties": {"a": ' + "[" * DEEP + "]" * DEEP + "}", "}"),
    lines=(3,),
)
case(
    "json-list-nesting-100k-unclosed",
    name="model.json",
    content=y("{", '"name": "x",', '"properties": {"a": ' + "[" * DEEP),
    lines=(3,),
)
case(
    "json-object-nesting-100k",
    name="model.json",
    content=y("{", '"name": "x",', '"properties": ' + '{"a": ' * DEEP + "1" + "}" * DEEP, "}"),
    lines=(3,),
)

# -- numbers --------------------------------------------------------------------------

BIG = "9" * 10_000

case(
    "json-integer-10k-digits-in-properties",
    name="model.json",
    content=y("{", '"name": "x",', '"properties": {"n": ' + BIG + "}", "}"),
    lines=(3,),
)
case(
    "json-integer-10k-digits-in-cost",
    name="model.json",
    content=y(
        "{",
        '"name": "x",',
        '"components": [',
        '  {"id": "a", "layer": "ui",',
        '   "cost": ' + BIG + "}",
        "]}",
    ),
    lines=(5,),
)
case(
    "yaml-integer-10k-digits-in-properties",
    content=y("name: x", "properties:", "  n: " + BIG),
    lines=(3,),
)
case(
    "yaml-integer-10k-digits-in-cost",
    content=y("name: x", "components:", "  - id: a", "    layer: ui", "    cost: " + BIG),
    lines=(5,),
)
case(
    "yaml-float-overflow-in-cost",
    content=y("name: x", "components:", "  - id: a", "    layer: ui", "    cost: 1.0e+99999"),
    lines=(5,),
)
case(
    "json-nan-in-properties",
    name="model.json",
    content=y("{", '"name": "x",', '"properties": {', '  "ok": 1,', '  "bad": NaN', "}}"),
    lines=(5,),
)
case(
    "json-infinity-in-availability",
    name="model.json",
    content=y(
        "{",
        '"name": "x",',
        '"components": [',
        '  {"id": "a", "layer": "ui",',
        '   "availability": Infinity}',
        "]}",
    ),
    lines=(5,),
)
case(
    "json-negative-infinity-in-weight",
    name="model.json",
    content=y(
        "{", '"name": "x",', '"products": [', '  {"id": "p",', '   "weight": -Infinity}', "]}"
    ),
    lines=(5,),
)
case(
    "yaml-nan-in-properties",
    content=y("name: x", "properties:", "  ok: 1", "  bad: .nan"),
    lines=(4,),
)

# -- bytes that are not UTF-8 text ------------------------------------------------------

_rng = random.Random(20240601)
RANDOM_BYTES = bytes([0xFF]) + _rng.randbytes(4095)

case("latin-1-text", content=b"name: x\ndescription: caf\xe9\n", lines=(2,))
case("random-binary-yaml", content=RANDOM_BYTES, lines=(ANY,))
case("random-binary-json", name="model.json", content=RANDOM_BYTES, lines=(ANY,))
case(
    "png-with-json-extension",
    name="model.json",
    content=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _rng.randbytes(200),
    lines=(1,),
)
case("nul-byte-in-yaml", content=b"name: x\nproperties:\n  a: b\x00c\n", lines=(3,))
case("nul-bytes-only", content=b"\x00" * 1000, lines=(1,))
case(
    "nul-byte-in-json-string",
    name="model.json",
    content=b'{"name": "x",\n"description": "a\x00b"}\n',
    lines=(2,),
)
case("bell-control-character-in-yaml", content=b"name: x\ndescription: a\x07b\n", lines=(2,))
case(
    "utf16-with-bom-invalid-model",
    content="name: x\ncomponents: 5\n".encode("utf-16"),
    lines=(2,),
)
case(
    "utf16-with-bom-truncated",
    content="name: x\ndescription: y\n".encode("utf-16")[:-1],
    lines=(ANY,),
)
case("utf16-without-bom", content="name: x\ncomponents: 5\n".encode("utf-16-le"), lines=(1,))
case(
    "utf8-bom-invalid-json",
    name="model.json",
    content=b'\xef\xbb\xbf{"name": "x",\n"components": 5}\n',
    lines=(2,),
)
case("overlong-utf8", content=b"name: x\ndescription: \xc0\xaf\n", lines=(2,))
case(
    "json-lone-surrogate-key",
    name="model.json",
    content=y("{", '"name": "x",', '"bad\\ud800": 1', "}"),
    lines=(3,),
)

# -- empty files and the wrong top level -----------------------------------------------

case("empty-yaml", content=b"")
case("empty-json", name="model.json", content=b"")
case("whitespace-only", content=b"  \n\t\n   \n")
case("comments-only", content=b"# nothing here\n# at all\n")
case("document-markers-only", content=b"---\n...\n")
case("yaml-null-document", content=b"null\n")
case("top-level-list-yaml", content=y("- name: x", "- name: y"), lines=(1,))
case("top-level-list-json", name="model.json", content=b'[{"name": "x"}]\n', lines=(1,))
case("top-level-scalar-yaml", content=b"42\n", lines=(1,))
case("top-level-string-json", name="model.json", content=b'"hello"\n', lines=(1,))
case("multiple-yaml-documents", content=y("name: x", "---", "name: y"), lines=(2,))

# -- duplicate keys, indentation, unterminated and truncated text ---------------------

case("duplicate-key-yaml", content=y("name: x", "description: a", "name: y"), lines=(3,))
case(
    "duplicate-key-yaml-in-component",
    content=y("name: x", "components:", "  - id: a", "    layer: ui", "    layer: hardware"),
    lines=(5,),
)
case(
    "duplicate-key-json",
    name="model.json",
    content=y("{", '"name": "x",', '"name": "y"', "}"),
    lines=(3,),
)
case(
    "duplicate-key-json-in-component",
    name="model.json",
    content=y(
        "{",
        '"name": "x",',
        '"components": [{"id": "a",',
        '                "layer": "ui",',
        '                "layer": "hardware"}]',
        "}",
    ),
    lines=(5,),
)
case(
    "tab-indentation-list",
    content=y("name: x", "components:", "\t- id: a", "\t  layer: ui"),
    lines=(3,),
)
case("tab-indentation-mapping", content=y("name: x", "properties:", "\ta: 1"), lines=(3,))
case(
    "unterminated-double-quote",
    content=y("name: x", 'description: "abc', "components: []"),
    lines=(ANY,),
)
case(
    "unterminated-single-quote",
    content=y("name: x", "description: 'abc", "components: []"),
    lines=(ANY,),
)
case("unterminated-flow-list", content=y("name: x", "components: [a, b"), lines=(ANY,))
case("unterminated-flow-mapping", content=y("name: x", "properties: {a: 1"), lines=(ANY,))
case("unterminated-json-string", name="model.json", content=b'{"name": "abc', lines=(1,))
case("unterminated-json-object", name="model.json", content=y("{", '"name": "x",'), lines=(ANY,))
case("json-trailing-comma", name="model.json", content=y("{", '"name": "x",', "}"), lines=(3,))
case(
    "json-trailing-comma-in-list",
    name="model.json",
    content=y("{", '"name": "x",', '"components": [', '  {"id": "a", "layer": "ui"},', "]", "}"),
    lines=(5,),
)
case(
    "json-comment",
    name="model.json",
    content=y("{", "// a comment", '"name": "x"', "}"),
    lines=(2,),
)


def _truncated_example_yaml() -> bytes:
    text = lm.example_text()
    cut = text.index("depends_on: [") + len("depends_on: [query-under")
    return text[:cut].encode("utf-8")


def _truncated_example_json() -> bytes:
    text = lm.dumps(lm.example(), "json")
    return text[: len(text) // 2].encode("utf-8")


case("truncated-example-yaml", content=_truncated_example_yaml, lines=(ANY,))
case(
    "truncated-example-json",
    name="model.json",
    content=_truncated_example_json,
    lines=(ANY,),
)

# -- the wrong keys and the wrong types -------------------------------------------------

case(
    "unknown-top-level-keys",
    content=y("name: x", "colour: red", "owner: me"),
    lines=(2, 3),
    must_contain=("colour", "owner"),
)
for _key in ("str", "Dependency"):
    case(
        f"unknown-top-level-key-named-{_key}",
        content=y("name: x", f"{_key}: 1"),
        lines=(2,),
        must_contain=("unknown key",),
    )
case(
    "unknown-key-with-brackets-in-component",
    content=y("name: x", "components:", "  - id: a", "    layer: ui", "    'tags[0]': x"),
    lines=(5,),
    must_contain=("unknown key",),
)
case("components-is-a-number", content=y("name: x", "components: 5"), lines=(2,))
case("components-is-a-mapping", content=y("name: x", "components: {a: 1}"), lines=(2,))
case(
    "wrong-types-everywhere",
    content=y(
        "name: [x]",  # 1
        "description: {a: 1}",  # 2
        "policy: 7",  # 3
        "layers: ui",  # 4
        "components:",  # 5
        "  - id: 123",  # 6
        "    layer: [ui]",  # 7
        "    depends_on: {a: 1}",  # 8
        "  - id: true",  # 9
        "    layer: ui",  # 10
        "    tags: 5",  # 11
        '    cost: "12"',  # 12
        "    availability: yes",  # 13
        '  - id: "has space"',  # 14
        "    layer: ui",  # 15
        "    links: 5",  # 16
        "products:",  # 17
        '  - id: "<script>alert(1)</script>"',  # 18
        "    uses: ui",  # 19
        '    weight: "heavy"',  # 20
        "properties: [1]",  # 21
    ),
    lines=(1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 16, 18, 19, 20, 21),
)
case(
    "ids-with-spaces-and-script",
    content=y(
        "name: x",
        "components:",
        '  - id: "has space"',
        "    layer: ui",
        '  - id: "<script>alert(1)</script>"',
        "    layer: ui",
        "    depends_on: [\"has space\", '<img src=x onerror=alert(1)>']",
    ),
    lines=(3, 5, 7),
)
case(
    "null-dependencies",
    content=y("name: x", "components:", "  - id: a", "    layer: ui", "    depends_on: [~, ~]"),
    lines=(5,),
    must_not_contain=("unchecked", "\\x00"),
)
case(
    "non-id-uses",
    content=y("name: x", "products:", "  - id: p", "    uses: [[x], {y: 1}]"),
    lines=(4,),
    must_not_contain=("unchecked", "\\x00"),
)
case(
    "invalid-record-skipped-then-unknown-layer",
    content=y(
        "name: x",
        "components:",
        "  - id: 123",
        "    layer: ui",
        "  - id: a",
        "    layer: nowhere",
    ),
    lines=(3, 6),
)
case("empty-layers-list", content=y("name: x", "layers: []"), lines=(2,))
case("null-layer-item", content=y("name: x", "layers: [~]"), lines=(2,))
case("version-2", content=y("layermodel: 2", "name: x"), lines=(1,))
case("version-as-text", content=y('layermodel: "1"', "name: x"), lines=(1,))
case("version-as-float", content=y("name: x", "layermodel: 1.5"), lines=(2,))
case("unknown-policy", content=y("name: x", "policy: lax"), lines=(2,))

# -- non-string keys ----------------------------------------------------------------

case("complex-key-flow-list", content=y("name: x", "? [a, b]", ": x"), lines=(2,))
case("integer-key-top-level", content=y("name: x", "1: x"), lines=(2,))
case("null-key-top-level", content=y("name: x", "null: x"), lines=(2,))
case("bool-key-top-level", content=y("name: x", "true: x"), lines=(2,))
case(
    "integer-key-in-component",
    content=y("name: x", "components:", "  - id: a", "    layer: ui", "    7: x"),
    lines=(5,),
)
case(
    "integer-key-in-properties",
    content=y("name: x", "properties:", "  1: x"),
    lines=(3,),
    must_not_contain=("expected an id",),
)
case(
    "null-key-in-properties",
    content=y("name: x", "properties:", "  ~: x"),
    lines=(3,),
    must_not_contain=("expected an id",),
)
case("complex-key-in-properties", content=y("name: x", "properties:", "  ? {a: 1}", "  : x"))

# -- YAML's other types: binary, set, timestamp ----------------------------------------

case("binary-in-description", content=y("name: x", "description: !!binary aGVsbG8="), lines=(2,))
case("set-in-description", content=y("name: x", "description: !!set {a, b}"), lines=(2,))
case(
    "set-in-tags",
    content=y("name: x", "components:", "  - id: a", "    layer: ui", "    tags: !!set {b, a}"),
    lines=(5,),
)
case(
    "timestamp-in-layer",
    content=y("name: x", "components:", "  - id: a", "    layer: !!timestamp 2020-01-01"),
    lines=(4,),
)
case(
    "timestamp-in-id",
    content=y(
        "name: x", "components:", "  - id: !!timestamp 2020-01-01T10:00:00Z", "    layer: ui"
    ),
    lines=(3,),
)
case(
    "binary-in-properties",
    content=y("name: x", "properties:", "  a: 1", "  b: !!binary aGVsbG8="),
    lines=(4,),
)
case(
    "set-in-properties", content=y("name: x", "properties:", "  a: 1", "  s: !!set {a}"), lines=(4,)
)
case(
    "timestamp-in-properties",
    content=y("name: x", "properties:", "  a: 1", "  t: !!timestamp 2020-01-01"),
    lines=(4,),
)
case(
    "binary-set-timestamp-in-properties-all-reported",
    content=y(
        "name: x",
        "properties:",
        "  b: !!binary aGVsbG8=",
        "  s: !!set {a}",
        "  t: !!timestamp 2020-01-01",
    ),
    lines=(3, 4, 5),
)
case(
    "binary-deep-in-component-properties",
    content=y(
        "name: x",
        "components:",
        "  - id: a",
        "    layer: ui",
        "    properties:",
        "      outer:",
        "        inner: [1, 2, !!binary aGVsbG8=]",
    ),
    lines=(7,),
)

# PyYAML's constructors for explicit tags fail with plain Python exceptions on bad values.
for _name, _tag, _value in [
    ("timestamp-nope", "timestamp", "nope"),
    ("bool-maybe", "bool", "maybe"),
    ("int-empty", "int", '""'),
    ("int-plus", "int", "+"),
    ("int-abc", "int", "abc"),
    ("float-abc", "float", "abc"),
    ("set-of-a-list", "set", "[a]"),
    ("map-of-a-list", "map", "[a]"),
    ("binary-not-base64", "binary", "not base64 at all!"),
]:
    case(
        f"explicit-tag-with-a-bad-value-{_name}",
        content=y("name: x", "properties:", "  ok: 1", f"  bad: !!{_tag} {_value}"),
        lines=(4,),
    )

# -- merge keys that are wrong --------------------------------------------------------

case("merge-key-with-scalar", content=y("name: x", "<<: 5"), lines=(2,))
case("merge-key-with-undefined-alias", content=y("name: x", "<<: *nope"), lines=(2,))
case(
    "merge-key-bringing-an-unknown-key",
    content=y(
        "name: x",
        "properties:",
        "  base: &b {layer: ui, colour: red}",
        "components:",
        "  - <<: *b",
        "    id: a",
    ),
    lines=(ANY,),
    must_contain=("colour",),
)

# -- terminal control characters and forged lines in the output -------------------------

case(
    "ansi-escape-in-key",
    content=y("name: x", "components:", "  - id: a", "    layer: ui", '    "\\e]0;pwned\\a": 1'),
    lines=(5,),
)
case(
    "newline-in-key-forges-an-output-line",
    content=y(
        "name: x", "components:", "  - id: a", "    layer: ui", '    "x\\nforged.yaml:9: fake": 1'
    ),
    lines=(5,),
)
case(
    "ansi-escape-in-json-key",
    name="model.json",
    content=y("{", '"name": "x",', '"\\u001b[2J\\u001b]0;t\\u0007": 1', "}"),
    lines=(3,),
)
case(
    "ansi-escape-in-id",
    content=y("name: x", "components:", '  - id: "\\e[31mred"', "    layer: ui"),
    lines=(3,),
)

# -- very long lines and very large files -----------------------------------------------

case(
    "one-megabyte-line-then-error",
    content=y("name: x", "description: " + "a" * 1_000_000, "components: 5"),
    lines=(3,),
    max_output=20_000,
)
case(
    "one-megabyte-single-line-json",
    name="model.json",
    content=json.dumps(
        {"name": "x", "description": "a" * 1_000_000, "components": [{"id": "a", "layer": "nope"}]}
    ).encode(),
    lines=(1,),
    max_output=20_000,
)
case(
    "one-megabyte-id",
    content=y("name: x", "components:", "  - id: " + "a" * 1_000_000, "    layer: ui"),
    lines=(3,),
    max_output=20_000,
)


def _five_megabytes_yaml() -> bytes:
    out = ["layermodel: 1", "name: big", "components:"]
    size = 0
    i = 0
    while size < 5_000_000:
        rows = [
            f"  - id: c{i}",
            "    layer: infrastructure",
            f"    description: a perfectly ordinary component, number {i}, padded out",
        ]
        if i:
            rows.append(f"    depends_on: [c{i - 1}]")
        out.extend(rows)
        size += sum(len(r) + 1 for r in rows)
        i += 1
    out += ["  - id: last", "    layer: nowhere"]
    return y(*out)


def _five_megabytes_json() -> bytes:
    components = [
        {
            "id": f"c{i}",
            "layer": "infrastructure",
            "description": f"a perfectly ordinary component, number {i}, padded out",
        }
        for i in range(40_000)
    ]
    body = json.dumps({"layermodel": 1, "name": "big", "components": components}, indent=1)
    body = body.rstrip().removesuffix("}").rstrip().removesuffix("]").rstrip()
    body += ',\n  {"id": "last", "layer": "nowhere"}\n ]\n}\n'
    return body.encode()


case(
    "five-megabytes-yaml-one-error-at-the-end", content=_five_megabytes_yaml, lines=(-1,), slow=True
)
case(
    "five-megabytes-json-one-error-at-the-end",
    name="model.json",
    content=_five_megabytes_json,
    lines=(-3,),
    slow=True,
)


def _many_unknown_references() -> bytes:
    out = ["name: x", "components:"]
    for i in range(5000):
        out += [f"  - id: c{i}", "    layer: ui", f"    depends_on: [missing{i}]"]
    return y(*out)


def _many_type_errors() -> bytes:
    out = ["name: x", "components:"]
    for i in range(5000):
        out += [f"  - id: c{i}", "    layer: ui", "    cost: lots"]
    return y(*out)


def _many_duplicate_ids() -> bytes:
    out = ["name: x", "components:"]
    for _ in range(5000):
        out += ["  - id: same", "    layer: ui"]
    return y(*out)


def _many_unknown_uses_json() -> bytes:
    doc = {"name": "x", "products": [{"id": "p", "uses": [f"m{i}" for i in range(5000)]}]}
    return json.dumps(doc, indent=1).encode()


case("5000-unknown-references", content=_many_unknown_references, lines=(5, -1), slow=True)
case("5000-type-errors", content=_many_type_errors, lines=(5, -1), slow=True)
case("5000-duplicate-ids", content=_many_duplicate_ids, lines=(5, -2), slow=True)
case(
    "5000-unknown-uses-json",
    name="model.json",
    content=_many_unknown_uses_json,
    lines=(7, -5),
    slow=True,
)

# -- things that are not regular files ------------------------------------------------


def _directory(where: Path) -> str:
    (where / "model.yaml").mkdir()
    return "model.yaml"


def _missing(where: Path) -> str:
    return "missing.yaml"


def _fifo(where: Path) -> str:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(where / "model.yaml")
    return "model.yaml"


def _special(device: str) -> Callable[[Path], str]:
    def make(where: Path) -> str:
        if not os.path.exists(device):
            pytest.skip(f"no {device} here")
        return device

    return make


def _symlink_loop(where: Path) -> str:
    (where / "model.yaml").symlink_to("model.yaml")
    return "model.yaml"


def _dangling_symlink(where: Path) -> str:
    (where / "model.yaml").symlink_to(where / "gone.yaml")
    return "model.yaml"


def _unreadable(where: Path) -> str:
    if os.name != "posix" or os.geteuid() == 0:
        pytest.skip("permissions do not apply (not POSIX, or running as root)")
    path = where / "model.yaml"
    path.write_text("name: x\n")
    path.chmod(0)
    return "model.yaml"


case("directory-passed-as-file", setup=_directory, exit_codes=(2,))
case("missing-file", setup=_missing, exit_codes=(2,))
case("fifo-without-a-writer", setup=_fifo)
case("dev-null", setup=_special("/dev/null"))
case("dev-zero-endless-file", setup=_special("/dev/zero"), limit_memory=True)
case("symlink-loop", setup=_symlink_loop, exit_codes=(2,))
case("dangling-symlink", setup=_dangling_symlink, exit_codes=(2,))
case("unreadable-file", setup=_unreadable, exit_codes=(2,))

# -- standard input ---------------------------------------------------------------------


def _stdin(where: Path) -> str:
    return "-"


case(
    "stdin-python-tag",
    name="<stdin>",
    setup=_stdin,
    stdin=y("name: x", f'description: !!python/object/apply:os.system ["touch {MARKER}"]'),
    lines=(2,),
    marker=True,
)
case("stdin-billion-laughs", name="<stdin>", setup=_stdin, stdin=_billion_laughs(mapping=False))
case("stdin-random-binary", name="<stdin>", setup=_stdin, stdin=RANDOM_BYTES, lines=(ANY,))


# -- the runner ---------------------------------------------------------------------------


def _snapshot(directory: Path) -> dict[str, tuple[int, int, int]]:
    """Name -> (mode, size, mtime) of everything under ``directory``, links not followed."""
    found = {}
    for path in sorted(directory.rglob("*")):
        info = path.lstat()
        found[str(path.relative_to(directory))] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def validate(
    args: list[str],
    cwd: Path,
    stdin: bytes | None = None,
    timeout: float = TIMEOUT,
    limit_memory: bool = False,
) -> tuple[int, str]:
    """Run ``layermodel validate ARGS``; return (exit code, stdout + stderr)."""
    result = run_limited(
        [sys.executable, "-m", "layermodel", "validate", *args],
        timeout,
        f"layermodel validate {' '.join(args)}",
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        memory=limit_memory,
    )
    output = (result.stdout + result.stderr).decode("utf-8", errors="backslashreplace")
    return result.returncode, output


def _materialise(item: Case, where: Path, marker: Path) -> tuple[str, bytes | None, bytes]:
    """Create the case's file; return (argument, stdin, content)."""
    content = item.content() if callable(item.content) else item.content
    stdin = item.stdin
    if stdin is not None:
        stdin = stdin.replace(MARKER.encode(), str(marker).encode())
    if item.setup is not None:
        return item.setup(where), stdin, content or stdin or b""
    assert content is not None
    content = content.replace(MARKER.encode(), str(marker).encode())
    (where / item.name).write_bytes(content)
    return item.name, stdin, content


def _line_count(content: bytes) -> int:
    return content.count(b"\n") + (0 if content.endswith(b"\n") or not content else 1)


@pytest.mark.parametrize(
    "item",
    [pytest.param(c, id=c.id, marks=[pytest.mark.slow] if c.slow else []) for c in CASES],
)
def test_hostile_file_is_refused_cleanly(item: Case, tmp_path: Path) -> None:
    where = tmp_path / "case"
    where.mkdir()
    marker = tmp_path / "PWNED"
    arg, stdin, content = _materialise(item, where, marker)
    before = _snapshot(where)

    code, output = validate([arg], where, stdin, limit_memory=item.limit_memory)

    shown = arg if item.setup is not None and arg != "-" else item.name
    assert code in item.exit_codes, f"exit {code}, expected {item.exit_codes}:\n{output[:3000]}"
    assert "Traceback" not in output, output[:5000]
    assert "internal error" not in output, output[:3000]
    assert shown in output, f"{shown!r} is not named in the output:\n{output[:3000]}"
    total = _line_count(content)
    for line in item.lines:
        if line == ANY:
            pattern = re.escape(shown) + r":\d+"
            want = f"{shown}:LINE"
        else:
            number = line if line > 0 else total + 1 + line
            pattern = re.escape(f"{shown}:{number}") + r"(?![0-9])"
            want = f"{shown}:{number}"
        assert re.search(pattern, output), f"{want} not in the output:\n{output[:3000]}"
    for text in item.must_contain:
        assert text in output, f"{text!r} not in the output:\n{output[:3000]}"
    for text in item.must_not_contain:
        assert text not in output, f"{text!r} in the output:\n{output[:3000]}"
    assert len(output) <= item.max_output, f"{len(output):,} characters of output"
    control = CONTROL.search(output)
    assert control is None, f"control character {control.group()!r} echoed:\n{output[:3000]}"
    assert not any(line.startswith("forged.yaml") for line in output.splitlines()), output
    assert not marker.exists(), "a YAML tag ran code: the marker file was created"
    assert _snapshot(where) == before, "validate changed the directory"


# -- hostile-looking inputs that are valid -------------------------------------------------

VALID: list[tuple[str, str, bytes, dict[str, object]]] = [
    (
        "merge-key-in-components",
        "model.yaml",
        y(
            "name: merged",
            "components:",
            "  - &base {id: a, layer: infrastructure, owner: team}",
            "  - <<: *base",
            "    id: b",
            "  - <<: *base",
            "    id: c",
            "    layer: ui",
            "    depends_on: [a, b]",
        ),
        {"name": "merged", "components": 3, "dependencies": 2},
    ),
    (
        "merge-key-list-in-properties",
        "model.yaml",
        y(
            "name: merged",
            "properties:",
            "  one: &one {x: 1}",
            "  two: &two {y: 2}",
            "  both: {<<: [*one, *two], z: 3}",
        ),
        {"name": "merged", "components": 0},
    ),
    (
        "utf16-with-bom",
        "model.yaml",
        "name: sixteen\ncomponents: [{id: a, layer: ui}]\n".encode("utf-16"),
        {"name": "sixteen", "components": 1},
    ),
    (
        "utf32-with-bom",
        "model.yaml",
        "name: thirtytwo\n".encode("utf-32"),
        {"name": "thirtytwo"},
    ),
    (
        "utf8-bom-json",
        "model.json",
        b'\xef\xbb\xbf{"name": "bom", "components": [{"id": "a", "layer": "ui"}]}\n',
        {"name": "bom", "components": 1},
    ),
    ("utf8-bom-yaml", "model.yaml", b"\xef\xbb\xbfname: bom\n", {"name": "bom"}),
    (
        "str-tag-makes-a-number-an-id",
        "model.yaml",
        y("name: tagged", "components:", "  - id: !!str 123", "    layer: ui"),
        {"name": "tagged", "components": 1},
    ),
    (
        "timestamp-looking-text-stays-text",
        "model.yaml",
        y("name: 2020-01-01", "properties:", "  released: 2020-01-01T10:00:00Z"),
        {"name": "2020-01-01"},
    ),
    (
        "alias-reused-a-few-times",
        "model.yaml",
        y(
            "name: aliases",
            "properties:",
            "  shared: &s [1, 2, 3]",
            "  again: [*s, *s, *s]",
        ),
        {"name": "aliases"},
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [pytest.param(n, c, e, id=i) for i, n, c, e in VALID],
)
def test_hostile_looking_but_valid_file_is_accepted(
    name: str, content: bytes, expected: dict[str, object], tmp_path: Path
) -> None:
    (tmp_path / name).write_bytes(content)
    before = _snapshot(tmp_path)
    code, output = validate(["--format", "json", name], tmp_path)
    assert code == 0, output
    assert "Traceback" not in output
    summary = json.loads(output)
    assert summary["valid"] is True
    for key, value in expected.items():
        assert summary[key] == value, (key, summary)
    assert _snapshot(tmp_path) == before


def test_merge_key_values_are_merged_and_overridden() -> None:
    eco = lm.loads(VALID[0][2], "yaml")
    assert [(c.id, c.layer, c.owner) for c in eco.components] == [
        ("a", "infrastructure", "team"),
        ("b", "infrastructure", "team"),
        ("c", "ui", "team"),
    ]


def test_hostile_file_next_to_a_valid_one_is_named(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(lm.example_text(), encoding="utf-8")
    marker = tmp_path / "PWNED"
    (tmp_path / "bad.yaml").write_bytes(
        y(f'properties: {{p: !!python/object/apply:os.system ["touch {marker}"]}}')
    )
    before = _snapshot(tmp_path)
    code, output = validate(["good.yaml", "bad.yaml"], tmp_path)
    assert code == 1, output
    assert "bad.yaml:1" in output
    assert "Traceback" not in output
    assert not marker.exists()
    assert _snapshot(tmp_path) == before


def test_every_problem_is_printed_for_several_hostile_files(tmp_path: Path) -> None:
    files = {
        "tag.yaml": y("name: x", "description: !!python/name:os.system"),
        "bytes.yaml": b"name: caf\xe9\n",
        "dup.json": y("{", '"name": "x",', '"name": "y"', "}"),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    code, output = validate([*files, "missing.yaml"], tmp_path)
    assert code == 2, output  # one path cannot be read at all
    for where in ("tag.yaml:2", "bytes.yaml:1", "dup.json:3", "missing.yaml"):
        assert where in output, (where, output)
    assert "Traceback" not in output


def test_validate_works_in_a_read_only_directory(tmp_path: Path) -> None:
    """A read-only directory: validate must not need to write anything at all."""
    (tmp_path / "model.yaml").write_bytes(y("name: x", "components: 5"))
    mode = tmp_path.stat().st_mode
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, output = validate(["model.yaml"], tmp_path)
    finally:
        tmp_path.chmod(mode)
    assert code == 1, output
    assert "model.yaml:2" in output
