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


def test_the_focused_footprint_says_whom_else_it_shares_with_and_counts_right() -> None:
    import layermodel as lm
    from layermodel.analysis import analyze

    eco = lm.example()
    report = analyze(eco, product="docs", advice=False)
    (footprint,) = [s for s in report.sections() if s.title == "Footprint of docs"]
    rows = {row[1]: row[3] for row in footprint.tables[0].rows}
    assert rows["distributed-db"] == "maps, search"  # never docs itself
    assert rows["collaboration"] == "-"  # docs' own
    summary = report.sections()[0].lines
    assert summary[0] == "Google: 3 products, 20 components in 4 layers, 34 dependencies."
    assert summary[2] == "0 layering violations, 0 dependency cycles."
    one = lm.Builder("One")
    one.product("p", uses=[one.component("a", layer="ui", depends_on=["b"])])
    one.component("b", layer="algorithms", depends_on=["a"])  # one cycle, one violation
    text = analyze(one.build(), advice=False).to_text()
    assert "1 product, 2 components in 4 layers, 2 dependencies." in text
    assert "1 layering violation, 1 dependency cycle." in text
