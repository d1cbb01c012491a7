"""The portfolio site, read back from its files: every kind of page is written, every
relative link resolves, every model string is escaped, the figures are the analyses',
and a failed or refused build leaves what was there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import layermodel as lm
from layermodel.analysis import add_products, blast_radius
from layermodel.cli import main
from layermodel.site import MARKER, SiteError, build_site, read_drift, read_history, slug
from layermodel.site.names import Pages
from tests.browser.models import hostile
from tests.conftest import EXAMPLES
from tests.site.crawl import broken_links, references
from tests.site.models import grouped

EXAMPLE_MODELS = sorted(EXAMPLES.glob("*/model*.yaml"))


def _texts(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): p.read_text(encoding="utf-8")
        for p in site.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize("model", EXAMPLE_MODELS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_has_a_page_for_everything_and_no_broken_link(
    model: Path, tmp_path: Path
) -> None:
    eco = lm.load(model)
    result = build_site(eco, tmp_path / "site", files=[model])
    site = result.path
    assert broken_links(site) == []
    pages = Pages()
    for c in eco.components:
        assert (site / pages.component(c.id)).is_file()
    for p in eco.products:
        assert (site / pages.product(p.id)).is_file()
    for layer in eco.layers:
        assert (site / pages.layer(layer.id)).is_file()
    owners = {c.owner for c in eco.components if c.owner} | {
        p.owner for p in eco.products if p.owner
    }
    for owner in owners:
        assert (site / pages.owner(owner)).is_file()
    for name in ("index", "explore", "matrix", "violations", "checks", "search"):
        assert (site / f"{name}.html").is_file()
    assert (site / MARKER).is_file()
    assert result.pages == len(list(site.rglob("*.html")))


def test_no_page_loads_anything_from_outside_the_site(tmp_path: Path) -> None:
    """Scripts and styles are relative files; the only absolute URLs are a model's
    own links, as anchors; the policy forbids every other source."""
    site = build_site(lm.load(EXAMPLES / "google" / "model.yaml"), tmp_path / "s").path
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "default-src &#x27;none&#x27;" in text
        for tag, ref in references(page):
            if tag in ("script", "link"):
                assert "://" not in ref and not ref.startswith("/"), (page, ref)


def test_group_pages_for_each_path_and_its_parents(tmp_path: Path) -> None:
    eco = grouped(300)
    site = build_site(eco, tmp_path / "s").path
    pages = Pages()
    paths = {c.group for c in eco.components if c.group}
    every = {"/".join(g.split("/")[: i + 1]) for g in paths for i in range(g.count("/") + 1)}
    assert "Payments" in every and "Payments/Team 0/Core" in every
    for path in every:
        assert (site / pages.group(path)).is_file(), path
    payments = (site / pages.group("Payments")).read_text(encoding="utf-8")
    members = sum(1 for c in eco.components if c.group and c.group.startswith("Payments/"))
    assert f"{members:,} (0 directly in it)" in payments
    assert broken_links(site) == []


def test_a_large_portfolio_gets_the_layer_rollup_not_one_huge_svg(tmp_path: Path) -> None:
    eco = grouped(400)
    result = build_site(eco, tmp_path / "s")
    assert result.picture == "rollup"
    home = (result.path / "index.html").read_text(encoding="utf-8")
    assert '<svg class="rollup"' in home
    assert home.count("<svg") == 1
    for layer in eco.layers:
        assert f"{len(eco.components_in(layer.id)):,} components" in home


def test_small_portfolio_home_shows_the_renderers_ecosystem_view(tmp_path: Path) -> None:
    pytest.importorskip("layermodel.diagrams")
    from layermodel.diagrams import GraphvizMissing, dot_program

    try:
        dot_program()
    except GraphvizMissing:
        pytest.skip("Graphviz is not installed")
    result = build_site(lm.example(), tmp_path / "s")
    assert result.picture == "ecosystem"
    home = (result.path / "index.html").read_text(encoding="utf-8")
    assert "<?xml" not in home and "<!DOCTYPE svg" not in home
    assert "Distributed databases" in home


def test_component_page_figures_are_the_analyses(tmp_path: Path) -> None:
    eco = lm.example()
    site = build_site(eco, tmp_path / "s").path
    page = (site / "components" / "distributed-db.html").read_text(encoding="utf-8")
    radius = blast_radius(eco, "distributed-db")
    assert (
        f"{len(radius.products):,} products (100% of product weight) and "
        f"{len(radius.components):,} components fail with it"
    ) in page
    for cid in radius.components:
        assert f'href="../components/{cid}.html"' in page
    assert "used by 3 of 3 products (core)" in page


def test_launch_figures_are_add_products_against_the_rest_of_the_portfolio(
    tmp_path: Path,
) -> None:
    """A product's launch figures are those of launching it last: add_products against
    the model without it and without the components only it uses."""
    from layermodel.analysis import users

    eco = lm.load(EXAMPLES / "messaging" / "model.yaml")
    site = build_site(eco, tmp_path / "s").path
    used_by = users(eco)
    for product in eco.products:
        only = {cid for cid, who in used_by.items() if set(who) == {product.id}}
        before = lm.Ecosystem(
            name=eco.name,
            layers=eco.layers,
            components=[
                c.model_copy(
                    update={"depends_on": tuple(d for d in c.depends_on if d.target not in only)}
                )
                for c in eco.components
                if c.id not in only
            ],
            products=[p for p in eco.products if p.id != product.id],
        )
        plan = add_products(before, eco, [product.id]).products[0]
        page = (site / Pages().product(product.id)).read_text(encoding="utf-8")
        assert (
            f"would reuse {len(plan.reused):,} of {len(plan.footprint):,} components "
            f"({plan.reuse_percent:.0f}%) that other products already run on, and build "
            f"{len(plan.to_build):,}."
        ) in page


HOSTILE_RAW = ("<script>alert", "<img src=x", "</title></", "</script><script>", "<b>Top")


def test_hostile_names_are_escaped_on_every_page(tmp_path: Path) -> None:
    eco = hostile()
    site = build_site(eco, tmp_path / "s").path
    texts = _texts(site)
    for name, text in texts.items():
        if name.endswith(".html"):
            for raw in HOSTILE_RAW:
                assert raw not in text, (name, raw)
            head = text.split("</head>", 1)[0]
            assert head.count("<title>") == 1 == head.count("</title>"), name
            assert text.count("<script") == text.count("</script>")
    for name in ("search-index.js", "explore-data.js"):
        assert "</script" not in texts[name] and "<" not in texts[name]
    index = json.loads(texts["search-index.js"].split("=", 1)[1].strip().rstrip(";"))
    labels = {entry[1] for entry in index}
    assert any("<script>alert(1)</script>" in label for label in labels)
    assert broken_links(site) == []


def test_file_names_never_collide_or_escape_their_folder() -> None:
    pages = Pages()
    names = ["A", "a", "a.b", "a-b", "A-B", "../x", "con", "index", "Team/a", "Team a", "x" * 200]
    files = [pages.owner(n) for n in names]
    assert len(set(f.lower() for f in files)) == len(files)
    for f in files:
        folder, file = f.split("/")
        assert folder == "owners" and re.fullmatch(r"[a-z0-9-]+\.html", file), f
        assert len(file) < 90
    assert slug("search-box") == "search-box"
    assert pages.owner("A") == pages.owner("A")


def test_refuses_a_non_empty_folder_that_is_not_a_site(tmp_path: Path) -> None:
    target = tmp_path / "docs"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(SiteError, match="not empty"):
        build_site(lm.example(), target)
    assert (target / "keep.txt").read_text() == "mine"
    model = EXAMPLES / "google" / "model.yaml"
    assert main(["site", str(model), "-o", str(target)]) == 2
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]


def test_rebuilds_over_a_previous_site(tmp_path: Path) -> None:
    target = tmp_path / "site"
    build_site(lm.example(), target)
    (target / "stale.html").write_text("old")
    build_site(lm.example(), target)
    assert not (target / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_build_leaves_the_old_site_and_no_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "site"
    build_site(lm.example(), target)
    before = _texts(target)
    from layermodel.site import pages

    def broken(*args: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(pages, "component", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build_site(lm.example(), target)
    assert _texts(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_refuses_a_file_or_a_link(tmp_path: Path) -> None:
    file = tmp_path / "f"
    file.write_text("x")
    with pytest.raises(SiteError, match="is a file"):
        build_site(lm.example(), file)
    link = tmp_path / "l"
    link.symlink_to(tmp_path)
    with pytest.raises(SiteError, match="symbolic link"):
        build_site(lm.example(), link)


# -- history and drift -------------------------------------------------------------------

HISTORY_CSV = (
    "commit,date,author,valid,components,dependencies,products,shared,violations,cycles,"
    "reuse_level,layer:ui,reuse:search\n"
    "a1,2026-01-01,ann,true,10,12,2,3,0,0,0.25,4,0.5\n"
    "b2,2026-02-01,bob,false,,,,,,,,,\n"
    "c3,2026-03-01,ann,true,14,20,3,6,1,0,0.4,5,0.6\n"
)


def test_history_csv_draws_trends_on_the_home_page(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(HISTORY_CSV)
    history = read_history(path)
    assert [r.valid for r in history.rows] == [True, False, True]
    assert history.series("reuse_level") == [("2026-01-01", 0.25), ("2026-03-01", 0.4)]
    site = build_site(lm.example(), tmp_path / "s", history=history).path
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="history"' in home
    assert "3 versions (2 valid), from 2026-01-01 to 2026-03-01." in home
    assert (
        home.count('<svg class="spark"') == 6
    )  # components, shared, violations, cycles, reuse level, reuse:search
    assert "from 25% (2026-01-01) to 40% (2026-03-01)" in home


def test_history_json_rows(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    rows = [
        {"commit": "a", "date": "2026-01-01", "valid": True, "components": 3, "reuse_level": 0.5},
        {"commit": "b", "date": "2026-01-02", "valid": True, "components": 5, "reuse_level": 0.6},
    ]
    path.write_text(json.dumps({"rows": rows}))
    assert read_history(path).series("components") == [("2026-01-01", 3.0), ("2026-01-02", 5.0)]
    path.write_text(json.dumps(rows))
    assert len(read_history(path).rows) == 2


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("h.csv", "", "is empty"),
        ("h.csv", "name,when\nx,y\n", "expected 'commit,date"),
        ("h.csv", "commit,date\na,b,c,d\n", "h.csv:2"),
        ("h.json", '{"rows": 3}', "is not a history"),
        ("h.json", '[{"date": 1}]', "must be an object with 'commit'"),
    ],
)
def test_bad_history_files_are_refused_with_their_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(lm.InputError) as caught:
        read_history(path)
    problem = caught.value.problems[0]
    assert message in f"{problem.location} {problem.message}" or message in str(problem)
    model = EXAMPLES / "google" / "model.yaml"
    assert main(["site", str(model), "-o", str(tmp_path / "s"), "--history", str(path)]) == 2
    assert not (tmp_path / "s").exists()


def test_drift_is_shown_per_component(tmp_path: Path) -> None:
    path = tmp_path / "drift.json"
    path.write_text(
        json.dumps(
            {
                "undeclared": [{"from": "ranking", "to": "distributed-db"}],
                "phantom": [{"from": "search-box", "to": "api-gateway"}],
                "score": 0.12,
            }
        )
    )
    drift = read_drift(path)
    site = build_site(lm.example(), tmp_path / "s", drift=drift).path
    ranking = (site / "components" / "ranking.html").read_text(encoding="utf-8")
    assert "seen running, not in the model" in ranking
    box = (site / "components" / "search-box.html").read_text(encoding="utf-8")
    assert "in the model, never seen" in box
    vms = (site / "components" / "vms.html").read_text(encoding="utf-8")
    assert "Every dependency of it was seen running." in vms
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "drift score" in home and "0.12" in home


def test_a_bad_drift_report_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "drift.json"
    path.write_text('{\n  "undeclared": [\n    {"from": "a"}\n  ]\n}\n')
    with pytest.raises(lm.InputError) as caught:
        read_drift(path)
    assert caught.value.problems[0].line == 3
    model = EXAMPLES / "google" / "model.yaml"
    assert main(["site", str(model), "-o", str(tmp_path / "s"), "--drift", str(path)]) == 2


def test_cli_site_writes_and_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = EXAMPLES / "legacy-checks" / "model.yaml"
    assert main(["site", str(model), "-o", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    assert "wrote" in err and "index.html" in err
    checks = (tmp_path / "s" / "checks.html").read_text(encoding="utf-8")
    assert "baselined" in checks and "layermodel-baseline.json" in checks


def test_cli_site_of_an_invalid_model_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("layermodel: 1\nname: x\ncomponents:\n  - id: a\n    layer: nowhere\n")
    assert main(["site", str(bad), "-o", str(tmp_path / "s")]) == 1
    assert not (tmp_path / "s").exists()


def test_serve_refuses_a_host_beyond_this_machine(capsys: pytest.CaptureFixture[str]) -> None:
    model = str(EXAMPLES / "google" / "model.yaml")
    for host in ("0.0.0.0", "192.168.1.4", "example.com", "::"):
        assert main(["serve", model, "--host", host]) == 2
        assert "not a loopback address" in capsys.readouterr().err
