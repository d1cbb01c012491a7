"""The overview of an ecosystem, in a few lines: its products, its layers, its shared
components (:func:`summarize`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layermodel.analysis.footprint import footprints, users
from layermodel.errors import plural

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = ["Summary", "summarize"]


@dataclass(frozen=True)
class Summary:
    """Headline figures of an ecosystem.

    Attributes:
        name: the ecosystem's name.
        products: (id, name, footprint size) per product, in model order.
        layers: (id, name, component count) per layer, top to bottom.
        shared: (component id, name, layer id, user product ids) for every component
            used by two or more products, most users first.
    """

    name: str
    products: tuple[tuple[str, str, int], ...]
    layers: tuple[tuple[str, str, int], ...]
    shared: tuple[tuple[str, str, str, tuple[str, ...]], ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "products": [{"id": i, "name": n, "footprint": f} for i, n, f in self.products],
            "layers": [{"id": i, "name": n, "components": c} for i, n, c in self.layers],
            "shared": [
                {"id": i, "name": n, "layer": layer, "users": list(u)}
                for i, n, layer, u in self.shared
            ],
        }

    def to_text(self) -> str:
        """A few lines for a terminal."""
        lines = [f"{self.name}: {plural(len(self.products), 'product')}"]
        width = max((len(n) for _, n, _ in self.products), default=0)
        for _, name, size in self.products:
            lines.append(f"  {name:<{width}}  {plural(size, 'component')} in its footprint")
        lines.append("Components per layer, top to bottom:")
        width = max((len(n) for _, n, _ in self.layers), default=0)
        for _, name, count in self.layers:
            lines.append(f"  {name:<{width}}  {count}")
        total = len(self.products)
        lines.append(f"Shared components (used by 2 or more of the {total} products):")
        if not self.shared:
            lines.append("  none")
        width = max((len(n) for _, n, _, _ in self.shared), default=0)
        for _, name, layer, who in self.shared:
            everyone = " (all)" if len(who) == total else ""
            lines.append(f"  {name:<{width}}  {layer:<14}  {', '.join(who)}{everyone}")
        return "\n".join(lines) + "\n"


def summarize(ecosystem: Ecosystem) -> Summary:
    """Summarise products, layers and the components two or more products share."""
    feet = footprints(ecosystem)
    who = users(ecosystem)
    shared = [
        (c.id, c.label, c.layer, who[c.id]) for c in ecosystem.components if len(who[c.id]) >= 2
    ]
    shared.sort(key=lambda row: -len(row[3]))
    return Summary(
        name=ecosystem.name,
        products=tuple((p.id, p.label, len(feet[p.id])) for p in ecosystem.products),
        layers=tuple(
            (layer.id, layer.label, len(ecosystem.components_in(layer.id)))
            for layer in ecosystem.layers
        ),
        shared=tuple(shared),
    )
