"""Footprints and users of every product and component.

A product's *footprint* is the closure of its ``uses`` over ``depends_on``: everything
it runs on. A component's *users* are the products whose footprint holds it. Both are
read from the product bitsets of the graph kernel (:func:`layermodel.graph.user_bits`),
computed in one pass over the graph in topological order: there is no per-product
search.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from layermodel.graph import members, user_bits

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = ["footprints", "users"]


def users(ecosystem: Ecosystem) -> dict[str, tuple[str, ...]]:
    """For each component id, the ids of the products whose footprint holds it, in
    product order. O((components + dependencies) * products / wordsize) once, then
    O(components + answer)."""
    ids = [p.id for p in ecosystem.products]
    return {node: tuple(members(bits, ids)) for node, bits in user_bits(ecosystem).items()}


def footprints(
    ecosystem: Ecosystem, products: Iterable[str] | None = None
) -> dict[str, tuple[str, ...]]:
    """For each product id (or each of ``products``), the ids of the components in its
    footprint, in model order. Same cost as :func:`users`."""
    ids = [p.id for p in ecosystem.products]
    wanted = set(products) if products is not None else None
    result: dict[str, list[str]] = {p: [] for p in ids if wanted is None or p in wanted}
    bits = user_bits(ecosystem)
    for component in ecosystem.components:
        for product_id in members(bits[component.id], ids):
            found = result.get(product_id)
            if found is not None:
                found.append(component.id)
    return {k: tuple(v) for k, v in result.items()}
