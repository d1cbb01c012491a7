"""Layering violations and cycles equal brute-force definitions; reports read well."""

from __future__ import annotations

import contextlib
import io
import json
import re
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import layermodel as lm
from layermodel.analysis.layering import (
    CycleReport,
    LayeringReport,
    Violation,
    cycles,
    violations,
)
from layermodel.analysis.sections import render_markdown, render_text
from layermodel.graph import dependency_graph
from tests.conftest import REPO
from tests.strategies import ecosystems


@st.composite
def dense_models(draw: st.DrawFn) -> lm.Ecosystem:
    """Small but dense layered models, where products reach most components: the
    shared ``ecosystems()`` strategy draws sparse ones."""
    count = draw(st.integers(1, 5))
    layers = tuple(
        lm.Layer(id=f"l{i}", closed=draw(st.booleans()), independent=draw(st.booleans()))
        for i in range(count)
    )
    n = draw(st.integers(1, 14))
    ids = [f"c{i:02d}" for i in range(n)]
    components = []
    for cid in ids:
        layer = draw(st.integers(0, count - 1))
        targets = draw(st.lists(st.sampled_from(ids), unique=True, max_size=4))
        components.append(lm.Component(id=cid, layer=f"l{layer}", depends_on=targets))
    products = [
        lm.Product(id=f"p{i}", uses=draw(st.lists(st.sampled_from(ids), unique=True, max_size=3)))
        for i in range(draw(st.integers(0, 4)))
    ]
    return lm.Ecosystem(
        name="dense",
        layers=layers,
        policy=draw(st.sampled_from(["relaxed", "strict"])),
        components=components,
        products=products,
    )


models = st.one_of(ecosystems(max_components=15, max_products=5), dense_models())

# -- brute force -------------------------------------------------------------------


def rebuild(
    eco: lm.Ecosystem,
    *,
    policy: str | None = None,
    layers: tuple[lm.Layer, ...] | None = None,
    components: list[lm.Component] | None = None,
) -> lm.Ecosystem:
    """The same model with another policy, layer stack or component list."""
    return lm.Ecosystem(
        name=eco.name,
        layers=layers if layers is not None else eco.layers,
        policy=policy if policy is not None else eco.policy,
        components=components if components is not None else eco.components,
        products=eco.products,
    )


def edges(eco: lm.Ecosystem) -> list[tuple[str, str]]:
    return [(c.id, d.target) for c in eco.components for d in c.depends_on]


def rank_of(eco: lm.Ecosystem) -> dict[str, int]:
    layer_rank = {layer.id: i for i, layer in enumerate(eco.layers)}
    return {c.id: layer_rank[c.layer] for c in eco.components}


def brute_violations(eco: lm.Ecosystem) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """(kind, source, target) -> skipped layers, straight from the definitions."""
    rank = rank_of(eco)
    layers = eco.layers
    strict = eco.policy == "strict"
    found: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for u, v in edges(eco):
        ru, rv = rank[u], rank[v]
        if ru > rv:
            found[("upward", u, v)] = ()
        elif ru == rv:
            if u != v and layers[ru].independent:
                found[("independent", u, v)] = ()
        else:
            skipped = tuple(layer.id for layer in layers[ru + 1 : rv] if strict or layer.closed)
            if skipped:
                found[("bypass", u, v)] = skipped
    return found


def brute_footprints(eco: lm.Ecosystem) -> dict[str, set[str]]:
    graph = dependency_graph(eco)
    feet: dict[str, set[str]] = {}
    for p in eco.products:
        seen: set[str] = set()
        for used in p.uses:
            seen |= {used} | nx.descendants(graph, used)
        feet[p.id] = seen
    return feet


def entry_distance(eco: lm.Ecosystem, node: str) -> int | None:
    """Fewest edges from any product entry to ``node``, by one search per entry."""
    graph = dependency_graph(eco)
    best = None
    for p in eco.products:
        for entry in p.uses:
            if nx.has_path(graph, entry, node):
                d = nx.shortest_path_length(graph, entry, node)
                best = d if best is None else min(best, d)
    return best


def brute_sccs(eco: lm.Ecosystem) -> set[tuple[str, ...]]:
    """Cyclic groups by mutual reachability, with no SCC algorithm."""
    graph = dependency_graph(eco)
    reach = {u: nx.descendants(graph, u) for u in graph}
    groups = set()
    for u in graph:
        group = tuple(sorted({u} | {v for v in reach[u] if u in reach[v]}))
        if len(group) > 1 or graph.has_edge(u, u):
            groups.add(group)
    return groups


def kst(report: LayeringReport) -> set[tuple[str, str, str]]:
    return {(v.kind, v.source, v.target) for v in report.violations}


# -- violations: properties --------------------------------------------------------


@given(models)
def test_violations_equal_brute_force(eco: lm.Ecosystem) -> None:
    report = violations(eco)
    expected = brute_violations(eco)
    assert {(v.kind, v.source, v.target): v.skipped for v in report.violations} == expected
    assert len(report.violations) == len(expected)


@given(models)
def test_chains_are_shortest_paths_from_a_product_entry(eco: lm.Ecosystem) -> None:
    graph = dependency_graph(eco)
    entries = {u for p in eco.products for u in p.uses}
    feet = brute_footprints(eco)
    for v in violations(eco).violations:
        assert v.chain[-2:] == (v.source, v.target)
        assert all(graph.has_edge(a, b) for a, b in zip(v.chain, v.chain[1:], strict=False))
        distance = entry_distance(eco, v.source)
        if distance is None:
            assert v.chain == (v.source, v.target)
            assert v.products == ()
        else:
            assert v.chain[0] in entries
            assert len(v.chain) == distance + 2  # entry ... source, then target
            # The entry belongs to a product that holds the source.
            owners = {p.id for p in eco.products if v.chain[0] in p.uses}
            assert owners & set(v.products)
        assert v.products == tuple(sorted(p for p, fp in feet.items() if v.source in fp))


@given(models)
def test_report_is_sorted_and_serialisable(eco: lm.Ecosystem) -> None:
    report = violations(eco)
    rank = rank_of(eco)
    order = {"upward": 0, "bypass": 1, "independent": 2}
    keys = [
        (order[v.kind], rank[v.source], v.source, rank[v.target], v.target)
        for v in report.violations
    ]
    assert keys == sorted(keys)
    assert violations(eco) == report
    data = json.loads(json.dumps(report.to_dict()))
    assert data == {
        "violations": [
            {
                "kind": v.kind,
                "source": v.source,
                "target": v.target,
                "chain": list(v.chain),
                "products": list(v.products),
                "skipped": list(v.skipped),
            }
            for v in report.violations
        ]
    }
    render_text(report.sections())
    render_markdown(report.sections())


@given(models)
def test_a_model_with_no_upward_edges_has_no_upward_violations(eco: lm.Ecosystem) -> None:
    rank = rank_of(eco)
    downward = [
        c.model_copy(
            update={"depends_on": tuple(d for d in c.depends_on if rank[d.target] >= rank[c.id])}
        )
        for c in eco.components
    ]
    cleaned = rebuild(eco, components=downward)
    found = kst(violations(cleaned))
    assert not any(kind == "upward" for kind, _, _ in found)
    # The other findings stay.
    assert found == {k for k in kst(violations(eco)) if k[0] != "upward"}


@given(models)
def test_strict_policy_flags_every_skip(eco: lm.Ecosystem) -> None:
    rank = rank_of(eco)
    skips = {(u, v) for u, v in edges(eco) if rank[v] > rank[u] + 1}
    open_layers = tuple(layer.model_copy(update={"closed": False}) for layer in eco.layers)

    strict = {(u, v) for k, u, v in kst(violations(rebuild(eco, policy="strict"))) if k == "bypass"}
    relaxed_open = rebuild(eco, policy="relaxed", layers=open_layers)
    relaxed = {
        (u, v) for k, u, v in kst(violations(rebuild(eco, policy="relaxed"))) if k == "bypass"
    }

    assert strict == skips
    assert not any(k == "bypass" for k, _, _ in kst(violations(relaxed_open)))
    assert relaxed <= strict
    if not any(layer.closed for layer in eco.layers):
        assert relaxed == set()


# -- violations: examples ----------------------------------------------------------


def test_google_example_has_no_violations_and_no_cycles() -> None:
    eco = lm.example()
    assert violations(eco).violations == ()
    assert cycles(eco) == CycleReport((), ())
    text = render_text(violations(eco).sections() + cycles(eco).sections())
    assert "No layering violations under the relaxed policy." in text
    assert "No dependency cycles." in text


def test_google_example_under_strict_policy_bypasses_algorithms() -> None:
    eco = lm.example()
    report = violations(rebuild(eco, policy="strict"))
    assert report.violations
    assert {v.kind for v in report.violations} == {"bypass"}
    gateway = next(v for v in report.violations if v.source == "search-box")
    assert gateway.target == "api-gateway"
    assert gateway.skipped == ("algorithms",)
    assert gateway.chain == ("search-box", "api-gateway")
    assert gateway.products == ("search",)
    # Closing one layer under the relaxed policy flags only skips across it.
    closed = tuple(
        layer.model_copy(update={"closed": layer.id == "algorithms"}) for layer in eco.layers
    )
    relaxed = violations(rebuild(eco, layers=closed))
    assert relaxed.violations
    assert all(v.skipped == ("algorithms",) for v in relaxed.violations)
    assert kst(relaxed) <= kst(report)


def layered(*specs: str, layers: Any = None, policy: str = "relaxed", **uses: list[str]):
    """A model from 'id layer target,target' specs and product=uses keywords."""
    components = []
    for spec in specs:
        cid, layer, *rest = spec.split()
        components.append(
            lm.Component(id=cid, layer=layer, depends_on=rest[0].split(",") if rest else [])
        )
    return lm.Ecosystem(
        name="t",
        layers=layers if layers is not None else lm.DEFAULT_LAYERS,
        policy=policy,
        components=components,
        products=[lm.Product(id=p, uses=u) for p, u in uses.items()],
    )


def test_independent_layer() -> None:
    layers = (lm.Layer(id="app"), lm.Layer(id="services", independent=True), lm.Layer(id="db"))
    eco = layered(
        "web app billing",
        "billing services tax,billing,db1",
        "tax services db1",
        "db1 db db2",
        "db2 db",
        layers=layers,
        shop=["web"],
    )
    report = violations(eco)
    assert report.violations == (
        Violation("independent", "billing", "tax", ("web", "billing", "tax"), ("shop",)),
    )
    # db is not independent: db1 -> db2 is fine; a self-loop is not between two components.
    plain = (layers[0], lm.Layer(id="services"), layers[2])
    assert violations(rebuild(eco, layers=plain)).violations == ()
    assert cycles(eco).cycles == (("billing",),)
    assert cycles(eco).feedback_edges == (("billing", "billing"),)


def test_unreached_source_has_a_bare_chain_and_no_products() -> None:
    eco = layered("web ui", "orphan infrastructure web", shop=["web"])
    (v,) = violations(eco).violations
    assert (v.kind, v.chain, v.products) == ("upward", ("orphan", "web"), ())
    assert "products: none (no product reaches it)" in render_text(violations(eco).sections())


def test_chain_comes_from_the_nearest_entry_through_a_cycle() -> None:
    eco = layered(
        "a ui b",
        "b algorithms c",
        "c algorithms d",
        "d infrastructure a,b",
        "e ui d",
        far=["a"],
        near=["e"],
    )
    report = violations(eco)
    assert [(v.kind, v.source, v.target, v.chain) for v in report.violations] == [
        ("upward", "d", "a", ("e", "d", "a")),
        ("upward", "d", "b", ("e", "d", "b")),
    ]
    assert all(v.products == ("far", "near") for v in report.violations)
    assert cycles(eco).cycles == (("a", "b", "c", "d"),)


def test_the_cached_graph_is_not_mutated() -> None:
    eco = layered("a ui b", "b infrastructure a,c", "c infrastructure b", p=["a"])
    graph = dependency_graph(eco)
    before = (sorted(graph.nodes(data=True)), sorted(graph.edges(data=True)))
    violations(eco)
    cycles(eco)
    assert dependency_graph(eco) is graph
    assert (sorted(graph.nodes(data=True)), sorted(graph.edges(data=True))) == before


# -- rendering ---------------------------------------------------------------------


def hurried() -> lm.Ecosystem:
    """A portfolio built in a hurry: reporting scrapes the storefront (upward) and
    reads the servers directly (past the closed infrastructure layer)."""
    b = lm.Builder(
        "Hurried",
        layers=["ui", "algorithms", lm.Layer(id="infrastructure", closed=True), "hardware"],
    )
    b.component("storefront", layer="ui", depends_on=["recommendations", "page-cache"])
    b.component("admin-console", layer="ui", depends_on=["reporting"])
    b.component("recommendations", layer="algorithms", depends_on=["feature-store"])
    b.component("reporting", layer="algorithms", depends_on=["storefront", "servers"])
    b.component("page-cache", layer="infrastructure", depends_on=["servers", "feature-store"])
    b.component("feature-store", layer="infrastructure", depends_on=["servers", "page-cache"])
    b.component("servers", layer="hardware")
    b.product("shop", uses=["storefront"])
    b.product("backoffice", uses=["admin-console"])
    return b.build()


HURRIED_TEXT = """\
Layering
========
2 violations under the relaxed policy: 1 upward, 1 bypass, 0 independent.

Upward dependencies (1)
=======================
A lower layer must not depend on a higher one.

- reporting (algorithms) -> storefront (ui)
  chain: admin-console -> reporting -> storefront
  products: backoffice

Bypassed closed layers (1)
==========================
Nothing above a closed layer may reach below it except through it.

- reporting (algorithms) -> servers (hardware), skipping closed layer infrastructure
  chain: admin-console -> reporting -> servers
  products: backoffice

Dependency cycles (1)
=====================
Each line is a strongly connected component: its members all reach each other.

- 2 components: feature-store, page-cache

Feedback edges (1)
==================
Removing these dependencies breaks every cycle (greedy feedback arc set).

- feature-store -> page-cache
"""


def test_hurried_model_reads_well() -> None:
    eco = hurried()
    report = violations(eco)
    found = cycles(eco)
    assert render_text(report.sections() + found.sections()) == HURRIED_TEXT
    assert report.to_dict() == {
        "violations": [
            {
                "kind": "upward",
                "source": "reporting",
                "target": "storefront",
                "chain": ["admin-console", "reporting", "storefront"],
                "products": ["backoffice"],
                "skipped": [],
            },
            {
                "kind": "bypass",
                "source": "reporting",
                "target": "servers",
                "chain": ["admin-console", "reporting", "servers"],
                "products": ["backoffice"],
                "skipped": ["infrastructure"],
            },
        ]
    }
    assert found.to_dict() == {
        "cycles": [["feature-store", "page-cache"]],
        "feedback_edges": [["feature-store", "page-cache"]],
    }
    markdown = render_markdown(report.sections())
    assert "## Upward dependencies (1)\n" in markdown
    assert "- reporting (algorithms) -> storefront (ui)\n" in markdown


def test_strict_hurried_model_also_flags_skipped_open_layers() -> None:
    report = violations(rebuild(hurried(), policy="strict"))
    assert [(v.kind, v.source, v.target, v.skipped) for v in report.violations] == [
        ("upward", "reporting", "storefront", ()),
        ("bypass", "storefront", "page-cache", ("algorithms",)),
        ("bypass", "reporting", "servers", ("infrastructure",)),
    ]
    assert report.sections()[0].lines == (
        "3 violations under the strict policy: 1 upward, 2 bypass, 0 independent.",
    )


def test_long_lists_are_capped() -> None:
    n = 30
    components = [
        lm.Component(id=f"deep{i:02d}", layer="infrastructure", depends_on=[f"deep{i + 1:02d}"])
        for i in range(11)
    ]
    components += [lm.Component(id="deep11", layer="infrastructure", depends_on=["deep12"])]
    components += [
        lm.Component(id=f"ui{i:02d}", layer="ui", depends_on=["deep00"]) for i in range(n)
    ]
    components += [
        lm.Component(id="deep12", layer="hardware", depends_on=[f"ui{i:02d}" for i in range(n)])
    ]
    eco = lm.Ecosystem(
        name="big",
        components=components,
        products=[lm.Product(id=f"p{i:02d}", uses=[f"ui{i:02d}"]) for i in range(n)],
    )
    report = violations(eco)
    assert len(report.violations) == n
    lines = render_text(report.sections(limit=5)).splitlines()
    assert "... 25 more (use --format json for all)" in lines
    assert "  products: p00, p01, p02, p03, p04, p05, p06, p07, p08, p09 and 20 more" in lines
    assert (
        "  chain: ui00 -> deep00 -> deep01 -> (7 more) -> deep09 -> deep10 -> deep11 -> deep12"
        " -> ui00" in lines
    )
    assert len(report.violations[0].chain) == 15  # the report keeps the whole chain


# -- cycles ------------------------------------------------------------------------


@given(models)
def test_cycles_equal_brute_force_and_feedback_edges_break_them(eco: lm.Ecosystem) -> None:
    graph = dependency_graph(eco)
    report = cycles(eco)
    assert set(report.cycles) == brute_sccs(eco)
    assert list(report.cycles) == sorted(report.cycles, key=lambda g: (-len(g), g))
    assert list(report.feedback_edges) == sorted(set(report.feedback_edges))
    assert all(graph.has_edge(u, v) for u, v in report.feedback_edges)
    # Removing the feedback edges leaves a DAG (on a copy: the cached graph stays).
    pruned = nx.DiGraph(graph)
    pruned.remove_edges_from(report.feedback_edges)
    assert nx.is_directed_acyclic_graph(pruned)
    # Only edges inside a cycle are cut, and per group at most half of its edges
    # (the Eades–Lin–Smyth guarantee), plus every self-loop.
    group_of = {u: g for g in report.cycles for u in g}
    for u, v in report.feedback_edges:
        assert group_of.get(u) is not None and group_of.get(u) == group_of.get(v)
    for group in report.cycles:
        inner = [(u, v) for u, v in graph.subgraph(group).edges if u != v]
        cut = [(u, v) for u, v in report.feedback_edges if u in group and u != v]
        assert len(cut) <= len(inner) / 2
    assert {(u, u) for u in graph if graph.has_edge(u, u)} <= set(report.feedback_edges)
    assert json.loads(json.dumps(report.to_dict())) == {
        "cycles": [list(g) for g in report.cycles],
        "feedback_edges": [list(e) for e in report.feedback_edges],
    }
    render_text(report.sections())


@pytest.mark.parametrize("n", [2, 3, 10, 200])
def test_a_ring_needs_one_feedback_edge(n: int) -> None:
    ids = [f"n{i:03d}" for i in range(n)]
    eco = lm.Ecosystem(
        name="ring",
        components=[
            lm.Component(id=c, layer="infrastructure", depends_on=[ids[(i + 1) % n]])
            for i, c in enumerate(ids)
        ],
    )
    report = cycles(eco)
    assert report.cycles == (tuple(ids),)
    assert len(report.feedback_edges) == 1


@given(st.integers(min_value=3, max_value=40), st.integers(min_value=0, max_value=2**32))
def test_feedback_edges_are_few_on_dense_random_graphs(n: int, seed: int) -> None:
    import random

    rng = random.Random(seed)
    ids = [f"n{i:02d}" for i in range(n)]
    deps = {c: sorted(set(rng.sample(ids, k=rng.randint(1, min(n, 6))))) for c in ids}
    eco = lm.Ecosystem(
        name="dense",
        components=[lm.Component(id=c, layer="ui", depends_on=deps[c]) for c in ids],
    )
    graph = dependency_graph(eco)
    report = cycles(eco)
    pruned = nx.DiGraph(graph)
    pruned.remove_edges_from(report.feedback_edges)
    assert nx.is_directed_acyclic_graph(pruned)
    loops = sum(1 for u in graph if graph.has_edge(u, u))
    inside = sum(
        1 for u, v in graph.edges if u != v and any(u in g and v in g for g in report.cycles)
    )
    assert len(report.feedback_edges) - loops <= inside / 2


def test_cycle_sections_cap_members() -> None:
    report = CycleReport(
        cycles=(tuple(f"c{i:02d}" for i in range(12)), ("solo",)),
        feedback_edges=(("c11", "c00"), ("solo", "solo")),
    )
    text = render_text(report.sections(limit=1))
    assert "- 12 components: c00, c01, c02, c03, c04, c05, c06, c07, c08, c09 and 2 more" in text
    assert "... 1 more (use --format json for all)" in text
    assert "(depends on itself)" not in text
    assert "- solo (depends on itself)" in render_text(report.sections())


# -- docs --------------------------------------------------------------------------


def test_docs_example_output_is_current() -> None:
    page = (REPO / "docs" / "analysis-layering.md").read_text(encoding="utf-8")
    code = re.findall(r"```python\n(.*?)```", page, re.S)
    shown = re.findall(r"```text\n(.*?)```", page, re.S)
    assert code and shown
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code[0], "analysis-layering.md", "exec"), {})
    assert out.getvalue() == shown[0]
