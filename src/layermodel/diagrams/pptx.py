"""Slide decks (PowerPoint ``.pptx``, Office Open XML) of one or more views.

A deck has a title slide with the portfolio's name, then one slide per view. A view in
the stack style becomes native shapes (bands, boxes and their text, the legend), which
can be edited and restyled in PowerPoint, Keynote or LibreOffice; a view with arrows
(the layered style) becomes one high-resolution picture drawn by Graphviz, because
PowerPoint's connectors cannot hold the routed splines. The slides are 16:9 (13.33 by
7.5 inches). Decks are written with python-pptx, an optional dependency:
``pip install 'layermodel[slides]'``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layermodel.diagrams.scene import Scene
from layermodel.diagrams.stack import LINE, MARK_PT, StackLayout, StackText, stack_layout
from layermodel.diagrams.text_width import text_width
from layermodel.diagrams.theme import BORDER, INK, WHITE
from layermodel.errors import LayermodelError

if TYPE_CHECKING:
    from layermodel.diagrams.scene import MatrixScene

__all__ = ["PICTURE_DPI", "Slide", "SlidesMissing", "deck_bytes"]

SLIDE_W, SLIDE_H = 960.0, 540.0  # points: 13.333 by 7.5 inches
PICTURE_DPI = 200
"""The resolution of a picture slide."""
_EMU = 12700  # per point


class SlidesMissing(LayermodelError):
    """python-pptx, which writes slide decks, is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "writing a slide deck (--format pptx) needs python-pptx, which is not "
            "installed; install it with: pip install 'layermodel[slides]'"
        )


@dataclass(frozen=True)
class Slide:
    """One slide: a scene, the style it is drawn in, and for the layered style a
    function that draws its PNG picture at :data:`PICTURE_DPI`."""

    scene: Scene | MatrixScene
    style: str
    picture: Callable[[], bytes] | None = None


def _pptx() -> Any:
    try:
        import pptx
    except ImportError:
        raise SlidesMissing() from None
    return pptx


def _rgb(colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#")[:6].upper())  # type: ignore[no-untyped-call]


def deck_bytes(slides: Sequence[Slide], title: str, subtitle: str = "") -> bytes:
    """The ``.pptx`` file of a deck: a title slide (``title``, ``subtitle``), then
    ``slides`` in order.

    Raises :class:`SlidesMissing` when python-pptx is not installed.
    """
    pptx = _pptx()
    deck = pptx.Presentation()
    deck.slide_width = int(SLIDE_W * _EMU)
    deck.slide_height = int(SLIDE_H * _EMU)
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = title
    first.placeholders[1].text = subtitle
    blank = deck.slide_layouts[6]
    for slide in slides:
        page = deck.slides.add_slide(blank)
        if slide.style == "stack":
            assert isinstance(slide.scene, Scene)
            _stack_slide(page, stack_layout(slide.scene, SLIDE_W / SLIDE_H))
        else:
            assert slide.picture is not None
            _picture_slide(page, slide.scene.title, slide.picture())
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _emu(points: float) -> int:
    return round(points * _EMU)


def _text(
    page: Any,
    x: float,
    y: float,
    w: float,
    h: float,
    lines: Sequence[tuple[str, float, str, bool]],
    *,
    centre: bool = False,
) -> Any:
    """A text box of ``lines`` (text, size in points, colour, bold)."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN

    shape = page.shapes.add_textbox(_emu(x), _emu(y), _emu(w), _emu(h))
    _fill_text(shape.text_frame, lines, centre=centre)
    frame = shape.text_frame
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE if centre else MSO_ANCHOR.TOP
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.CENTER if centre else PP_ALIGN.LEFT
    return shape


def _fill_text(frame: Any, lines: Sequence[tuple[str, float, str, bool]], *, centre: bool) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    frame.word_wrap = True
    for margin in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, margin, 0)
    for index, (text, size, colour, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.CENTER if centre else PP_ALIGN.LEFT
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(round(size * 2) / 2)
        run.font.bold = bold
        run.font.name = "Arial"
        run.font.color.rgb = _rgb(colour)


def _line(shape: Any, colour: str, width: float, style: str) -> None:
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.util import Pt

    shape.line.color.rgb = _rgb(colour)
    shape.line.width = Pt(width)
    if style == "dashed":
        shape.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    elif style == "dotted":
        shape.line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT
    elif style == "double":
        # A compound line of two strokes: DrawingML's own double border.
        shape.line.width = Pt(max(width * 2.5, 3))
        shape.line._get_or_add_ln().set("cmpd", "dbl")


def _rounded(page: Any, x: float, y: float, w: float, h: float, radius: float) -> Any:
    from pptx.enum.shapes import MSO_SHAPE

    shape = page.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, _emu(x), _emu(y), _emu(w), _emu(h))
    shape.adjustments[0] = min(0.5, radius / max(1.0, min(w, h)))
    shape.shadow.inherit = False
    return shape


def _stack_slide(page: Any, layout: StackLayout) -> None:
    scale = min(SLIDE_W / layout.width, SLIDE_H / layout.height)
    dx = (SLIDE_W - layout.width * scale) / 2
    dy = (SLIDE_H - layout.height * scale) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return dx + x * scale, dy + y * scale

    def put(item: StackText, w: float) -> None:
        x, y = at(item.x, item.y)
        size = item.size * scale
        _text(page, x, y, w * scale, size * LINE * 1.2, [(item.text, size, item.colour, item.bold)])

    put(layout.title, layout.width)
    put(layout.subtitle, layout.width)
    for band in layout.bands:
        x, y = at(band.x, band.y)
        shape = _rounded(page, x, y, band.w * scale, band.h * scale, 8 * scale)
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(band.fill)
        _line(shape, band.border, 1, "solid")
        shape.name = f"band {band.id}"
        size = 16 * scale
        _text(
            page,
            x + 12 * scale,
            y,
            150 * scale,
            band.h * scale,
            [(line, size, INK, True) for line in band.lines],
        ).text_frame.vertical_anchor = _middle()
    for box in layout.boxes:
        x, y = at(box.x, box.y)
        shape = _rounded(page, x, y, box.w * scale, box.h * scale, 8 * scale)
        shape.name = f"component {box.id}"
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(box.shade.fill)
        _line(shape, box.border_colour, box.border_width * scale, box.border)
        lines = [(line, layout.name_size * scale, box.shade.ink, False) for line in box.lines]
        if box.mark:
            lines.append((box.mark, MARK_PT * scale, box.shade.sub, False))
        _fill_text(shape.text_frame, lines, centre=True)
        shape.text_frame.vertical_anchor = _middle()
    for item in layout.legend:
        x, y = at(item.x, item.y)
        if item.swatch is None:
            w = (text_width(item.text, item.size, item.bold) * 1.1 + 8) * scale
            _text(
                page,
                x,
                y - 1,
                w,
                item.size * LINE * scale * 1.3,
                [(item.text, item.size * scale, item.colour, item.bold)],
            )
            continue
        entry = item.swatch
        shape = _rounded(page, x, y, 26 * scale, 14 * scale, 4 * scale)
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(entry.shade.fill if entry.shade else WHITE)
        _line(
            shape, entry.shade.border if entry.shade else BORDER, entry.width * scale, entry.border
        )


def _middle() -> Any:
    from pptx.enum.text import MSO_ANCHOR

    return MSO_ANCHOR.MIDDLE


def _picture_slide(page: Any, title: str, png: bytes) -> None:
    """The picture (which holds its own title and legend), as large as fits."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width_px, height_px = image.size
    pad = 12.0
    w, h = width_px * 72 / PICTURE_DPI, height_px * 72 / PICTURE_DPI
    scale = min((SLIDE_W - 2 * pad) / w, (SLIDE_H - 2 * pad) / h)
    w, h = w * scale, h * scale
    picture = page.shapes.add_picture(
        io.BytesIO(png), _emu((SLIDE_W - w) / 2), _emu((SLIDE_H - h) / 2), _emu(w), _emu(h)
    )
    picture.name = title
