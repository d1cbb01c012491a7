"""One legend vocabulary: what each format's legend lists is the classes that occur in
the view, computed here from the model, not from the drawing."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import layermodel as lm
from layermodel.analysis import users
from layermodel.diagrams.legend import COLOUR_BY, QUALITATIVE, fill_class, legend, shade_for
from layermodel.diagrams.scene import Scene, ViewError, build_scene
from layermodel.diagrams.theme import SOURCING, reuse_legend, reuse_level
from tests.conftest import EXAMPLES
from tests.strategies import ecosystems

RIDESHARE = EXAMPLES / "rideshare" / "model.yaml"


def expected_fills(eco: lm.Ecosystem, by: str) -> set[str]:
    """The fill texts the legend must list for an ecosystem view, from the model."""
    used = users(eco)
    n = len(eco.products)
    if by == "reuse":
        texts = dict(reuse_legend(n))
        return {texts[reuse_level(len(used[c.id]), n)] for c in eco.components}
    if by == "owner":
        counts: dict[str, int] = {}
        for c in eco.components:
            if c.owner:
                counts[c.owner] = counts.get(c.owner, 0) + 1
        own = set(counts)
        if len(counts) > 9:  # the eight that own the most; the rest are "other owners"
            own = set(sorted(counts, key=lambda o: (-counts[o], o))[:8])
        return {
            (c.owner if c.owner in own else "other owners") if c.owner else "no owner"
            for c in eco.components
        }
    if by == "sourcing":
        return {SOURCING[c.sourcing].label for c in eco.components}
    if by == "lifecycle":
        return {c.lifecycle for c in eco.components}
    labels = {p.id: p.label for p in eco.products}
    out = set()
    for c in eco.components:
        who = used[c.id]
        if not who:
            out.add("no product")
        elif len(who) > 1:
            out.add("shared by 2 or more products")
        else:
            out.add(f"only {labels[next(iter(who))]}")
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(eco=ecosystems(), by=st.sampled_from(COLOUR_BY))
def test_the_legend_lists_exactly_the_classes_that_occur(eco: lm.Ecosystem, by: str) -> None:
    scene = build_scene(eco, "ecosystem", colour_by=by)
    assert isinstance(scene, Scene)
    sections = {s.title: s for s in legend(scene)}
    if not eco.components:
        assert not any(title.startswith(("Fill", "Border")) for title in sections)
        return
    fill = next(s for title, s in sections.items() if title.startswith("Fill: "))
    labels = [e.label for e in fill.entries]
    assert len(labels) == len(set(labels)) or by == "owner"  # owners may share a label
    assert set(labels) == expected_fills(eco, by)
    borders = sections["Border: sourcing"]
    assert {e.key for e in borders.entries} == {f"src-{c.sourcing}" for c in eco.components}
    # The same classes in every format: each entry's text is in the SVG source, the
    # page and the Mermaid text; classes that do not occur are nowhere.
    dot = lm.render(eco, "ecosystem", "dot", colour_by=by).source
    stack = lm.render(eco, "ecosystem", "dot", colour_by=by, style="stack").source
    page = lm.render(eco, "ecosystem", "html", colour_by=by).source
    mermaid = lm.render(eco, "ecosystem", "mermaid", colour_by=by).source
    for entry in fill.entries:
        assert entry.key in dot and entry.key in page and entry.key in stack
        assert re.sub(r"[^A-Za-z0-9_]", "", entry.key) in mermaid
    for entry in borders.entries:
        way = entry.key.removeprefix("src-")
        assert f"sourcing-{way}" in dot and f"sourcing-{way}" in stack
        assert entry.key in page and f"src_{way.replace('-', '_')}" in mermaid


def test_a_reuse_class_that_cannot_occur_is_not_shown() -> None:
    """Four products: no component is used by 'fewer than half' (one is '1 product',
    two is 'half or more'), so no format lists it."""
    eco = lm.load(RIDESHARE)
    for fmt in ("dot", "html", "mermaid"):
        text = lm.render(eco, "ecosystem", fmt).source
        assert "fewer than half" not in text
        assert "half or more" in text and "all 4 products" in text
    assert "fewer than half" not in lm.render(eco, "ecosystem", "dot", style="stack").source


def test_owner_colours_are_colour_blind_safe_and_follow_the_name() -> None:
    eco = lm.load(RIDESHARE)
    scene = build_scene(eco, "ecosystem", colour_by="owner")
    assert isinstance(scene, Scene)
    owners = sorted({c.owner for c in eco.components if c.owner})
    for node in scene.nodes.values():
        cls = fill_class(node, scene)
        index = owners.index(node.owner) if node.owner else None
        assert cls.shade.fill == QUALITATIVE[index % len(QUALITATIVE)]
    # A product view has the same colour for an owner as the ecosystem view.
    product = build_scene(eco, "product:freight", colour_by="owner")
    assert isinstance(product, Scene)
    for cid, node in product.nodes.items():
        assert fill_class(node, product).shade == fill_class(scene.nodes[cid], scene).shade


def test_past_nine_owners_the_rest_share_one_fill() -> None:
    b = lm.Builder("Many owners")
    for i in range(12):
        for k in range(1 + (i < 8)):  # the first eight own two components each
            b.component(f"c{i}-{k}", layer="infrastructure", owner=f"team-{i:02d}")
    scene = build_scene(b.build(), "ecosystem", colour_by="owner")
    assert isinstance(scene, Scene)
    fill = legend(scene)[0]
    labels = [e.label for e in fill.entries]
    assert labels == [f"team-{i:02d}" for i in range(8)] + ["other owners"]
    fills = [e.shade.fill for e in fill.entries if e.shade is not None]
    assert len(set(fills)) == len(fills)


def test_text_on_a_fill_stays_readable() -> None:
    assert shade_for("#08519c").ink == "#ffffff"
    assert shade_for("#EEDD88").ink != "#ffffff"


def test_unknown_colouring_and_highlight_are_refused_with_a_suggestion() -> None:
    eco = lm.example()
    with pytest.raises(ViewError, match="owner"):
        build_scene(eco, "ecosystem", colour_by="owners")
    with pytest.raises(ViewError, match="did you mean 'ranking'"):
        build_scene(eco, "ecosystem", highlight=["rankin"])
    with pytest.raises(ViewError, match="impact"):
        build_scene(eco, "impact:vms", highlight=["ranking"])


def test_highlight_fades_everything_else_in_every_format() -> None:
    eco = lm.example()
    scene = build_scene(eco, "ecosystem", highlight=["ranking", "vms"])
    assert isinstance(scene, Scene)
    assert {cid for cid, n in scene.nodes.items() if n.emphasis == "normal"} == {"ranking", "vms"}
    assert all(
        n.emphasis == "faded" for cid, n in scene.nodes.items() if cid not in scene.highlight
    )
    dot = lm.render(eco, "ecosystem", "dot", highlight=["ranking", "vms"]).source
    assert re.search(r'"ranking" \[[^\n]*class="[^"]*highlighted', dot)
    assert not re.search(r'"crawling" \[[^\n]*class="[^"]*highlighted', dot)
    page = lm.render(eco, "ecosystem", "html", highlight=["ranking"]).source
    assert 'class="card reuse-1 src-build emph-normal highlighted" data-id="ranking"' in page
    assert "emph-faded" in page
    titles = [s.title for s in legend(scene)]
    assert "Highlight" in titles
