"""The full report runs on any valid model and renders in every format."""

from __future__ import annotations

import json

from hypothesis import given

import layermodel as lm
from layermodel.analysis.report import STEPS, analyze
from tests.strategies import ecosystems


@given(ecosystems())
def test_any_valid_model_analyses_and_renders(eco: lm.Ecosystem) -> None:
    seen: list[str] = []
    report = analyze(eco, progress=seen.append)
    assert seen == list(STEPS)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["schema_version"] == 1
    assert set(data["components"]) == {c.id for c in eco.components}
    assert report.to_text().startswith("Summary\n")
    assert report.to_markdown().startswith(f"# Analysis of {eco.name}")
    for p in eco.products:
        focused = analyze(eco, product=p.id)
        assert set(focused.to_dict()["components"]) == set(report.reuse.products[p.id].footprint)
        assert f"Footprint of {p.id}" in focused.to_text()


def test_google_report_text() -> None:
    text = analyze(lm.example()).to_text()
    assert "Google: 3 products, 20 components in 4 layers, 34 dependencies." in text
    assert "5 components are shared by 2 or more products." in text
    assert "0 layering violations, 0 dependency cycles." in text


@given(ecosystems(max_components=20, max_products=5))
def test_json_text_is_the_dumped_dictionary(eco: lm.Ecosystem) -> None:
    # The command line writes to_json(), built from compact arrays; it must be the
    # very text json.dumps gives for to_dict(), in full and focused on a product.
    reports = [analyze(eco), analyze(eco, min_users=1, cost_method="weighted", gateways=True)]
    reports += [analyze(eco, product=p.id) for p in eco.products[:2]]
    for report in reports:
        assert report.to_json() == json.dumps(report.to_dict(), ensure_ascii=False)
