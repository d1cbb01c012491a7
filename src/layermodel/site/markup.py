"""The site's HTML: markup where escaping is the default, and the page shell.

Pages are built from :class:`Html` strings (:class:`markupsafe.Markup`): every value
put into one is cleaned (control characters shown, lone surrogates replaced, as the
interactive page does: :func:`layermodel.diagrams.html.clean_text`) and escaped for an
element's content or a quoted attribute, unless it is itself :class:`Html`. Only the
site's own markup is marked safe.

Every page links its style and script by relative path (``assets/site.css``,
``assets/site.js``), so the site works from ``file://`` and from any static host, and a
Content-Security-Policy allows nothing but the site's own files.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterable, Sequence
from typing import Any, Self

from markupsafe import Markup

from layermodel.diagrams.html import clean_text

__all__ = ["Html", "esc", "join", "js_assignment", "link", "page", "table"]

_escape = html.escape


def esc(value: Any) -> str:
    """``value`` as text for an element or a quoted attribute: itself when it is
    markup, else cleaned (:func:`~layermodel.diagrams.html.clean_text`) and escaped.
    Printable ASCII, most of a model's text, skips the cleaning."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable():
        return _escape(text, quote=True)
    return _escape(clean_text(text), quote=True)


class Html(Markup):
    """Markup for the site. Anything put into it that is not markup is cleaned and
    escaped, so escaping cannot be forgotten."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any, /) -> Self:
        return cls(esc(s))


def join(parts: Iterable[Any], sep: str = "") -> Html:
    """The parts, each escaped unless it is markup, joined by ``sep`` (markup)."""
    return Html(sep.join([esc(part) for part in parts]))


def link(href: str, text: Any, cls: str | None = None) -> Html:
    """``<a href=...>text</a>``; ``href`` and ``text`` are escaped like any value."""
    if cls:
        return Html(f'<a class="{esc(cls)}" href="{esc(href)}">{esc(text)}</a>')
    return Html(f'<a href="{esc(href)}">{esc(text)}</a>')


def table(
    head: Sequence[str], rows: Iterable[Sequence[Any]], numeric: str = "", cls: str = ""
) -> Html:
    """A table; ``numeric`` marks each column ``r`` (right-aligned numbers) or ``l``.
    Every heading and cell is escaped unless it is markup."""
    opens = ['<td class="num">' if numeric[i : i + 1] == "r" else "<td>" for i in range(len(head))]
    cells = "".join(
        f"{o.replace('td', 'th', 1)}{esc(h)}</th>" for h, o in zip(head, opens, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(f"{o}{esc(value)}</td>" for value, o in zip(row, opens, strict=True))
        + "</tr>"
        for row in rows
    )
    return Html(
        f'<table class="{esc(cls or "grid")}"><thead><tr>{cells}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def js_assignment(name: str, data: Any) -> str:
    """A script that assigns ``data`` (as JSON) to ``window[name]``: how the site
    hands data to its scripts, since ``fetch`` does not work from ``file://``. The
    JSON's ``<``, ``>``, ``&`` and line separators are escaped, so no text in it can
    end a script or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return f'"use strict";\nwindow[{json.dumps(name)}] = {text};\n'


_NAV = (
    ("index.html", "Home"),
    ("explore.html", "Explore"),
    ("products.html", "Products"),
    ("layers.html", "Layers"),
    ("groups.html", "Groups"),
    ("owners.html", "Owners"),
    ("matrix.html", "Reuse matrix"),
    ("violations.html", "Violations"),
    ("checks.html", "Checks"),
)


def page(
    *,
    title: str,
    site_name: str,
    root: str,
    body: Html,
    live: int | None = None,
    scripts: Sequence[str] = (),
    crumbs: Sequence[tuple[str | None, str]] = (),
    body_class: str = "",
) -> str:
    """A whole page: header with the site's navigation and search, ``body``, footer.

    ``root`` is the relative path from the page to the site's root (``""`` or
    ``"../"``); ``scripts`` are more script files, relative to the root, loaded after
    the site's own; ``crumbs`` are (href relative to the root or None, text) pairs.
    ``live`` (the preview server's version of the site) makes the page poll the
    server and reload when the version changes.
    """
    head, top, foot = _shell(site_name, root, live)
    trail = ""
    if crumbs:
        trail = (
            '<nav class="crumbs" aria-label="Breadcrumb"><ol>'
            + "".join(
                f"<li>{link(root + href, text) if href else esc(text)}</li>"
                for href, text in crumbs
            )
            + "</ol></nav>"
        )
    extra = "".join(f'<script src="{esc(root + s)}"></script>' for s in scripts)
    return (
        f"{head}<title>{esc(title)} · {esc(site_name)}</title>{top}"
        f'<body class="{esc(body_class)}" data-root="{esc(root)}"'
        + (f' data-live="{int(live)}"' if live is not None else "")
        + f">{foot[0]}{trail}<main>{esc(body)}</main>\n{foot[1]}{extra}</body></html>\n"
    )


@functools.lru_cache(maxsize=16)
def _shell(site_name: str, root: str, live: int | None) -> tuple[str, str, tuple[str, str]]:
    """The parts of every page that depend only on the site, the depth and whether
    it is served live: written once per build, not once per page."""
    connect = "'self'" if live is not None else "'none'"
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src {connect}; base-uri 'none'; form-action 'none'"
    )
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">'
        '<meta name="generator" content="layermodel">'
        '<link rel="icon" href="data:,">'  # no favicon request
    )
    top = f'<link rel="stylesheet" href="{esc(root)}assets/site.css"></head>\n'
    nav = "".join(f"<li>{link(root + href, text)}</li>" for href, text in _NAV)
    header = (
        f'<header class="top"><a class="brand" href="{esc(root)}index.html">{esc(site_name)}</a>'
        f'<nav aria-label="Site"><ul>{nav}</ul></nav>'
        '<div class="search" role="search"><input id="search-box" type="search" '
        'placeholder="Search components, products, groups…" autocomplete="off" '
        'aria-label="Search the portfolio"><ol id="search-results" hidden></ol></div>'
        "</header>\n"
    )
    footer = (
        f"<footer>Made with layermodel from the model {esc(site_name)}.</footer>"
        f'<script src="{esc(root)}assets/site.js"></script>'
    )
    return head, top, (header, footer)
