"""Exit codes mean the same in every command (0 ok, 1 invalid model or failed check,
2 unreadable input or bad usage), every --help says so, main() leaves the garbage
collector as it found it, and the commands use only the public API."""

from __future__ import annotations

import argparse
import ast
import gc
import subprocess
import sys
from pathlib import Path

import pytest

import layermodel as lm
from layermodel.cli import main, status
from layermodel.cli.parser import build_parser
from tests.conftest import REPO

INVALID = "components:\n  - {id: a, layer: nowhere}\n"

# Each command that reads a model, with MODEL where the model file goes.
READERS = {
    "validate": ["validate", "MODEL"],
    "analyze": ["analyze", "MODEL"],
    "analyze json": ["analyze", "MODEL", "--format", "json"],
    "whatif": ["whatif", "MODEL", "--remove", "a"],
    "whatif add-product": ["whatif", "GOOD", "--add-product", "MODEL"],
    "diff old": ["diff", "MODEL", "GOOD"],
    "diff new": ["diff", "GOOD", "MODEL"],
    "render": ["render", "MODEL", "--format", "dot"],
    "site": ["site", "MODEL", "-o", "never-written-site"],
    "export backstage": ["export", "backstage", "MODEL"],
    "export archimate": ["export", "archimate", "MODEL"],
    "export wardley": ["export", "wardley", "MODEL"],
    "drift": ["drift", "MODEL", "--against", "GOOD"],
}


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    """Run the command in this process; return (exit code, stdout + stderr)."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse: usage errors, --help
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _argv(template: list[str], model: Path, good: Path) -> list[str]:
    return [{"MODEL": str(model), "GOOD": str(good)}.get(word, word) for word in template]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.yaml"
    path.write_text(lm.example_text(), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", list(READERS))
def test_a_missing_file_exits_2(command: str, capsys, tmp_path: Path, good: Path) -> None:
    missing = tmp_path / "missing.yaml"
    code, output = _run(capsys, _argv(READERS[command], missing, good))
    assert code == status.UNREADABLE == 2, output
    assert "missing.yaml: no such file" in output and "Traceback" not in output


@pytest.mark.parametrize("command", list(READERS))
def test_an_invalid_model_exits_1(command: str, capsys, tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(INVALID, encoding="utf-8")
    code, output = _run(capsys, _argv(READERS[command], bad, good))
    assert code == status.FAILED == 1, output
    assert f"{bad}:2:" in output and "unknown layer 'nowhere'" in output
    assert "Traceback" not in output


def test_an_unreadable_file_outweighs_an_invalid_one(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(INVALID, encoding="utf-8")
    missing = str(tmp_path / "missing.yaml")
    code, output = _run(capsys, ["validate", str(bad), missing])
    assert code == 2 and "missing.yaml: no such file" in output, output
    code, output = _run(capsys, ["diff", str(bad), missing])  # both models are reported
    assert code == 2 and "missing.yaml: no such file" in output, output
    assert "unknown layer 'nowhere'" in output


def _leaf_commands() -> list[list[str]]:
    """Every command that runs something, as its words: ["export", "wardley"], ..."""
    found = []

    def walk(parser: argparse.ArgumentParser, words: list[str]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found.append(words)
        for action in subs:
            for name, sub in action.choices.items():
                walk(sub, [*words, name])

    walk(build_parser(), [])
    return found


LEAVES = _leaf_commands()


def test_every_command_is_covered() -> None:
    assert {" ".join(words) for words in LEAVES} == {
        "validate",
        "schema",
        "check",
        "drift",
        "analyze",
        "advise",
        "whatif",
        "diff",
        "history",
        "render",
        "site",
        "serve",
        "demo",
        "import backstage",
        "import compose",
        "import kubernetes",
        "import structurizr",
        "import likec4",
        "import traces",
        "discover",
        "export backstage",
        "export archimate",
        "export wardley",
        "export jsonschema",
    }


@pytest.mark.parametrize("words", LEAVES, ids=" ".join)
def test_a_bad_flag_exits_2(words: list[str], capsys) -> None:
    code, output = _run(capsys, [*words, "--no-such-flag"])
    assert code == status.UNREADABLE, output
    assert "usage: layermodel" in output and "error: " in output
    assert "Traceback" not in output


@pytest.mark.parametrize("words", [[], ["import"], ["export"], *LEAVES], ids=" ".join)
def test_every_help_ends_with_the_exit_codes(words: list[str], capsys) -> None:
    code, output = _run(capsys, [*words, "--help"])
    assert code == status.OK
    assert " ".join(output.split()).endswith(" ".join(status.EPILOG.split()))
    for number, _ in status.MEANINGS:
        assert f"{number} " in status.EPILOG


def test_the_cli_reference_lists_the_exit_codes() -> None:
    page = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for number, meaning in status.MEANINGS:
        assert f"| {number} | {meaning} |" in page


def test_a_group_without_its_command_exits_2(capsys) -> None:
    for words in ([], ["import"], ["export"]):
        code, output = _run(capsys, words)
        assert code == 2 and "usage: layermodel" in output


@pytest.mark.parametrize("enabled", [True, False])
def test_main_leaves_the_garbage_collector_as_it_was(enabled: bool, capsys, good: Path) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert main(["validate", str(good)]) == 0
        assert gc.isenabled() is enabled
        assert main(["analyze", str(good), "--product", "nope"]) == 2
        assert gc.isenabled() is enabled
        assert main(["render", str(good), "--view", "galaxy"]) == 2  # a library error
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    capsys.readouterr()


def test_help_imports_no_command_and_no_analysis() -> None:
    code = (
        "import sys\n"
        "from layermodel.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(result.stdout.split())
    for heavy in (
        "networkx",
        "rich",
        "layermodel.analysis",
        "layermodel.diagrams",
        "layermodel.interop",
        "layermodel.cli.commands",
    ):
        assert heavy not in loaded, heavy


# The names a command may import: the public API, package level only, and the CLI's
# own modules.
ALLOWED = {
    "layermodel",
    "layermodel.analysis",
    "layermodel.checks",
    "layermodel.diagrams",
    "layermodel.timeline",
    "layermodel.interop",
    "layermodel.model",
    "layermodel.errors",
    "layermodel.site",
}
PENDING = {
    # The blast-radius worker computes on the graph kernel's structures directly.
    "layermodel/cli/worker.py": {"layermodel.graph"},
}


def test_the_cli_uses_only_the_public_api() -> None:
    src = REPO / "src"
    for path in sorted((src / "layermodel" / "cli").rglob("*.py")):
        name = path.relative_to(src).as_posix()
        allowed = ALLOWED | PENDING.get(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if module.startswith("layermodel") and not module.startswith("layermodel.cli"):
                    assert module in allowed, f"{name}:{node.lineno} imports {module}"
