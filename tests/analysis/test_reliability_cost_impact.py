"""Availability, cost allocation, blast radius, dominators and structure metrics
equal their definitions."""

from __future__ import annotations

import math

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

import layermodel as lm
from layermodel.analysis.cost import allocate_costs
from layermodel.analysis.impact import blast_radius, dominators, single_points_of_failure
from layermodel.analysis.reliability import availability
from layermodel.analysis.structure import coupling
from tests.analysis import brute
from tests.strategies import ecosystems


@given(ecosystems())
def test_availability_is_the_serial_product_over_the_required_footprint(eco: lm.Ecosystem) -> None:
    report = availability(eco)
    for p in eco.products:
        needed = brute.footprint(eco, p, required_only=True)
        known = [
            eco.component(c).availability
            for c in needed
            if eco.component(c).availability is not None
        ]
        got = report.products[p.id]
        assert math.isclose(got.availability, math.prod(known), rel_tol=1e-9)
        assert got.required_footprint == len(needed) and got.known == len(known)
        # never above the lowest availability it needs
        assert got.availability <= min(known, default=1.0) * (1 + 1e-12)


@given(ecosystems())
def test_over_promises_are_exactly_the_components_above_their_requirements(
    eco: lm.Ecosystem,
) -> None:
    g = brute.graph(eco, required_only=True)
    flagged = {o.component for o in availability(eco).over_promises}
    expected = set()
    for c in eco.components:
        if c.availability is None:
            continue
        needs = [eco.component(d).availability for d in nx.descendants(g, c.id) if d != c.id]
        needs = [a for a in needs if a is not None]
        if needs and c.availability > math.prod(needs) * (1 + 1e-12):
            expected.add(c.id)
    assert flagged == expected


@given(ecosystems(), st.sampled_from(["equal", "weighted"]))
def test_allocated_costs_add_up_to_the_cost_of_used_components(
    eco: lm.Ecosystem, method: str
) -> None:
    report = allocate_costs(eco, method)  # type: ignore[arg-type]
    who = brute.users(eco)
    used = sum(c.cost or 0 for c in eco.components if who[c.id])
    assert math.isclose(
        sum(p.total for p in report.products.values()), used, rel_tol=1e-9, abs_tol=1e-6
    )
    assert math.isclose(
        report.allocated + report.unallocated, report.total, rel_tol=1e-12, abs_tol=1e-6
    )


def test_weighted_cost_follows_product_weight() -> None:
    eco = lm.example()
    equal = allocate_costs(eco, "equal").products
    weighted = allocate_costs(eco, "weighted").products
    assert math.isclose(equal["docs"].total, equal["maps"].total)
    # data-centres (500,000) is shared by search (10), docs (3) and maps (5)
    assert dict(weighted["docs"].largest)["data-centres"] == 500000 * 3 / 18


@given(ecosystems())
def test_blast_radius_is_everything_that_requires_the_component(eco: lm.Ecosystem) -> None:
    expected = brute.blast_components(eco)
    required_users = brute.users(eco, required_only=True)
    for c in eco.components:
        got = blast_radius(eco, c.id)
        assert set(got.components) == expected[c.id]
        assert set(got.products) == required_users[c.id]
        assert c.id not in got.components
        assert sorted(got.components) == list(got.components)


def test_google_blast_radius_and_single_points_of_failure() -> None:
    eco = lm.example()
    db = blast_radius(eco, "distributed-db")
    assert db.products == ("docs", "maps", "search") and db.share == 1.0
    assert set(db.by_layer) == {"ui", "algorithms", "infrastructure"}
    # crawling is a soft dependency of ranking, so its failure does not take ranking down
    assert "ranking" not in blast_radius(eco, "crawling").components
    ranking = single_points_of_failure(eco).ranking
    assert [row[0] for row in ranking[:2]] == ["data-centres", "vms"]


def test_dominators_are_gateways() -> None:
    eco = lm.Ecosystem(
        name="gw",
        components=[
            lm.Component(id="web", layer="ui", depends_on=["gateway"]),
            lm.Component(id="app", layer="ui", depends_on=["gateway"]),
            lm.Component(id="gateway", layer="infrastructure", depends_on=["orders", "users"]),
            lm.Component(id="orders", layer="infrastructure", depends_on=["db"]),
            lm.Component(id="users", layer="infrastructure", depends_on=["db"]),
            lm.Component(id="db", layer="hardware"),
        ],
        products=[lm.Product(id="shop", uses=["web", "app"])],
    )
    assert dominators(eco, "shop").gateways == (("gateway", 3),)


@given(ecosystems())
def test_coupling_and_propagation_cost(eco: lm.Ecosystem) -> None:
    report = coupling(eco)
    g = brute.graph(eco)
    for c in eco.components:
        k = report.components[c.id]
        assert (k.ca, k.ce) == (g.in_degree(c.id), g.out_degree(c.id))
        assert k.instability == (k.ce / (k.ca + k.ce) if k.ca + k.ce else 0.0)
    n = len(eco.components)
    if n:
        reach = sum(len(nx.descendants(g, x)) + 1 for x in g)
        assert math.isclose(report.propagation_cost, reach / n**2)
    for u, v, iu, iv, _ in report.sdp_violations:
        assert iu < iv and g.has_edge(u, v)
