"""Hostile catalog and layer-rules files through the real ``layermodel import backstage``.

Every file goes through the one reader, as model files do. Each run is a subprocess,
as a user (or an attacker) would run it, with an output file that already exists and
must be left byte for byte as it was. Each run must:

* finish within 5 s of CPU time (20 s of wall clock: tests/limits.py), in at most 3 GB
  of address space, and exit 1 or 2;
* name the file, with ``FILE:LINE`` where the problem has a line;
* print no traceback and no "internal error";
* execute nothing (a marker file a code-execution payload would create must not exist).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.limits import run_limited

TIMEOUT = float(os.environ.get("LAYERMODEL_HOSTILE_TIMEOUT", "5"))
MARKER = "@MARKER@"
OLD_OUTPUT = b"# the model the user already had\nname: keep me\n"
DEEP = 100_000

ENTITY = (
    "apiVersion: backstage.io/v1alpha1\n"
    "kind: Component\n"
    "metadata:\n"
    "  name: web\n"
    "spec:\n"
    "  type: website\n"
    "  owner: team-a\n"
    "  lifecycle: production\n"
)
"""A valid entity of 8 lines: hostile parts are placed after it, so their line is known."""

RULES = "default: algorithms\nrules:\n  - {layer: ui, when: {spec.type: website}}\n"


@dataclass(frozen=True)
class Case:
    """One hostile input. ``line``: the line that must appear as ``NAME:LINE`` (None:
    the problem has no line, e.g. a directory). ``setup`` makes something other than
    a plain file and returns the argument to pass."""

    id: str
    content: bytes | Callable[[], bytes] | None = None
    line: int | None = None
    name: str = "catalog-info.yaml"
    setup: Callable[[Path], str] | None = None
    must_contain: str = ""
    named: str = ""
    """The file the message must name, when it is not the argument (a followed file)."""


def y(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def entity_then(*lines: str) -> bytes:
    """The valid entity, a document separator (line 9), then ``lines`` from line 10."""
    return ENTITY.encode() + b"---\n" + y(*lines)


def _laughs(prefix: str, levels: int = 12) -> list[str]:
    out = [f'{prefix}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    out += [f"{prefix}l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return out


def _directory(where: Path) -> str:
    (where / "folder.yaml").mkdir()
    return "folder.yaml"


def _fifo(where: Path) -> str:
    os.mkfifo(where / "pipe.yaml")
    return "pipe.yaml"


def _missing(where: Path) -> str:
    return "nothing-here.yaml"


def _location_to_bomb(where: Path) -> str:
    """A catalog whose Location leads to a file holding an alias bomb."""
    (where / "bomb.yaml").write_bytes(
        y("apiVersion: backstage.io/v1alpha1", "kind: Component", "metadata:", "  name: b", "spec:")
        + y(*_laughs("  "))
    )
    (where / "catalog-info.yaml").write_bytes(
        y(
            "apiVersion: backstage.io/v1alpha1",
            "kind: Location",
            "metadata:",
            "  name: root",
            "spec:",
            "  targets: [./bomb.yaml]",
        )
    )
    return "catalog-info.yaml"


CATALOG_CASES = [
    Case("alias-bomb-lists", y(*ENTITY.splitlines(), "  x:", *_laughs("    ")), line=10),
    Case(
        "alias-bomb-mappings",
        y(
            *ENTITY.splitlines(),
            "  x:",
            '    l0: &l0 {a: "lol", b: "lol", c: "lol", d: "lol", e: "lol", f: "lol"}',
            *(
                f"    l{i}: &l{i} {{{', '.join(f'k{j}: *l{i - 1}' for j in range(9))}}}"
                for i in range(1, 12)
            ),
        ),
        line=10,
    ),
    Case("alias-bomb-second-document", entity_then("spec:", *_laughs("  ")), line=11),
    Case("recursive-alias-list", entity_then("a: &a [*a]"), line=10),
    Case("recursive-alias-mapping", entity_then("a: &a", "  self: *a"), line=11),
    Case("undefined-alias", entity_then("kind: *nope"), line=10),
    Case(
        "duplicate-key-metadata-name",
        y(
            "apiVersion: backstage.io/v1alpha1",
            "kind: Component",
            "metadata:",
            "  name: alpha",
            "  name: beta",
            "spec: {type: service, owner: a, lifecycle: production}",
        ),
        line=5,
        must_contain="duplicate key 'name'",
    ),
    Case(
        "duplicate-key-spec",
        y(*ENTITY.splitlines(), "  owner: team-b"),
        line=9,
        must_contain="duplicate key 'owner'",
    ),
    Case("duplicate-key-flow", entity_then("{kind: Component, kind: API}"), line=10),
    Case(
        "duplicate-key-second-document",
        entity_then("apiVersion: backstage.io/v1alpha1", "apiVersion: x"),
        line=11,
    ),
    Case("non-utf8-byte", ENTITY.encode() + b"  description: caf\xe9\n", line=9),
    Case("latin1-file", "metadata:\n  name: caf\xe9\n".encode("latin-1"), line=2),
    Case("nul-byte", ENTITY.encode() + b"  description: a\x00b\n", line=9),
    # 0xFF can start no UTF-8 character, and FF 00 is no byte-order mark.
    Case("random-binary", bytes([0xFF, 0x00, 0x80]) + random.Random(7).randbytes(2000), line=1),
    Case(
        "python-object-apply",
        entity_then(f'x: !!python/object/apply:os.system ["touch {MARKER}"]'),
        line=10,
        must_contain="tag",
    ),
    Case("python-name", entity_then("x: !!python/name:os.system"), line=10),
    Case(
        "python-module",
        entity_then("x: !!python/module:os"),
        line=10,
    ),
    Case("unknown-local-tag", entity_then("kind: !Ref Component"), line=10),
    Case("unknown-global-tag", entity_then("kind: !<tag:example.com,2000:x> y"), line=10),
    Case("bad-tagged-value", entity_then("x: !!int abc"), line=10),
    Case("set-is-not-an-entity", entity_then("!!set {a, b}"), line=10),
    Case(
        "flow-nesting-100k",
        entity_then("x: " + "[" * DEEP + "]" * DEEP),
        line=10,
        must_contain="too deep",
    ),
    Case("flow-nesting-100k-unclosed", entity_then("x: " + "[" * DEEP), line=10),
    Case("block-nesting-100k", entity_then("x:", "  " + "- " * DEEP + "x"), line=11),
    Case(
        "json-nesting-100k",
        ('{"apiVersion": "backstage.io/v1alpha1", "x": ' + "[" * DEEP + "]" * DEEP + "}").encode(),
        line=1,
        name="catalog-info.json",
    ),
    Case("wrong-shape-list", entity_then("- a", "- b"), line=10),
    Case("wrong-shape-scalar", entity_then("just some text"), line=10),
    Case(
        "wrong-shape-no-name",
        entity_then("apiVersion: backstage.io/v1alpha1", "kind: Component", "metadata: {}"),
        line=10,
    ),
    Case(
        "wrong-shape-metadata-list",
        entity_then("apiVersion: backstage.io/v1alpha1", "kind: Component", "metadata: [a]"),
        line=10,
    ),
    Case(
        "wrong-kind-kubernetes-manifest",
        y(
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata:",
            "  name: cart",
            "spec:",
            "  replicas: 1",
        ),
        line=1,
        must_contain="not a Backstage catalog file",
    ),
    Case(
        "wrong-kind-compose-file",
        y("services:", "  web:", "    image: nginx", "    depends_on: [db]", "  db:"),
        line=1,
        name="docker-compose.yml",
        must_contain="compose",
    ),
    Case(
        "wrong-kind-layermodel-model",
        y("name: Shop", "components:", "  - {id: web, layer: ui}"),
        line=1,
        must_contain="not a Backstage catalog file",
    ),
    Case("empty-file", b"", line=1),
    Case("only-comments", y("# nothing", "# here"), line=1),
    Case("syntax-error-unclosed", entity_then("x: [a, b"), line=11),
    Case("syntax-error-tab-indent", y("metadata:", "\tname: a"), line=2),
    Case("empty-folder", setup=_directory, must_contain="no .yaml or .yml file"),
    Case("fifo", setup=_fifo, must_contain="not a regular file"),
    Case("missing", setup=_missing),
    Case("location-to-alias-bomb", setup=_location_to_bomb, line=6, named="bomb.yaml"),
]

RULES_CASES = [
    Case("rules-alias-bomb", y("rules:", "  - {layer: ui, when: {kind: x}}", *_laughs("")), line=3),
    Case("rules-recursive-alias", y("default: &d [*d]"), line=1),
    Case(
        "rules-duplicate-key",
        y("default: algorithms", "rules: []", "default: ui"),
        line=3,
        must_contain="duplicate key 'default'",
    ),
    Case("rules-non-utf8", b"default: caf\xe9\n", line=1),
    Case("rules-python-tag", y("default: !!python/object/apply:os.system [ls]"), line=1),
    Case("rules-unknown-tag", y("rules: !Rules []"), line=1),
    Case("rules-deep-nesting", y("rules: " + "[" * DEEP), line=1),
    Case("rules-wrong-shape-list", y("- layer: ui"), line=1),
    Case("rules-wrong-shape-rules", y("rules: {layer: ui}"), line=1),
    Case("rules-unknown-key", y("default: ui", "rulez: []"), line=2),
    Case("rules-two-documents", y("default: ui", "---", "default: hardware"), line=2),
    Case("rules-empty", b"", line=1),
    Case("rules-directory", setup=_directory, must_contain="is a directory"),
    Case("rules-fifo", setup=_fifo, must_contain="not a regular file"),
]


def _materialise(item: Case, where: Path, marker: Path) -> str:
    if item.setup is not None:
        return item.setup(where)
    content = item.content() if callable(item.content) else item.content
    assert content is not None
    (where / item.name).write_bytes(content.replace(MARKER.encode(), str(marker).encode()))
    return item.name


def _run(
    args: list[str], cwd: Path, words: tuple[str, ...] = ("import", "backstage")
) -> tuple[int, str]:
    """Run ``layermodel WORDS ARGS``; return (exit code, stdout + stderr)."""
    result = run_limited(
        [sys.executable, "-m", "layermodel", *words, *args],
        TIMEOUT,
        f"layermodel {' '.join([*words, *args])}",
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        memory=True,
    )
    return result.returncode, (result.stdout + result.stderr).decode("utf-8", "backslashreplace")


def _check(item: Case, code: int, output: str, arg: str, where: Path, marker: Path) -> None:
    assert code in (1, 2), f"exit {code}:\n{output}"
    assert "Traceback" not in output and "internal error" not in output, output
    arg = item.named or arg
    assert arg in output, f"the file {arg!r} is not named:\n{output}"
    if item.line is not None:
        assert f"{arg}:{item.line}:" in output or f"{arg}:{item.line}\n" in output, (
            f"line {item.line} of {arg} is not given:\n{output}"
        )
    if item.must_contain:
        assert item.must_contain in output, output
    assert not marker.exists(), "the input ran code"
    assert (where / "out.yaml").read_bytes() == OLD_OUTPUT, "the existing output was changed"
    assert sorted(p.name for p in where.iterdir() if p.name.startswith(".out")) == []


@pytest.mark.parametrize("item", CATALOG_CASES, ids=[c.id for c in CATALOG_CASES])
def test_hostile_catalog_is_refused_and_the_output_kept(item: Case, tmp_path: Path) -> None:
    where = tmp_path / "case"
    where.mkdir()
    (where / "out.yaml").write_bytes(OLD_OUTPUT)
    marker = tmp_path / "PWNED"
    arg = _materialise(item, where, marker)
    code, output = _run([arg, "-o", "out.yaml"], where)
    _check(item, code, output, arg, where, marker)


@pytest.mark.parametrize("item", RULES_CASES, ids=[c.id for c in RULES_CASES])
def test_hostile_layer_rules_are_refused_and_the_output_kept(item: Case, tmp_path: Path) -> None:
    where = tmp_path / "case"
    where.mkdir()
    (where / "out.yaml").write_bytes(OLD_OUTPUT)
    (where / "catalog-info.yaml").write_text(ENTITY)
    marker = tmp_path / "PWNED"
    item = Case(item.id, item.content, item.line, "rules.yaml", item.setup, item.must_contain)
    assert not item.named
    arg = _materialise(item, where, marker)
    code, output = _run(["catalog-info.yaml", "--layer-rules", arg, "-o", "out.yaml"], where)
    _check(item, code, output, arg, where, marker)


def test_a_valid_catalog_and_rules_replace_the_output(tmp_path: Path) -> None:
    """The same run with good input does write: the checks above are not vacuous."""
    (tmp_path / "out.yaml").write_bytes(OLD_OUTPUT)
    (tmp_path / "catalog-info.yaml").write_text(ENTITY)
    (tmp_path / "rules.yaml").write_text(RULES)
    code, output = _run(
        ["catalog-info.yaml", "--layer-rules", "rules.yaml", "-o", "out.yaml"], tmp_path
    )
    assert code == 0, output
    written = (tmp_path / "out.yaml").read_text()
    assert "id: web" in written and "layer: ui" in written


def test_folder_walk_leaves_other_yaml_files_out(tmp_path: Path) -> None:
    """In a folder, YAML files that are not catalogs (CI workflows, manifests) are
    listed and left out, not fatal; a named file of the wrong kind is fatal."""
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "catalog-info.yaml").write_text(ENTITY)
    (tmp_path / "repo" / "deploy.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\n")
    code, output = _run(["repo", "-o", "out.yaml"], tmp_path)
    assert code == 0, output
    assert "deploy.yaml" in output and "left out" in output
    code, output = _run(["repo/deploy.yaml", "-o", "out2.yaml"], tmp_path)
    assert code == 2 and "repo/deploy.yaml:1:" in output and "Deployment" in output
    assert not (tmp_path / "out2.yaml").exists()


# -- every discovery importer ---------------------------------------------------------

SERVICES = "services:\n  web:\n    image: nginx\n    environment:\n"
"""The first 4 lines of a compose-shaped file; hostile parts start at line 5."""


def s(*lines: str) -> bytes:
    return SERVICES.encode() + y(*lines)


GENERIC_CASES = [
    Case("alias-bomb", s("      X: x", *_laughs("      ")), line=6),
    Case("recursive-alias", s("      A: &a [*a]"), line=5),
    Case("duplicate-key", s("      A: one", "      A: two"), line=6, must_contain="duplicate key"),
    Case("non-utf8-byte", SERVICES.encode() + b"      A: caf\xe9\n", line=5),
    Case("nul-byte", SERVICES.encode() + b"      A: a\x00b\n", line=5),
    Case("python-tag", s(f'      A: !!python/object/apply:os.system ["touch {MARKER}"]'), line=5),
    Case("unknown-tag", s("      A: !Ref x"), line=5),
    Case("deep-nesting", s("      A: " + "[" * DEEP + "]" * DEEP), line=5, must_contain="too deep"),
    Case("syntax-error", s("      A: [a, b"), line=6),
]

COMMANDS = {
    "compose": ("import", "compose"),
    "kubernetes": ("import", "kubernetes"),
    "discover": ("discover",),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("item", GENERIC_CASES, ids=[c.id for c in GENERIC_CASES])
def test_hostile_input_to_every_importer(item: Case, command: str, tmp_path: Path) -> None:
    """The same refusals through ``import compose``, ``import kubernetes`` and
    ``discover``: they all read through the one reader."""
    where = tmp_path / "case"
    where.mkdir()
    (where / "out.yaml").write_bytes(OLD_OUTPUT)
    marker = tmp_path / "PWNED"
    item = Case(
        item.id, item.content, item.line, "docker-compose.yml", item.setup, item.must_contain
    )
    arg = _materialise(item, where, marker)
    code, output = _run([arg, "-o", "out.yaml"], where, COMMANDS[command])
    _check(item, code, output, arg, where, marker)


# -- drift: hostile sources and rules files; check: a hostile pyproject.toml ----------------

MODEL = "name: m\ncomponents:\n  - {id: web, layer: ui}\n"


@pytest.mark.parametrize("item", GENERIC_CASES, ids=[c.id for c in GENERIC_CASES])
def test_hostile_drift_source_is_refused_and_the_output_kept(item: Case, tmp_path: Path) -> None:
    where = tmp_path / "case"
    where.mkdir()
    (where / "out.yaml").write_bytes(OLD_OUTPUT)
    (where / "model.yaml").write_text(MODEL)
    marker = tmp_path / "PWNED"
    item = Case(
        item.id, item.content, item.line, "docker-compose.yml", item.setup, item.must_contain
    )
    arg = _materialise(item, where, marker)
    code, output = _run(["model.yaml", "--against", arg, "-o", "out.yaml"], where, ("drift",))
    _check(item, code, output, arg, where, marker)


DRIFT_RULES_CASES = [
    *RULES_CASES,
    Case("rules-ignore-mapping", y("ignore: {a: 1}"), line=1, must_contain="ignore must be"),
    Case("rules-ignore-number", y("ignore: [web, 3]"), line=1, must_contain="ignore entries"),
]


@pytest.mark.parametrize("item", DRIFT_RULES_CASES, ids=[c.id for c in DRIFT_RULES_CASES])
def test_hostile_drift_rules_are_refused_and_the_output_kept(item: Case, tmp_path: Path) -> None:
    where = tmp_path / "case"
    where.mkdir()
    (where / "out.yaml").write_bytes(OLD_OUTPUT)
    (where / "model.yaml").write_text(MODEL)
    (where / "docker-compose.yml").write_text("services:\n  web: {image: nginx}\n")
    marker = tmp_path / "PWNED"
    item = Case(item.id, item.content, item.line, "rules.yaml", item.setup, item.must_contain)
    arg = _materialise(item, where, marker)
    code, output = _run(
        ["model.yaml", "--against", "docker-compose.yml", "--layer-rules", arg, "-o", "out.yaml"],
        where,
        ("drift",),
    )
    _check(item, code, output, arg, where, marker)


def t(*lines: str) -> bytes:
    return ("[tool.layermodel]\n" + "".join(f"{line}\n" for line in lines)).encode()


PYPROJECT_CASES = [
    Case("toml-non-utf8", b"[tool.layermodel]\nbaseline = 'caf\xe9'\n", line=2),
    Case("toml-nul-byte", b"[tool.layermodel]\nbaseline = 'a\x00b'\n", line=2),
    Case("toml-syntax-error", t("baseline = "), line=2, must_contain="not valid TOML"),
    Case("toml-duplicate-key", t("baseline = 'a'", "baseline = 'b'"), line=3),
    Case("toml-deep-arrays", t("x = " + "[" * DEEP), must_contain="nested too deeply"),
    Case("toml-deep-tables", t("x = " + "{a = " * DEEP), must_contain="nested too deeply"),
    Case("toml-wrong-shape", b"[tool]\nlayermodel = 3\n", line=2, must_contain="must be a table"),
    Case("toml-checks-not-a-list", t("checks = 'layering'"), line=2),
    Case("toml-unknown-rule", t("[[tool.layermodel.checks]]", "id = 'x'", "rule = 'nope'"), line=4),
    Case("toml-unknown-key", t("colour = 'red'"), line=2, must_contain="unknown key 'colour'"),
    Case("toml-directory", setup=_directory, must_contain="is a directory"),
    Case("toml-fifo", setup=_fifo, must_contain="not a regular file"),
    Case("toml-missing", setup=_missing, must_contain="does not exist"),
]


@pytest.mark.parametrize("item", PYPROJECT_CASES, ids=[c.id for c in PYPROJECT_CASES])
def test_hostile_pyproject_is_refused_and_nothing_is_written(item: Case, tmp_path: Path) -> None:
    where = tmp_path / "case"
    where.mkdir()
    (where / "out.yaml").write_bytes(OLD_OUTPUT)
    (where / "model.yaml").write_text(MODEL)
    baseline = b'{"version": 1, "model": "m", "entries": []}\n'
    (where / "base.json").write_bytes(baseline)
    marker = tmp_path / "PWNED"
    item = Case(item.id, item.content, item.line, "pyproject.toml", item.setup, item.must_contain)
    arg = _materialise(item, where, marker)
    argv = ["model.yaml", "--config", arg, "--baseline", "base.json", "--update-baseline"]
    code, output = _run([*argv, "-o", "out.yaml"], where, ("check",))
    _check(item, code, output, arg, where, marker)
    assert (where / "base.json").read_bytes() == baseline
