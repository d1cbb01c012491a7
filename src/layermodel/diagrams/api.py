"""``layermodel.render``: draw a view of an ecosystem in any format, as a
:class:`Diagram`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from layermodel.diagrams.dot import LayoutOptions, dot_program, run_graphviz, to_dot
from layermodel.diagrams.layout import Placement, place
from layermodel.diagrams.scene import MatrixScene, Scene, ViewError, build_scene
from layermodel.errors import LayermodelError

if TYPE_CHECKING:
    from layermodel.diagrams.lock import LayoutLock
    from layermodel.model.entities import Ecosystem

__all__ = [
    "FORMATS",
    "STYLES",
    "Diagram",
    "deck",
    "deck_views",
    "gallery_main",
    "render",
    "render_change",
    "write_gallery",
]

Format = Literal["svg", "png", "pdf", "dot", "mermaid", "html", "pptx"]
FORMATS: tuple[str, ...] = ("svg", "png", "pdf", "dot", "mermaid", "html", "pptx")
STYLES: tuple[str, ...] = ("layered", "stack")
"""``layered``: bands, boxes and dependency arrows (the analysis views); ``stack``: boxes
in their bands and no arrows, for slides."""
_BINARY = {"png", "pdf"}
_SUFFIXES = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".html": "html",
    ".htm": "html",
    ".pptx": "pptx",
}


def format_for(path: str | os.PathLike[str], default: str | None = None) -> str:
    """The format a file name asks for, by its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if default is not None:
        return default
    known = ", ".join(sorted(_SUFFIXES))
    raise ViewError(
        f"cannot tell the format of {os.fspath(path)!r} from its suffix {suffix!r}",
        suggestion=f"use one of {known}, or give the format explicitly",
    )


@dataclass
class Diagram:
    """One view of an ecosystem, ready to save or display.

    ``source`` is the text form of the diagram in its format (DOT for ``svg``,
    ``png``, ``pdf`` and ``dot``; Mermaid; or the HTML page). ``save(path)`` writes it
    (atomically); in Jupyter the diagram displays inline as SVG.
    """

    scene: Scene | MatrixScene
    format: str = "svg"
    options: LayoutOptions = field(default_factory=LayoutOptions)
    style: str = "layered"
    """``layered`` (with arrows) or ``stack`` (boxes in bands, no arrows)."""
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def view(self) -> str:
        return self.scene.kind

    @property
    def placement(self) -> Placement:
        """Where every band, row, node and edge goes (not for the reuse matrix)."""
        if isinstance(self.scene, MatrixScene):
            raise ViewError("the reuse matrix is a table: it has no layered layout")
        if "placement" not in self._cache:
            self._cache["placement"] = place(self.scene, self.options.row_width, self.options.lock)
        found: Placement = self._cache["placement"]
        return found

    @property
    def layout_lock(self) -> LayoutLock:
        """The layout lock of this drawing: every band's rows as drawn (see
        :mod:`layermodel.diagrams.lock`)."""
        from layermodel.diagrams.lock import lock_of

        assert isinstance(self.scene, Scene)
        return lock_of(self.placement, self.scene)

    @property
    def dot(self) -> str:
        """The DOT text, with the layout stored in ``pos`` and ``bb`` attributes."""
        if "dot" not in self._cache:
            if self.style == "stack":
                from layermodel.diagrams.stack import stack_dot

                assert isinstance(self.scene, Scene)
                self._cache["dot"] = stack_dot(self.scene)
            else:
                placement = None if isinstance(self.scene, MatrixScene) else self.placement
                self._cache["dot"] = to_dot(self.scene, self.options, placement)
        text: str = self._cache["dot"]
        return text

    @property
    def mermaid(self) -> str:
        """Mermaid ``flowchart TB`` text, one subgraph per layer."""
        from layermodel.diagrams.mermaid import to_mermaid

        self._no_stack("mermaid")
        if isinstance(self.scene, MatrixScene):
            raise ViewError(
                "the reuse matrix has no Mermaid form",
                suggestion="draw it as svg, png, pdf or html",
            )
        return to_mermaid(self.scene)

    @property
    def html(self) -> str:
        """The self-contained interactive HTML page."""
        from layermodel.diagrams.html import to_html

        self._no_stack("html")
        return to_html(self.scene)

    def _no_stack(self, fmt: str) -> None:
        if self.style == "stack":
            raise ViewError(
                f"the stack style has no {fmt} form",
                suggestion="draw it as svg, png, pdf or pptx, or drop --style stack",
            )

    @property
    def source(self) -> str:
        """The diagram as text in its format: DOT, Mermaid or HTML."""
        if self.format == "mermaid":
            return self.mermaid
        if self.format == "html":
            return self.html
        return self.dot

    def pipe(self, format: str | None = None) -> bytes:
        """The diagram in ``format`` (default: its own) as bytes. SVG, PNG and PDF
        need Graphviz."""
        fmt = format or self.format
        if fmt not in FORMATS:
            raise ViewError(f"unknown format {fmt!r}", suggestion=f"use {', '.join(FORMATS)}")
        if fmt == "dot":
            return self.dot.encode("utf-8")
        if fmt == "mermaid":
            return self.mermaid.encode("utf-8")
        if fmt == "html":
            return self.html.encode("utf-8")
        if fmt == "pptx":
            return deck([self], title=self.scene.title)
        key = f"bytes:{fmt}"
        if key not in self._cache:
            engine = "dot" if isinstance(self.scene, MatrixScene) else "neato"
            nodes = 0 if isinstance(self.scene, MatrixScene) else len(self.scene.nodes)
            self._cache[key] = run_graphviz(
                self.dot, fmt, engine=engine, timeout=self.options.timeout, nodes=nodes
            )
        data: bytes = self._cache[key]
        return data

    def picture(self, dpi: int = 200) -> bytes:
        """A PNG of the diagram at ``dpi`` dots per inch (needs Graphviz)."""
        engine = "dot" if isinstance(self.scene, MatrixScene) else "neato"
        text = self.dot.replace(
            "digraph layermodel {", f'digraph layermodel {{\n  graph [dpi="{dpi}"]', 1
        )
        return run_graphviz(text, "png", engine=engine, timeout=self.options.timeout)

    def svg(self) -> str:
        """The SVG text (needs Graphviz)."""
        return self.pipe("svg").decode("utf-8")

    def save(self, path: str | os.PathLike[str], format: str | None = None) -> Path:
        """Write the diagram to ``path``, in ``format`` or the one its suffix names
        (falling back to the diagram's own format). The write is atomic."""
        from layermodel.model.io import write_atomic

        target = Path(path)
        fmt = format or format_for(target, default=self.format)
        write_atomic(target, self.pipe(fmt))
        return target

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/plain": repr(self)}
        try:
            dot_program()
        except LayermodelError:
            # Without Graphviz, show the interactive page. It goes in an iframe: its
            # Content-Security-Policy and script only hold inside their own document.
            import html

            bundle["text/html"] = (
                f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                'style="width:100%;height:640px;border:0" sandbox="allow-scripts"></iframe>'
            )
            return bundle
        bundle["image/svg+xml"] = self.svg()
        return bundle

    def __repr__(self) -> str:
        what = (
            (
                f"{len(self.scene.nodes)} components"
                if self.scene.rollup is None
                else f"{len(self.scene.nodes)} nodes rolled up by {self.scene.rollup}"
            )
            if isinstance(self.scene, Scene)
            else f"{len(self.scene.labels)} components × {len(self.scene.products)} products"
        )
        return f"<Diagram {self.scene.kind} view {self.scene.title!r}, {what}, {self.format}>"


def render(
    ecosystem: Ecosystem,
    view: str = "ecosystem",
    format: str = "svg",
    *,
    layers: Iterable[str] = (),
    tags: Iterable[str] = (),
    owners: Iterable[str] = (),
    row_width: float | None = None,
    timeout: float = 60.0,
    layout_lock: LayoutLock | None = None,
    rollup: str | None = None,
    focus: str | None = None,
    depth: int = 1,
    style: str = "layered",
    colour_by: str = "reuse",
    highlight: Iterable[str] = (),
) -> Diagram:
    """Draw ``view`` of ``ecosystem``.

    Views: ``"product:ID"`` (one product's footprint in layer bands), ``"ecosystem"``
    (all products, shared components shaded by reuse), ``"impact:ID"`` (one
    component's blast radius highlighted, the rest faded) and ``"matrix"`` (products
    by components, grouped by layer). ``layers``, ``tags`` and ``owners`` keep only
    the components that match. Components with a ``group`` are drawn in group boxes
    inside their bands.

    ``rollup`` (``"group"``, ``"owner"`` or ``"layer"``) draws an ecosystem or product
    view one level up: one node per group, owner or layer in each layer, with its
    component count and reuse, and one arrow per pair of nodes labelled with the
    number of dependencies it stands for. ``focus`` (a component id) keeps only that
    component's neighbourhood, ``depth`` hops (default 1) along dependencies either
    way, with the component highlighted. ``format`` is one of ``svg``, ``png``, ``pdf``,
    ``dot``, ``mermaid`` and ``html``; it is only the default for
    :meth:`Diagram.save`, which also reads the format from the file suffix.
    ``layout_lock`` keeps the rows and order it holds (see
    :mod:`layermodel.diagrams.lock`; SVG, PNG, PDF and DOT only).

    ``style="stack"`` draws one box per component in its layer band and no arrows
    (the picture for a slide; SVG, PNG, PDF, DOT and PPTX). ``colour_by`` picks what a
    box's fill says: ``reuse`` (the default), ``owner``, ``sourcing``, ``lifecycle`` or
    ``product``. ``highlight`` names the components the picture is about; the others
    are faded.

    Example:
        >>> import layermodel as lm
        >>> diagram = lm.render(lm.example(), "product:search", format="dot")
        >>> '"cluster_infrastructure"' in diagram.source
        True
    """
    _check_format(format)
    if style not in STYLES:
        raise ViewError(f"unknown style {style!r}", suggestion=f"use {' or '.join(STYLES)}")
    scene = build_scene(
        ecosystem,
        view,
        layers=layers,
        tags=tags,
        owners=owners,
        rollup=rollup,
        focus=focus,
        depth=depth,
        colour_by=colour_by,
        highlight=highlight,
    )
    if style == "stack" and isinstance(scene, MatrixScene):
        raise ViewError(
            "the reuse matrix has no stack style",
            suggestion="draw the stack of the ecosystem or of a product view",
        )
    return Diagram(scene, format, _layout(row_width, timeout, layout_lock), style)


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise ViewError(f"unknown format {format!r}", suggestion=f"use {', '.join(FORMATS)}")


def _layout(row_width: float | None, timeout: float, lock: LayoutLock | None) -> LayoutOptions:
    return LayoutOptions(
        row_width=row_width, timeout=timeout, lock=lock.rows() if lock is not None else None
    )


def render_change(
    old: Ecosystem,
    new: Ecosystem,
    format: str = "svg",
    *,
    old_name: str = "before",
    new_name: str = "after",
    layers: Iterable[str] = (),
    tags: Iterable[str] = (),
    owners: Iterable[str] = (),
    row_width: float | None = None,
    timeout: float = 60.0,
    layout_lock: LayoutLock | None = None,
) -> Diagram:
    """Draw the change from ``old`` to ``new`` as one layered picture (the as-is /
    to-be view): the new ecosystem view with added components and dependencies
    marked, removed ones as ghosts, moved components badged with the layer they came
    from (and a ghost where they were), changed fields in the tooltips, and a legend.
    ``old_name`` and ``new_name`` name the versions in the subtitle;
    ``layout_lock`` is as for :func:`render`. See
    :func:`layermodel.diagrams.change.build_change_scene`.

    Example:
        >>> import layermodel as lm
        >>> old = lm.loads("components: [{id: db, layer: infrastructure}]")
        >>> new = lm.loads("components: [{id: store, layer: infrastructure}]")
        >>> dot = render_change(old, new, "dot").source
        >>> 'class="component layer-infrastructure sourcing-build reuse-0 lm-added"' in dot
        True
    """
    from layermodel.diagrams.change import build_change_scene

    _check_format(format)
    scene = build_change_scene(
        old, new, old_name=old_name, new_name=new_name, layers=layers, tags=tags, owners=owners
    )
    return Diagram(scene, format, _layout(row_width, timeout, layout_lock))


def deck(diagrams: Sequence[Diagram], title: str, subtitle: str = "") -> bytes:
    """A slide deck (``.pptx``) of ``diagrams``: a title slide, then one slide per
    diagram; native shapes for the stack style, a high-resolution picture for the
    others. Needs python-pptx (``pip install 'layermodel[slides]'``)."""
    from layermodel.diagrams.pptx import PICTURE_DPI, Slide, deck_bytes

    slides = [
        Slide(
            d.scene,
            d.style,
            None if d.style == "stack" else (lambda d=d: d.picture(PICTURE_DPI)),  # type: ignore[misc]
        )
        for d in diagrams
    ]
    return deck_bytes(slides, title, subtitle)


def deck_views(ecosystem: Ecosystem, style: str = "layered") -> list[tuple[str, str]]:
    """The views of a deck when none are asked for, as (view, style): the ecosystem,
    its stack, then each product in ``style``."""
    views = [("ecosystem", style)]
    if style != "stack":
        views.append(("ecosystem", "stack"))
    views.extend((f"product:{p.id}", style) for p in ecosystem.products)
    return views


def write_gallery(
    diagrams: Mapping[str, Diagram],
    out: str | os.PathLike[str],
    *,
    check: bool = False,
    formats: Iterable[str] = ("png",),
) -> list[Path]:
    """Write each diagram as ``<name>.dot`` plus one file per format (PNG by default)
    into ``out``, for image folders kept in a repository.

    The DOT file is the reviewable, deterministic source of each picture. With
    ``check=True`` nothing is written: the result lists the DOT files that are
    missing or differ from what the diagrams give today (empty when all are
    current), so a test can tell that committed images are out of date. Otherwise
    the result lists the files written.
    """
    folder = Path(out)
    done: list[Path] = []
    for name, diagram in diagrams.items():
        dot_path = folder / f"{name}.dot"
        if check:
            if not dot_path.exists() or dot_path.read_text(encoding="utf-8") != diagram.dot:
                done.append(dot_path)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        done.append(diagram.save(dot_path, "dot"))
        done.extend(diagram.save(folder / f"{name}.{fmt}", fmt) for fmt in formats)
    return done


def gallery_main(
    diagrams: Callable[[], Mapping[str, Diagram]],
    out: str | os.PathLike[str],
    argv: Sequence[str] | None = None,
    formats: Iterable[str] = ("png",),
) -> int:
    """A ready-made command line for a script that keeps images in a repository:
    ``python make_diagrams.py`` writes them with :func:`write_gallery`, ``--check``
    exits 1 (naming them) when committed DOT files are out of date, and ``--out DIR``
    writes elsewhere; ``formats`` are the pictures written beside each DOT file.
    Returns the exit code."""
    import argparse

    parser = argparse.ArgumentParser(description="Write (or check) the diagrams.")
    parser.add_argument("--check", action="store_true", help="only check the DOT files")
    parser.add_argument("--out", type=Path, default=Path(out), help="where to write")
    args = parser.parse_args(argv)
    done = write_gallery(diagrams(), args.out, check=args.check, formats=formats)
    if args.check:
        if done:
            names = ", ".join(path.name for path in done)
            print(f"out of date: {names}; run this script without --check to redraw them")
            return 1
        return 0
    for path in done:
        print(f"wrote {path}")
    return 0
