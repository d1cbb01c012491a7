"""Text widths for laying out labels without asking Graphviz.

Widths are Helvetica's, from Adobe's published font metrics (units of 1/1000 em).
Graphviz draws "Helvetica" with a metric-compatible face (Liberation Sans, Arimo or
Arial), so these widths match what it draws for ASCII text. Other characters are
given a wide, safe estimate: nodes are sized from these estimates as minimum sizes,
so an estimate that is too wide costs a little space and never clips a label.
"""

from __future__ import annotations

import unicodedata

__all__ = ["text_width"]

# Helvetica advance widths for the characters " " (32) to "~" (126).
_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_BOLD = 1.08  # Helvetica-Bold is about 8 % wider on average


def _char_width(ch: str) -> int:
    code = ord(ch)
    if 32 <= code <= 126:
        return _WIDTHS[code - 32]
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1000
    if unicodedata.combining(ch):
        return 0
    if code >= 0x1F000:  # emoji and pictographs
        return 1250
    if code <= 0x24F:  # Latin-1 and Latin Extended: accented letters
        return 700
    return 1000


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in points of the longest line of ``text`` at ``size`` points."""
    best = 0.0
    for line in text.split("\n"):
        width = sum(_char_width(ch) for ch in line) * size / 1000
        best = max(best, width)
    return best * (_BOLD if bold else 1.0)
