"""What-if: removing, replacing, retiring and launching, checked against brute force."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import layermodel as lm
from layermodel.analysis.sections import render_markdown, render_text
from layermodel.analysis.whatif import (
    add_product,
    add_products,
    remove_component,
    replace_component,
    retire_product,
)
from tests.analysis import brute
from tests.strategies import ecosystems


def _references(eco: lm.Ecosystem) -> set[str]:
    """Every component id the model mentions: ids, dependency targets, product uses."""
    found = {c.id for c in eco.components}
    found |= {d.target for c in eco.components for d in c.depends_on}
    found |= {u for p in eco.products for u in p.uses}
    return found


def _feet(eco: lm.Ecosystem) -> dict[str, set[str]]:
    return {p.id: brute.footprint(eco, p) for p in eco.products}


# -- retire a product -------------------------------------------------------------------


@given(ecosystems(), st.data())
def test_retiring_a_product_never_increases_any_reuse_count(
    eco: lm.Ecosystem, data: st.DataObject
) -> None:
    assume(eco.products)
    product = data.draw(st.sampled_from([p.id for p in eco.products]))
    result = retire_product(eco, product)
    before, after = brute.users(eco), brute.users(result.after)
    for cid in before:
        assert len(after[cid]) <= len(before[cid])
    assert all(m.after < m.before for m in result.reuse_moves)
    assert {m.id: (m.before, m.after) for m in result.reuse_moves} == {
        cid: (len(before[cid]), len(after[cid]))
        for cid in before
        if len(before[cid]) != len(after[cid])
    }


@given(ecosystems(), st.data())
def test_retiring_a_product_orphans_exactly_what_only_it_used(
    eco: lm.Ecosystem, data: st.DataObject
) -> None:
    assume(eco.products)
    product = data.draw(st.sampled_from([p.id for p in eco.products]))
    result = retire_product(eco, product)
    before, after = brute.users(eco), brute.users(result.after)
    assert set(result.new_orphans) == {cid for cid in before if before[cid] and not after[cid]}
    assert set(result.new_orphans) == {cid for cid, who in before.items() if who == {product}}
    assert list(result.new_orphans) == sorted(result.new_orphans)
    assert product not in result.after.product_index
    assert result.after.components == eco.components


def test_retiring_maps_orphans_exactly_the_maps_only_components() -> None:
    eco = lm.example()
    result = retire_product(eco, "maps")
    assert result.new_orphans == ("geocoding", "map-view", "routing", "tile-rendering")
    assert result.kind == "retire-product"
    assert result.products_affected == ("maps",)
    moves = {m.id: (m.before, m.after) for m in result.reuse_moves}
    assert moves["distributed-db"] == (3, 2)
    assert moves["map-view"] == (1, 0)
    assert "search-box" not in moves
    assert result.footprint_changes == ()
    text = render_text(result.sections())
    assert "Google Maps" in text
    assert "geocoding, map-view, routing, tile-rendering" in text
    assert eco == lm.example(), "the model before is never changed"


# -- remove a component -----------------------------------------------------------------


@given(ecosystems(), st.data())
def test_removing_a_component_leaves_no_reference_and_never_grows_a_footprint(
    eco: lm.Ecosystem, data: st.DataObject
) -> None:
    assume(eco.components)
    cid = data.draw(st.sampled_from([c.id for c in eco.components]))
    result = remove_component(eco, cid)
    assert cid not in _references(result.after)
    assert len(result.after.components) == len(eco.components) - 1
    feet_before, feet_after = _feet(eco), _feet(result.after)
    for pid, footprint in feet_after.items():
        assert footprint <= feet_before[pid] - {cid}
    assert {c.product: (c.before, c.after) for c in result.footprint_changes} == {
        pid: (len(feet_before[pid]), len(feet_after[pid]))
        for pid in feet_before
        if len(feet_before[pid]) != len(feet_after[pid])
    }
    assert all(c.after < c.before for c in result.footprint_changes)
    assert set(result.products_affected) == {p for p, f in feet_before.items() if cid in f}


@given(ecosystems(), st.data())
def test_removing_a_component_reports_its_blast_radius_in_the_model_before(
    eco: lm.Ecosystem, data: st.DataObject
) -> None:
    assume(eco.components)
    cid = data.draw(st.sampled_from([c.id for c in eco.components]))
    result = remove_component(eco, cid)
    assert result.blast_radius is not None
    assert set(result.blast_radius.components) == brute.blast_components(eco)[cid]
    assert set(result.blast_radius.products) == brute.users(eco, required_only=True)[cid]
    before, after = brute.users(eco), brute.users(result.after)
    assert set(result.new_orphans) == {c for c in after if before[c] and not after[c]}


def test_removing_mapreduce_from_the_example() -> None:
    eco = lm.example()
    result = remove_component(eco, "mapreduce")
    assert result.blast_radius is not None
    assert result.blast_radius.products == ("maps", "search")  # docs needs it softly
    assert "tile-rendering" in result.blast_radius.components
    assert "spell-check" not in result.blast_radius.components
    assert {c.product: c.change for c in result.footprint_changes} == {
        "docs": -1,
        "maps": -1,
        "search": -1,
    }
    assert result.products_affected == ("docs", "maps", "search")
    assert "mapreduce" not in _references(result.after)
    assert result.after.component("geocoding").targets == ("distributed-db",)


def test_unknown_ids_are_key_errors_with_a_suggestion() -> None:
    eco = lm.example()
    with pytest.raises(KeyError, match="mapreduce"):
        remove_component(eco, "mapreduc")
    with pytest.raises(KeyError, match="maps"):
        retire_product(eco, "map")
    with pytest.raises(KeyError):
        replace_component(eco, "mapreduce", "nope")


# -- replace a component ----------------------------------------------------------------


@given(ecosystems(), st.data())
def test_replacing_redirects_every_use_and_the_replacement_gains_its_users(
    eco: lm.Ecosystem, data: st.DataObject
) -> None:
    assume(len(eco.components) >= 2)
    old, new = data.draw(
        st.lists(
            st.sampled_from([c.id for c in eco.components]), min_size=2, max_size=2, unique=True
        )
    )
    result = replace_component(eco, old, new)
    assert old not in _references(result.after)
    for c in eco.components:
        if c.id != old and old in c.targets and c.id != new:
            assert new in result.after.component(c.id).targets
    for p in eco.products:
        if old in p.uses:
            assert new in result.after.product(p.id).uses
    before, after = brute.users(eco), brute.users(result.after)
    assert after[new] >= before[old] | before[new]
    assert set(result.products_affected) == before[old]
    assert {m.id: (m.before, m.after) for m in result.reuse_moves} == {
        cid: (len(before[cid]), len(after[cid]))
        for cid in after
        if len(before[cid]) != len(after[cid])
    }


def test_replacing_keeps_attributes_and_drops_duplicates() -> None:
    eco = lm.Ecosystem(
        name="t",
        components=[
            lm.Component(id="app", layer="ui", depends_on=["old-db", "new-db"]),
            lm.Component(
                id="job",
                layer="algorithms",
                depends_on=[lm.Dependency(target="old-db", kind="reads", required=False)],
            ),
            lm.Component(id="old-db", layer="infrastructure", depends_on=["disk"]),
            lm.Component(id="new-db", layer="infrastructure", depends_on=["old-db"]),
            lm.Component(id="disk", layer="hardware"),
        ],
        products=[
            lm.Product(id="shop", uses=["app", "old-db"]),
            lm.Product(id="batch", uses=["job"]),
        ],
    )
    result = replace_component(eco, "old-db", "new-db")
    after = result.after
    assert after.component("app").targets == ("new-db",)
    assert after.component("job").depends_on == (
        lm.Dependency(target="new-db", kind="reads", required=False),
    )
    assert after.component("new-db").targets == ()
    assert after.product("shop").uses == ("app", "new-db")
    assert result.new_orphans == ("disk",)
    assert {m.id: (m.before, m.after) for m in result.reuse_moves} == {
        "new-db": (1, 2),
        "disk": (2, 0),
    }
    assert result.reuse_moves[0].id == "disk", "largest move first"
    with pytest.raises(ValueError, match="itself"):
        replace_component(eco, "disk", "disk")


# -- launch plans -----------------------------------------------------------------------


@st.composite
def launches(draw: st.DrawFn) -> tuple[lm.Ecosystem, lm.Ecosystem]:
    """(before, after): ``after`` is a random model; ``before`` lacks some components
    (with everything that depends on them) and every product that used them."""
    after = draw(ecosystems(max_components=12, max_products=5))
    ids = [c.id for c in after.components]
    dropped = set(draw(st.lists(st.sampled_from(ids), max_size=3))) if ids else set()
    graph = brute.graph(after)
    for cid in list(dropped):
        dropped |= nx.ancestors(graph, cid)
    retired = {p.id for p in after.products if dropped & set(p.uses)}
    if after.products and draw(st.booleans()):
        retired.add(draw(st.sampled_from([p.id for p in after.products])))
    before = lm.Ecosystem(
        name=after.name,
        layers=after.layers,
        components=[c for c in after.components if c.id not in dropped],
        products=[p for p in after.products if p.id not in retired],
    )
    return before, after


@given(launches())
def test_launch_plan_splits_the_footprint_into_reused_and_to_build(
    pair: tuple[lm.Ecosystem, lm.Ecosystem],
) -> None:
    before, after = pair
    plan = add_products(before, after)
    new = [p.id for p in after.products if p.id not in before.product_index]
    assert [p.id for p in plan.products] == new
    feet = _feet(after)
    old_feet = {pid: f for pid, f in feet.items() if pid in before.product_index}
    for launch in plan.products:
        footprint = feet[launch.id]
        assert set(launch.footprint) == footprint
        assert set(launch.reused) | set(launch.to_build) == footprint
        assert not set(launch.reused) & set(launch.to_build)
        assert set(launch.reused) == {c for c in footprint if c in before.component_index}
        assert launch.reuse_percent == pytest.approx(
            100 * len(launch.reused) / len(footprint) if footprint else 0.0
        )
        layer_order = [layer.id for layer in after.layers]
        for grouped in (launch.reused_by_layer, launch.to_build_by_layer):
            assert [lid for lid, _ in grouped] == [
                lid for lid in layer_order if lid in dict(grouped)
            ]
            for lid, ids in grouped:
                assert list(ids) == sorted(ids)
                assert all(after.component(c).layer == lid for c in ids)
        shared = sorted(
            (len(footprint & f) for f in old_feet.values() if footprint & f), reverse=True
        )
        assert [n for _, n in launch.shares_most_with] == shared[:3]
        for pid, n in launch.shares_most_with:
            assert len(footprint & old_feet[pid]) == n
    assert set(plan.new_components) == {c.id for c in after.components} - {
        c.id for c in before.components
    }
    json.dumps(plan.to_dict())


def _photos() -> tuple[lm.Product, list[lm.Component]]:
    product = lm.Product(id="photos", name="Google Photos", uses=["photos-app"], weight=4)
    components = [
        lm.Component(id="photos-app", layer="ui", depends_on=["photo-ai", "api-gateway"]),
        lm.Component(id="photo-ai", layer="algorithms", depends_on=["distributed-db", "mapreduce"]),
    ]
    return product, components


def test_launching_photos_reuses_the_shared_infrastructure_and_hardware() -> None:
    eco = lm.example()
    product, components = _photos()
    plan = add_product(eco, product, components)
    (photos,) = plan.products
    assert photos.reused_by_layer == (
        ("infrastructure", ("api-gateway", "distributed-db", "mapreduce")),
        ("hardware", ("data-centres", "vms")),
    )
    assert photos.to_build_by_layer == (("ui", ("photos-app",)), ("algorithms", ("photo-ai",)))
    assert photos.reuse_percent == pytest.approx(500 / 7)
    assert photos.summary() == (
        "Google Photos: reuses 5 of 7 components (71%); "
        "build 2: photos-app (ui), photo-ai (algorithms)"
    )
    # Every existing product runs on all five reused components.
    assert photos.shares_most_with == (("search", 5), ("docs", 5), ("maps", 5))
    assert plan.new_components == ("photo-ai", "photos-app")
    text = render_text(plan.sections())
    assert "Launch plan: Google Photos" in text
    assert "Shares most with: Google Search (5 components)" in text
    assert "| Infrastructure | api-gateway, distributed-db, mapreduce | - |" in render_markdown(
        plan.sections()
    )
    assert eco == lm.example()


def test_a_launch_shares_most_with_the_product_it_builds_on() -> None:
    eco = lm.example()
    plan = add_product(
        eco,
        lm.Product(id="earth", name="Google Earth", uses=["earth-ui", "map-view"]),
        [lm.Component(id="earth-ui", layer="ui", depends_on=["api-gateway"])],
    )
    (earth,) = plan.products
    assert earth.shares_most_with == (("maps", 9), ("search", 5), ("docs", 5))
    assert (
        earth.summary() == "Google Earth: reuses 9 of 10 components (90%); build 1: earth-ui (ui)"
    )


def test_launching_from_a_file_fragment(tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(lm.example_text(), encoding="utf-8")
    fragment = tmp_path / "photos.yaml"
    fragment.write_text(
        """\
components:
  - {id: photos-app, layer: ui, depends_on: [photo-ai, api-gateway]}
  - {id: photo-ai, layer: algorithms, depends_on: [distributed-db, mapreduce]}
products:
  - {id: photos, name: Google Photos, uses: [photos-app]}
""",
        encoding="utf-8",
    )
    plan = add_products(lm.load(model), lm.load(model, fragment))
    assert [p.id for p in plan.products] == ["photos"]
    assert plan.products[0].to_build == ("photos-app", "photo-ai")


def test_launch_plan_edge_cases() -> None:
    eco = lm.example()
    empty = add_products(eco, eco)
    assert empty.products == ()
    assert render_text(empty.sections()).startswith("Launch plan")
    # An existing product can be planned on request: it reuses everything.
    (search,) = add_products(eco, eco, ["search"]).products
    assert search.to_build == ()
    assert search.reuse_percent == 100
    assert search.summary().endswith("nothing to build")
    with pytest.raises(KeyError):
        add_products(eco, eco, ["nope"])
    product, _ = _photos()
    with pytest.raises(lm.ModelError):
        add_product(eco, product)  # photos-app does not exist
    with pytest.raises(lm.ModelError):
        add_product(eco, lm.Product(id="search", uses=["logo"]))


def test_results_render_and_serialise() -> None:
    eco = lm.example()
    for result in (
        remove_component(eco, "distributed-db"),
        replace_component(eco, "collaboration", "routing"),
        retire_product(eco, "search"),
    ):
        data = result.to_dict()
        json.dumps(data)
        assert data["kind"] == result.kind
        text = render_text(result.sections())
        assert text.startswith(f"What if: {result.description}")
        render_markdown(result.sections())


def test_the_example_output_in_the_docs_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "analysis-whatif.md").read_text(
        encoding="utf-8"
    )
    printed = []
    for block in re.findall(r"```python\n(.*?)```", page, re.S):
        exec(compile(block, "analysis-whatif.md", "exec"), {})
        out = capsys.readouterr().out
        if out:
            printed.append(out.removesuffix("\n"))
    assert printed == re.findall(r"prints\n\n```text\n(.*?)```", page, re.S)


# -- money and availability --------------------------------------------------------------


def _cost(eco: lm.Ecosystem, ids: Iterable[str]) -> float:
    return sum(eco.component(cid).cost or 0.0 for cid in ids)


@given(ecosystems(), st.data())
def test_retiring_reports_the_orphans_cost_and_frees_nothing(
    eco: lm.Ecosystem, data: st.DataObject
) -> None:
    assume(eco.products)
    product = data.draw(st.sampled_from([p.id for p in eco.products]))
    result = retire_product(eco, product)
    money = result.money
    assert [cid for cid, _ in money.orphaned] == sorted(
        result.new_orphans, key=lambda c: (-(eco.component(c).cost or 0), c)
    )
    assert money.orphaned_cost == pytest.approx(_cost(eco, result.new_orphans))
    assert money.freed == () and money.added == ()
    assert money.total_after == pytest.approx(money.total_before)
    figures = {p.product: p for p in money.products}
    assert figures[product].cost_after is None and figures[product].availability_after is None
    assert figures.keys() == {p.id for p in eco.products}
    data_ = result.to_dict()["money"]
    assert data_["orphaned"] == pytest.approx(money.orphaned_cost)
    assert {row["component"] for row in data_["orphaned_components"]} == set(result.new_orphans)


@given(ecosystems(), st.data())
def test_removing_frees_the_components_cost_and_reports_the_orphans(
    eco: lm.Ecosystem, data: st.DataObject
) -> None:
    assume(eco.components)
    cid = data.draw(st.sampled_from([c.id for c in eco.components]))
    result = remove_component(eco, cid)
    money = result.money
    assert [c for c, _ in money.freed] == [cid]
    assert money.freed_cost == pytest.approx(eco.component(cid).cost or 0.0)
    assert money.orphaned_cost == pytest.approx(_cost(eco, result.new_orphans))
    assert money.total_before - money.total_after == pytest.approx(money.freed_cost, abs=1e-6)
    # every product's figures are those of the cost and availability analyses
    from layermodel.analysis import allocate_costs, availability

    costs, up = allocate_costs(result.after).products, availability(result.after).products
    for row in money.products:
        assert row.cost_after == pytest.approx(costs[row.product].total)
        assert row.availability_after == pytest.approx(up[row.product].availability)


@given(ecosystems(), st.data())
def test_replacing_frees_the_old_components_cost(eco: lm.Ecosystem, data: st.DataObject) -> None:
    assume(len(eco.components) >= 2)
    old, new = data.draw(
        st.lists(
            st.sampled_from([c.id for c in eco.components]), min_size=2, max_size=2, unique=True
        )
    )
    result = replace_component(eco, old, new)
    assert result.money.freed_cost == pytest.approx(eco.component(old).cost or 0.0)
    assert result.money.orphaned_cost == pytest.approx(_cost(eco, result.new_orphans))
    assert "Freed:" in render_text(result.sections()) or not result.money.freed_cost


def test_launch_plan_carries_cost_reuse_share_and_availability_against_target() -> None:
    eco = lm.example()
    photos = lm.Product(
        id="photos", name="Google Photos", uses=["photos-app"], availability_target=0.9999
    )
    app = lm.Component(
        id="photos-app", layer="ui", depends_on=["api-gateway"], cost=2_000, availability=0.999
    )
    plan = add_product(eco, photos, [app])
    (launch,) = plan.products
    from layermodel.analysis import allocate_costs, availability

    after = allocate_costs(plan.after).products["photos"]
    assert launch.running_cost == pytest.approx(after.total)
    assert launch.running_cost - launch.reused_cost == pytest.approx(2_000)  # only its own app
    assert launch.build_costs == (("photos-app", 2_000),)
    assert launch.availability == pytest.approx(
        availability(plan.after).products["photos"].availability
    )
    assert launch.meets_target is False
    assert plan.money is not None and plan.money.added_cost == 2_000
    text = render_text(plan.sections())
    assert "misses its target of 99.9900%" in text and "photos-app (2,000)" in text
    data = plan.to_dict()["products"]["photos"]
    assert data["build_cost"] == 2_000 and data["meets_target"] is False
    assert 0 < data["reused_cost_share"] < 1
    # the other products now share the gateway and the hardware with photos: they pay less
    rows = {r.product: r for r in plan.money.products}
    assert all(r.cost_after < r.cost_before for pid, r in rows.items() if pid != "photos")
