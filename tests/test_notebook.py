"""The tour notebook runs from top to bottom, and its diagrams show inline as SVG."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.conftest import EXAMPLES

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = EXAMPLES / "tour.ipynb"


@pytest.fixture(scope="module")
def executed() -> Any:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},  # run where the notebook lives
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    return notebook


def test_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source


def test_every_cell_runs_without_error(executed: Any) -> None:
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert len(code) >= 10
    for cell in code:
        assert cell.execution_count is not None, cell.source
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{cell.source}: {errors}"
        streams = [o for o in cell.outputs if o.output_type == "stream"]
        assert all(o.name == "stdout" for o in streams), f"{cell.source} wrote to stderr"


def test_the_tour_shows_what_it_claims(executed: Any) -> None:
    text = "\n".join(
        output.get("text", "") + output.get("data", {}).get("text/plain", "")
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "('web', 'app')" in text  # the builder's model: who depends on checkout
    assert "unknown layer 'uii'" in text and "did you mean 'db'?" in text
    assert "docs     footprint  8, shared 5, reuse level 62%" in text
    assert "products down: ('docs', 'maps', 'search') (100% of product weight)" in text
    assert "Google Photos: reuses 6 of 8 components (75%); build 2" in text
    assert "flowchart TB" in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="inline SVG needs Graphviz")
def test_diagrams_display_inline_as_svg(executed: Any) -> None:
    diagrams = [cell for cell in executed.cells if "diagram" in cell.metadata.get("tags", [])]
    assert len(diagrams) >= 5
    for cell in diagrams:
        shown = [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]
        assert shown, f"{cell.source}: nothing displayed"
        svg = shown[0]["data"].get("image/svg+xml", "")
        assert "<svg" in svg and "</svg>" in svg, f"{cell.source}: no SVG"
    ecosystem = next(c for c in diagrams if c.source.strip() == "shop")
    plain = ecosystem.outputs[0]["data"]["text/plain"]
    assert plain.startswith("Ecosystem 'Shop': 4 layers, 7 components, 2 products")
