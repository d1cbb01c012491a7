"""History: a model's figures over its git history, one row per version, and charts of
the trends.

- :mod:`~layermodel.history.git`: the git commands, run as the real ``git`` (one
  ``git log``, one ``git cat-file --batch``);
- :mod:`~layermodel.history.versions`: which versions the model files had, following
  renames, additions and deletions;
- :mod:`~layermodel.history.result`: the typed rows, as CSV, JSON, text or Markdown;
- :mod:`~layermodel.history.figures`: one version's figures, from the analyses and
  the model's check rules;
- :mod:`~layermodel.history.run`: all of it in one call, loading incrementally;
- :mod:`~layermodel.history.chart`: the trends drawn with matplotlib (optional).
"""

import sys
import types
from typing import Any

from layermodel.history.chart import CHART_FORMATS, chart_bytes, write_chart
from layermodel.history.result import CSV_COLUMNS, Commit, Figures, HistoryResult, Version
from layermodel.history.run import history

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


class _CallableModule(types.ModuleType):
    """``layermodel.history`` is both this package and the function: importing the
    package makes Python set the attribute ``layermodel.history`` to the package,
    which would hide the function, so the package calls it."""

    def __call__(self, *args: Any, **kwargs: Any) -> HistoryResult:
        return history(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
