"""Synthetic portfolios for benchmarks and tests: seeded, valid, any size.

``generate(n, seed)`` returns a plain model document (the model-file schema: keys
``layermodel``, ``name``, ``components``, ``products``) with ``n`` components over
the four default layers and about ``sqrt(n) / 2`` products (158 at 100k). The same
``n`` and ``seed`` always give the same document, in any process.

Shape of the portfolio:

- layers, top to bottom: ui 15 %, algorithms 30 %, infrastructure 35 %, hardware 20 %;
- about 3 dependencies per component on average, never the same target twice.
  Above the bottom layer, 95 % point to a lower layer (70 % the layer just below),
  5 % to an earlier component of the same layer (so these never form a cycle) and
  0.05 % upwards: layering violations, some of which close small cycles, as real
  portfolios have. Hardware depends only on earlier hardware, about once per
  component. One pick in ten goes to the first 1 % of a layer, its platform
  components; the rest are spread evenly;
- about 5 % of dependencies are records ``{target, kind, required: false}``, the
  rest bare ids;
- optional fields on a share of components: name, owner, evolution, availability,
  cost, tags, and a few lifecycle/sourcing values other than the defaults;
- every product uses 3 to 8 UI components.

With ``groups=k`` (``generate(n, seed, groups=k)``) every component also gets a
``group``: each layer is cut into k contiguous domains, so every domain spans the
layers, and three dependencies in four stay inside the consumer's domain (the rest
are drawn as above), as in a portfolio organised by domain. Two domains in three
are nested under a parent (``Commerce/Payments``). ``products=m`` sets the number of
products. Without these options the document is the same as before, seed for seed.

Run it to write a model file (format from the extension; stdout without ``-o``)::

    python benchmarks/synthetic.py 100000 --seed 0 -o benchmarks/out/synthetic-100k.json
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

__all__ = ["LAYER_SHARES", "dump", "generate", "product_count", "write"]

LAYER_SHARES: tuple[tuple[str, float], ...] = (
    ("ui", 0.15),
    ("algorithms", 0.30),
    ("infrastructure", 0.35),
    ("hardware", 0.20),
)
"""The default layers, top to bottom, and the share of components in each."""

_DEPENDENCY_COUNTS = (1, 2, 3, 3, 4, 4, 5, 6)
"""Dependencies per component above the bottom layer (mean 3.5)."""
_BOTTOM_COUNTS = (0, 0, 1, 1, 1, 2, 2)
"""Dependencies per hardware component (mean 1.0, all within hardware): with 20 % of
components at the bottom, the overall mean is 3.0."""

_SAME_LAYER = 0.05
_UPWARDS = 0.0005
_RECORD_SHARE = 0.05
_PLATFORM_SHARE = 0.1

_LABELS = {
    "ui": "UI",
    "algorithms": "Algorithms",
    "infrastructure": "Infra",
    "hardware": "Hardware",
}
_KINDS = ("calls", "reads-from", "writes-to", "runs-on", "trained-by", "batch-build")
_TEAMS = tuple(f"team-{i:03d}" for i in range(400))
_TAGS = ("storage", "ml", "batch", "realtime", "pci", "gdpr", "edge", "legacy")
_EVOLUTION = ("genesis", "custom", "product", "commodity")
_AVAILABILITY = (0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99999)


def product_count(n: int) -> int:
    """Products in an ``n``-component portfolio: ``isqrt(n) // 2``, at least 1."""
    return max(1, math.isqrt(n) // 2)


def _layer_sizes(n: int) -> list[int]:
    sizes = [int(n * share) for _, share in LAYER_SHARES]
    sizes[-1] += n - sum(sizes)
    # At least one component per layer once there are enough components.
    for i in range(len(sizes)):
        if sizes[i] == 0 and n >= len(sizes):
            donor = max(range(len(sizes)), key=sizes.__getitem__)
            sizes[donor] -= 1
            sizes[i] += 1
    return sizes


_DOMAINS = (
    "Commerce/Payments",
    "Commerce/Catalog",
    "Search",
    "Identity",
    "Media/Imaging",
    "Media/Video",
    "Messaging",
    "Analytics",
    "Logistics",
    "Commerce/Checkout",
    "Media/Audio",
    "Ads",
)
"""Group paths, in the order domains are handed out."""
_IN_DOMAIN = 0.75


def generate(
    n: int, seed: int = 0, *, products: int | None = None, groups: int = 0
) -> dict[str, Any]:
    """A valid synthetic model document with ``n`` components.

    Args:
        n: number of components, at least 1.
        seed: random seed; the same ``(n, seed)`` gives the same document.
        products: number of products (default: ``product_count(n)``).
        groups: number of domains (at most 12); 0 gives components no group.

    Returns:
        Plain data in the model-file schema, ready for ``json.dumps`` or
        ``layermodel.loads(json.dumps(doc), "json")``.

    Complexity: O(n); about 1 s per 100k components on a 2-core machine.
    """
    if n < 1:
        raise ValueError(f"need at least one component, got {n}")
    if not 0 <= groups <= len(_DOMAINS):
        raise ValueError(f"groups must be between 0 and {len(_DOMAINS)}, got {groups}")
    # Millions of small containers that all stay alive: collections triggered while
    # building them find nothing and, at 1M components, double the time.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(n, seed, products, groups)
    finally:
        if was_enabled:
            gc.enable()


def _generate(n: int, seed: int, product_total: int | None, groups: int) -> dict[str, Any]:
    rng = random.Random(seed)
    rand = rng.random
    layers = [name for name, _ in LAYER_SHARES]
    sizes = _layer_sizes(n)
    ids: list[list[str]] = []
    start = 0
    for name, size in zip(layers, sizes, strict=True):
        ids.append([f"{name}-{start + i:07d}" for i in range(size)])
        start += size
    bottom = len(layers) - 1

    def domain(position: int, size: int) -> int:
        return position * groups // size

    def span(d: int, size: int) -> tuple[int, int]:
        """The positions of domain ``d`` in a layer of ``size`` components."""
        return -(-d * size // groups), -(-(d + 1) * size // groups)

    def pick(pool: list[str], limit: int) -> str:
        # One pick in ten goes to the first 1 % of the pool, the layer's platform
        # components; the rest are spread evenly. Shared platforms without a few hubs
        # that everything funnels through, as in a portfolio that has been tidied.
        if rand() < _PLATFORM_SHARE:
            return pool[int(max(1, limit // 100) * rand())]
        return pool[int(limit * rand())]

    components: list[dict[str, Any]] = []
    for rank, (layer, pool) in enumerate(zip(layers, ids, strict=True)):
        lower = [i for i in range(rank + 1, len(layers)) if ids[i]]
        upper = [i for i in range(rank) if ids[i]]
        counts = _BOTTOM_COUNTS if rank == bottom else _DEPENDENCY_COUNTS
        for position, cid in enumerate(pool):
            wanted = counts[int(rand() * len(counts))]
            chosen: list[str] = []
            seen: set[str] = set()
            attempts = 0
            while len(chosen) < wanted and attempts < 4 * wanted:
                attempts += 1
                roll = rand()
                if lower and roll >= _SAME_LAYER + _UPWARDS:
                    # Mostly the layer just below; sometimes skip one.
                    target_pool = ids[lower[0] if rand() < 0.7 or len(lower) == 1 else lower[1]]
                    target = pick(target_pool, len(target_pool))
                    if groups and rand() < _IN_DOMAIN:
                        low, high = span(domain(position, len(pool)), len(target_pool))
                        if high > low:
                            target = target_pool[low + int((high - low) * rand())]
                elif upper and roll < _UPWARDS:
                    target_pool = ids[upper[int(rand() * len(upper))]]
                    target = pick(target_pool, len(target_pool))
                elif position > 0:
                    target = pick(pool, position)  # an earlier one: no cycle
                    if groups:
                        low = span(domain(position, len(pool)), len(pool))[0]
                        if low < position and rand() < _IN_DOMAIN:
                            target = pool[low + int((position - low) * rand())]
                else:
                    continue
                if target in seen:
                    continue
                seen.add(target)
                chosen.append(target)
            record: dict[str, Any] = {"id": cid}
            if rand() < 0.5:
                record["name"] = f"{_LABELS[layer]} service {cid[-7:].lstrip('0') or '0'}"
            record["layer"] = layer
            if groups:
                record["group"] = _DOMAINS[domain(position, len(pool))]
            if rand() < 0.6:
                record["owner"] = _TEAMS[int(rand() * len(_TEAMS))]
            roll = rand()
            if roll < 0.03:
                record["lifecycle"] = "deprecated"
            elif roll < 0.06:
                record["lifecycle"] = "experimental"
            if rank >= 2 and rand() < 0.1:
                record["sourcing"] = "open-source" if rand() < 0.7 else "buy"
            if rand() < 0.3:
                record["evolution"] = _EVOLUTION[int(rand() * len(_EVOLUTION))]
            if rank >= 2 and rand() < 0.3:
                record["availability"] = _AVAILABILITY[int(rand() * len(_AVAILABILITY))]
            if rand() < 0.25:
                record["cost"] = 1000 * (1 + int(rand() * 200))
            if rand() < 0.15:
                record["tags"] = [_TAGS[int(rand() * len(_TAGS))]]
            if chosen:
                record["depends_on"] = [
                    {"target": t, "kind": _KINDS[int(rand() * len(_KINDS))], "required": False}
                    if rand() < _RECORD_SHARE
                    else t
                    for t in chosen
                ]
            components.append(record)

    products: list[dict[str, Any]] = []
    ui = ids[0]
    for i in range(product_count(n) if product_total is None else product_total):
        uses: list[str] = []
        seen_uses: set[str] = set()
        wanted = min(3 + int(rand() * 6), len(ui))
        while len(uses) < wanted:
            target = ui[int(rand() * len(ui))]
            if target not in seen_uses:
                seen_uses.add(target)
                uses.append(target)
        product: dict[str, Any] = {"id": f"product-{i:05d}", "name": f"Product {i}"}
        if rand() < 0.5:
            product["owner"] = _TEAMS[int(rand() * len(_TEAMS))]
        product["uses"] = uses
        if rand() < 0.5:
            product["weight"] = 1 + int(rand() * 100)
        products.append(product)

    return {
        "layermodel": 1,
        "name": f"Synthetic {n} (seed {seed})",
        "components": components,
        "products": products,
    }


def dump(doc: dict[str, Any], fmt: str) -> str:
    """The document as JSON (indented by 2, like ``layermodel.dumps``) or YAML text."""
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    import yaml

    return yaml.dump(
        doc,
        Dumper=yaml.CSafeDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=100,
    )


def write(doc: dict[str, Any], path: str | Path) -> None:
    """Write the document to ``path``, as YAML for ``.yaml``/``.yml``, else JSON."""
    target = Path(path)
    fmt = "yaml" if target.suffix.lower() in (".yaml", ".yml") else "json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump(doc, fmt), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a seeded synthetic layermodel portfolio.")
    parser.add_argument("components", type=int, help="number of components, e.g. 100000")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--products", type=int, default=None, help="number of products")
    parser.add_argument("--groups", type=int, default=0, help="number of domains (0 to 12)")
    parser.add_argument(
        "-o", "--output", help="file to write, .json or .yaml/.yml (default: JSON on stdout)"
    )
    parser.add_argument(
        "--check", action="store_true", help="load the result with layermodel to prove it valid"
    )
    args = parser.parse_args(argv)
    if args.components < 1:
        parser.error("components must be at least 1")
    doc = generate(args.components, args.seed, products=args.products, groups=args.groups)
    if args.output:
        write(doc, args.output)
    else:
        sys.stdout.write(dump(doc, "json"))
    if args.check:
        import layermodel

        eco = (
            layermodel.load(args.output)
            if args.output
            else layermodel.loads(json.dumps(doc), "json")
        )
        print(
            f"valid: {len(eco.components)} components, {len(eco.products)} products",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
