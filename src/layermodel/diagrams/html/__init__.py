"""The self-contained interactive HTML page of a view (see :mod:`.page`)."""

from __future__ import annotations

from layermodel.diagrams.html.page import clean_text, json_for_script, to_html

__all__ = ["clean_text", "json_for_script", "to_html"]
