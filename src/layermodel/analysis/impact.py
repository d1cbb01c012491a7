"""Impact: what fails when a component fails, the single points of failure, and the
gateways every path of a product passes through.

- **Blast radius** of component X: the components and products that depend on X
  through *required* edges (soft dependencies do not propagate failure), grouped by
  layer and weighted by product weight.
- **Single points of failure**: components ranked by the product weight they take
  down, then by how many components fail with them.
- **Dominators** of a product: a component D dominates X when every dependency path
  from the product to X passes through D (Lengauer & Tarjan, "A fast algorithm for
  finding dominators in a flowgraph", TOPLAS 1(1), 1979; computed with networkx's
  ``immediate_dominators``, Cooper, Harvey & Kennedy 2001). The product's gateways are
  the components that dominate others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layermodel.analysis.footprint import footprints
from layermodel.analysis.precomputed import blast_sizes
from layermodel.analysis.sections import Section, fmt_number, fmt_percent, table
from layermodel.errors import plural
from layermodel.graph import (
    blast_of,
    dependency_graph,
    members,
    required_user_bits,
    user_bit_list,
    weight_of,
)

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "BlastRadius",
    "Dominators",
    "SinglePointsOfFailure",
    "blast_radius",
    "dominators",
    "single_points_of_failure",
]


@dataclass(frozen=True)
class BlastRadius:
    """What fails when one component fails."""

    component: str
    components: tuple[str, ...]
    """Components that fail with it, sorted; the component itself is not included."""
    by_layer: dict[str, tuple[str, ...]]
    """The same components per layer id, in layer order (empty layers left out)."""
    products: tuple[str, ...]
    """Products that fail, sorted."""
    weight: float
    """Sum of the weights of the products that fail."""
    share: float
    """weight / total product weight (0 when there are no products)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "component": self.component,
            "components": list(self.components),
            "by_layer": {k: list(v) for k, v in self.by_layer.items()},
            "products": list(self.products),
            "weight": self.weight,
            "share": self.share,
        }

    def sections(self, limit: int = 25) -> list[Section]:
        """Report sections for text and Markdown."""
        lines = (
            f"If {self.component} fails, {plural(len(self.products), 'product')} "
            f"({fmt_percent(self.share)} of product weight) and "
            f"{plural(len(self.components), 'component')} fail with it "
            "(required dependencies only).",
            f"Products: {', '.join(self.products) or 'none'}",
        )
        rows = [(layer, len(ids), ", ".join(ids)) for layer, ids in self.by_layer.items()]
        return [
            Section(
                f"Blast radius of {self.component}",
                lines=lines,
                tables=(table(["layer", "components", "which"], rows, "lrl", limit),)
                if rows
                else (),
            )
        ]


def blast_radius(ecosystem: Ecosystem, component_id: str) -> BlastRadius:
    """The components and products that fail when ``component_id`` fails.

    Complexity: one reverse traversal of required dependencies, O(components + edges).
    """
    ecosystem.component(component_id)
    failed_components = blast_of(ecosystem, component_id)
    bits = required_user_bits(ecosystem)
    ids = [p.id for p in ecosystem.products]
    weights = {p.id: p.weight for p in ecosystem.products}
    total_weight = sum(weights.values())
    failed = sorted(members(bits[component_id], ids))
    weight = sum(weights[p] for p in failed)
    layer_of = {c.id: c.layer for c in ecosystem.components}
    by_layer: dict[str, list[str]] = {layer.id: [] for layer in ecosystem.layers}
    for cid in failed_components:
        by_layer[layer_of[cid]].append(cid)
    return BlastRadius(
        component=component_id,
        components=failed_components,
        by_layer={k: tuple(v) for k, v in by_layer.items() if v},
        products=tuple(failed),
        weight=weight,
        share=weight / total_weight if total_weight else 0.0,
    )


@dataclass(frozen=True)
class SinglePointsOfFailure:
    """Components ranked by the product weight their failure takes down."""

    ranking: tuple[tuple[str, str, int, float, float, int], ...]
    """(component, layer, products failed, weight failed, share of weight, components failed)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "ranking": [
                {
                    "component": c,
                    "layer": layer,
                    "products": n,
                    "weight": w,
                    "share": s,
                    "components": k,
                }
                for c, layer, n, w, s, k in self.ranking
            ]
        }

    def sections(self, limit: int = 15) -> list[Section]:
        """Report sections for text and Markdown."""
        rows = [
            (c, layer, n, fmt_number(w), fmt_percent(s), k)
            for c, layer, n, w, s, k in self.ranking[:limit]
        ]
        return [
            Section(
                "Single points of failure (required dependencies)",
                lines=() if rows else ("none: no component takes a product down",),
                tables=(
                    table(
                        [
                            "component",
                            "layer",
                            "products down",
                            "weight down",
                            "share",
                            "components down",
                        ],
                        rows,
                        "llrrrr",
                    ),
                )
                if rows
                else (),
            )
        ]


def single_points_of_failure(ecosystem: Ecosystem, top: int | None = None) -> SinglePointsOfFailure:
    """Rank components by the weight of the products their failure takes down.

    Components that take no product down are left out. Complexity: one pass over the
    cached blast radii and required-user bitsets.
    """
    blast = blast_sizes(ecosystem)
    bits = user_bit_list(ecosystem, True)
    weights = [p.weight for p in ecosystem.products]
    total = sum(weights)
    rows = []
    weight: dict[int, float] = {}
    for i, c in enumerate(ecosystem.components):
        b = bits[i]
        if not b:
            continue
        w = weight.get(b)
        if w is None:
            w = weight[b] = weight_of(b, weights)
        rows.append((c.id, c.layer, b.bit_count(), w, w / total if total else 0.0, blast[i]))
    rows.sort(key=lambda r: (-r[3], -r[5], r[0]))
    return SinglePointsOfFailure(tuple(rows[:top] if top is not None else rows))


@dataclass(frozen=True)
class Dominators:
    """The gateways of one product: components every path to others passes through."""

    product: str
    gateways: tuple[tuple[str, int], ...]
    """(component, how many footprint components it dominates), most first."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "product": self.product,
            "gateways": [{"component": c, "dominates": n} for c, n in self.gateways],
        }

    def sections(self, limit: int = 15) -> list[Section]:
        """Report sections for text and Markdown."""
        return [
            Section(
                f"Gateways of {self.product}",
                lines=(
                    f"A gateway is a component that {self.product} can reach some of its "
                    "components only through: every dependency path to them passes it.",
                )
                if self.gateways
                else ("None.",),
                tables=(
                    table(
                        ["component", "components reached only through it"],
                        self.gateways,
                        "lr",
                        limit,
                    ),
                )
                if self.gateways
                else (),
            )
        ]


_ROOT = ("layermodel", "product-root")


def dominators(
    ecosystem: Ecosystem, product_id: str, footprint: Iterable[str] | None = None
) -> Dominators:
    """The dominator gateways of one product over its footprint.

    ``footprint`` may be passed when already known. Complexity: near-linear in the
    size of the product's footprint and its edges (plus one scan of the components
    when ``footprint`` is not given).
    """
    import networkx as nx

    product = ecosystem.product(product_id)
    graph = dependency_graph(ecosystem)
    if footprint is None:
        footprint = footprints(ecosystem, [product_id])[product_id]
    inside = set(footprint)
    sub: nx.DiGraph[Any] = nx.DiGraph()
    sub.add_node(_ROOT)
    sub.add_edges_from((_ROOT, used) for used in product.uses)
    succ = graph.succ
    sub.add_edges_from((u, v) for u in inside for v in succ[u] if v in inside)
    idom = nx.immediate_dominators(sub, _ROOT)
    dominated: dict[str, int] = {}
    for node, parent in idom.items():
        while parent != _ROOT and parent != node:
            dominated[parent] = dominated.get(parent, 0) + 1
            node, parent = parent, idom[parent]
    gateways = sorted(dominated.items(), key=lambda kv: (-kv[1], kv[0]))
    return Dominators(product_id, tuple(gateways))


def all_dominators(
    ecosystem: Ecosystem, products: Iterable[str] | None = None
) -> dict[str, Dominators]:
    """The gateways of every product (or of ``products``): one dominator computation
    over each product's footprint, so the cost is the sum of the footprints."""
    wanted = [p.id for p in ecosystem.products] if products is None else list(products)
    feet = footprints(ecosystem, wanted)
    return {pid: dominators(ecosystem, pid, feet[pid]) for pid in wanted}


__all__ += ["all_dominators"]
