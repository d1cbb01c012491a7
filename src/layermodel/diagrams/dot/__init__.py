"""Graphviz output: ``syntax`` quotes and escapes DOT values, ``writer`` writes the
DOT text of each view (the reuse matrix included), ``run`` runs Graphviz on it."""

from __future__ import annotations

from layermodel.diagrams.dot.run import GraphvizError, GraphvizMissing, dot_program, run_graphviz
from layermodel.diagrams.dot.writer import LayoutOptions, matrix_dot, to_dot

__all__ = [
    "GraphvizError",
    "GraphvizMissing",
    "LayoutOptions",
    "dot_program",
    "matrix_dot",
    "run_graphviz",
    "to_dot",
]
