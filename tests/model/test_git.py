"""Model files at a git revision (``layermodel.model.io.git``), against real git
repositories built in tmp_path, and the commands that take a revision."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import layermodel as lm
from layermodel.analysis import diff
from layermodel.errors import ModelError, ReadError
from layermodel.model.io.git import load_at, read_at, repository_root
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
TAXI = EXAMPLES / "taxi"
SVG = "{http://www.w3.org/2000/svg}"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        check=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        },
    )
    return done.stdout.decode()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose models/taxi.yaml is taxi v1 in the first commit and v2 in
    the second, with a second file (a split model) added in the second."""
    root = tmp_path / "repo"
    (root / "models").mkdir(parents=True)
    git(root, "init", "-q")
    (root / "models" / "taxi.yaml").write_text((TAXI / "model-v1.yaml").read_text())
    git(root, "add", ".")
    git(root, "commit", "-qm", "v1")
    (root / "models" / "taxi.yaml").write_text((TAXI / "model-v2.yaml").read_text())
    git(root, "commit", "-qam", "v2")
    return root


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(lm.__file__).parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "layermodel", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
    )


def test_read_at_gives_the_file_as_it_was(repo: Path) -> None:
    path = repo / "models" / "taxi.yaml"
    assert read_at("HEAD~1", path) == (TAXI / "model-v1.yaml").read_text()
    assert read_at("HEAD", path) == (TAXI / "model-v2.yaml").read_text()
    assert repository_root(path).resolve() == repo.resolve()


def test_a_relative_path_is_resolved_from_the_repository_root(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "models")
    assert read_at("HEAD~1", "taxi.yaml") == (TAXI / "model-v1.yaml").read_text()


def test_load_at_goes_through_the_one_reader_with_a_display_name(repo: Path) -> None:
    path = repo / "models" / "taxi.yaml"
    old = load_at("HEAD~1", path)
    assert diff(old, lm.load(TAXI / "model-v1.yaml")).is_empty
    (repo / "models" / "taxi.yaml").write_text(
        "name: broken\ncomponents: [{id: x, layer: nowhere}]\n"
    )
    git(repo, "commit", "-qam", "broken")
    with pytest.raises(ModelError) as caught:
        load_at("HEAD", path)
    assert caught.value.problems[0].file == f"{path}@HEAD"
    assert caught.value.problems[0].line == 2


def test_a_split_model_is_read_file_by_file(repo: Path) -> None:
    (repo / "models" / "extra.yaml").write_text(
        "components: [{id: analytics, layer: algorithms, depends_on: [trips-db]}]\n"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "split")
    eco = load_at("HEAD", repo / "models" / "taxi.yaml", repo / "models" / "extra.yaml")
    assert "analytics" in eco.component_index
    with pytest.raises(ReadError, match=r"no file models/extra.yaml at revision HEAD~1"):
        load_at("HEAD~1", repo / "models" / "taxi.yaml", repo / "models" / "extra.yaml")


@pytest.mark.parametrize(
    ("rev", "message"),
    [
        ("HEAD~7", "unknown revision 'HEAD~7'"),
        ("no-such-branch", "unknown revision 'no-such-branch'"),
        ("--output=x", "is not a revision"),
    ],
)
def test_a_bad_revision_is_named(repo: Path, rev: str, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_at(rev, repo / "models" / "taxi.yaml")


def test_outside_a_repository_says_so(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    model = tmp_path / "plain" / "m.yaml"
    model.write_text("components: []\n")
    with pytest.raises(ReadError, match="is not inside a git repository"):
        read_at("HEAD", model)


@needs_dot
def test_render_diff_at_a_revision(repo: Path) -> None:
    out = repo / "change.svg"
    done = run("render", "models/taxi.yaml", "--view", "diff:HEAD~1", "-o", str(out), cwd=repo)
    assert done.returncode == 0, done.stderr
    root = ET.fromstring(out.read_text())
    removed = {
        (g.get("id") or "").removeprefix("c-")
        for g in root.iter(f"{SVG}g")
        if "lm-removed" in (g.get("class") or "").split() and "node" in (g.get("class") or "")
    }
    old, new = lm.load(TAXI / "model-v1.yaml"), lm.load(TAXI / "model-v2.yaml")
    assert removed == set(diff(old, new).components_removed)
    assert "models/taxi.yaml@HEAD~1" in out.read_text()  # the subtitle names the version


def test_render_diff_at_a_revision_of_another_path(repo: Path) -> None:
    git(repo, "mv", "models/taxi.yaml", "models/rides.yaml")
    git(repo, "commit", "-qm", "rename")
    done = run(
        "render",
        "models/rides.yaml",
        "--view",
        "diff:HEAD~2:models/taxi.yaml",
        "--format",
        "mermaid",
        cwd=repo,
    )
    assert done.returncode == 0, done.stderr
    assert "classDef lm_removed" in done.stdout and "classDef lm_added" in done.stdout


@pytest.mark.parametrize(
    ("view", "message"),
    [
        ("diff:HEAD~9", "unknown revision 'HEAD~9'"),
        ("diff:HEAD~1:models/none.yaml", "no file models/none.yaml at revision HEAD~1"),
        ("diff:gone.yaml", "gone.yaml: no such file"),
        ("diff:", "needs the old version"),
    ],
)
def test_render_diff_errors_exit_2_and_write_nothing(repo: Path, view: str, message: str) -> None:
    out = repo / "change.svg"
    out.write_text("old picture")
    done = run("render", "models/taxi.yaml", "--view", view, "-o", str(out), cwd=repo)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert out.read_text() == "old picture"


def test_render_diff_outside_a_repository(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("components: []\n")
    done = run("render", str(model), "--view", "diff:HEAD", "--format", "dot", cwd=tmp_path)
    assert done.returncode == 2 and "is not inside a git repository" in done.stderr


@needs_dot
def test_diff_with_a_revision_and_a_picture(repo: Path) -> None:
    out = repo / "change.png"
    done = run(
        "diff", "HEAD~1", "models/taxi.yaml", "--render", str(out), "--format", "json", cwd=repo
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
    assert '"removed": ["location-service"]' in done.stdout
