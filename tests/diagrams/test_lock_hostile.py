"""Hostile layout locks through the real ``layermodel render --layout-lock``: each is
refused with exit 2, naming the file (and its line where it has one), with no
traceback, and both the lock and the existing output are left byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

MODEL = REPO / "src" / "layermodel" / "model" / "examples" / "google.yaml"
OLD_OUTPUT = b"// the drawing the user already had\n"
HEAD = b'{"layermodel-layout-lock": 1,\n "layers": {\n  "ui": [\n'


@dataclass(frozen=True)
class Case:
    id: str
    content: bytes | None = None
    line: int | None = None
    setup: Callable[[Path], None] | None = None
    must_contain: str = ""


CASES = [
    Case("not-json", b"{\n  layers: [\n", 2),
    Case("yaml-alias-bomb", b'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n', 1),
    Case("deep-nesting", b"[" * 100_000 + b"]" * 100_000, 1, must_contain="deep"),
    Case("duplicate-key", b'{"layermodel-layout-lock": 1,\n "layermodel-layout-lock": 1}', 2),
    Case("lone-surrogate", HEAD + b'   ["\\ud800"]]}}', 4),
    Case("not-utf8", HEAD + b'   ["caf\xe9"]]}}', 4, must_contain="UTF-8"),
    Case("nul-bytes", b"\x00" * 64, 1),
    Case("wrong-shape", HEAD + b'   {"a": 1}]}}', 4, must_contain="a row is a list of ids"),
    Case("directory", setup=lambda p: p.mkdir(), must_contain="directory"),
    Case("fifo", setup=lambda p: os.mkfifo(p), must_contain="not a regular file"),
    Case(
        "broken-link",
        setup=lambda p: p.symlink_to(p.parent / "nowhere"),
        must_contain="broken symbolic link",
    ),
]


def snapshot(path: Path) -> tuple[int, int, bytes | None]:
    info = path.lstat()
    data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return info.st_mode, info.st_mtime_ns, data


@pytest.mark.parametrize("item", CASES, ids=[c.id for c in CASES])
def test_hostile_lock_is_refused_and_nothing_is_written(item: Case, tmp_path: Path) -> None:
    lock = tmp_path / "layout.lock.json"
    if item.setup is not None:
        item.setup(lock)
    else:
        assert item.content is not None
        lock.write_bytes(item.content)
    before = snapshot(lock)
    out = tmp_path / "out.dot"
    out.write_bytes(OLD_OUTPUT)
    command = ["render", str(MODEL), "-o", str(out), "--layout-lock", str(lock)]
    done = subprocess.run(
        [sys.executable, "-m", "layermodel", *command],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        cwd=tmp_path,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Traceback" not in output and "internal error" not in output, output
    assert str(lock) in output
    if item.line is not None:
        assert f"{lock}:{item.line}" in output, output
    assert item.must_contain in output
    assert snapshot(lock) == before
    assert out.read_bytes() == OLD_OUTPUT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layout.lock.json", "out.dot"]
