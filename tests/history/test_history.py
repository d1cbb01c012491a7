"""layermodel history: one row per version of the model files, checked against the
library's own analysis of each version checked out on its own."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

import layermodel as lm
from layermodel.analysis import analyze
from layermodel.checks import check
from layermodel.cli.main import main
from layermodel.timeline import CSV_COLUMNS, HistoryResult
from tests.history.make_repo import Step, build, git_env

pytest.importorskip("matplotlib")

TIP_FILES = ["core.yaml", "products.yaml"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Step]]:
    repo = tmp_path_factory.mktemp("history") / "taxi"
    return repo, build(repo)


@pytest.fixture
def repo(built: tuple[Path, list[Step]], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(built[0])
    return built[0]


def _checkout(repo: Path, step: Step, into: Path) -> list[Path]:
    """The model files of ``step`` written out of git into ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in step.files:
        blob = subprocess.run(
            ["git", "show", f"{step.sha}:{name}"],
            cwd=repo,
            env=git_env(0),
            check=True,
            capture_output=True,
        ).stdout
        path = into / name
        path.write_bytes(blob)
        paths.append(path)
    return paths


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_changing_version_with_the_figures_of_analyze(
    repo: Path, built: tuple[Path, list[Step]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = built[1]
    out = tmp_path / "history.csv"
    assert main(["history", *TIP_FILES, "--format", "csv", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert tuple(header[: len(CSV_COLUMNS)]) == CSV_COLUMNS
    assert text.startswith(
        "commit,date,author,valid,components,dependencies,products,shared,violations,cycles,"
        "reuse_level,layer:"
    )
    rows = _csv(text)
    changing = [s for s in steps if s.changed_model]
    assert [r["commit"] for r in rows] == [s.sha for s in changing]  # oldest first
    assert len(changing) >= 20
    assert any(len(s.files) == 2 for s in changing) and {s.files[0] for s in changing} >= {
        "model.yaml",
        "portfolio.yaml",
        "core.yaml",
    }
    layers_seen: set[str] = set()
    for i, (row, step) in enumerate(zip(rows, changing, strict=True)):
        assert row["valid"] == ("true" if step.valid else "false"), step.subject
        if not step.valid:
            continue
        files = _checkout(repo, step, tmp_path / f"v{i}")
        eco = lm.load(*files)
        report = analyze(eco)
        assert int(row["components"]) == len(eco.components), step.subject
        assert int(row["dependencies"]) == sum(len(c.depends_on) for c in eco.components)
        assert int(row["products"]) == len(eco.products)
        assert int(row["violations"]) == len(report.layering.violations), step.subject
        assert int(row["cycles"]) == len(report.cycles.cycles)
        shared = sum(1 for c in report.reuse.components.values() if c.reuse_count >= 2)
        assert int(row["shared"]) == shared
        assert int(row["platform_candidates"]) == len(report.reuse.platform_candidates)
        layers = report.reuse.layers
        overall = sum(x.reused for x in layers.values()) / sum(
            x.components for x in layers.values()
        )
        assert float(row["reuse_level"]) == pytest.approx(overall, abs=1e-4)
        for pid, product in report.reuse.products.items():
            assert float(row[f"reuse:{pid}"]) == pytest.approx(product.reuse_level, abs=1e-4)
        for layer in eco.layers:
            assert int(row[f"layer:{layer.id}"]) == len(eco.components_in(layer.id))
            layers_seen.add(layer.id)
        assert float(row["total_cost"]) == pytest.approx(report.costs.total)
        if eco.checks:
            result = check(eco)
            assert int(row["check_findings"]) == len(result.findings)
            assert row["check_passed"] == ("true" if result.passed else "false")
        else:
            assert row["check_findings"] == "" and row["check_passed"] == ""
        assert row["files"] == " ".join(step.files)
    assert {f"layer:{lid}" for lid in layers_seen} <= set(header)
    assert "wrote" in capsys.readouterr().err


def test_the_invalid_version_is_a_row_with_its_first_problem_at_its_line(
    repo: Path, built: tuple[Path, list[Step]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", *TIP_FILES, "--format", "csv"]) == 0
    rows = _csv(capsys.readouterr().out)
    bad = [s for s in built[1] if not s.valid]
    assert len(bad) == 1
    row = next(r for r in rows if r["commit"] == bad[0].sha)
    assert row["valid"] == "false"
    assert row["components"] == "" and row["reuse_level"] == ""
    assert row["problem"].startswith(f"portfolio.yaml@{bad[0].sha[:7]}:")
    line = row["problem"].split(":")[1]
    assert line.isdigit() and int(line) > 1
    assert "unknown layer 'middleware'" in row["problem"]


def test_python_api_returns_typed_rows(repo: Path, built: tuple[Path, list[Step]]) -> None:
    result = lm.history(TIP_FILES)
    assert isinstance(result, HistoryResult)
    assert result.paths == tuple(TIP_FILES)
    changing = [s for s in built[1] if s.changed_model]
    assert [v.commit.sha for v in result.versions] == [s.sha for s in changing]
    first = result.versions[0]
    assert first.valid and first.figures is not None and first.files == ("model.yaml",)
    assert first.figures.components == len(
        lm.load(Path(__file__).parents[2] / "examples/taxi/model-v1.yaml").components
    )
    invalid = [v for v in result.versions if not v.valid]
    assert len(invalid) == 1 and invalid[0].figures is None and invalid[0].problem is not None
    assert invalid[0].problem.file == f"portfolio.yaml@{invalid[0].commit.short}"
    assert invalid[0].problem.line is not None
    with pytest.raises(AttributeError):
        first.figures.components = 0  # type: ignore[misc]
    # The same through the package, and from another folder with repo=.
    assert lm.history is not None
    again = lm.history(TIP_FILES, repo=repo)
    assert again.versions == result.versions
    data = json.loads(json.dumps(result.to_dict()))
    assert data["schema_version"] == 1 and len(data["versions"]) == len(changing)


def test_every_and_rev_select_versions(repo: Path, built: tuple[Path, list[Step]]) -> None:
    changing = [s for s in built[1] if s.changed_model]
    every = lm.history(TIP_FILES, every=5)
    expected = [s.sha for i, s in enumerate(changing) if i % 5 == 0 or i == len(changing) - 1]
    assert [v.commit.sha for v in every.versions] == expected
    assert every.total_versions == len(changing)
    split = next(s for s in changing if s.subject.startswith("split"))
    since = lm.history(TIP_FILES, rev=f"{split.sha}..HEAD")
    after = changing[changing.index(split) + 1 :]
    assert [v.commit.sha for v in since.versions] == [s.sha for s in after]
    older = lm.history(["portfolio.yaml"], rev=split.sha + "~1")
    assert older.versions[-1].commit.sha == changing[changing.index(split) - 1].sha
    assert older.versions[0].files == ("model.yaml",)


def test_a_blob_seen_before_is_not_parsed_again(
    repo: Path, built: tuple[Path, list[Step]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from layermodel.model.io import parse_file
    from layermodel.timeline import run as history_run

    parsed: list[str] = []
    measured: list[int] = []

    def counting(text: str | bytes, source: str, format: str | None = None) -> object:
        parsed.append(source)
        return parse_file(text, source, format)

    real_measure = history_run.measure

    def counting_measure(eco: lm.Ecosystem, k: int = 2) -> object:
        measured.append(len(eco.components))
        return real_measure(eco, k)

    monkeypatch.setattr(history_run, "parse_file", counting)
    monkeypatch.setattr(history_run, "measure", counting_measure)
    result = lm.history(TIP_FILES)
    blobs = set()
    for step in built[1]:
        if step.changed_model:
            for name in step.files:
                blobs.add(
                    subprocess.run(
                        ["git", "rev-parse", f"{step.sha}:{name}"],
                        cwd=repo,
                        env=git_env(0),
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout.strip()
                )
    assert len(parsed) == len(blobs) < sum(len(v.files) for v in result.versions)
    # The last commit restores an earlier products.yaml: its row is the cached one.
    assert len(measured) < sum(1 for v in result.versions if v.valid)
    assert result.versions[-1].figures == result.versions[-3].figures


def test_chart_writes_a_png_and_an_svg(repo: Path, tmp_path: Path) -> None:
    png, svg = tmp_path / "trends.png", tmp_path / "trends.svg"
    assert main(["history", *TIP_FILES, "--chart", str(png), "-o", str(tmp_path / "t.txt")]) == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png.stat().st_size > 20_000
    assert (
        main(
            [
                "history",
                *TIP_FILES,
                "--chart",
                str(svg),
                "--format",
                "json",
                "-o",
                str(tmp_path / "h.json"),
            ]
        )
        == 0
    )
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "Reuse level" in text and "rider" in text
    assert (tmp_path / "t.txt").read_text(encoding="utf-8").startswith("History")


def test_text_and_markdown_formats(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", *TIP_FILES]) == 0
    out = capsys.readouterr().out
    assert "Versions, oldest first" in out and "Invalid versions" in out
    assert "unknown layer 'middleware'" in out
    assert main(["history", *TIP_FILES, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# History of core.yaml, products.yaml") and "| commit |" in out


def test_csv_cells_cannot_run_as_spreadsheet_formulas(repo: Path) -> None:
    rows = _csv(lm.history(TIP_FILES).to_csv())
    authors = {r["author"] for r in rows}
    assert "'=Bob Formula" in authors and "=Bob Formula" not in authors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope.yaml"], "'nope.yaml' is not a file in git"),
        (["README.md", "--rev", "no-such-branch"], "unknown revision 'no-such-branch'"),
        (["core.yaml", "--rev=--output=/tmp/x"], "is not a revision"),
        (["core.yaml", "--rev", "HEAD..HEAD"], "holds no commit"),
        (["core.yaml", "/etc/hostname"], "not inside the git repository"),
        (["/etc/hostname"], "/etc is not in a git repository"),
        (["core.yaml", "../../../etc/hostname"], "not inside the git repository"),
        (["core.yaml", "--chart", "trends.gif"], "must end in .png or .svg"),
        (["untracked.yaml"], "not a file in git"),
        (["."], "is a folder"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    repo: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "untracked.yaml").write_text("name: x\n", encoding="utf-8")
    try:
        assert main(["history", *args]) == 2
    finally:
        (repo / "untracked.yaml").unlink()
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_outside_a_git_repository_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(lm.example_text(), encoding="utf-8")
    assert main(["history", str(model), "--format", "csv"]) == 2
    assert "is not in a git repository" in capsys.readouterr().err


def test_a_failed_run_does_not_overwrite_outputs(repo: Path, tmp_path: Path) -> None:
    out, chart = tmp_path / "keep.csv", tmp_path / "keep.png"
    out.write_text("old\n", encoding="utf-8")
    chart.write_bytes(b"old")
    assert (
        main(["history", "core.yaml", "--rev", "nope", "-o", str(out), "--chart", str(chart)]) == 2
    )
    assert out.read_text(encoding="utf-8") == "old\n" and chart.read_bytes() == b"old"


def test_every_must_be_positive(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["history", "core.yaml", "--every", "0"])
    assert stop.value.code == 2
    with pytest.raises(lm.LayermodelError, match="every must be at least 1"):
        lm.history(["core.yaml"], every=0)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_counts_the_versions_on_a_terminal(
    repo: Path, built: tuple[Path, list[Step]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from layermodel.cli.commands import history as command
    from layermodel.cli.terminal import counter

    terminal = _Terminal()
    monkeypatch.setattr(command, "counter", lambda label, _stream: counter(label, terminal))
    assert main(["history", *TIP_FILES, "--format", "csv", "-o", str(repo / ".." / "p.csv")]) == 0
    total = sum(1 for s in built[1] if s.changed_model)
    shown = terminal.getvalue()
    assert "reading versions" in shown and f"/{total}" in shown
    # Not on a terminal: no bar at all.
    piped = io.StringIO()
    with counter("reading versions", piped) as advance:
        advance(1, 2)
    assert piped.getvalue() == ""
