"""``layermodel demo``: write the built-in example, its report and diagrams, and
summarise it."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from layermodel.cli import status
from layermodel.cli.terminal import say

if TYPE_CHECKING:
    from layermodel import Ecosystem

VIEWS = (
    ("product:search", "search", "Google Search's layers (product view)"),
    ("ecosystem", "ecosystem", "all three products and what they share"),
    ("impact:distributed-db", "impact-distributed-db", "what fails if the distributed DB fails"),
    ("matrix", "reuse-matrix", "products by components (reuse matrix)"),
)
"""The views the demo draws: (view, file name without suffix, what it shows)."""


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write everything into ``args.directory``, then print the summary and what was
    written."""
    from layermodel import example_text, load
    from layermodel.analysis import add_products, analyze, summarize
    from layermodel.model import new_product_text, write_atomic

    directory = args.directory
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        say(f"{directory}: cannot create directory: {exc.strerror}", err)
        return status.UNREADABLE
    written: list[tuple[str, str]] = []

    def write(name: str, text: str | bytes, what: str) -> str:
        path = os.path.join(directory, name)
        write_atomic(path, text)
        written.append((path, what))
        return path

    model_path = write("model.yaml", example_text(), "the model: edit it, then validate it")
    photos_path = write("google-photos.yaml", new_product_text(), "a new product to plan")
    eco = load(model_path)
    report = analyze(eco)
    write("analysis.md", report.to_markdown(), "the analysis report (Markdown)")
    write("analysis.json", json.dumps(report.to_dict(), indent=2) + "\n", "the same, as JSON")
    plan = add_products(eco, load(model_path, photos_path))
    notes = _diagrams(eco, write)

    out.write(summarize(eco).to_text())
    out.write("\nLaunch plan for a new product (layermodel whatif --add-product):\n")
    for launch in plan.products:
        out.write(f"  {launch.summary()}\n")
    out.write("\nWrote:\n")
    width = max(len(path) for path, _ in written)
    for path, what in written:
        out.write(f"  {path:<{width}}  {what}\n")
    for note in notes:
        out.write(f"\n{note}\n")
    out.write(
        f"\nNext: layermodel analyze {model_path}\n"
        f"      layermodel whatif {model_path} --add-product {photos_path}\n"
        f"      layermodel render {model_path} --view product:maps -o maps.svg\n"
    )
    return status.OK


def _diagrams(eco: Ecosystem, write: Callable[[str, str | bytes, str], str]) -> list[str]:
    """Write the demo's diagrams (as DOT when Graphviz is missing); return notes for
    the reader."""
    from layermodel.diagrams import GraphvizMissing, dot_program, render

    notes = []
    try:
        dot_program()
        fmt = "svg"
    except GraphvizMissing as exc:
        fmt = "dot"
        notes.append(f"Diagrams written as DOT, not SVG: {exc}")
    for view, name, what in VIEWS:
        diagram = render(eco, view)
        write(f"{name}.{fmt}", diagram.pipe(fmt), what)
    write(
        "google.html",
        render(eco, "ecosystem").pipe("html"),
        "interactive page: click a component, filter by product",
    )
    return notes
