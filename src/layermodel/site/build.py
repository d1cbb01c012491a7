"""Building the site: every page written into a fresh folder beside the output, then
swapped in, so that a failure never leaves half a site nor destroys the old one.

A folder the site may replace is empty, missing, or holds the marker file
:data:`MARKER` that every site build writes; anything else is refused.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from layermodel.errors import LayermodelError, Problem, WriteError
from layermodel.site import pages as page
from layermodel.site.explore import explore_data
from layermodel.site.figures import portfolio
from layermodel.site.inputs import Drift, History
from layermodel.site.markup import Html, js_assignment
from layermodel.site.names import Pages
from layermodel.site.pictures import layer_rollup

if TYPE_CHECKING:
    from layermodel.model import Ecosystem

__all__ = [
    "MARKER",
    "PICTURE_LIMIT",
    "PRODUCT_PICTURE_LIMIT",
    "SiteError",
    "SiteResult",
    "build_site",
    "graphviz_installed",
]

MARKER = ".layermodel-site"
"""The file every site holds at its root: a folder with it may be replaced."""
PICTURE_LIMIT = 300
"""Up to this many components, the home page shows the renderer's ecosystem view;
past it, the layer rollup (a drawing of every component would be unreadable)."""
PRODUCT_PICTURE_LIMIT = 120
"""A product page shows the renderer's product view when its footprint is at most
this large."""
ASSETS = ("site.css", "site.js", "explore.js")

_COMMENT = re.compile(r"<!--.*?-->", re.S)


class SiteError(LayermodelError):
    """The site cannot be written where asked (a folder that is not a site)."""

    def __init__(self, path: str, message: str) -> None:
        self.problems = (Problem(message, file=path),)
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class SiteResult:
    """What :func:`build_site` wrote."""

    path: Path
    """The site's folder."""
    pages: int
    """HTML pages written."""
    files: int
    """All files written (pages, scripts, styles, the marker)."""
    picture: str
    """What the home page draws: ``ecosystem`` (the renderer's view), ``rollup`` (the
    layer rollup of a large portfolio, or when Graphviz is missing)."""
    notes: tuple[str, ...]
    """What was left out and why (for example: Graphviz is not installed)."""
    seconds: float


def _inline_svg(svg: str) -> Html:
    """Graphviz's SVG, ready to sit in a page: no XML prolog, doctype or comments.
    Its text was escaped by the DOT writer and by Graphviz, so it is markup."""
    start = svg.find("<svg")
    body = _COMMENT.sub("", svg[start:] if start >= 0 else svg)
    return Html(body)  # safe: Graphviz output of escaped DOT labels


def _pictures(ctx: page.Context, graphviz: bool, svg_cache: MutableMapping[str, str] | None) -> str:
    """Draw the home page's picture and the small products' views into ``ctx``;
    returns which picture the home page got. Graphviz runs for several views at once
    (it is a separate process each time), and a drawing whose DOT text is in
    ``svg_cache`` is not drawn again."""
    from layermodel.diagrams import GraphvizError, render

    p = ctx.p
    eco = p.ecosystem
    hrefs = {layer.id: ctx.pages.layer(layer.id) for layer in eco.layers}
    views: dict[str, str] = {}
    if graphviz:
        if len(eco.components) <= PICTURE_LIMIT:
            views["ecosystem"] = "ecosystem"
        for prod in eco.products:
            size = len(p.analysis.reuse.products[prod.id].footprint)
            if 0 < size <= PRODUCT_PICTURE_LIMIT:
                views[f"product:{prod.id}"] = f"product:{prod.id}"
    cache = svg_cache if svg_cache is not None else {}

    def draw(view: str) -> tuple[str, str | None, str | None]:
        diagram = render(eco, view)
        text = diagram.dot
        known = cache.get(text)
        if known is not None:
            return view, known, None
        try:
            svg = diagram.svg()
        except GraphvizError as exc:
            return view, None, str(exc)
        cache[text] = svg
        return view, svg, None

    if views:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            drawn = list(pool.map(draw, views))
        for view, svg, problem in drawn:
            if svg is not None:
                ctx.pictures[view] = _inline_svg(svg)
            elif view == "ecosystem":
                ctx.notes.append(f"The ecosystem view could not be drawn ({problem}).")
    kind = "ecosystem" if "ecosystem" in ctx.pictures else "rollup"
    if kind == "rollup":
        ctx.pictures["ecosystem"] = layer_rollup(p, "", hrefs)
        if len(eco.components) > PICTURE_LIMIT:
            ctx.notes.append(
                f"{len(eco.components):,} components are too many for one readable picture: "
                "the layers are shown with their counts and the dependencies between them. "
                "Explore draws every component, group by group."
            )
    return kind


def _check_target(out: Path) -> None:
    name = os.fspath(out)
    if out.is_symlink():
        raise SiteError(name, "is a symbolic link; give the folder itself")
    if not out.exists():
        if not out.parent.is_dir():
            raise SiteError(name, f"cannot be created: {out.parent} is not a folder")
        return
    if not out.is_dir():
        raise SiteError(name, "is a file, not a folder")
    if (out / MARKER).is_file():
        return
    if any(out.iterdir()):
        raise SiteError(
            name,
            "is a folder that is not empty and holds no layermodel site "
            f"(no {MARKER} file); give an empty or new folder",
        )


def _write_all(ctx: page.Context, folder: Path, write_assets: bool = True) -> tuple[int, int]:
    """Write every page and file of the site into ``folder``; returns (pages, files)."""
    p = ctx.p
    eco = p.ecosystem
    pages_written = 0
    files = 0
    for sub in Pages.FOLDERS:
        (folder / sub).mkdir()
    made: set[str] = set()

    def put(name: str, text: str) -> None:
        nonlocal pages_written, files
        if name in made:  # two things named alike: never overwrite silently
            raise LayermodelError(f"internal error: the page {name} was written twice")
        made.add(name)
        (folder / name).write_text(text, encoding="utf-8")
        files += 1
        if name.endswith(".html"):
            pages_written += 1

    put("index.html", page.home(ctx))
    put("products.html", page.products_index(ctx))
    put("layers.html", page.layers_index(ctx))
    put("groups.html", page.groups_index(ctx))
    put("owners.html", page.owners_index(ctx))
    put("matrix.html", page.matrix(ctx))
    put("violations.html", page.violations(ctx))
    put("checks.html", page.checks(ctx))
    put("explore.html", page.explore(ctx))
    put("search.html", page.search(ctx))
    for prod in eco.products:
        put(ctx.pages.product(prod.id), page.product(ctx, prod.id))
    for layer in eco.layers:
        put(ctx.pages.layer(layer.id), page.layer(ctx, layer.id))
    for c in eco.components:
        put(ctx.pages.component(c.id), page.component(ctx, c.id))
    for path in p.groups:
        put(ctx.pages.group(path), page.group(ctx, path))
    for name in p.owners:
        put(ctx.pages.owner(name), page.owner(ctx, name))
    put("search-index.js", js_assignment("LAYERMODEL_SEARCH", page.search_entries(ctx)))
    put("explore-data.js", js_assignment("LAYERMODEL_EXPLORE", explore_data(p, ctx.pages)))
    (folder / "assets").mkdir()
    if write_assets:
        source = resources.files(__package__).joinpath("assets")
        for asset in ASSETS:
            put(f"assets/{asset}", source.joinpath(asset).read_text(encoding="utf-8"))
    from layermodel import __version__

    put(MARKER, json.dumps({"generator": "layermodel", "version": __version__}) + "\n")
    return pages_written, files


def graphviz_installed() -> bool:
    from layermodel.diagrams import GraphvizMissing, dot_program

    try:
        dot_program()
    except GraphvizMissing:
        return False
    return True


def build_site(
    ecosystem: Ecosystem,
    out_dir: str | os.PathLike[str],
    *,
    files: Sequence[str | os.PathLike[str]] = (),
    history: History | None = None,
    drift: Drift | None = None,
    live: int | None = None,
    progress: Callable[[str], None] | None = None,
    svg_cache: MutableMapping[str, str] | None = None,
    drawings: bool = True,
) -> SiteResult:
    """Write the portfolio site of ``ecosystem`` into ``out_dir``.

    Static pages that work from ``file://`` and from any static host, with no network
    request: a home page (summary, picture, headline numbers, history trends), a page
    per product, component, layer, group and owner, the reuse matrix, the layering
    violations, the check results, Explore (every component, drawn group by group)
    and search. The site is written into a new folder beside ``out_dir`` and swapped
    in at the end: a failure leaves ``out_dir`` as it was.

    Args:
        ecosystem: the model.
        out_dir: the site's folder: missing, empty or a previous site.
        files: the model files ``ecosystem`` came from: the check findings are placed
            at their lines, and a check baseline beside the first is used.
        history: the rows of ``layermodel history`` (see
            :func:`~layermodel.site.read_history`), drawn as trends on the home page.
        drift: a drift report (see :func:`~layermodel.site.read_drift`), shown per
            component.
        live: the preview server's version of the site (``layermodel serve``): pages
            poll the server and reload when it changes.
        progress: called with the name of each step as it starts.
        svg_cache: Graphviz drawings by their DOT text, kept between builds (the
            preview passes one, so a save redraws only the views it changed).
        drawings: draw the renderer's views with Graphviz; without, the home page gets
            the site's own layer drawing and product pages none (the preview's first,
            quick build after a save).

    Raises:
        SiteError: ``out_dir`` is a file, a link, or a folder that is not empty and
            not a site.
        WriteError: the folder cannot be written.

    Example:
        >>> import tempfile, layermodel as lm
        >>> from layermodel.site import build_site
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     result = build_site(lm.example(), f"{tmp}/site")
        ...     (result.path / "index.html").is_file()
        True
    """
    started = time.perf_counter()
    step = progress or (lambda _name: None)
    out = Path(out_dir)
    _check_target(out)
    step("analysis")
    ctx = page.Context(
        portfolio(ecosystem, files), Pages(), history=history, drift=drift, live=live
    )
    step("pictures")
    graphviz = drawings and graphviz_installed()
    if drawings and not graphviz:
        ctx.notes.append(
            "Graphviz is not installed, so the site draws the layers itself and product "
            "pages have no diagram."
        )
    kind = _pictures(ctx, graphviz, svg_cache)
    step("pages")
    try:
        scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    except OSError as exc:
        raise WriteError(
            os.fspath(out), f"cannot write the site beside it: {exc.strerror}"
        ) from None
    try:
        pages_written, files_written = _write_all(ctx, scratch)
        os.chmod(scratch, 0o755)
        _swap(scratch, out)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return SiteResult(
        path=out,
        pages=pages_written,
        files=files_written,
        picture=kind,
        notes=tuple(ctx.notes),
        seconds=time.perf_counter() - started,
    )


def _swap(new: Path, out: Path) -> None:
    """Put the folder ``new`` at ``out``, removing the site that was there."""
    try:
        if not out.exists():
            new.rename(out)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
        try:
            new.rename(out)
        except OSError:
            old.rename(out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise WriteError(os.fspath(out), f"cannot write the site: {exc.strerror or exc}") from None
