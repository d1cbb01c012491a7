"""Platform opportunities: duplicates found without tags, shares, moves, and their gains."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

import layermodel as lm
from layermodel.analysis import advise, replace_component, reuse, violations
from layermodel.analysis import users as lm_users
from layermodel.analysis.advice import merge_candidates
from layermodel.analysis.sections import render_markdown, render_text
from tests.strategies import random_portfolio

_SYLLABLES = ["qua", "bre", "xil", "morn", "fja", "dru", "veth", "plo", "skan", "tor"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))


def _planted(seed: int) -> tuple[lm.Ecosystem, str, str]:
    """A random portfolio with two untagged near-duplicates planted in one layer, each
    used by a different product: the same two words in their names (in another order,
    one abbreviated), descriptions with the same words around, the same technology.
    Returns the model and the two ids."""
    rng = random.Random(seed)
    base = random_portfolio(seed, components=rng.randint(30, 60), products=rng.randint(2, 6))
    first, second = _word(rng), _word(rng)
    layer = rng.choice(["infrastructure", "algorithms"])
    technology = rng.choice(["postgres", "kafka", "redis", "elasticsearch", "spark"])
    what = rng.choice(["records", "events", "documents", "profiles"])
    a = lm.Component(
        id=f"{first}-{second}-store",
        name=f"{first.title()} {second.title()} store",
        layer=layer,
        description=f"Keeps the {first} {second} {what} of customers, with their history",
        cost=float(rng.randrange(10_000, 90_000, 500)),
        properties={"technology": technology},
    )
    b = lm.Component(
        id=f"{second}{first.title()}DB",
        name=f"{second.title()} {first.title()} database",
        layer=layer,
        description=f"History and {what} of {second} {first} per customer",
        cost=float(rng.randrange(10_000, 90_000, 500)),
        properties={"technology": technology.title()},
    )
    # Each is used by the UI of a different product.
    p, q = rng.sample(list(base.products), 2)
    wire = {p.uses[0]: a.id, q.uses[0]: b.id}
    components = [
        c.model_copy(update={"depends_on": (*c.depends_on, lm.Dependency(target=wire[c.id]))})
        if c.id in wire
        else c
        for c in base.components
    ]
    eco = lm.Ecosystem(name=base.name, components=(*components, a, b), products=base.products)
    return eco, a.id, b.id


@pytest.mark.parametrize("seed", range(6))
def test_two_untagged_near_duplicates_rank_first_with_the_cost_they_save(seed: int) -> None:
    eco, a, b = _planted(seed)
    assert not any(c.tags for c in eco.components)  # found without tags
    advice = advise(eco)
    top = advice.opportunities[0]
    assert top.kind == "merge" and set(top.components) == {a, b}
    gone, kept = top.components
    assert top.gain.monthly_saved == pytest.approx(
        replace_component(eco, gone, kept).money.freed_cost
        + replace_component(eco, gone, kept).money.orphaned_cost
    )
    assert top.gain.monthly_saved >= eco.component(gone).cost  # the one merged away
    assert top.confidence == "high"
    evidence = " ".join(top.evidence)
    assert "names share" in evidence and "same technology" in evidence
    assert "serve different products" in evidence
    text = render_text(advice.sections())
    first_row = next(line for line in text.splitlines() if line.startswith("  1  "))
    assert first_row.startswith(f"  1  Merge {gone} (")
    data = advice.to_dict()["opportunities"][0]
    assert data["gain"]["monthly_cost_saved"] == pytest.approx(top.gain.monthly_saved)


def test_the_merge_keeps_the_component_more_products_use() -> None:
    eco, a, b = _planted(7)
    top = advise(eco).opportunities[0]
    assert set(top.components) == {a, b}
    users = lm_users(eco)
    gone, kept = top.components
    assert len(users[kept]) >= len(users[gone])
    # the gain is read from the model after the merge
    after = replace_component(eco, gone, kept).after
    moved = {pid: level for pid, _, level in top.gain.reuse_levels}
    for pid, level in moved.items():
        assert reuse(after).products[pid].reuse_level == pytest.approx(level)
    assert top.gain.blast is not None and top.gain.blast[0] == kept
    assert top.gain.blast[2] >= top.gain.blast[1]  # more products now fail with it


def test_blocking_keeps_the_comparisons_near_linear() -> None:
    eco = random_portfolio(5, components=3_000, products=12, words=3)
    pairs = merge_candidates(eco)
    advice = advise(eco, limit=3)
    n = len(eco.components)
    assert advice.pairs_compared < 40 * n  # all pairs would be about n * n / 8 per layer
    assert len(advice.opportunities) <= 3 * 4
    assert all(score >= 0.3 for _, _, score in pairs)


def test_components_alike_but_used_by_the_same_products_are_not_duplicates() -> None:
    b = lm.Builder("One product")
    x = b.component("orders-db", layer="infrastructure", description="customer orders store")
    y = b.component(
        "order-database", layer="infrastructure", description="store of customer orders"
    )
    b.product("shop", uses=[b.component("web", layer="ui", depends_on=[x, y])])
    assert not [o for o in advise(b.build()).opportunities if o.kind == "merge"]


def test_google_offers_the_search_only_pipelines_to_the_others() -> None:
    advice = advise(lm.example())
    shares = {o.components[0]: o for o in advice.opportunities if o.kind == "share"}
    assert set(shares) == {"ml-pipeline", "data-pipeline"}
    ml = shares["ml-pipeline"]
    assert ml.products == ("docs", "maps", "search")
    assert "only search uses it" in ml.evidence[0]
    assert ml.gain.monthly_saved == 0 and ml.gain.components_saved == 0
    assert ml.gain.blast == ("ml-pipeline", 1, 3, pytest.approx(10 / 18), 1.0)
    levels = {pid: (before, after) for pid, before, after in ml.gain.reuse_levels}
    assert levels["search"][1] > levels["search"][0]  # more of Search is now shared
    # the established platforms are named as such, not as advice
    assert "distributed-db" in advice.established_platforms
    assert all("distributed-db" not in o.components for o in advice.opportunities)


def test_a_component_lower_layers_depend_on_moves_down_and_mends_the_violation() -> None:
    b = lm.Builder("Upside down")
    flags = b.component("feature-flags", layer="algorithms")
    db = b.component("db", layer="infrastructure", depends_on=[flags])
    b.product("a", uses=[b.component("web", layer="ui", depends_on=[db])])
    b.product("b", uses=[b.component("app", layer="ui", depends_on=[db])])
    eco = b.build()
    assert violations(eco).violations
    (move,) = [o for o in advise(eco).opportunities if o.kind == "move-down"]
    assert move.components == ("feature-flags",)
    assert move.action == "Move feature-flags from algorithms down to infrastructure"
    assert move.gain.violations == (1, 0) and move.confidence == "high"
    assert "mends 1 layering violation" in move.evidence


def test_markdown_and_json(tmp_path: Path) -> None:
    eco, a, _ = _planted(2)
    advice = advise(eco)
    assert a in advice.opportunities[0].components
    md = render_markdown(advice.sections())
    assert md.startswith("## Platform opportunities\n")
    assert "| # | what to do | saves a month |" in md
    json.dumps(advice.to_dict())


def test_advise_command_and_the_analyze_section(tmp_path: Path) -> None:
    eco, a, b = _planted(4)
    model = tmp_path / "model.yaml"
    lm.save(eco, model)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "layermodel", *args], capture_output=True, text=True, timeout=120
        )

    out = run("advise", str(model), "--format", "json")
    assert out.returncode == 0, out.stderr
    top = json.loads(out.stdout)["opportunities"][0]
    assert top["kind"] == "merge" and set(top["components"]) == {a, b}
    text = run("advise", str(model)).stdout
    assert "Platform opportunities" in text and "Merge " in text
    report = json.loads(run("analyze", str(model), "--format", "json").stdout)
    assert report["advice"]["opportunities"][0]["components"] == top["components"]
    skipped = json.loads(run("analyze", str(model), "--format", "json", "--no-advice").stdout)
    assert skipped["advice"] is None
    assert "## Platform opportunities" in run("analyze", str(model), "--format", "markdown").stdout


def test_kind_words_tags_and_entry_points_alone_are_no_duplicates() -> None:
    b = lm.Builder("Providers")
    push = b.component("push-gateway", layer="infrastructure", tags=["provider"])
    pay = b.component("payment-gateway", layer="infrastructure", tags=["provider"])
    rider = b.component("rider-app", layer="ui", depends_on=[push], description="ride app")
    driver = b.component("driver-app", layer="ui", depends_on=[pay], description="ride app")
    b.product("rider", uses=[rider])
    b.product("driver", uses=[driver])
    # 'gateway' says what kind of thing they are, the tag only adds to a sign of
    # identity, and each app is its product's own entry point
    assert merge_candidates(b.build()) == []
