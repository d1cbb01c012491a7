"""examples/legacy-checks: the README shows what the commands print today."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.checks.helpers import run
from tests.conftest import EXAMPLES, REPO

HERE = EXAMPLES / "legacy-checks"
FIX = (
    "    depends_on: [push-gateway, sms-gateway, {target: pricing, kind: calls, "
    "description: Fare for the receipt}]",
    "    depends_on: [push-gateway, sms-gateway, event-stream]",
)


def _blocks() -> list[tuple[list[str], str]]:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```console\n(.*?)```", readme, re.S):
        command, _, output = block.partition("\n")
        out.append((shlex.split(command.removeprefix("$ "))[1:], output))
    return out


def test_readme_shows_real_output(capsys, monkeypatch, tmp_path: Path) -> None:
    blocks = _blocks()
    assert len(blocks) == 4
    monkeypatch.chdir(REPO)
    expected_codes = [0, 1, 1]
    for (argv, output), code in zip(blocks[:3], expected_codes, strict=True):
        got, out, _ = run(capsys, *argv)
        assert got == code
        assert out == output, argv
    copy = tmp_path / "legacy"
    copy.mkdir()
    for name in ("model.yaml", "layermodel-baseline.json"):
        shutil.copy(HERE / name, copy / name)
    model = copy / "model.yaml"
    text = model.read_text(encoding="utf-8")
    assert FIX[0] in text
    model.write_text(text.replace(*FIX), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    argv, output = blocks[3]
    got, out, _ = run(capsys, *argv)
    assert got == 1
    assert "".join(line + "\n" for line in out.splitlines() if not line.startswith("  ")) == output
    assert run(capsys, *argv, "--update-baseline")[0] == 0
    assert run(capsys, *argv)[0] == 0


@pytest.mark.parametrize("files", [("model.yaml",), ("model.yaml", "fare-cache.yaml")])
def test_example_models_validate(capsys, files: tuple[str, ...]) -> None:
    assert run(capsys, "validate", *(str(HERE / f) for f in files))[0] == 0
