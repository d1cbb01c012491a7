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

import html
import json
from collections.abc import Iterable, Sequence
from typing import Any, Self

from markupsafe import Markup

from layermodel.diagrams.html import clean_text

__all__ = ["Html", "join", "js_assignment", "link", "page", "table"]


class Html(Markup):
    """Markup for the site. Anything put into it that is not markup is cleaned and
    escaped, so escaping cannot be forgotten."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any, /) -> Self:
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(html.escape(clean_text(str(s)), quote=True))


def join(parts: Iterable[Any], sep: str = "") -> Html:
    """The parts, each escaped unless it is markup, joined by ``sep`` (markup)."""
    return Html(sep).join(parts)


def link(href: str, text: Any, cls: str | None = None) -> Html:
    """``<a href=...>text</a>``; ``href`` is escaped like any value."""
    if cls:
        return Html('<a class="{}" href="{}">{}</a>').format(cls, href, text)
    return Html('<a href="{}">{}</a>').format(href, text)


def table(
    head: Sequence[str], rows: Iterable[Sequence[Any]], numeric: str = "", cls: str = ""
) -> Html:
    """A table; ``numeric`` marks each column ``r`` (right-aligned numbers) or ``l``."""
    align = [("num" if numeric[i : i + 1] == "r" else "") for i in range(len(head))]
    cells = join(
        Html("<th{}>{}</th>").format(Html(' class="num"') if a else "", h)
        for h, a in zip(head, align, strict=True)
    )
    body = join(
        Html("<tr>{}</tr>").format(
            join(
                Html("<td{}>{}</td>").format(Html(' class="num"') if a else "", value)
                for value, a in zip(row, align, strict=True)
            )
        )
        for row in rows
    )
    return Html('<table class="{}"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>').format(
        cls or "grid", cells, body
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
    connect = "'self'" if live is not None else "'none'"
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src {connect}; base-uri 'none'; form-action 'none'"
    )
    nav = join(Html("<li>{}</li>").format(link(root + href, text)) for href, text in _NAV)
    trail = Html("")
    if crumbs:
        trail = Html('<nav class="crumbs" aria-label="Breadcrumb"><ol>{}</ol></nav>').format(
            join(
                Html("<li>{}</li>").format(link(root + href, text) if href else text)
                for href, text in crumbs
            )
        )
    extra = join(Html('<script src="{}"></script>').format(root + s) for s in scripts)
    return str(
        Html(
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta http-equiv="Content-Security-Policy" content="{policy}">'
            '<meta name="generator" content="layermodel">'
            "<title>{title} · {site}</title>"
            '<link rel="stylesheet" href="{root}assets/site.css"></head>\n'
            '<body class="{cls}" data-root="{root}"{live}>'
            '<header class="top"><a class="brand" href="{root}index.html">{site}</a>'
            '<nav aria-label="Site"><ul>{nav}</ul></nav>'
            '<div class="search" role="search"><input id="search-box" type="search" '
            'placeholder="Search components, products, groups…" autocomplete="off" '
            'aria-label="Search the portfolio"><ol id="search-results" hidden></ol></div>'
            "</header>\n{trail}<main>{body}</main>\n"
            "<footer>Made with layermodel from the model {site}.</footer>"
            '<script src="{root}assets/site.js"></script>{extra}</body></html>\n'
        ).format(
            policy=policy,
            title=title,
            site=site_name,
            root=root,
            cls=body_class,
            live=Html(' data-live="{}"').format(live) if live is not None else "",
            nav=nav,
            trail=trail,
            body=body,
            extra=extra,
        )
    )
