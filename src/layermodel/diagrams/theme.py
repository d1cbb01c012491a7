"""The one look of every diagram: reuse shading, colours, sourcing borders and the
legend texts, defined once for every output format.

The DOT writer (and so SVG, PNG and PDF), the HTML page and the Mermaid text all read
their encodings from here, so a component has the same reuse level, the same fill and
the same border in every format. Each renderer only spells these values in its own
syntax (a Graphviz attribute, a CSS custom property, a Mermaid ``classDef``).

This module imports nothing from layermodel: the scene and every renderer may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BAND_COLOURS",
    "BORDER",
    "CHANGE",
    "CHANGE_LEGEND",
    "COLOUR_BY",
    "EDGE",
    "EMPHASIS",
    "FADED_EDGE",
    "FONT",
    "GHOST",
    "GROUP_FILL",
    "INK",
    "MATRIX_CELLS",
    "MINOR_EDGE",
    "MUTED",
    "PRODUCT_COLOURS",
    "REUSE_SHADES",
    "SOURCING",
    "VIOLATION",
    "WHITE",
    "BandColours",
    "BorderStyle",
    "Shade",
    "Sourcing",
    "band_colours",
    "reuse_legend",
    "reuse_level",
    "reuse_shade",
    "sourcing",
]

FONT = "Helvetica,Arial,sans-serif"
"""The font of the Graphviz drawings."""
INK = "#1f2933"
"""Text on a light background."""
MUTED = "#616e7c"
"""Secondary text: subtitles, counts, details."""
WHITE = "#ffffff"
BORDER = "#3e4c59"
"""The border of a component box, whatever its sourcing (which sets its style)."""
EDGE = "#7b8794"
"""A dependency arrow."""
VIOLATION = "#d1242f"
"""A dependency that breaks a layering rule (drawn dashed)."""
FADED_EDGE = "#dde2e7"
"""An arrow an impact view leaves out of the failure."""

# Okabe & Ito colours (see PRODUCT_COLOURS) for the kinds of change.
_BLUISH_GREEN = "#009E73"
_REDDISH_PURPLE = "#CC79A7"
_VERMILLION = "#D55E00"
_ORANGE = "#E69F00"


@dataclass(frozen=True)
class Shade:
    """A box's colours: its fill, the text on it, secondary text on it, its border."""

    fill: str
    ink: str
    sub: str
    border: str = BORDER


COLOUR_BY: tuple[str, ...] = ("reuse", "owner", "sourcing", "lifecycle", "product")
"""What a component's fill can say, the default first (see
:mod:`layermodel.diagrams.legend`)."""


# --- reuse ----------------------------------------------------------------------------

# The share of all products that use a component, in five steps (ColorBrewer "Blues",
# Harrower & Brewer 2003); the two dark steps take white text.
REUSE_SHADES: tuple[Shade, ...] = (
    Shade("#ffffff", INK, MUTED),
    Shade("#deebf7", INK, MUTED),
    Shade("#9ecae1", INK, MUTED),
    Shade("#4292c6", WHITE, "#e6eef7"),
    Shade("#08519c", WHITE, "#e6eef7"),
)
"""The fill of a component by its reuse level, 0 to 4."""


def reuse_level(reuse: int, product_count: int) -> int:
    """Which of the five reuse shades a component gets, from how many products use it
    (``reuse``) out of all the ecosystem's products: 0 for no product, 1 for one
    product, 4 for every product (when there are two or more), 2 for fewer than half
    and 3 for half or more."""
    if reuse <= 0:
        return 0
    if product_count <= 1 or reuse == 1:
        return 1
    if reuse >= product_count:
        return 4
    return 2 if reuse / product_count < 0.5 else 3


def reuse_shade(reuse: int, product_count: int) -> Shade:
    """The colours of a component used by ``reuse`` of ``product_count`` products."""
    return REUSE_SHADES[reuse_level(reuse, product_count)]


def reuse_legend(product_count: int) -> list[tuple[int, str]]:
    """The reuse levels a legend shows for an ecosystem of ``product_count`` products,
    as (level, text) in legend order; levels that need more products are left out."""
    steps = [(1, "1 product")]
    if product_count > 2:
        steps.append((2, "fewer than half"))
        steps.append((3, "half or more"))
    if product_count > 1:
        steps.append((4, f"all {product_count} products"))
    steps.append((0, "no product"))
    return steps


# --- sourcing -------------------------------------------------------------------------

BorderStyle = Literal["solid", "double", "dashed", "dotted"]


@dataclass(frozen=True)
class Sourcing:
    """How a component's sourcing is drawn: its name and the style of its border."""

    key: str
    label: str
    border: BorderStyle

    @property
    def legend(self) -> str:
        """The legend text, e.g. ``buy (double border)``."""
        return f"{self.label} ({self.border} border)"


SOURCING: dict[str, Sourcing] = {
    s.key: s
    for s in (
        Sourcing("build", "build", "solid"),
        Sourcing("buy", "buy", "double"),
        Sourcing("external-api", "external API", "dashed"),
        Sourcing("open-source", "open source", "dotted"),
    )
}
"""Each sourcing, in legend order."""


def sourcing(key: str) -> Sourcing:
    """How ``key`` is drawn; an unknown sourcing is drawn like ``build``."""
    return SOURCING.get(key, SOURCING["build"])


# --- impact emphasis ------------------------------------------------------------------

EMPHASIS: dict[str, Shade] = {
    "focus": Shade("#d1242f", WHITE, "#e6eef7", "#8b1118"),
    "hit": Shade("#ffe3cc", INK, MUTED, "#f0883e"),
    "faded": Shade("#f5f7f9", "#b8c0c8", "#b8c0c8", "#d3d9df"),
}
"""An impact view's fills, replacing the reuse shading: the failing component
(``focus``), what fails with it (``hit``; its border colour also marks the arrows and
products that carry the failure) and what does not (``faded``)."""


# --- change views -------------------------------------------------------------------

CHANGE: dict[str, str] = {
    "added": _BLUISH_GREEN,
    "removed": _REDDISH_PURPLE,
    "moved": _VERMILLION,
    "moved-from": _VERMILLION,
    "changed": _ORANGE,
}
"""A change view's colour for each kind of change (the border of a component, the
arrow of a dependency, the badge text), from the colour-blind-safe Okabe & Ito
palette the product markers use: bluish green for added, reddish purple for removed,
vermillion for moved and orange for changed."""

GHOST = Shade("#f7f5f8", "#8f8596", "#a39aa8", CHANGE["removed"])
"""The fill of a ghost: a removed component, or the place a moved one left."""

CHANGE_LEGEND: tuple[tuple[str, str], ...] = (
    ("added", "added"),
    ("removed", "removed (ghost)"),
    ("moved", "moved to another layer"),
    ("changed", "changed (fields in the tooltip)"),
)
"""The change kinds a change view's legend shows, in order, with their texts."""


# --- bands and products ---------------------------------------------------------------


@dataclass(frozen=True)
class BandColours:
    """A layer band's soft fill and its border."""

    fill: str
    border: str


BAND_COLOURS: tuple[BandColours, ...] = (
    BandColours("#fdf3e1", "#e8c98f"),
    BandColours("#e9f5ec", "#a9d3b5"),
    BandColours("#e7f0fb", "#a7c4e8"),
    BandColours("#f1edf8", "#c8b9e3"),
    BandColours("#fbeaea", "#e5b3b3"),
    BandColours("#eef3f3", "#b9cccc"),
)
"""One hue per layer, top to bottom; cycled past the last."""


def band_colours(index: int) -> BandColours:
    """The colours of the band drawn ``index``-th from the top (0 is the first layer)."""
    return BAND_COLOURS[index % len(BAND_COLOURS)]


# Colour-blind-safe qualitative palette (Okabe & Ito 2008, plus darker variants) for
# product markers; products past the last colour reuse the list in order.
PRODUCT_COLOURS: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#7F3C8D",
    "#11A579",
    "#3969AC",
    "#F2B701",
)
"""The colour of each product, in model order, cycled past the last."""


# --- reuse matrix ---------------------------------------------------------------------

MATRIX_CELLS: dict[int, Shade] = {
    2: Shade(REUSE_SHADES[4].fill, WHITE, WHITE),
    1: Shade(REUSE_SHADES[2].fill, "#08306b", "#08306b"),
    0: Shade(WHITE, INK, INK),
}
"""Reuse-matrix cells: the product uses the component directly (2), through other
components (1), or not at all (0)."""


PROVENANCE_SHOWN = 5
"""At most this many provenance records are listed in a tooltip; the rest are counted."""


def found_in(provenance: tuple[str, ...]) -> list[str]:
    """Tooltip lines saying where a component or dependency was found: one line per
    place, up to :data:`PROVENANCE_SHOWN`, then how many more."""
    if not provenance:
        return []
    lines = ["Found in:"] + [f"  {p}" for p in provenance[:PROVENANCE_SHOWN]]
    more = len(provenance) - PROVENANCE_SHOWN
    if more > 0:
        lines.append(f"  and {more} more place{'s' if more != 1 else ''}")
    return lines


GROUP_FILL = "#ffffffa6"
"""A group box's fill: white at two thirds, so the band's colour still shows through;
its border is the band's border colour."""
MINOR_EDGE = "#b4bec8"
"""A rollup's arrows that stand for one dependency: lighter than the heavy flows."""
