"""DOT syntax: quoting and escaping every value layermodel writes into DOT.

Three kinds of value, three functions: :func:`quote` for a plain attribute value,
:func:`esc_string` for an escString attribute (``tooltip``, ``id``), which Graphviz
unescapes and copies into the SVG, and :func:`html` / :func:`html_attr` for the text
inside an HTML-like label. :func:`attr_list` writes an attribute list with each value
quoted by the right one of them. Nothing else writes a value into DOT.
"""

from __future__ import annotations

__all__ = ["Quoted", "attr_list", "esc_string", "html", "html_attr", "quote"]

_CHUNK = 4000
"""Graphviz's lexer refuses quoted strings longer than 16,384 bytes, so longer values
are written as several quoted pieces joined with DOT's ``+``."""


# Characters XML 1.0 forbids: Graphviz copies strings into SVG as they are, so these
# would make the SVG unreadable. (NUL would also end the string inside Graphviz.)
_NOT_XML = {c: " " for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)}


def _pieces(value: str) -> list[str]:
    value = value.translate(_NOT_XML)
    pieces = []
    start = 0
    while start < len(value):
        cut = min(start + _CHUNK, len(value))
        trailing = len(value[start:cut]) - len(value[start:cut].rstrip("\\"))
        if cut < len(value) and trailing % 2:
            cut -= 1  # never end a piece inside an escape pair such as \\n
        pieces.append(value[start:cut])
        start = cut
    return pieces or [""]


def quote(value: str) -> str:
    """A DOT double-quoted string holding ``value`` exactly.

    The DOT lexer only unescapes ``\\"``, so a backslash before a quote, or at the end,
    must itself be doubled; a newline is kept literal inside the quotes.
    """
    return " + ".join(
        '"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"' for piece in _pieces(value)
    )


class Quoted(str):
    """A value already quoted for DOT."""

    __slots__ = ()


def esc_string(value: str) -> Quoted:
    """An escString attribute (tooltip, id) that shows ``value`` literally in SVG.

    Graphviz unescapes these attributes twice (``\\\\`` becomes ``\\``, then ``\\N``
    becomes the node's name), so each backslash is written as four. ``&``, quotes and
    angle brackets are written as XML entities, which Graphviz copies into the SVG as
    they are. Line breaks become ``\\n``, which Graphviz turns into a line break."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = (
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\\", "\\" * 4)
        .replace("\n", "\\n")
    )
    return Quoted(" + ".join(f'"{piece}"' for piece in _pieces(text)))


def html(text: str) -> str:
    """Text for an HTML-like label: markup characters (and ``]``) become entities, control
    characters (which Graphviz's XML parser rejects) become spaces, line breaks
    become ``<BR/>``, and a backslash is doubled (Graphviz would read ``\\N`` as the
    node's name)."""
    out = []
    for ch in text:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&quot;")
        elif ch == "]":
            out.append("&#93;")  # Graphviz's HTML lexer refuses a "]" right after a tag
        elif ch == "\n":
            out.append("<BR/>")
        elif ch == "\\":
            out.append("\\\\")  # Graphviz expands \N, \G ... in HTML labels too
        elif ord(ch) < 32 or 0xFFFE <= ord(ch) <= 0xFFFF or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(" ")
        elif ord(ch) > 126:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def html_attr(text: str) -> str:
    """Text for an attribute inside an HTML-like label (TOOLTIP, HREF): like
    :func:`html`, with line breaks as spaces."""
    return html(text.replace("\r", " ").replace("\n", " "))


def attr_list(**values: str | None) -> str:
    """A DOT attribute list, ``[name=value, ...]``, skipping ``None`` values. A
    trailing underscore is dropped from a name (``class_`` is ``class``). An HTML-like
    ``label`` or ``xlabel`` (``<...>``, already escaped with :func:`html`) and a
    :class:`Quoted` value are written as they are; anything else is quoted."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_")
        if value.startswith("<") and value.endswith(">") and name in ("label", "xlabel"):
            parts.append(f"{name}={value}")  # HTML-like label, already escaped
        else:
            parts.append(f"{name}={value if isinstance(value, Quoted) else quote(value)}")
    return "[" + ", ".join(parts) + "]"
