"""Mermaid output: escaping, ids, structure and determinism (no browser here; the real
Mermaid parser checks the same output in test_browser.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import layermodel as lm
from layermodel.diagrams.legend import legend
from layermodel.diagrams.mermaid import mermaid_id, mermaid_text, to_mermaid
from layermodel.diagrams.scene import Scene, ViewError, build_scene
from layermodel.diagrams.theme import EMPHASIS, VIOLATION
from tests.browser.models import HOSTILE_IDS, HOSTILE_TEXTS, hostile

ID_TEXT = st.from_regex(r"\A[A-Za-z0-9](?:[A-Za-z0-9._-]{0,20}[A-Za-z0-9])?\Z")
MERMAID_KEYWORDS = {
    "end", "graph", "flowchart", "subgraph", "style", "class", "classDef", "click",
    "linkStyle", "default", "direction", "call", "href", "TB", "TD", "LR", "RL", "BT",
}  # fmt: skip


def views(eco: lm.Ecosystem) -> list[str]:
    return (
        ["ecosystem"]
        + [f"product:{p.id}" for p in eco.products]
        + [f"impact:{c.id}" for c in eco.components]
    )


# -- escaping --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Search box", "Search box"),
        ('say "hi"', "say #34;hi#34;"),
        ("<b>&</b>", "#60;b#62;#38;#60;/b#62;"),
        ("#quot;", "#35;quot#59;"),
        ("a{b}[c]", "a#123;b#125;#91;c#93;"),
        ("`md`", "#96;md#96;"),
        ("two\nlines", "two<br>lines"),
        ("two\r\nlines", "two<br>lines"),
        ("50%%{init}", "50#37;#37;#123;init#125;"),
        ("a:b;c", "a#58;b#59;c"),
        ("tab\tx", "tab x"),
        ("back\\slash", "back#92;slash"),
        ("café 東京 🚀", "café 東京 🚀"),
        ("nul\x00", "nul#9216;"),
        ("line\u2028sep", "line#8232;sep"),
        ("\ufb02\u00b0x\u00b6\u00df", "\ufb02#8288;\u00b0x\u00b6#8288;\u00df"),
        ("Straße 90°", "Straße 90°"),
    ],
)
def test_mermaid_text_escapes(text: str, expected: str) -> None:
    assert mermaid_text(text) == expected


@given(st.text())
def test_mermaid_text_leaves_no_syntax(text: str) -> None:
    out = mermaid_text(text)
    # Only entity codes may use '#' and ';', and nothing that ends a label, starts a
    # directive, a comment, Markdown or an HTML tag other than our <br> is left.
    bare = re.sub(r"#\d+;", "", out).replace("<br>", "")
    assert not set(bare) & set('"#;%<>&`{}[]|:\\\n\r')
    assert "\ufb02\u00b0" not in out and "\u00b6\u00df" not in out


@given(ID_TEXT, ID_TEXT)
def test_mermaid_ids_are_one_to_one_and_safe(a: str, b: str) -> None:
    ma, mb = mermaid_id("c_", a), mermaid_id("c_", b)
    assert re.fullmatch(r"c_[A-Za-z0-9_]+", ma)
    assert (ma == mb) == (a == b)


@pytest.mark.parametrize("ident", HOSTILE_IDS)
def test_mermaid_ids_never_keywords(ident: str) -> None:
    out = mermaid_id("c_", ident)
    assert out not in MERMAID_KEYWORDS
    assert out.startswith("c_")


def test_punctuation_in_ids_does_not_collide() -> None:
    ids = ["a_b", "a-b", "a.b", "a__b", "a_hb", "a_db", "a-_b", "a_-b"]
    assert len({mermaid_id("c_", i) for i in ids}) == len(ids)


# -- structure -------------------------------------------------------------------------


def subgraphs(text: str) -> list[tuple[str, str]]:
    return re.findall(r'^\s*subgraph (\S+)\["(.*)"\]$', text, flags=re.M)


_FORWARD = {"<---": "-->", "<-.-": "-.->"}


def links(text: str) -> list[tuple[str, str, str]]:
    """Every link as (source, arrow, target), in order; an upward dependency, written
    target-first (``t <--- s``), is given as ``s --> t``."""
    found = re.findall(r"^\s*(\S+) (-->|-\.->|~~~|<---|<-\.-) (\S+)$", text, flags=re.M)
    return [
        (b, _FORWARD[arrow], a) if arrow in _FORWARD else (a, arrow, b) for a, arrow, b in found
    ]


def gap_links(scene: Scene) -> set[tuple[str, str, str]]:
    """The invisible links that stack the bands: every node of a row to the gap node
    below it, and the gap node to every node of the next row."""
    rows = ([[mermaid_id("p_", m.id) for m in scene.products]] if scene.products else []) + [
        [mermaid_id("c_", cid) for cid in band.nodes] for band in scene.bands
    ]
    entries = sum(len(section.entries) for section in legend(scene, edges=False))
    if scene.bands and entries:
        rows.append([f"k_{k}" for k in range(entries)])  # the legend, under the bands
    out: set[tuple[str, str, str]] = set()
    for index in range(len(rows) - 1):
        out |= {(mid, "~~~", f"g_{index}") for mid in rows[index]}
        out |= {(f"g_{index}", "~~~", mid) for mid in rows[index + 1]}
    return out


def link_styles(text: str) -> dict[int, str]:
    styles = {}
    for indexes, style in re.findall(r"^\s*linkStyle ([\d,]+) (.+)$", text, flags=re.M):
        for i in indexes.split(","):
            assert int(i) not in styles, "one style per link"
            styles[int(i)] = style
    return styles


def test_ecosystem_view_has_one_subgraph_per_layer_in_order() -> None:
    eco = lm.example()
    text = to_mermaid(build_scene(eco, "ecosystem"))
    assert text.startswith('---\ntitle: "Google"\n---\nflowchart TB\n')
    assert subgraphs(text) == [
        ("products", "Products"),
        ("l_ui", "UI"),
        ("l_algorithms", "Algorithms"),
        ("l_infrastructure", "Infrastructure"),
        ("l_hardware", "Hardware"),
        ("legend", "Legend"),
        ("k_s0", "Fill#58; products using it"),
        ("k_s1", "Border#58; sourcing"),
    ]
    # Every component is declared inside its own layer's subgraph.
    current = None
    seen = {}
    for line in text.splitlines():
        m = re.match(r"\s*subgraph (\S+)\[", line)
        if m:
            current = m.group(1)
        elif line.strip() == "end":
            current = None
        elif m := re.match(r'\s*(c_\S+)\["', line):
            seen[m.group(1)] = current
    assert seen == {mermaid_id("c_", c.id): mermaid_id("l_", c.layer) for c in eco.components}


def test_links_cover_products_and_dependencies_with_optional_dotted() -> None:
    eco = lm.example()
    scene = build_scene(eco, "ecosystem")
    text = to_mermaid(scene)
    found = links(text)
    deps = {
        (mermaid_id("c_", c.id), "-->" if d.required else "-.->", mermaid_id("c_", d.target))
        for c in eco.components
        for d in c.depends_on
    }
    uses = {
        (mermaid_id("p_", p.id), "-->", mermaid_id("c_", u)) for p in eco.products for u in p.uses
    }
    assert isinstance(scene, Scene)
    assert set(found) == deps | uses | gap_links(scene)
    assert len(found) == len(set(found))
    assert any(arrow == "-.->" for _, arrow, _ in found)


def test_violations_are_red_dashed_by_link_index() -> None:
    eco = hostile()
    scene = build_scene(eco, "ecosystem")
    text = to_mermaid(scene)
    found = links(text)
    styles = link_styles(text)
    violations = {
        (mermaid_id("c_", e.source), mermaid_id("c_", e.target)) for e in scene.edges if e.violation
    }
    assert violations, "the hostile model has an upward dependency"
    for index, (source, _, target) in enumerate(found):
        style = styles.get(index, "")
        if (source, target) in violations:
            assert f"stroke:{VIOLATION}" in style and "stroke-dasharray" in style
        else:
            assert VIOLATION not in style
    assert max(styles) < len(found)


def test_impact_view_classes_follow_emphasis() -> None:
    eco = lm.example()
    scene = build_scene(eco, "impact:distributed-db")
    assert not isinstance(scene, type(None))
    text = to_mermaid(scene)
    classes: dict[str, set[str]] = {}
    for ids, name in re.findall(r"^\s*class (\S+) (\S+)$", text, flags=re.M):
        for i in ids.split(","):
            classes.setdefault(i, set()).add(name)
    for cid, node in scene.nodes.items():  # type: ignore[union-attr]
        assert f"emph_{node.emphasis}" in classes[mermaid_id("c_", cid)]
    assert classes[mermaid_id("c_", "distributed-db")] >= {"emph_focus", "src_build"}
    styles = link_styles(text)
    found = links(text)
    hit = [
        i
        for i, (s, arrow, t) in enumerate(found)
        if "c_distributed_hdb" in (s, t) and arrow != "~~~"
    ]
    assert any(EMPHASIS["hit"].border in styles[i] for i in hit)


def test_sourcing_classes_and_reuse_shading() -> None:
    b = lm.Builder("S")
    b.component("a", layer="ui", sourcing="external-api", depends_on=["b"])
    b.component("b", layer="infrastructure", sourcing="open-source")
    b.component("c", layer="infrastructure", sourcing="buy")
    b.product("p1", uses=["a"])
    b.product("p2", uses=["b"])
    text = to_mermaid(build_scene(b.build(), "ecosystem"))
    assert "classDef src_external_api stroke-width:2.5px,stroke-dasharray:8 4" in text
    assert re.search(
        r"^\s*class c_a reuse\d src_external_api$|^\s*class c_a src_external_api$", text, re.M
    )
    assert re.search(r"^\s*class c_b reuse4$", text, re.M)  # both products
    assert re.search(r"^\s*class c_c reuse0$", text, re.M)  # none
    assert re.search(r"^\s*class c_a reuse1$", text, re.M)  # one product


def test_matrix_is_refused_with_a_suggestion() -> None:
    with pytest.raises(ViewError, match="matrix") as info:
        to_mermaid(build_scene(lm.example(), "matrix"))
    assert "svg" in str(info.value) and "html" in str(info.value)


def test_empty_ecosystem() -> None:
    text = to_mermaid(build_scene(lm.Ecosystem(name="Empty"), "ecosystem"))
    assert "flowchart TB" in text and "subgraph" not in text


def test_hostile_names_leave_no_raw_syntax_in_labels() -> None:
    eco = hostile()
    for view in views(eco):
        text = to_mermaid(build_scene(eco, view))
        for label in re.findall(r'\["(.*?)"\]|\(\["(.*?)"\]\)', text):
            inner = "".join(label)
            assert '"' not in inner
            assert not set(re.sub(r"#\d+;", "", inner).replace("<br>", "")) & set("#;%<>&`{}")
        # Every line is one statement: no model text broke a line.
        for line in text.splitlines()[4:]:
            assert re.match(
                r"\s*(subgraph |end$|direction |c_|p_|l_|g_|k_|products |class |classDef |style "
                r"|linkStyle )",
                line,
            ), line


def test_deterministic() -> None:
    for eco_factory in (lm.example, hostile):
        for view in views(eco_factory())[:6]:
            first = to_mermaid(build_scene(eco_factory(), view))
            second = to_mermaid(build_scene(eco_factory(), view))
            assert first == second
    assert HOSTILE_TEXTS  # the hostile model uses every hostile text


def test_wide_band_wraps_and_link_styles_keep_their_links() -> None:
    import re

    import layermodel as lm
    from layermodel.diagrams.mermaid import ROW, to_mermaid
    from layermodel.diagrams.scene import build_scene

    b = lm.Builder("Wide")
    with b.layer("ui"):
        app = b.component("app")
    with b.layer("infrastructure"):
        parts = [b.component(f"svc-{i:02d}") for i in range(3 * ROW)]
    b.depend(app, *parts)
    b.depend(parts[5], app)  # upward: a layering violation
    b.product("shop", uses=[app])
    text = to_mermaid(build_scene(b.build(), "ecosystem"))
    assert text.count("subgraph l_infrastructure_r") == 3
    assert "l_infrastructure_r0 ~~~ l_infrastructure_r1" in text
    links = [
        line.strip() for line in text.splitlines() if re.search(r" (-->|-\.->|~~~|<---) ", line)
    ]
    violation = links.index("c_app <--- c_svc_h05")  # written target-first: it points up
    styled = [
        line for line in text.splitlines() if "linkStyle" in line and "stroke-dasharray" in line
    ]
    assert any(str(violation) in line.split()[1].split(",") for line in styled)
