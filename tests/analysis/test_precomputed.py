"""Blast-radius figures offered through ``layermodel.analysis.precomputed`` give the
same report, byte for byte, as figures computed by the analyses themselves, and
figures that cannot be had fall back to the same report."""

from __future__ import annotations

import json

import pytest

import layermodel as lm
from layermodel import graph
from layermodel.analysis import analyze
from layermodel.analysis.precomputed import (
    BlastFigures,
    blast_sizes,
    offer_blast_figures,
    offered_blast_figures,
    reach_total,
    withdraw_blast_figures,
)


class Offered:
    """Figures of a copy of the model, computed by the kernel, as a caller would hand
    them over."""

    def __init__(self, copy: lm.Ecosystem, *, header: bool = True, texts: bool = True) -> None:
        self._copy, self._header, self._texts = copy, header, texts
        self.asked: list[str] = []

    def header(self) -> tuple[list[int], int] | None:
        self.asked.append("header")
        if not self._header:
            return None
        return list(graph.blast_sizes(self._copy)), graph.reach_total(self._copy)

    def texts(self) -> list[str] | None:
        self.asked.append("texts")
        if not self._texts:
            return None
        blast = graph.blast_components(self._copy)
        return [json.dumps(list(blast[c.id]), ensure_ascii=False) for c in self._copy.components]


def _models() -> tuple[lm.Ecosystem, lm.Ecosystem, lm.Ecosystem]:
    text = lm.example_text()
    return lm.loads(text), lm.loads(text), lm.loads(text)


@pytest.mark.parametrize(
    ("header", "texts"), [(True, True), (False, True), (True, False), (False, False)]
)
def test_offered_figures_give_the_same_report(header: bool, texts: bool) -> None:
    serial_model, offered_model, copy = _models()
    expected = analyze(serial_model).to_json()
    figures = Offered(copy, header=header, texts=texts)
    offer: BlastFigures = figures
    offer_blast_figures(offered_model, offer)
    assert offered_blast_figures(offered_model) is figures
    report = analyze(offered_model)
    assert report.to_json() == expected
    assert "header" in figures.asked and figures.asked.count("texts") == 1
    assert report.to_dict() == json.loads(expected)
    withdraw_blast_figures(offered_model, figures)
    assert offered_blast_figures(offered_model) is None


def test_without_an_offer_the_kernel_figures_are_used() -> None:
    eco, _, _ = _models()
    assert offered_blast_figures(eco) is None
    assert blast_sizes(eco) == graph.blast_sizes(eco)
    assert reach_total(eco) == graph.reach_total(eco)


def test_withdrawing_other_figures_keeps_the_offer() -> None:
    eco, _, copy = _models()
    figures = Offered(copy)
    offer_blast_figures(eco, figures)
    withdraw_blast_figures(eco, Offered(copy))
    assert offered_blast_figures(eco) is figures
