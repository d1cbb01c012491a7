"""The timeline: a model's figures over its git history, one row per version, and charts of
the trends. :func:`history` is also ``layermodel.history``.

- :mod:`~layermodel.timeline.git`: the git commands, run as the real ``git`` (one
  ``git log``, one ``git cat-file --batch``);
- :mod:`~layermodel.timeline.versions`: which versions the model files had, following
  renames, additions and deletions;
- :mod:`~layermodel.timeline.result`: the typed rows, as CSV, JSON, text or Markdown;
- :mod:`~layermodel.timeline.figures`: one version's figures, from the analyses and
  the model's check rules;
- :mod:`~layermodel.timeline.run`: all of it in one call, loading incrementally;
- :mod:`~layermodel.timeline.chart`: the trends drawn with matplotlib (optional).
"""

from layermodel.timeline.chart import CHART_FORMATS, chart_bytes, write_chart
from layermodel.timeline.result import CSV_COLUMNS, Commit, Figures, HistoryResult, Version
from layermodel.timeline.run import history

__all__ = [
    "CHART_FORMATS",
    "CSV_COLUMNS",
    "Commit",
    "Figures",
    "HistoryResult",
    "Version",
    "chart_bytes",
    "history",
    "write_chart",
]
