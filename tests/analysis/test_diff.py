"""Diff of two models: id-level changes against brute force, field changes, moves."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import layermodel as lm
from layermodel.analysis.diff import diff
from layermodel.analysis.sections import render_markdown, render_text
from layermodel.analysis.whatif import remove_component, retire_product
from tests.analysis import brute
from tests.strategies import ecosystems


def _edges(eco: lm.Ecosystem) -> set[tuple[str, str]]:
    return {(c.id, d.target) for c in eco.components for d in c.depends_on}


def _with(eco: lm.Ecosystem, **fields: object) -> lm.Ecosystem:
    data = {name: getattr(eco, name) for name in lm.Ecosystem.model_fields}
    data.update(fields)
    return lm.Ecosystem(**data)


def _replace(eco: lm.Ecosystem, component: lm.Component) -> lm.Ecosystem:
    return _with(
        eco,
        components=[component if c.id == component.id else c for c in eco.components],
    )


@given(ecosystems())
def test_a_model_does_not_differ_from_itself(eco: lm.Ecosystem) -> None:
    result = diff(eco, eco)
    assert result.is_empty
    assert result.violations_introduced == ()
    assert result.availability_moves == ()
    assert render_text(result.sections()).endswith("No differences.\n")
    json.dumps(result.to_dict())


@given(ecosystems())
def test_a_model_does_not_differ_from_a_rebuilt_copy(eco: lm.Ecosystem) -> None:
    copy = lm.loads(lm.dumps(eco, format="json"), format="json")
    assert diff(eco, copy).is_empty


@given(ecosystems(), ecosystems())
def test_diff_lists_exactly_the_ids_and_edges_added_and_removed(
    a: lm.Ecosystem, b: lm.Ecosystem
) -> None:
    result = diff(a, b)
    for kind in ("components", "products", "layers"):
        old = {x.id for x in getattr(a, kind)}
        new = {x.id for x in getattr(b, kind)}
        assert getattr(result, f"{kind}_added") == tuple(sorted(new - old))
        assert getattr(result, f"{kind}_removed") == tuple(sorted(old - new))
        changed = [e.id for e in getattr(result, f"{kind}_changed")]
        assert set(changed) <= old & new
    assert result.dependencies_added == tuple(sorted(_edges(b) - _edges(a)))
    assert result.dependencies_removed == tuple(sorted(_edges(a) - _edges(b)))
    assert {(d.source, d.target) for d in result.dependencies_changed} <= _edges(a) & _edges(b)
    before, after = brute.users(a), brute.users(b)
    assert {m.id: (m.before, m.after) for m in result.reuse_moves} == {
        cid: (len(before[cid]), len(after[cid]))
        for cid in before.keys() & after.keys()
        if len(before[cid]) != len(after[cid])
    }
    sizes = [abs(m.change) for m in result.reuse_moves]
    assert sizes == sorted(sizes, reverse=True)
    json.dumps(result.to_dict())
    render_text(result.sections())
    render_markdown(result.sections())


@given(ecosystems(), st.data())
def test_diff_against_a_what_if_lists_the_removed_component(
    eco: lm.Ecosystem, data: st.DataObject
) -> None:
    assume(eco.components)
    cid = data.draw(st.sampled_from([c.id for c in eco.components]))
    result = diff(eco, remove_component(eco, cid).after)
    assert result.components_removed == (cid,)
    assert result.components_added == ()
    assert {e for e in result.dependencies_removed if cid in e} == {
        e for e in _edges(eco) if cid in e
    }
    assert result.dependencies_added == ()
    assert {e.id for e in result.components_changed} == set(eco.dependents(cid)) - {cid}


def test_field_changes_carry_old_and_new_values() -> None:
    eco = lm.example()
    ranking = eco.component("ranking")
    changed = ranking.model_copy(
        update={
            "owner": "ranking-team",
            "cost": 95000.0,
            "depends_on": (
                *ranking.depends_on[:2],
                lm.Dependency(target="crawling", kind="reads-index", required=True),
            ),
        }
    )
    result = diff(eco, _replace(eco, changed))
    (entry,) = result.components_changed
    assert entry.id == "ranking"
    fields = {c.field: (c.old, c.new) for c in entry.changes}
    assert fields["owner"] == ("search-quality", "ranking-team")
    assert fields["cost"] == (90000, 95000)
    old_dep, new_dep = fields["depends_on.crawling"]
    assert old_dep["required"] is False
    assert new_dep == {"kind": "reads-index", "required": True, "description": None}
    (edge,) = result.dependencies_changed
    assert (edge.source, edge.target) == ("ranking", "crawling")
    assert {c.field: (c.old, c.new) for c in edge.changes} == {
        "required": (False, True),
        "description": ("Ranking serves from the last index when crawling stops", None),
    }
    assert result.dependencies_added == result.dependencies_removed == ()
    data = result.to_dict()
    assert data["components"]["changed"]["ranking"]["owner"] == {
        "old": "search-quality",
        "new": "ranking-team",
    }
    text = render_text(result.sections())
    assert "ranking-team" in text
    assert "Dependencies: 0 added, 0 removed, 1 changed" in text


def test_listing_order_of_dependencies_and_uses_is_not_a_change() -> None:
    eco = lm.example()
    ranking = eco.component("ranking")
    reordered = _replace(
        eco, ranking.model_copy(update={"depends_on": tuple(reversed(ranking.depends_on))})
    )
    search = eco.product("search")
    reordered = _with(
        reordered,
        products=[
            search.model_copy(update={"uses": tuple(reversed(search.uses))}),
            *(p for p in eco.products if p.id != "search"),
        ],
    )
    assert diff(eco, reordered).is_empty


def test_layer_policy_and_name_changes() -> None:
    eco = lm.example()
    layers = list(eco.layers)
    layers[1], layers[2] = layers[2], layers[1]
    layers[0] = layers[0].model_copy(update={"closed": True})
    layers.append(lm.Layer(id="edge", name="Edge"))
    other = _with(eco, layers=layers, policy="strict", name="Alphabet")
    result = diff(eco, other, violations=False, availability=False)
    assert result.layers_added == ("edge",)
    assert result.layers_removed == ()
    assert [
        (e.id, [(c.field, c.old, c.new) for c in e.changes]) for e in result.layers_changed
    ] == [("ui", [("closed", False, True)])]
    assert result.layer_order is not None
    assert result.layer_order[1] == ("ui", "infrastructure", "algorithms", "hardware", "edge")
    assert {c.field: (c.old, c.new) for c in result.model_changes} == {
        "name": ("Google", "Alphabet"),
        "policy": ("relaxed", "strict"),
    }
    assert result.violations_introduced is None
    assert result.availability_moves is None
    assert result.to_dict()["violations"] is None
    text = render_text(result.sections())
    assert "Diff: Google -> Alphabet" in text
    assert "after:  ui > infrastructure > algorithms > hardware > edge" in text
    # Adding a layer at the end keeps the relative order: no order change.
    appended = _with(eco, layers=[*eco.layers, lm.Layer(id="edge")])
    assert diff(eco, appended).layer_order is None


def test_product_changes() -> None:
    eco = lm.example()
    docs = eco.product("docs").model_copy(update={"uses": ("docs-editor", "logo"), "weight": 4.0})
    result = diff(eco, _with(eco, products=[docs if p.id == "docs" else p for p in eco.products]))
    (entry,) = result.products_changed
    assert {c.field: (c.old, c.new) for c in entry.changes} == {
        "uses": (["docs-editor"], ["docs-editor", "logo"]),
        "weight": (3, 4),
    }
    assert [(m.id, m.before, m.after) for m in result.reuse_moves] == [("logo", 1, 2)]


def test_retiring_a_product_shows_as_reuse_moves() -> None:
    eco = lm.example()
    result = diff(eco, retire_product(eco, "maps").after)
    assert result.products_removed == ("maps",)
    assert ("map-view", 1, 0) in [(m.id, m.before, m.after) for m in result.reuse_moves]


def test_violations_introduced_and_resolved() -> None:
    eco = lm.example()
    vms = eco.component("vms")
    upward = _replace(
        eco, vms.model_copy(update={"depends_on": (*vms.depends_on, lm.Dependency(target="logo"))})
    )
    forward = diff(eco, upward)
    keys = [(v.kind, v.source, v.target) for v in forward.violations_introduced or ()]
    assert ("upward", "vms", "logo") in keys
    assert forward.violations_resolved == ()
    backward = diff(upward, eco)
    assert [(v.kind, v.source, v.target) for v in backward.violations_resolved or ()] == keys
    assert backward.violations_introduced == ()
    data = forward.to_dict()["violations"]
    assert data["introduced"][0]["source"] == "vms"
    assert "Layering violations: " in render_text(forward.sections())


def test_availability_moves_per_product() -> None:
    eco = lm.example()
    db = eco.component("distributed-db").model_copy(update={"availability": 0.99})
    result = diff(eco, _replace(eco, db))
    moves = {m.product: (m.before, m.after) for m in result.availability_moves or ()}
    assert set(moves) == {"search", "docs", "maps"}
    for before, after in moves.values():
        assert after == pytest.approx(before * 0.99 / 0.9999)
    assert "Availability moves" in render_text(result.sections())
