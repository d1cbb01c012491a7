"""Layered diagrams of an ecosystem: product, ecosystem, impact and reuse-matrix views,
as SVG, PNG, PDF, DOT, Mermaid or a self-contained interactive HTML page.

The entry point is :func:`layermodel.render` (also :meth:`Ecosystem.render`). The
modules: ``scene`` (what a view shows, rollups included), ``layout`` (where it goes),
``groups`` (group boxes inside the bands), ``focus`` (a component's neighbourhood),
``change`` (the as-is / to-be view), ``lock`` (layout locks), ``theme`` (how it looks:
reuse shading, colours and sourcing borders, shared by every format), ``legend`` (the
one legend vocabulary and what a fill says), ``dot`` (the DOT text of each view, and
drawing it through Graphviz), ``mermaid``, ``html`` (the interactive page), ``stack``
(the boxes-only style for slides), ``pptx`` (slide decks) and ``api`` (:func:`render`
and :class:`Diagram`).
"""

from __future__ import annotations

from layermodel.diagrams.api import (
    FORMATS,
    STYLES,
    Diagram,
    deck,
    deck_views,
    format_for,
    gallery_main,
    render,
    render_change,
    write_gallery,
)
from layermodel.diagrams.change import build_change_scene
from layermodel.diagrams.dot import GraphvizError, GraphvizMissing, LayoutOptions, dot_program
from layermodel.diagrams.lock import LayoutLock, read_lock, write_lock
from layermodel.diagrams.lock import same as same_lock
from layermodel.diagrams.lock import updated as updated_lock
from layermodel.diagrams.scene import MatrixScene, Scene, ViewError, build_scene

__all__ = [
    "FORMATS",
    "STYLES",
    "Diagram",
    "GraphvizError",
    "GraphvizMissing",
    "LayoutLock",
    "LayoutOptions",
    "MatrixScene",
    "Scene",
    "ViewError",
    "build_change_scene",
    "build_scene",
    "deck",
    "deck_views",
    "dot_program",
    "format_for",
    "gallery_main",
    "read_lock",
    "render",
    "render_change",
    "same_lock",
    "updated_lock",
    "write_gallery",
    "write_lock",
]
