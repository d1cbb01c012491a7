"""A slot through which a caller hands the analyses blast-radius figures it computed
elsewhere (in another process, say), instead of having them computed here.

The blast radius of every component and its JSON text are the largest single piece of
a full JSON report on a large portfolio. A caller that can compute them meanwhile
(the command line forks a worker for it) offers an object with the two methods of
:class:`BlastFigures` with :func:`offer_blast_figures`; while it is offered,

- :func:`blast_sizes` and :func:`reach_total`, which the single points of failure and
  the propagation cost read, take their figures from its ``header()``;
- :meth:`Analysis.to_json() <layermodel.analysis.report.Analysis.to_json>` takes the
  ``blast_radius.components`` lists from its ``texts()``, which it asks for last;
- :func:`~layermodel.analysis.report.analyze` runs the steps that need them last.

Either method may return None (the figures could not be had): the analyses then
compute the same figures themselves, so the results are the same with or without an
offer. Nothing in the library offers figures by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from layermodel import graph
from layermodel.graph import Key, cached, forget, peek, store

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "BlastFigures",
    "blast_sizes",
    "offer_blast_figures",
    "offered_blast_figures",
    "reach_total",
    "withdraw_blast_figures",
]


class BlastFigures(Protocol):
    """Blast-radius figures of one ecosystem, computed by someone else."""

    def header(self) -> tuple[list[int], int] | None:
        """(the size of every component's blast radius, in model order, as
        :func:`layermodel.graph.blast_sizes`; the size of the transitive closure, as
        :func:`layermodel.graph.reach_total`), or None when they cannot be had."""
        ...

    def texts(self) -> list[str] | None:
        """Every component's blast radius (:func:`layermodel.graph.blast_components`)
        as JSON text, in model order, exactly as ``json.dumps(list(ids),
        ensure_ascii=False)`` writes it; or None when they cannot be had. Asked for
        at most once per report."""
        ...


_OFFERED: Key[BlastFigures] = Key("blast_figures")
_SIZES: Key[list[int]] = Key("blast_figures:sizes")
_TOTAL: Key[int] = Key("blast_figures:reach_total")


def offer_blast_figures(ecosystem: Ecosystem, figures: BlastFigures) -> None:
    """Have the analyses of ``ecosystem`` take their blast-radius figures from
    ``figures`` (until :func:`withdraw_blast_figures`)."""
    store(ecosystem, _OFFERED, figures)


def withdraw_blast_figures(ecosystem: Ecosystem, figures: BlastFigures) -> None:
    """Withdraw ``figures``, if they are the ones offered for ``ecosystem``. Figures
    already read from them stay cached."""
    forget(ecosystem, _OFFERED, figures)


def offered_blast_figures(ecosystem: Ecosystem) -> BlastFigures | None:
    """The figures offered for ``ecosystem``, if any."""
    return peek(ecosystem, _OFFERED)


def _header(ecosystem: Ecosystem) -> tuple[list[int], int] | None:
    figures = offered_blast_figures(ecosystem)
    return figures.header() if figures is not None else None


def blast_sizes(ecosystem: Ecosystem) -> list[int]:
    """For each component, in model order, the size of its blast radius: from the
    offered figures when they have it, else :func:`layermodel.graph.blast_sizes`.
    Cached."""

    def make() -> list[int]:
        found = _header(ecosystem)
        return found[0] if found is not None else graph.blast_sizes(ecosystem)

    return cached(ecosystem, _SIZES, make)


def reach_total(ecosystem: Ecosystem) -> int:
    """The off-diagonal size of the transitive closure: from the offered figures when
    they have it, else :func:`layermodel.graph.reach_total`. Cached."""

    def make() -> int:
        found = _header(ecosystem)
        return found[1] if found is not None else graph.reach_total(ecosystem)

    return cached(ecosystem, _TOTAL, make)
