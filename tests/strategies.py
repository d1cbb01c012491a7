"""Hypothesis strategies for random, valid ecosystems."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import layermodel as lm

ids = st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,10}[a-z0-9]\Z")
names = st.text(min_size=1, max_size=20)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**62), max_value=2**62)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=15)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
properties = st.dictionaries(st.text(max_size=8), json_values, max_size=3)
availability = st.floats(min_value=1e-6, max_value=1.0, allow_nan=False)
money = st.floats(min_value=0, max_value=1e9, allow_nan=False) | st.integers(0, 10**9).map(float)


@st.composite
def ecosystems(draw: st.DrawFn, max_components: int = 12, max_products: int = 4) -> lm.Ecosystem:
    """A random valid ecosystem: unique ids, resolvable references, any optional fields."""
    if draw(st.booleans()):
        layer_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
        layers = tuple(
            lm.Layer(
                id=i,
                name=draw(st.none() | names),
                closed=draw(st.booleans()),
                independent=draw(st.booleans()),
            )
            for i in layer_ids
        )
    else:
        layers = lm.DEFAULT_LAYERS
    component_ids = draw(st.lists(ids, max_size=max_components, unique=True))
    components = []
    for cid in component_ids:
        targets = (
            draw(st.lists(st.sampled_from(component_ids), unique=True, max_size=3))
            if component_ids
            else []
        )
        deps: list[Any] = []
        for t in targets:
            if draw(st.booleans()):
                deps.append(t)
            else:
                deps.append(
                    lm.Dependency(
                        target=t,
                        kind=draw(st.none() | st.sampled_from(["runs-on", "calls", "reads"])),
                        required=draw(st.booleans()),
                        description=draw(st.none() | names),
                    )
                )
        fields: dict[str, Any] = {}
        if draw(st.booleans()):
            fields["name"] = draw(names)
        if draw(st.booleans()):
            fields["availability"] = draw(availability)
        if draw(st.booleans()):
            fields["cost"] = draw(money)
        if draw(st.booleans()):
            fields["sourcing"] = draw(
                st.sampled_from(["build", "buy", "external-api", "open-source"])
            )
        if draw(st.booleans()):
            fields["evolution"] = draw(
                st.sampled_from(["genesis", "custom", "product", "commodity"])
            )
        if draw(st.booleans()):
            fields["lifecycle"] = draw(
                st.sampled_from(["experimental", "production", "deprecated"])
            )
        if draw(st.booleans()):
            fields["tags"] = draw(st.lists(st.text(min_size=1, max_size=8), max_size=3))
        if draw(st.booleans()):
            fields["properties"] = draw(properties)
        if draw(st.booleans()):
            fields["links"] = [
                draw(st.sampled_from(["https://example.com/a", "https://example.com/b"]))
            ]
        if draw(st.booleans()):
            fields["description"] = draw(names)
            fields["owner"] = draw(names)
            fields["vendor"] = draw(names)
        components.append(
            lm.Component(
                id=cid,
                layer=draw(st.sampled_from([layer.id for layer in layers])),
                depends_on=deps,
                **fields,
            )
        )
    products = []
    for pid in draw(st.lists(ids, max_size=max_products, unique=True)):
        uses = (
            draw(st.lists(st.sampled_from(component_ids), unique=True, max_size=3))
            if component_ids
            else []
        )
        products.append(
            lm.Product(
                id=pid,
                name=draw(st.none() | names),
                uses=uses,
                weight=draw(st.floats(min_value=0.01, max_value=1e6, allow_nan=False)),
                properties=draw(properties),
            )
        )
    return lm.Ecosystem(
        name=draw(names),
        description=draw(st.none() | names),
        layers=layers,
        policy=draw(st.sampled_from(["relaxed", "strict"])),
        components=components,
        products=products,
        properties=draw(properties),
    )


def random_portfolio(
    seed: int, components: int = 30, products: int = 4, words: int = 2
) -> lm.Ecosystem:
    """A seeded random layered portfolio on the default layers: dependencies point down,
    every component has a cost and an availability, names are random words, and every
    UI component belongs to one product.

    Plain ``random`` rather than hypothesis, for tests that build on a realistic model
    they have not seen (a what-if on it, near-duplicates planted in it).
    """
    import random

    rng = random.Random(seed)
    layers = [layer.id for layer in lm.DEFAULT_LAYERS]
    syllables = ["ka", "lo", "mi", "ru", "te", "so", "vi", "na", "pe", "zu", "do", "ri"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))

    per_layer: dict[str, list[str]] = {layer: [] for layer in layers}
    built: list[lm.Component] = []
    for n in range(components):
        # bottom layer first, so that every component has lower ones to depend on
        layer = layers[len(layers) - 1 - min(n * len(layers) // components, len(layers) - 1)]
        below = [cid for lower in layers[layers.index(layer) + 1 :] for cid in per_layer[lower]]
        cid = f"c{n}-{word()}"
        per_layer[layer].append(cid)
        built.append(
            lm.Component(
                id=cid,
                name=" ".join(word().capitalize() for _ in range(words)),
                layer=layer,
                cost=float(rng.randrange(100, 50_000, 100)),
                availability=rng.choice([0.999, 0.9995, 0.9999, 0.99999]),
                depends_on=rng.sample(below, min(len(below), rng.randint(0, 3))),
            )
        )
    ui = per_layer["ui"]
    uses: list[list[str]] = [[] for _ in range(products)]
    for n, cid in enumerate(ui):  # every UI component belongs to some product
        uses[n % products if n < products else rng.randrange(products)].append(cid)
    made = [
        lm.Product(id=f"p{i}", name=f"Product {i}", uses=used, weight=float(rng.randint(1, 5)))
        for i, used in enumerate(uses)
    ]
    return lm.Ecosystem(name=f"Random {seed}", components=tuple(built), products=tuple(made))
