"""Models for the renderer tests: hostile names everywhere a model has text."""

from __future__ import annotations

import layermodel as lm

HOSTILE_TEXTS: tuple[str, ...] = (
    "Quote \" and ' apostrophe",
    "Back\\slash \\n not a newline \\",
    "<script>alert(1)</script>",
    "&amp; &lt; &#60; entities",
    "Braces {x} [y] (z) <>",
    "Line one\nline two",
    "]]> CDATA end ]]",
    "</script><script>alert(2)</script>",
    "Emoji 🚀🔥 naïve café 東京 Straße",
    "#quot; #35; #9829; mermaid codes",
    '%%{init: {"theme": "dark"}}%%',
    "style:#f00; classDef x fill:#f00;",
    "`backtick` **bold** _em_",
    "a --> b -.-> c ~~~ d ==> e",
    "<img src=x onerror=alert(3)>",
    "\ufb02\u00b0\u00b060\u00b6\u00df sentinels",
    "end",
    "<!-- comment --> <![CDATA[x]]>",
    "tab\there | pipe ; semi : colon",
)

# Ids that are Mermaid keywords, edge syntax or collide once punctuation is mapped.
HOSTILE_IDS: tuple[str, ...] = (
    "end",
    "graph",
    "subgraph",
    "style",
    "class",
    "click",
    "o-x",
    "x.o",
    "a_b",
    "a-b",
    "a.b",
    "a__b",
    "flowchart",
    "linkStyle",
    "classDef",
    "default",
    "direction",
    "call",
    "ox",
    "constructor",
    "toString",
    "hasOwnProperty",
    "x",
)


def hostile() -> lm.Ecosystem:
    """Layers, components and products whose names, descriptions and owners are all
    hostile, with ids that are Mermaid keywords; dependencies down, one up (a
    violation) and one optional."""
    b = lm.Builder(
        'Hostile </script> & "co" {ecosystem}',
        layers=[
            ("end", '<b>Top</b> "layer" & more'),
            ("subgraph", "Middle ]]> </script>"),
            ("graph", "Bottom 東京 🚀"),
        ],
    )
    texts = HOSTILE_TEXTS
    layer_ids = ("end", "subgraph", "graph")
    ids = HOSTILE_IDS
    for i, cid in enumerate(ids):
        layer = layer_ids[min(i * 3 // len(ids), 2)]
        below = [
            t
            for j, t in enumerate(ids)
            if j > i and min(j * 3 // len(ids), 2) > min(i * 3 // len(ids), 2)
        ]
        deps: list[object] = list(below[:2])
        if i == len(ids) - 1:
            deps.append(ids[0])  # upward: a violation
        if i == 1:
            deps.append(lm.dep(ids[len(ids) // 2], required=False, kind="<i>optional</i>"))
        b.component(
            cid,
            texts[i % len(texts)],
            layer=layer,
            depends_on=deps,
            owner=texts[(i + 3) % len(texts)],
            description=texts[(i + 7) % len(texts)],
            sourcing=("build", "buy", "external-api", "open-source")[i % 4],
            tags=[texts[(i + 5) % len(texts)]],
        )
    b.product(
        "end", '</script><script>alert("p")</script>', uses=["end", "graph"], description="<b>x</b>"
    )
    b.product("style", 'Product & "co" 🚀\nsecond line', uses=["subgraph", "style"], owner="]]>")
    b.product("o-x", "#quot;%%{init}%%", uses=["click", "end"])
    return b.build()
