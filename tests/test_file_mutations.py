"""Random damage to valid model files: the library either loads a model or says why.

Valid model texts (the built-in example and small generated models, as YAML and as
JSON) are mutated the way files really get damaged: lines deleted, duplicated, swapped
or re-indented, values swapped between keys, the file truncated, spans overwritten with
random characters or bytes, hostile YAML tokens pasted in. ``layermodel.loads`` must
return an :class:`~layermodel.Ecosystem` or raise a
:class:`~layermodel.LayermodelError`, never anything else. Every problem it reports
must name the source and, when it gives a line, a line that exists in the text.
A model that does load must also be writable again.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import layermodel as lm
from tests.strategies import ecosystems

SOURCE = "mutant"
"""The ``source`` name given to ``loads``; every problem must carry it as its file."""

FAST = settings(
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
QUICK = settings(FAST, max_examples=60)


# -- valid starting points -----------------------------------------------------------------


def _tiny() -> lm.Ecosystem:
    return lm.Ecosystem(
        name="Tiny shop",
        description="A shop on a database.",
        layers=(
            lm.Layer(id="front", name="Front end"),
            lm.Layer(id="back", closed=True),
            lm.Layer(id="metal", independent=True),
        ),
        policy="strict",
        components=(
            lm.Component(
                id="app",
                layer="front",
                depends_on=["api", lm.Dependency(target="cache", required=False, kind="reads")],
                tags=("web", "customer"),
                links=("https://example.com/app",),
            ),
            lm.Component(id="api", layer="back", depends_on=["db", "cache"], cost=120.5),
            lm.Component(id="cache", layer="back", availability=0.99, sourcing="open-source"),
            lm.Component(
                id="db",
                layer="metal",
                lifecycle="deprecated",
                vendor="Acme",
                sourcing="buy",
                properties={"region": "eu", "replicas": [1, 2, 3], "nested": {"a": None}},
            ),
        ),
        products=(
            lm.Product(id="shop", uses=("app",), weight=3, properties={"tier": 1}),
            lm.Product(id="admin", name="Admin", uses=("app", "api")),
        ),
        properties={"currency": "EUR", "version": 2},
    )


def _default_layers() -> lm.Ecosystem:
    return lm.Ecosystem(
        name="Defaults",
        components=(
            lm.Component(id="ui-1", layer="ui", depends_on=["algo"]),
            lm.Component(id="algo", layer="algorithms", depends_on=["store"]),
            lm.Component(id="store", layer="infrastructure", depends_on=["disk"]),
            lm.Component(id="disk", layer="hardware"),
        ),
        products=(lm.Product(id="p", uses=("ui-1",)),),
    )


def _seeds() -> dict[str, tuple[str, str]]:
    example = lm.example()
    seeds = {
        "example-yaml": (lm.example_text(), "yaml"),
        "example-json": (lm.dumps(example, "json"), "json"),
        "example-yaml-rewritten": (lm.dumps(example, "yaml"), "yaml"),
    }
    for name, eco in (("tiny", _tiny()), ("defaults", _default_layers())):
        seeds[f"{name}-yaml"] = (lm.dumps(eco, "yaml"), "yaml")
        seeds[f"{name}-json"] = (lm.dumps(eco, "json"), "json")
    return seeds


SEEDS = _seeds()


def test_seeds_are_valid() -> None:
    for name, (text, fmt) in SEEDS.items():
        assert isinstance(lm.loads(text, fmt, source=name), lm.Ecosystem), name


# -- the property every load must have --------------------------------------------------

_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _line_limit(text: str | bytes) -> int:
    """The number of lines of ``text`` + 1, counting every kind of line break."""
    if isinstance(text, bytes):
        breaks = max(text.count(b"\n"), text.count(b"\r"))
        with contextlib.suppress(UnicodeDecodeError):
            breaks = max(breaks, len(_BREAKS.findall(text.decode("utf-8"))))
        return breaks + 2
    return len(_BREAKS.findall(text)) + 2


def check_load(text: str | bytes, fmt: str) -> lm.Ecosystem | None:
    """Load mutated text: a model, or a LayermodelError whose problems are well placed."""
    try:
        eco = lm.loads(text, fmt, source=SOURCE)
    except lm.ModelError as exc:
        assert exc.problems, "a ModelError without problems"
        limit = _line_limit(text)
        for problem in exc.problems:
            assert problem.file == SOURCE, problem
            if problem.line is not None:
                assert 1 <= problem.line <= limit, (problem, limit)
            if problem.column is not None:
                assert problem.column >= 1, problem
            assert problem.message, problem
            assert isinstance(str(problem), str)
            assert isinstance(problem.to_dict(), dict)
        assert str(exc)
        return None
    except lm.LayermodelError as exc:
        assert str(exc)
        return None
    assert isinstance(eco, lm.Ecosystem)
    # What loads must be writable again, in both formats, and read back the same.
    for out in ("yaml", "json"):
        again = lm.dumps(eco, out)
        assert lm.loads(again, out, source=SOURCE) == eco, out
    return eco


# -- mutations ----------------------------------------------------------------------------

HOSTILE_TOKENS = [
    "!!python/object/apply:os.system [echo]",
    "!!timestamp nope",
    "!!bool maybe",
    "!!int +",
    "!!set [a]",
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!timestamp 2020-01-01",
    "!!float nan",
    ".nan",
    ".inf",
    "1.0e+99999",
    "9" * 5000,
    "&a",
    "*a",
    "&a [*a]",
    "<<: *a",
    "<<: 5",
    "? [a, b]",
    "null",
    "~",
    "true",
    "yes",
    "- ",
    ": ",
    "---",
    "...",
    "%YAML 1.1",
    "[",
    "]",
    "{",
    "}",
    '"',
    "'",
    "#",
    "|",
    ">",
    "\t",
    "\x00",
    "\ufeff",
    "NaN",
    "Infinity",
    '"\\ud800"',
    '"\\u0000"',
    ",",
    "1: x",
    "[" * 2000,
    "{a: " * 500,
]

_KEY_VALUE = re.compile(r'^(\s*(?:-\s+)?"?[A-Za-z_][\w-]*"?\s*:\s)(.+?)(,?)\s*$')


def _lines(text: str) -> list[str]:
    return text.split("\n")


@st.composite
def mutations(draw: st.DrawFn, text: str) -> str:
    """One random mutation of ``text``."""
    lines = _lines(text)
    n = len(lines)
    index = st.integers(0, max(n - 1, 0))
    kind = draw(
        st.sampled_from(
            [
                "delete",
                "duplicate",
                "swap-lines",
                "truncate",
                "replace-span",
                "swap-values",
                "indent",
                "insert-token",
                "replace-value",
            ]
        )
    )
    if kind == "delete":
        i = draw(index)
        count = draw(st.integers(1, 5))
        del lines[i : i + count]
    elif kind == "duplicate":
        i = draw(index)
        lines.insert(i, lines[i])
    elif kind == "swap-lines":
        i, j = draw(index), draw(index)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    elif kind == "replace-span":
        start = draw(st.integers(0, len(text)))
        length = draw(st.integers(0, 20))
        noise = draw(
            st.text(
                alphabet=st.characters(codec="utf-8")
                | st.sampled_from(list(":-[]{},&*!|>'\"#\n\t ")),
                max_size=20,
            )
        )
        return text[:start] + noise + text[start + length :]
    elif kind == "swap-values":
        pairs = [(i, m) for i, line in enumerate(lines) if (m := _KEY_VALUE.match(line))]
        if len(pairs) >= 2:
            (i, a), (j, b) = draw(st.sampled_from(pairs)), draw(st.sampled_from(pairs))
            lines[i] = a.group(1) + b.group(2) + a.group(3)
            lines[j] = b.group(1) + a.group(2) + b.group(3)
    elif kind == "indent":
        i = draw(index)
        count = draw(st.integers(1, 6))
        change = draw(st.sampled_from(["more", "less", "tab", "flush"]))
        for k in range(i, min(i + count, n)):
            line = lines[k]
            if change == "more":
                lines[k] = " " * draw(st.integers(1, 3)) + line
            elif change == "less":
                lines[k] = line[min(draw(st.integers(1, 3)), len(line) - len(line.lstrip(" "))) :]
            elif change == "tab":
                lines[k] = "\t" + line.lstrip(" ")
            else:
                lines[k] = line.lstrip()
    elif kind == "insert-token":
        i = draw(index)
        token = draw(st.sampled_from(HOSTILE_TOKENS))
        line = lines[i] if lines else ""
        at = draw(st.integers(0, len(line)))
        lines[i : i + 1] = [line[:at] + token + line[at:]]
    else:  # replace-value
        pairs = [(i, m) for i, line in enumerate(lines) if (m := _KEY_VALUE.match(line))]
        if pairs:
            i, m = draw(st.sampled_from(pairs))
            value = draw(
                st.sampled_from(HOSTILE_TOKENS)
                | st.sampled_from(["5", "-1", "0", "1e400", "[]", "{}", '""', "x y", "[a, 1]"])
            )
            lines[i] = m.group(1) + value + m.group(3)
    return "\n".join(lines)


@st.composite
def mutated(draw: st.DrawFn, text: str, max_steps: int = 3) -> str:
    for _ in range(draw(st.integers(1, max_steps))):
        text = draw(mutations(text))
    return text


@st.composite
def mutated_seed(draw: st.DrawFn, fmt: str) -> tuple[str, str]:
    name = draw(st.sampled_from([k for k, (_, f) in SEEDS.items() if f == fmt]))
    return draw(mutated(SEEDS[name][0])), fmt


# -- the tests ----------------------------------------------------------------------------


@FAST
@given(mutated_seed("yaml"))
def test_mutated_yaml_loads_or_raises_layermodel_error(case: tuple[str, str]) -> None:
    check_load(*case)


@FAST
@given(mutated_seed("json"))
def test_mutated_json_loads_or_raises_layermodel_error(case: tuple[str, str]) -> None:
    check_load(*case)


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "a\\ud800"}',
        '{"name": "x", "description": "\\udfff"}',
        '{"name": "x", "components": [{"id": "a", "layer": "ui", "owner": "\\ud83d"}]}',
        '{"name": "x", "properties": {"k\\ud800": 1}}',
    ],
    ids=["name", "description", "owner", "property-key"],
)
def test_json_lone_surrogate_escapes_load_or_raise(text: str) -> None:
    """JSON may escape half a surrogate pair; such text cannot be written as UTF-8."""
    check_load(text, "json")


@QUICK
@given(st.data(), ecosystems(max_components=6, max_products=3), st.sampled_from(["yaml", "json"]))
def test_mutated_generated_model_loads_or_raises_layermodel_error(
    data: st.DataObject, eco: lm.Ecosystem, fmt: str
) -> None:
    text = data.draw(mutated(lm.dumps(eco, fmt)))
    check_load(text, fmt)


@QUICK
@given(mutated_seed("yaml"))
def test_yaml_mutation_read_as_json_and_back(case: tuple[str, str]) -> None:
    """The wrong format for the text is still only a LayermodelError."""
    check_load(case[0], "json")


@st.composite
def damaged_bytes(draw: st.DrawFn) -> tuple[bytes, str]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    text, fmt = SEEDS[name]
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(data)))
        length = draw(st.integers(0, 16))
        data[start : start + length] = draw(st.binary(max_size=16))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data), fmt


@FAST
@given(damaged_bytes())
def test_random_bytes_load_or_raise_layermodel_error(case: tuple[bytes, str]) -> None:
    check_load(*case)


@QUICK
@given(
    st.sampled_from(sorted(SEEDS)),
    st.sampled_from(
        [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
    ),
)
def test_byte_order_marks_load_or_raise_layermodel_error(name: str, bom: bytes) -> None:
    text, fmt = SEEDS[name]
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le"):
        check_load(bom + text.encode(encoding), fmt)


BAD_TAGGED_VALUES = [
    "!!timestamp nope",
    "!!bool maybe",
    '!!int ""',
    "!!int +",
    "!!int abc",
    "!!float abc",
    "!!set [a]",
    "!!map [a]",
    "!!omap [1]",
    "!!binary not base64!",
    "!!timestamp 2020-02-30",
]


@pytest.mark.parametrize("value", BAD_TAGGED_VALUES)
def test_explicit_tag_with_a_bad_value_raises_layermodel_error(value: str) -> None:
    """PyYAML's constructors fail on such values with KeyError, TypeError and the like."""
    for text in (
        f"name: {value}\n",
        f"name: x\nproperties:\n  a: {value}\n",
        f"name: x\ncomponents:\n  - id: a\n    layer: ui\n    owner: {value}\n",
        f"name: x\ncomponents:\n  - id: a\n    layer: ui\n    tags: [{value}]\n",
    ):
        assert check_load(text, "yaml") is None, text


# -- exhaustive small damage ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["tiny-yaml", "tiny-json", "defaults-yaml"])
def test_every_truncation_loads_or_raises_layermodel_error(name: str) -> None:
    text, fmt = SEEDS[name]
    for end in range(len(text) + 1):
        check_load(text[:end], fmt)


@pytest.mark.parametrize("name", ["example-yaml", "tiny-json", "tiny-yaml"])
def test_every_deleted_line_loads_or_raises_layermodel_error(name: str) -> None:
    text, fmt = SEEDS[name]
    lines = _lines(text)
    for i in range(len(lines)):
        check_load("\n".join(lines[:i] + lines[i + 1 :]), fmt)


@pytest.mark.parametrize("name", ["tiny-yaml", "tiny-json"])
def test_every_value_replaced_by_a_hostile_token_loads_or_raises(name: str) -> None:
    text, fmt = SEEDS[name]
    lines = _lines(text)
    tokens: list[Any] = [
        "5",
        "null",
        "[]",
        "{}",
        "true",
        '"has space"',
        "!!binary aGVsbG8=",
        "[[x], {y: 1}]",
    ]
    for i, line in enumerate(lines):
        match = _KEY_VALUE.match(line)
        if match is None:
            continue
        for token in tokens:
            changed = [*lines[:i], match.group(1) + token + match.group(3), *lines[i + 1 :]]
            check_load("\n".join(changed), fmt)


@pytest.mark.parametrize("name", ["tiny-yaml", "tiny-json"])
def test_two_values_damaged_at_once_load_or_raise(name: str) -> None:
    """One value of the wrong type and one dangling reference, anywhere in the file."""
    text, fmt = SEEDS[name]
    lines = _lines(text)
    places = [(i, m) for i, line in enumerate(lines) if (m := _KEY_VALUE.match(line))]
    for i, first in places:
        for j, second in places:
            if i == j:
                continue
            changed = list(lines)
            changed[i] = first.group(1) + "5" + first.group(3)
            dangling = '"nowhere"' if fmt == "json" else "nowhere"
            changed[j] = second.group(1) + dangling + second.group(3)
            check_load("\n".join(changed), fmt)


def test_swapping_any_two_lines_of_a_small_model() -> None:
    text, fmt = SEEDS["defaults-yaml"]
    lines = _lines(text)
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            changed = list(lines)
            changed[i], changed[j] = changed[j], changed[i]
            check_load("\n".join(changed), fmt)
