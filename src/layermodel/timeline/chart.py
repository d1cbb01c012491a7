"""Charts of a model's history: reuse level per product, shared components, layering
violations and components per layer, against the commit dates, drawn with matplotlib
(the optional ``charts`` extra, imported only here, with its non-interactive Agg
backend)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layermodel.errors import LayermodelError
from layermodel.model.io import write_atomic
from layermodel.timeline.result import HistoryResult, Version

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["CHART_FORMATS", "chart_bytes", "write_chart"]

CHART_FORMATS = ("png", "svg")
"""The chart formats, from the file's suffix."""

_INVALID_COLOUR = "#d62728"


def write_chart(result: HistoryResult, path: str | os.PathLike[str]) -> None:
    """Draw the trends of ``result`` into ``path`` (``.png`` or ``.svg``), atomically.

    Raises:
        LayermodelError: the suffix is not ``.png`` or ``.svg``, matplotlib is not
            installed, or there is no valid version to draw.
        WriteError: the file cannot be written.
    """
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in CHART_FORMATS:
        raise LayermodelError(
            f"cannot draw a chart as {os.fspath(path)!r}: the file must end in .png or .svg"
        )
    write_atomic(path, chart_bytes(result, fmt))


def chart_bytes(result: HistoryResult, fmt: str = "png") -> bytes:
    """The chart of ``result`` as PNG or SVG bytes (see :func:`write_chart`)."""
    if fmt not in CHART_FORMATS:
        raise LayermodelError(f"unknown chart format {fmt!r}; expected 'png' or 'svg'")
    valid = [v for v in result.versions if v.figures is not None]
    if not valid:
        raise LayermodelError("no valid version of the model to draw")
    try:
        import matplotlib
    except ImportError:
        raise LayermodelError("charts need matplotlib: pip install 'layermodel[charts]'") from None
    matplotlib.use("Agg", force=False)
    # A fixed salt makes the SVG's element ids, and so the file, the same every run.
    with matplotlib.rc_context({"svg.hashsalt": "layermodel-history"}):
        return _draw(result, fmt, valid)


def _draw(result: HistoryResult, fmt: str, valid: list[Version]) -> bytes:
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    # Dates make the x axis when they go forward commit by commit; otherwise (several
    # commits at one time, a rebased history) the versions are evenly spaced, labelled
    # with their dates and commits.
    when = [_date(v.commit.date) for v in result.versions]
    by_time = len(when) > 1 and all(a < b for a, b in itertools.pairwise(when))
    xs: list[Any] = when if by_time else list(range(len(when)))
    dates = [x for x, v in zip(xs, result.versions, strict=True) if v.figures is not None]
    invalid = [x for x, v in zip(xs, result.versions, strict=True) if v.figures is None]
    figures = [v.figures for v in valid if v.figures is not None]

    figure = Figure(figsize=(11, 9.5), dpi=110, layout="constrained")
    grid = figure.subplots(2, 2, sharex=True)
    reuse_axes, shared_axes = grid[0]
    violation_axes, layer_axes = grid[1]
    title = ", ".join(result.paths)
    figure.suptitle(
        f"History of {title} ({len(result.versions):,} versions, {result.rev})", fontsize=14
    )

    # Reuse level per product, and over the whole portfolio.
    for pid in result.products:
        values = [f.product_reuse.get(pid) for f in figures]
        reuse_axes.plot(dates, _gaps(values), marker=".", linewidth=1.6, label=pid)
    reuse_axes.plot(
        dates,
        _gaps([f.reuse_level for f in figures]),
        color="black",
        linestyle="--",
        linewidth=2,
        label="all components",
    )
    reuse_axes.set_title(f"Reuse level (share used by {result.min_users}+ products)")
    reuse_axes.set_ylabel("reuse level")
    reuse_axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    reuse_axes.set_ylim(0, 1.25)
    reuse_axes.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])

    shared_axes.step(
        dates, [f.shared for f in figures], where="post", linewidth=2, label="shared (2+ products)"
    )
    if result.min_users != 2:
        shared_axes.step(
            dates,
            [f.platform_candidates for f in figures],
            where="post",
            linewidth=2,
            label=f"platform candidates ({result.min_users}+)",
        )
    shared_axes.step(
        dates,
        [f.single_points_of_failure for f in figures],
        where="post",
        linewidth=1.5,
        linestyle=":",
        label="single points of failure (2+ products)",
    )
    shared_axes.set_title("Shared components")
    shared_axes.set_ylabel("components")

    violation_axes.step(
        dates,
        [f.violations for f in figures],
        where="post",
        color=_INVALID_COLOUR,
        linewidth=2,
        label="layering violations",
    )
    violation_axes.step(
        dates,
        [f.cycles for f in figures],
        where="post",
        color="#9467bd",
        linewidth=2,
        linestyle="--",
        label="dependency cycles",
    )
    violation_axes.set_title("Layering violations and cycles")
    violation_axes.set_ylabel("count")

    layers = result.layers
    layer_axes.stackplot(
        dates,
        [[f.layers.get(lid, 0) for f in figures] for lid in layers],
        labels=list(layers),
        alpha=0.85,
        step="post",
    )
    layer_axes.set_title("Components per layer")
    layer_axes.set_ylabel("components")

    for axes in (reuse_axes, shared_axes, violation_axes, layer_axes):
        _mark_invalid(axes, invalid)
        if axes is not reuse_axes:
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            # Head room above the highest line, for the legend.
            axes.set_ylim(0, max(1.0, axes.get_ylim()[1]) * 1.3)
        axes.grid(True, alpha=0.3)
        axes.legend(loc="upper left", fontsize=8, framealpha=0.9, ncols=2)
    for axes in (violation_axes, layer_axes):
        if by_time:
            axes.set_xlabel("commit date")
            locator = mdates.AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
            axes.xaxis.set_major_locator(locator)
            axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        else:
            axes.set_xlabel("version (commit date and id), oldest first")
            step = max(1, -(-len(xs) // 6))
            ticks = sorted({*range(0, len(xs), step), len(xs) - 1})
            axes.set_xticks(ticks)
            axes.set_xticklabels(
                [
                    f"{result.versions[i].commit.date[:10]}\n{result.versions[i].commit.short}"
                    for i in ticks
                ],
                fontsize=8,
            )
    out = io.BytesIO()
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(out, format=fmt, metadata=metadata)
    return out.getvalue()


def _date(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _gaps(values: list[float | None]) -> list[float]:
    return [float("nan") if v is None else v for v in values]


def _mark_invalid(axes: Axes, dates: list[Any]) -> None:
    """A thin red line at each version that did not validate."""
    for i, when in enumerate(dates):
        axes.axvline(
            when,
            color=_INVALID_COLOUR,
            alpha=0.7,
            linewidth=1.4,
            linestyle=":",
            label="invalid version" if i == 0 else None,
        )
