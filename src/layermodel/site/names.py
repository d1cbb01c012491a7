"""File names of the site's pages, made from ids and free text.

Ids may hold capitals and dots, and owners and group paths are free text, so a page's
file name is a lower-case slug of what it names, with eight hex digits of the SHA-1 of
the original appended whenever the slug is not the original itself. Two names never
share a file, on a case-insensitive file system too, and no name can climb out of its
folder, start a query or fragment, or hit a reserved device name.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["Pages", "slug"]

_UNSAFE = re.compile(r"[^a-z0-9]+")
_PLAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
# Windows device names, which no file may be called (with any extension).
_RESERVED = frozenset({"con", "prn", "aux", "nul", "index"} | {f"com{i}" for i in range(10)})
_RESERVED |= {f"lpt{i}" for i in range(10)}


def slug(text: str) -> str:
    """A file-name stem for ``text``: itself when it is already a short lower-case
    slug, else its slug (at most 60 characters) and eight hex digits of its SHA-1.

    >>> slug("search-box")
    'search-box'
    >>> slug("Payments/Risk")
    'payments-risk-12bd9431'
    """
    if _PLAIN.match(text) and "--" not in text and text not in _RESERVED:
        return text
    base = _UNSAFE.sub("-", text.lower()).strip("-")[:60].strip("-") or "x"
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{base}-{digest}"


class Pages:
    """The file name, relative to the site's root, of every page that names a thing:
    ``components/ID.html``, ``products/ID.html``, ``layers/ID.html``,
    ``groups/PATH.html`` and ``owners/NAME.html``.

    Stems are unique within each folder: a clash of two digests (never seen, but
    possible) gets a counter.
    """

    FOLDERS = ("components", "products", "layers", "groups", "owners")

    def __init__(self) -> None:
        self._names: dict[tuple[str, str], str] = {}
        self._taken: dict[str, set[str]] = {folder: set() for folder in self.FOLDERS}

    def of(self, folder: str, key: str) -> str:
        """The page of ``key`` in ``folder`` (one of :attr:`FOLDERS`)."""
        found = self._names.get((folder, key))
        if found is not None:
            return found
        taken = self._taken[folder]
        stem = slug(key)
        candidate, n = stem, 1
        while candidate in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate)
        name = self._names[(folder, key)] = f"{folder}/{candidate}.html"
        return name

    def component(self, cid: str) -> str:
        """The page of a component."""
        return self.of("components", cid)

    def product(self, pid: str) -> str:
        """The page of a product."""
        return self.of("products", pid)

    def layer(self, lid: str) -> str:
        """The page of a layer."""
        return self.of("layers", lid)

    def group(self, path: str) -> str:
        """The page of a group (a ``/``-separated path)."""
        return self.of("groups", path)

    def owner(self, owner: str) -> str:
        """The page of an owner."""
        return self.of("owners", owner)
