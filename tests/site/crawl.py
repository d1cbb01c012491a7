"""Reading a written site back: the links and script sources of its pages."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, value))


def references(page: Path) -> list[tuple[str, str]]:
    """(tag, href or src) of every link, script and stylesheet of a page."""
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.refs


def internal_target(site: Path, page: Path, ref: str) -> Path | None:
    """The file a relative reference points to, or None for an external one (a
    scheme such as https:, or a fragment of the page itself)."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (page.parent / unquote(parts.path)).resolve()


def broken_links(site: Path) -> list[str]:
    """Every relative reference of every page that names no file of the site, or a
    file outside it."""
    root = site.resolve()
    broken = []
    for page in sorted(root.rglob("*.html")):
        for _tag, ref in references(page):
            target = internal_target(root, page, ref)
            if target is None:
                continue
            if root not in target.parents or not target.is_file():
                broken.append(f"{page.relative_to(root)} -> {ref}")
    return broken
