"""The examples run and say what they claim; the three forms of the Google example agree."""

from __future__ import annotations

import runpy
import subprocess
import sys

import layermodel as lm
from tests.conftest import EXAMPLES, REPO


def test_google_three_ways_give_equal_models() -> None:
    packaged = lm.example()
    from_file = lm.load(EXAMPLES / "google" / "model.yaml")
    built = runpy.run_path(str(EXAMPLES / "google" / "build.py"))["build"]()
    assert packaged == from_file == built


def test_the_new_product_fragment_is_the_packaged_one() -> None:
    from layermodel.model import new_product_text

    assert (EXAMPLES / "google" / "google-photos.yaml").read_text() == new_product_text()


def test_google_build_script_prints_the_shared_platform() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "google" / "build.py")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    shared = result.stdout.split("Shared components")[1]
    for name in (
        "Map-reduce runners",
        "API gateways",
        "Distributed databases",
        "Virtual machines",
        "Data centres",
    ):
        assert name in shared
    assert "Ranking" not in shared


def test_docs_and_maps_reuse_the_shared_infrastructure() -> None:
    from layermodel.analysis import footprints

    feet = footprints(lm.example())
    shared = {"mapreduce", "api-gateway", "distributed-db", "vms", "data-centres"}
    for product in ("search", "docs", "maps"):
        assert shared <= set(feet[product])
    assert not {"ranking", "crawling", "search-box"} & set(feet["docs"])


def test_readme_python_tour_runs_and_prints_what_it_shows() -> None:
    """The Python snippets in the README run in order; a snippet followed by a text
    block must print exactly that text."""
    import contextlib
    import io
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    fences = re.findall(r"```(\w*)\n(.*?)```", text, flags=re.S)
    namespace: dict[str, object] = {}
    ran = 0
    for i, (lang, body) in enumerate(fences):
        if lang != "python":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(body, "README.md", "exec"), namespace)
        ran += 1
        if i + 1 < len(fences) and fences[i + 1][0] == "text" and out.getvalue():
            assert out.getvalue() == fences[i + 1][1]
    assert ran >= 3
