"""Reuse figures equal their definitions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import layermodel as lm
from layermodel.analysis.reuse import commonality_class, reuse, shared_fate, similarity
from layermodel.analysis.sections import render_markdown, render_text
from tests.analysis import brute
from tests.strategies import ecosystems


@given(ecosystems(), st.integers(1, 4))
def test_reuse_counts_levels_and_classes_match_definitions(eco: lm.Ecosystem, k: int) -> None:
    report = reuse(eco, k)
    who = brute.users(eco)
    total = len(eco.products)
    for c in eco.components:
        r = report.components[c.id]
        assert set(r.users) == who[c.id] and r.reuse_count == len(who[c.id])
        assert r.commonality_class == commonality_class(len(who[c.id]), total)
        assert r.direct_users == tuple(sorted(p.id for p in eco.products if c.id in p.uses))
        assert r.dependents == tuple(sorted(x.id for x in eco.components if c.id in x.targets))
    for p in eco.products:
        fp = brute.footprint(eco, p)
        shared = [c for c in fp if len(who[c]) >= k]
        assert set(report.products[p.id].footprint) == fp
        assert report.products[p.id].reuse_level == (len(shared) / len(fp) if fp else 0.0)
    reused = {c for c, u in who.items() if len(u) >= k}
    lower = {layer.id for layer in eco.layers[(len(eco.layers) + 1) // 2 :]}
    established = {
        c.id
        for c in eco.components
        if total >= 2 and len(who[c.id]) == total and c.layer in lower and c.id in reused
    }
    assert set(report.platforms) == established
    assert set(report.platform_candidates) == reused - established


@given(ecosystems(max_products=5))
def test_removing_a_product_never_increases_any_reuse_count(eco: lm.Ecosystem) -> None:
    before = reuse(eco)
    for p in eco.products:
        smaller = lm.Ecosystem(
            name=eco.name,
            layers=eco.layers,
            components=eco.components,
            products=[q for q in eco.products if q.id != p.id],
        )
        after = reuse(smaller)
        for cid, r in after.components.items():
            assert r.reuse_count <= before.components[cid].reuse_count


@given(ecosystems())
def test_adding_a_dependency_never_shrinks_a_footprint(eco: lm.Ecosystem) -> None:
    ids = [c.id for c in eco.components]
    if len(ids) < 2:
        return
    source = eco.components[0]
    target = next((t for t in ids[1:] if t not in source.targets), None)
    if target is None:
        return
    grown = lm.Ecosystem(
        name=eco.name,
        layers=eco.layers,
        components=[
            source.model_copy(
                update={"depends_on": (*source.depends_on, lm.Dependency(target=target))}
            ),
            *eco.components[1:],
        ],
        products=eco.products,
    )
    before, after = reuse(eco), reuse(grown)
    for pid, p in before.products.items():
        assert set(p.footprint) <= set(after.products[pid].footprint)


@given(ecosystems(max_products=5))
def test_similarity_is_jaccard_of_footprints(eco: lm.Ecosystem) -> None:
    sim = similarity(eco)
    feet = {p.id: brute.footprint(eco, p) for p in eco.products}
    for i, a in enumerate(sim.products):
        for j, b in enumerate(sim.products):
            union = feet[a] | feet[b]
            expected = len(feet[a] & feet[b]) / len(union) if union else 1.0
            assert abs(sim.jaccard[i][j] - expected) < 1e-12
            assert sim.shared[i][j] == len(feet[a] & feet[b])
            assert set(shared_fate(eco, a, b)) == feet[a] & feet[b]


def test_google_reuse() -> None:
    eco = lm.example()
    report = reuse(eco)
    assert report.components["distributed-db"].commonality_class == "core"
    assert report.components["ranking"].commonality_class == "specific"
    # every product already runs on the shared infrastructure and hardware: platforms,
    # not candidates
    assert report.platforms == ("api-gateway", "distributed-db", "mapreduce", "data-centres", "vms")
    assert report.platform_candidates == ()
    assert report.misplaced == ("ml-pipeline", "data-pipeline")
    assert report.products["docs"].reuse_level == 5 / 8
    assert report.products["docs"].reuse_level_by_layer == {
        "ui": 0.0,
        "algorithms": 0.0,
        "infrastructure": 1.0,
        "hardware": 1.0,
    }
    text = render_text(report.sections())
    assert "  docs             8       5          62%" in text
    assert "| docs | 8 | 5 | 62% |" in render_markdown(report.sections())


def test_consolidation_candidates_serve_disjoint_products() -> None:
    eco = lm.Ecosystem(
        name="dbs",
        components=[
            lm.Component(id="a", layer="ui", depends_on=["db1"]),
            lm.Component(id="b", layer="ui", depends_on=["db2"]),
            lm.Component(id="c", layer="ui", depends_on=["db2", "db3"]),
            lm.Component(id="db1", layer="infrastructure", tags=["database"]),
            lm.Component(id="db2", layer="infrastructure", tags=["database"]),
            lm.Component(id="db3", layer="infrastructure", properties={"role": "database"}),
        ],
        products=[
            lm.Product(id="p", uses=["a"]),
            lm.Product(id="q", uses=["b"]),
            lm.Product(id="r", uses=["c"]),
        ],
    )
    (found,) = reuse(eco).consolidation_candidates
    assert (found.layer, found.key, found.pairs) == (
        "infrastructure",
        "tag:database",
        (("db1", "db2"),),
    )
