"""What-if: apply a change to a model and recompute what it does (design §3, "What-if").

Each function returns the changed model (``after``) with the figures that answer the
question behind the change:

- :func:`remove_component`: what fails, whose footprint shrinks, which components
  lose users or are left with none;
- :func:`replace_component`: the same after redirecting every use of one component
  to another (consolidating two databases, say);
- :func:`retire_product`: which components no product needs any more (the orphans);
- :func:`add_products` and :func:`add_product`: the launch plan of a new product:
  what share of its footprint already exists, and what must be built.

Every answer carries the money and the availability (:class:`Money`): the monthly
cost the change frees (components that leave the model), orphans (components left
with no user, still running until someone switches them off) and adds (new
components), and each product's cost share and estimated availability before and
after, from :func:`~layermodel.analysis.cost.allocate_costs` and
:func:`~layermodel.analysis.reliability.availability` on both models.

The input model is never changed: models are immutable, and ``after`` is a new
:class:`~layermodel.Ecosystem`, validated like any other. All figures come from the
cached one-pass users bitsets of both models (:mod:`layermodel.analysis.footprint`);
there is no per-product search, so each what-if costs about two model builds:
O(components + dependencies) plus the bitset passes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from layermodel.analysis.cost import CostMethod, CostReport, allocate_costs, cost_shares
from layermodel.analysis.diff import ReuseMove, _id_list, reuse_moves, reuse_section
from layermodel.analysis.impact import BlastRadius, blast_radius
from layermodel.analysis.reliability import ProductAvailability, product_availability
from layermodel.analysis.sections import Section, fmt_money, table
from layermodel.errors import plural
from layermodel.graph import Key, bit_positions, cached, members, user_bits

if TYPE_CHECKING:
    from layermodel.model.entities import Component, Dependency, Ecosystem, Product

__all__ = [
    "FootprintChange",
    "LaunchPlan",
    "Money",
    "ProductFigures",
    "ProductLaunch",
    "WhatIf",
    "WhatIfKind",
    "add_product",
    "add_products",
    "move_component",
    "remove_component",
    "replace_component",
    "retire_product",
    "share_component",
    "what_it_costs",
]

WhatIfKind = Literal[
    "remove-component", "replace-component", "retire-product", "share-component", "move-component"
]

_SHOWN = 25
"""Rows per table in text and Markdown reports; ``to_dict()`` keeps every row."""


@dataclass(frozen=True)
class FootprintChange:
    """A product whose footprint changed size."""

    product: str
    before: int
    after: int

    @property
    def change(self) -> int:
        """``after - before``."""
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"product": self.product, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class ProductFigures:
    """One product's monthly cost and estimated availability, before and after a
    change (None where the product is not in that model)."""

    product: str
    cost_before: float | None
    cost_after: float | None
    share_before: float | None
    """The product's part of the portfolio's allocated monthly cost, in [0, 1]."""
    share_after: float | None
    availability_before: float | None
    availability_after: float | None
    target: float | None
    """The product's ``availability_target``, if it states one."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "product": self.product,
            "cost_before": self.cost_before,
            "cost_after": self.cost_after,
            "cost_share_before": self.share_before,
            "cost_share_after": self.share_after,
            "availability_before": self.availability_before,
            "availability_after": self.availability_after,
            "availability_target": self.target,
        }


@dataclass(frozen=True)
class Money:
    """What a change does to the monthly bill and to each product's availability."""

    total_before: float
    """The monthly cost of every component of the model before."""
    total_after: float
    freed: tuple[tuple[str, float | None], ...]
    """Components that leave the model, with their monthly cost (None where the
    model states none), costliest first."""
    orphaned: tuple[tuple[str, float | None], ...]
    """New orphans (no product uses them any more), with their monthly cost: what
    switching them off would save."""
    added: tuple[tuple[str, float | None], ...]
    """Components the model after has and the model before lacks, with their cost."""
    products: tuple[ProductFigures, ...]
    """Every product of either model, in the order of the model before, then the
    new ones."""
    without_cost: int
    """Components of the change (freed, orphaned, added) that state no cost; they
    count as 0."""
    costed: bool = True
    """Whether any component of either model states a cost; when none does, the text
    says so instead of showing zeros."""

    @property
    def freed_cost(self) -> float:
        """Monthly cost of the components that leave the model."""
        return sum(cost or 0.0 for _, cost in self.freed)

    @property
    def orphaned_cost(self) -> float:
        """Monthly cost of the new orphans."""
        return sum(cost or 0.0 for _, cost in self.orphaned)

    @property
    def added_cost(self) -> float:
        """Monthly cost of the components added."""
        return sum(cost or 0.0 for _, cost in self.added)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: amounts per month, in the model's currency."""
        return {
            "total_before": self.total_before,
            "total_after": self.total_after,
            "freed": self.freed_cost,
            "freed_components": [{"component": c, "cost": v} for c, v in self.freed],
            "orphaned": self.orphaned_cost,
            "orphaned_components": [{"component": c, "cost": v} for c, v in self.orphaned],
            "added": self.added_cost,
            "added_components": [{"component": c, "cost": v} for c, v in self.added],
            "components_without_cost": self.without_cost,
            "costs_stated": self.costed,
            "products": [p.to_dict() for p in self.products],
        }

    def lines(self, limit: int = _SHOWN) -> list[str]:
        """The money in a few sentences."""
        if not self.costed:
            return ["No component of the model states a cost, so no money moves here."]
        out = [
            f"Monthly cost: {fmt_money(self.total_before)} before, "
            f"{fmt_money(self.total_after)} after "
            f"({_signed_money(self.total_after - self.total_before)})."
        ]
        if self.freed:
            out.append(_phrase("Freed", self.freed, "leaving the model", limit))
        if self.orphaned:
            out.append(
                _phrase(
                    "Orphaned",
                    self.orphaned,
                    "no product uses any more (switching them off saves it)",
                    limit,
                )
            )
        if self.added:
            out.append(_phrase("Added", self.added, "", limit, "new component"))
        return out

    def section(self, limit: int = _SHOWN) -> Section:
        """Cost share and availability per product, before and after."""

        def money(x: float | None) -> str:
            return "-" if x is None else fmt_money(x)

        def share(x: float | None) -> str:
            return "-" if x is None else f"{x:.0%}"

        def avail(x: float | None) -> str:
            return "-" if x is None else f"{x:.4%}"

        rows = [
            (
                p.product,
                money(p.cost_before),
                money(p.cost_after),
                share(p.share_before),
                share(p.share_after),
                avail(p.availability_before),
                avail(p.availability_after),
            )
            for p in self.products
        ]
        if not self.costed:
            return Section(
                "Availability per product, before and after",
                lines=("Estimated availability (serial, required footprint).",),
                tables=(
                    table(
                        ["product", "availability before", "availability after"],
                        [(r[0], r[5], r[6]) for r in rows],
                        "lrr",
                        limit,
                    ),
                ),
            )
        return Section(
            "Cost and availability per product, before and after",
            lines=(
                "Monthly cost shares (allocated among users), and estimated availability "
                "(serial, required footprint).",
            ),
            tables=(
                table(
                    [
                        "product",
                        "cost before",
                        "cost after",
                        "share before",
                        "share after",
                        "availability before",
                        "availability after",
                    ],
                    rows,
                    "lrrrrrr",
                    limit,
                ),
            ),
        )


def _phrase(
    label: str,
    pairs: Sequence[tuple[str, float | None]],
    what: str,
    limit: int,
    noun: str = "component",
) -> str:
    """``Freed: 80,000 a month in 1 component leaving the model: mapreduce (80,000).``"""
    count = plural(len(pairs), noun) + (f" {what}" if what else "")
    if all(cost is None for _, cost in pairs):
        ids = _id_list([cid for cid, _ in pairs], limit)
        return f"{label}: {count}, none with a cost stated: {ids}."
    total = fmt_money(sum(cost or 0.0 for _, cost in pairs))
    return f"{label}: {total} a month in {count}: {_costed(pairs, limit)}."


def _signed_money(x: float) -> str:
    if abs(x) < 0.005:
        return "no change"
    return ("+" if x > 0 else "-") + fmt_money(abs(x))


def _costed(pairs: Sequence[tuple[str, float | None]], limit: int) -> str:
    shown = [
        f"{cid} ({'no cost stated' if cost is None else fmt_money(cost)})"
        for cid, cost in pairs[:limit]
    ]
    more = len(pairs) - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")


def what_it_costs(
    before: Ecosystem,
    after: Ecosystem,
    orphans: Iterable[str] = (),
    cost_method: CostMethod = "equal",
) -> Money:
    """The money and availability of a change from ``before`` to ``after``.

    Components in ``before`` and not in ``after`` are *freed*; those in ``after`` and
    not in ``before`` are *added*; ``orphans`` (ids in ``after``) are *orphaned*. Each
    component's cost is as written in the model holding it (a missing cost counts as
    0 and is counted in ``without_cost``). Product figures come from
    :func:`~layermodel.analysis.cost.allocate_costs` and
    :func:`~layermodel.analysis.reliability.availability` on both models.

    Complexity: O(components + dependencies) for the two allocations and the two
    availability rollups (one-pass bitsets, cached per model).
    """
    old_index, new_index = before.component_index, after.component_index
    missing = 0

    def costed(
        ids: Iterable[str], index: Mapping[str, Component]
    ) -> tuple[tuple[str, float | None], ...]:
        nonlocal missing
        out: list[tuple[str, float | None]] = []
        for cid in ids:
            cost = index[cid].cost
            if cost is None:
                missing += 1
            out.append((cid, cost))
        out.sort(key=lambda pair: (-(pair[1] or 0.0), pair[0]))
        return tuple(out)

    freed = costed((cid for cid in old_index if cid not in new_index), old_index)
    added = costed((cid for cid in new_index if cid not in old_index), new_index)
    orphaned = costed(orphans, new_index)
    # The model before is the same for every what-if on it: its figures are kept.
    cost_before = cached(before, _COSTS[cost_method], lambda: allocate_costs(before, cost_method))
    cost_after = allocate_costs(after, cost_method)
    up_before = cached(before, _UP, lambda: product_availability(before))
    up_after = product_availability(after)
    rows = []
    for pid in dict.fromkeys([*before.product_index, *after.product_index]):
        old_cost = cost_before.products.get(pid)
        new_cost = cost_after.products.get(pid)
        old_up = up_before.get(pid)
        new_up = up_after.get(pid)
        product = after.product_index.get(pid) or before.product_index[pid]
        rows.append(
            ProductFigures(
                product=pid,
                cost_before=None if old_cost is None else old_cost.total,
                cost_after=None if new_cost is None else new_cost.total,
                share_before=None
                if old_cost is None
                else _share(old_cost.total, cost_before.allocated),
                share_after=None
                if new_cost is None
                else _share(new_cost.total, cost_after.allocated),
                availability_before=None if old_up is None else old_up.availability,
                availability_after=None if new_up is None else new_up.availability,
                target=product.availability_target,
            )
        )
    return Money(
        total_before=cost_before.total,
        total_after=cost_after.total,
        freed=freed,
        orphaned=orphaned,
        added=added,
        products=tuple(rows),
        without_cost=missing,
        costed=cost_before.unknown < len(before.components)
        or cost_after.unknown < len(after.components),
    )


_COSTS: dict[CostMethod, Key[CostReport]] = {
    "equal": Key("whatif:costs:equal"),
    "weighted": Key("whatif:costs:weighted"),
}
_UP: Key[dict[str, ProductAvailability]] = Key("whatif:availability")


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class WhatIf:
    """The effect of removing or replacing a component, or retiring a product."""

    kind: WhatIfKind
    description: str
    """One line saying what was changed."""
    after: Ecosystem
    """The model with the change applied."""
    products_affected: tuple[str, ...]
    """Products touched by the change, sorted: the users of a removed or replaced
    component, or the retired product."""
    footprint_changes: tuple[FootprintChange, ...]
    """Products whose footprint changed size, largest change first."""
    reuse_moves: tuple[ReuseMove, ...]
    """Components whose reuse count (number of users) changed, largest move first."""
    new_orphans: tuple[str, ...]
    """Components that had users before and have none after, sorted."""
    money: Money
    """The monthly cost freed, orphaned and added, and each product's cost share and
    availability before and after."""
    blast_radius: BlastRadius | None = None
    """For a removed component: what fails with it in the model before the change,
    through required dependencies."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (without the ``after`` model; save that with
        :func:`layermodel.save`)."""
        return {
            "kind": self.kind,
            "description": self.description,
            "products_affected": list(self.products_affected),
            "blast_radius": None if self.blast_radius is None else self.blast_radius.to_dict(),
            "footprint_changes": [c.to_dict() for c in self.footprint_changes],
            "reuse_moves": [m.to_dict() for m in self.reuse_moves],
            "new_orphans": list(self.new_orphans),
            "money": self.money.to_dict(),
        }

    def sections(self, limit: int = _SHOWN) -> list[Section]:
        """Report sections for text and Markdown; tables show at most ``limit`` rows."""
        lines = [
            f"Products affected ({len(self.products_affected)}): "
            + (_id_list(self.products_affected, limit) or "none"),
        ]
        if self.footprint_changes:
            lines.append(
                f"Footprints change size for {plural(len(self.footprint_changes), 'product')}."
            )
        lines.append(
            f"Reuse counts move for {plural(len(self.reuse_moves), 'component')}."
            if self.reuse_moves
            else "No reuse count moves."
        )
        lines.append(
            f"New orphans, used by no product any more ({len(self.new_orphans)}): "
            + _id_list(self.new_orphans, limit)
            if self.new_orphans
            else "No new orphans."
        )
        lines.extend(self.money.lines(limit))
        out = [Section(f"What if: {self.description}", lines=tuple(lines))]
        out.append(self.money.section(limit))
        if self.blast_radius is not None:
            out.extend(self.blast_radius.sections(limit))
        if self.footprint_changes:
            out.append(
                Section(
                    "Footprint changes (components per product)",
                    tables=(
                        table(
                            ["product", "before", "after", "change"],
                            [
                                (c.product, c.before, c.after, f"{c.change:+d}")
                                for c in self.footprint_changes
                            ],
                            "lrrr",
                            limit,
                        ),
                    ),
                )
            )
        if self.reuse_moves:
            out.append(reuse_section("Reuse moves (users per component)", self.reuse_moves, limit))
        return out


# -- building the changed model --------------------------------------------------------


def _rebuild(
    ecosystem: Ecosystem, components: Iterable[Component], products: Iterable[Product]
) -> Ecosystem:
    """A model like ``ecosystem`` with other components and products, validated."""
    fields = {name: getattr(ecosystem, name) for name in type(ecosystem).model_fields}
    fields["components"] = tuple(components)
    fields["products"] = tuple(products)
    return type(ecosystem)(**fields)


def _footprint_changes(before: Ecosystem, after: Ecosystem) -> tuple[FootprintChange, ...]:
    """Products whose footprint size changed. Both models list the same products in
    the same order, so a product's bit is the same in both.

    Complexity: O(components) comparisons of bitsets, then work only for the
    components whose users changed, and one count per distinct users bitset.
    """
    ids = [p.id for p in before.products]
    old_bits = user_bits(before)
    new_bits = user_bits(after)
    delta = [0] * len(ids)
    for cid, old in old_bits.items():
        new = new_bits.get(cid, 0)
        if new != old:
            for i in bit_positions(old & ~new):
                delta[i] -= 1
            for i in bit_positions(new & ~old):
                delta[i] += 1
    for cid, new in new_bits.items():
        if cid not in old_bits:
            for i in bit_positions(new):
                delta[i] += 1
    if not any(delta):
        return ()
    # Footprint sizes counted once per distinct users bitset, not once per component.
    sizes = [0] * len(ids)
    for bits, count in Counter(old_bits.values()).items():
        for i in bit_positions(bits):
            sizes[i] += count
    changes = [
        FootprintChange(ids[i], sizes[i], sizes[i] + d) for i, d in enumerate(delta) if d != 0
    ]
    changes.sort(key=lambda c: (-abs(c.change), c.product))
    return tuple(changes)


def _new_orphans(before: Ecosystem, after: Ecosystem) -> tuple[str, ...]:
    old_bits = user_bits(before)
    return tuple(
        sorted(cid for cid, bits in user_bits(after).items() if not bits and old_bits.get(cid))
    )


def _users(ecosystem: Ecosystem, component_id: str) -> tuple[str, ...]:
    ids = [p.id for p in ecosystem.products]
    return tuple(sorted(members(user_bits(ecosystem)[component_id], ids)))


# -- the what-ifs -----------------------------------------------------------------------


def remove_component(
    ecosystem: Ecosystem, component_id: str, *, cost_method: CostMethod = "equal"
) -> WhatIf:
    """What if this component were removed?

    The model after drops the component, every dependency on it and every product
    use of it. The report gives its blast radius in the model before (what fails with
    it through required dependencies), the products whose footprint shrinks, the
    components whose reuse count moves, and the new orphans.

    Args:
        ecosystem: the model before.
        component_id: the component to remove.
        cost_method: how shared costs are split for the money figures,
            ``"equal"`` or ``"weighted"`` (see :func:`~layermodel.analysis.cost.allocate_costs`).

    Raises:
        KeyError: no such component (the message suggests a near match).

    Complexity: O(components + dependencies) to build the model after and to trace
    the blast radius, plus the cached one-pass users bitsets of both models.
    """
    removed = ecosystem.component(component_id)
    dependents = set(ecosystem.dependents(component_id))
    users_of = set(ecosystem.direct_products(component_id))
    components = [
        c.model_copy(
            update={"depends_on": tuple(d for d in c.depends_on if d.target != component_id)}
        )
        if c.id in dependents
        else c
        for c in ecosystem.components
        if c.id != component_id
    ]
    products = [
        p.model_copy(update={"uses": tuple(u for u in p.uses if u != component_id)})
        if p.id in users_of
        else p
        for p in ecosystem.products
    ]
    after = _rebuild(ecosystem, components, products)
    orphans = _new_orphans(ecosystem, after)
    return WhatIf(
        kind="remove-component",
        description=f"remove component {component_id} ({removed.layer}) from {ecosystem.name}",
        after=after,
        products_affected=_users(ecosystem, component_id),
        footprint_changes=_footprint_changes(ecosystem, after),
        reuse_moves=reuse_moves(ecosystem, after),
        new_orphans=orphans,
        money=what_it_costs(ecosystem, after, orphans, cost_method),
        blast_radius=blast_radius(ecosystem, component_id),
    )


def _redirected(
    dependencies: Sequence[Dependency], old_id: str, new_id: str, owner: str
) -> tuple[Dependency, ...]:
    """Dependencies with ``old_id`` pointed at ``new_id``. An existing dependency on
    ``new_id`` is kept as it is (the one on ``old_id`` is dropped), and so is
    ``new_id``'s own dependency on ``old_id`` (it would depend on itself)."""
    keeps_new = owner == new_id or any(d.target == new_id for d in dependencies)
    out = []
    for d in dependencies:
        if d.target == old_id:
            if keeps_new:
                continue
            d = d.model_copy(update={"target": new_id})
        out.append(d)
    return tuple(out)


def replace_component(
    ecosystem: Ecosystem, old_id: str, new_id: str, *, cost_method: CostMethod = "equal"
) -> WhatIf:
    """What if every use of one component moved to another?

    Every dependency on ``old_id`` and every product use of it is redirected to
    ``new_id``, keeping the dependency's attributes (kind, required, description).
    Where a component or product already uses ``new_id`` the duplicate is dropped,
    as is a dependency of ``new_id`` on ``old_id``. Then ``old_id`` is removed, with
    its own dependencies. The report gives the reuse-count moves (``new_id`` gains the
    users of ``old_id``), the products affected (the users of ``old_id``), the
    footprint changes and the new orphans (for example what only ``old_id`` needed).

    Args:
        ecosystem: the model before.
        old_id: the component to replace.
        new_id: the component that takes over.
        cost_method: how shared costs are split for the money figures,
            ``"equal"`` or ``"weighted"`` (see :func:`~layermodel.analysis.cost.allocate_costs`).

    Raises:
        KeyError: either component does not exist.
        ValueError: ``old_id`` and ``new_id`` are the same.

    Complexity: O(components + dependencies) to build the model after, plus the
    cached one-pass users bitsets of both models.
    """
    old = ecosystem.component(old_id)
    new = ecosystem.component(new_id)
    if old_id == new_id:
        raise ValueError(f"cannot replace component {old_id!r} with itself")
    dependents = set(ecosystem.dependents(old_id))
    users_of = set(ecosystem.direct_products(old_id))
    components = [
        c.model_copy(update={"depends_on": _redirected(c.depends_on, old_id, new_id, c.id)})
        if c.id in dependents
        else c
        for c in ecosystem.components
        if c.id != old_id
    ]
    products = [
        p.model_copy(
            update={"uses": tuple(dict.fromkeys(new_id if u == old_id else u for u in p.uses))}
        )
        if p.id in users_of
        else p
        for p in ecosystem.products
    ]
    after = _rebuild(ecosystem, components, products)
    orphans = _new_orphans(ecosystem, after)
    return WhatIf(
        kind="replace-component",
        description=(
            f"replace component {old_id} ({old.layer}) with {new_id} ({new.layer}) "
            f"in {ecosystem.name}"
        ),
        after=after,
        products_affected=_users(ecosystem, old_id),
        footprint_changes=_footprint_changes(ecosystem, after),
        reuse_moves=reuse_moves(ecosystem, after),
        new_orphans=orphans,
        money=what_it_costs(ecosystem, after, orphans, cost_method),
    )


def retire_product(
    ecosystem: Ecosystem, product_id: str, *, cost_method: CostMethod = "equal"
) -> WhatIf:
    """What if this product were retired?

    The model after drops the product; its components stay. The report gives the
    new orphans (components no remaining product uses: candidates to switch off) and
    the components whose reuse count drops.

    Args:
        ecosystem: the model before.
        product_id: the product to retire.
        cost_method: how shared costs are split for the money figures,
            ``"equal"`` or ``"weighted"`` (see :func:`~layermodel.analysis.cost.allocate_costs`).

    Raises:
        KeyError: no such product.

    Complexity: O(components) to build the model after, plus the cached one-pass
    users bitsets of both models.
    """
    product = ecosystem.product(product_id)
    after = _rebuild(
        ecosystem, ecosystem.components, (p for p in ecosystem.products if p.id != product_id)
    )
    orphans = _new_orphans(ecosystem, after)
    return WhatIf(
        kind="retire-product",
        description=f"retire product {product.label} ({product_id}) from {ecosystem.name}",
        after=after,
        products_affected=(product_id,),
        footprint_changes=(),
        reuse_moves=reuse_moves(ecosystem, after),
        new_orphans=orphans,
        money=what_it_costs(ecosystem, after, orphans, cost_method),
    )


def share_component(
    ecosystem: Ecosystem,
    component_id: str,
    product_ids: Iterable[str],
    *,
    cost_method: CostMethod = "equal",
) -> WhatIf:
    """What if these products used this component too?

    Each product named adds ``component_id`` to its ``uses``: it now runs on the
    component and everything the component depends on, and pays a share of it. The
    report gives the footprint changes, the reuse moves (the component gains users)
    and the money: the component's cost is split among more products.

    Args:
        ecosystem: the model before.
        component_id: the component to share.
        product_ids: the products that adopt it.
        cost_method: how shared costs are split for the money figures.

    Raises:
        KeyError: no such component or product.

    Complexity: O(components + dependencies) to build the model after, plus the
    cached one-pass users bitsets of both models.
    """
    ecosystem.component(component_id)
    adopters = list(dict.fromkeys(product_ids))
    for pid in adopters:
        ecosystem.product(pid)
    chosen = set(adopters)
    products = [
        p.model_copy(update={"uses": (*p.uses, component_id)})
        if p.id in chosen and component_id not in p.uses
        else p
        for p in ecosystem.products
    ]
    after = _rebuild(ecosystem, ecosystem.components, products)
    orphans = _new_orphans(ecosystem, after)
    return WhatIf(
        kind="share-component",
        description=(
            f"share component {component_id} with {', '.join(adopters) or 'no product'} "
            f"in {ecosystem.name}"
        ),
        after=after,
        products_affected=tuple(sorted(chosen | set(_users(ecosystem, component_id)))),
        footprint_changes=_footprint_changes(ecosystem, after),
        reuse_moves=reuse_moves(ecosystem, after),
        new_orphans=orphans,
        money=what_it_costs(ecosystem, after, orphans, cost_method),
    )


def move_component(
    ecosystem: Ecosystem, component_id: str, layer: str, *, cost_method: CostMethod = "equal"
) -> WhatIf:
    """What if this component sat in another layer?

    Only the component's ``layer`` changes; who uses it, what it costs and what fails
    with it stay the same, so the report is about the layering rules (run
    :func:`~layermodel.analysis.layering.violations` on ``after``) and the reuse
    level of each layer.

    Args:
        ecosystem: the model before.
        component_id: the component to move.
        layer: the layer it moves to.
        cost_method: how shared costs are split for the money figures.

    Raises:
        KeyError: no such component.
        ValueError: no such layer, or the component is in that layer already.

    Complexity: O(components + dependencies) to build the model after.
    """
    component = ecosystem.component(component_id)
    layers = {item.id for item in ecosystem.layers}
    if layer not in layers:
        raise ValueError(f"no layer {layer!r}; expected one of {', '.join(sorted(layers))}")
    if component.layer == layer:
        raise ValueError(f"component {component_id!r} is in layer {layer!r} already")
    components = [
        c.model_copy(update={"layer": layer}) if c.id == component_id else c
        for c in ecosystem.components
    ]
    after = _rebuild(ecosystem, components, ecosystem.products)
    return WhatIf(
        kind="move-component",
        description=(
            f"move component {component_id} from {component.layer} to {layer} in {ecosystem.name}"
        ),
        after=after,
        products_affected=_users(ecosystem, component_id),
        footprint_changes=(),
        reuse_moves=(),
        new_orphans=(),
        money=what_it_costs(ecosystem, after, (), cost_method),
    )


# -- launch plans -----------------------------------------------------------------------


ByLayer = tuple[tuple[str, tuple[str, ...]], ...]
"""(layer id, component ids) pairs in layer order, ids sorted, empty layers left out."""


@dataclass(frozen=True)
class ProductLaunch:
    """The launch plan of one new product: what it reuses and what must be built."""

    id: str
    name: str
    footprint: tuple[str, ...]
    """Every component the product runs on, in the model after, sorted."""
    reused_by_layer: ByLayer
    """Footprint components that already exist in the model before, per layer."""
    to_build_by_layer: ByLayer
    """Footprint components that do not exist yet, per layer."""
    reuse_percent: float
    """100 × reused / footprint size (0 for an empty footprint)."""
    shares_most_with: tuple[tuple[str, int], ...]
    """Up to three existing products with the most components in common:
    (product id, shared component count), most first."""
    running_cost: float = 0.0
    """The product's monthly cost in the model after: its share of every component
    it runs on (:func:`~layermodel.analysis.cost.allocate_costs`)."""
    reused_cost: float = 0.0
    """The part of ``running_cost`` paid for components that already exist."""
    build_costs: tuple[tuple[str, float | None], ...] = ()
    """The components to build with their whole monthly cost (None if not stated),
    in layer order."""
    availability: float = 1.0
    """Estimated availability in the model after (serial, required footprint)."""
    availability_target: float | None = None
    """The product's ``availability_target``, if it states one."""

    @property
    def reused_cost_share(self) -> float:
        """``reused_cost / running_cost`` (0 when the product costs nothing)."""
        return self.reused_cost / self.running_cost if self.running_cost else 0.0

    @property
    def build_cost(self) -> float:
        """Monthly cost of what must be built (components without a cost count 0)."""
        return sum(cost or 0.0 for _, cost in self.build_costs)

    @property
    def meets_target(self) -> bool | None:
        """Whether the estimated availability reaches the target (None without one)."""
        if self.availability_target is None:
            return None
        return self.availability >= self.availability_target * (1 - 1e-12)

    def money_line(self) -> str:
        """Running cost, the share of it reused, what building costs, and availability
        against the target, in one line."""
        if not self.running_cost and all(cost is None for _, cost in self.build_costs):
            text = "No costs stated"
        else:
            text = (
                f"Runs on {fmt_money(self.running_cost)} a month, "
                f"{self.reused_cost_share:.0%} of it for components that exist already"
            )
        if self.build_costs and text != "No costs stated":
            unknown = sum(1 for _, cost in self.build_costs if cost is None)
            if unknown == len(self.build_costs):
                text += "; what it must build states no cost"
            else:
                text += f"; what it must build costs {fmt_money(self.build_cost)} a month"
                if unknown:
                    text += f" ({plural(unknown, 'component')} of it without a cost)"
        text += f". Estimated availability {self.availability:.4%}"
        if self.availability_target is None:
            return text + " (no availability_target)."
        verdict = "meets" if self.meets_target else "misses"
        return text + f", which {verdict} its target of {self.availability_target:.4%}."

    @property
    def reused(self) -> tuple[str, ...]:
        """The reused components, in layer order."""
        return tuple(cid for _, ids in self.reused_by_layer for cid in ids)

    @property
    def to_build(self) -> tuple[str, ...]:
        """The components to build, in layer order."""
        return tuple(cid for _, ids in self.to_build_by_layer for cid in ids)

    def summary(self, limit: int = 10) -> str:
        """One line for a product manager, e.g. ``Telegram: reuses 9 of 11 components
        (82%); build 2: telegram-adapter (ui), telegram-bot-api (infrastructure)``."""
        text = (
            f"{self.name}: reuses {len(self.reused):,} of "
            f"{plural(len(self.footprint), 'component')}"
            f" ({self.reuse_percent:.0f}%)"
        )
        build = [f"{cid} ({layer})" for layer, ids in self.to_build_by_layer for cid in ids]
        if not build:
            return text + "; nothing to build"
        return text + f"; build {len(build)}: " + _id_list(build, limit)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "footprint": list(self.footprint),
            "reused": {layer: list(ids) for layer, ids in self.reused_by_layer},
            "to_build": {layer: list(ids) for layer, ids in self.to_build_by_layer},
            "reused_count": len(self.reused),
            "to_build_count": len(self.to_build),
            "reuse_percent": self.reuse_percent,
            "shares_most_with": [
                {"product": pid, "shared": count} for pid, count in self.shares_most_with
            ],
            "running_cost": self.running_cost,
            "reused_cost": self.reused_cost,
            "reused_cost_share": self.reused_cost_share,
            "build_cost": self.build_cost,
            "to_build_costs": [{"component": c, "cost": v} for c, v in self.build_costs],
            "availability": self.availability,
            "availability_target": self.availability_target,
            "meets_target": self.meets_target,
        }


@dataclass(frozen=True)
class LaunchPlan:
    """Launch plans of one or more new products."""

    after: Ecosystem
    """The model with the new products."""
    products: tuple[ProductLaunch, ...]
    """One plan per new product, in the order of the model after."""
    new_components: tuple[str, ...]
    """Components in the model after that the model before lacks, sorted."""
    money: Money | None = None
    """The cost added, and every product's cost share and availability before and
    after (existing products' shares fall as the new ones share their components)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (without the ``after`` model)."""
        return {
            "kind": "add-products",
            "products": {p.id: p.to_dict() for p in self.products},
            "new_components": list(self.new_components),
            "money": None if self.money is None else self.money.to_dict(),
        }

    def sections(self, limit: int = _SHOWN) -> list[Section]:
        """One section per new product: the summary line, the products it shares
        most with, and per layer what it reuses and what must be built."""
        if not self.products:
            return [Section("Launch plan", lines=("No new products.",))]
        labels = {p.id: p.label for p in self.after.products}
        layer_labels = {layer.id: layer.label for layer in self.after.layers}
        out = []
        for plan in self.products:
            lines = [plan.summary(limit), plan.money_line()]
            if plan.shares_most_with:
                lines.append(
                    "Shares most with: "
                    + ", ".join(
                        f"{labels.get(pid, pid)} ({plural(count, 'component')})"
                        for pid, count in plan.shares_most_with
                    )
                )
            reused, build = dict(plan.reused_by_layer), dict(plan.to_build_by_layer)
            costs = dict(plan.build_costs)

            def built(ids: Sequence[str], costs: dict[str, float | None] = costs) -> str:
                named = [
                    cid if costs.get(cid) is None else f"{cid} ({fmt_money(costs[cid] or 0)})"
                    for cid in ids
                ]
                return _id_list(named, limit) or "-"

            rows = [
                (
                    layer_labels[lid],
                    _id_list(reused.get(lid, ()), limit) or "-",
                    built(build.get(lid, ())),
                )
                for lid in layer_labels
                if lid in reused or lid in build
            ]
            out.append(
                Section(
                    f"Launch plan: {plan.name}",
                    lines=tuple(lines),
                    tables=(
                        table(
                            [
                                "layer",
                                "reuse",
                                "build (cost a month)"
                                if any(cost is not None for _, cost in plan.build_costs)
                                else "build",
                            ],
                            rows,
                        ),
                    )
                    if rows
                    else (),
                )
            )
        if self.money is not None:
            lines = self.money.lines(limit)
            out.append(
                Section(
                    "What the launch costs"
                    if self.money.costed
                    else "Availability after the launch",
                    lines=tuple(lines),
                    tables=self.money.section(limit).tables,
                )
            )
        return out


def _by_layer(ids: Iterable[str], ecosystem: Ecosystem) -> ByLayer:
    grouped: dict[str, list[str]] = {layer.id: [] for layer in ecosystem.layers}
    index = ecosystem.component_index
    for cid in ids:
        grouped[index[cid].layer].append(cid)
    return tuple((lid, tuple(sorted(v))) for lid, v in grouped.items() if v)


def add_products(
    before: Ecosystem,
    after: Ecosystem,
    product_ids: Iterable[str] | None = None,
    *,
    cost_method: CostMethod = "equal",
) -> LaunchPlan:
    """Launch plans for products that ``after`` has and ``before`` lacks.

    ``after`` already holds the new products and their new components, for example
    ``layermodel.load("model.yaml", "telegram.yaml")``. For each new product: its
    footprint in ``after``; the components of it that already exist in ``before``
    (reused) and those that do not (to build), each per layer in layer order; the
    share reused; and the three existing products it shares most components with.

    Args:
        before: the model today.
        after: the model with the new products.
        product_ids: the products to plan; by default every product of ``after``
            whose id is not in ``before``.
        cost_method: how shared costs are split for the money figures,
            ``"equal"`` or ``"weighted"`` (see :func:`~layermodel.analysis.cost.allocate_costs`).

    Raises:
        KeyError: a product id is not in ``after``.

    Complexity: the cached one-pass users bitsets of ``after``, then one pass over its
    components, O(components + sum of the new products' footprints), and one count per
    distinct users bitset within each new footprint.
    """
    existing = before.product_index
    if product_ids is None:
        wanted = [p.id for p in after.products if p.id not in existing]
    else:
        wanted = list(dict.fromkeys(product_ids))
        for pid in wanted:
            after.product(pid)
    position = {p.id: i for i, p in enumerate(after.products)}
    new_set = set(wanted)
    new_mask = sum(1 << position[pid] for pid in wanted)
    old_mask = sum(
        1 << i for i, p in enumerate(after.products) if p.id in existing and p.id not in new_set
    )
    feet: dict[int, list[str]] = {position[pid]: [] for pid in wanted}
    shared_patterns: dict[int, Counter[int]] = {position[pid]: Counter() for pid in wanted}
    bits = user_bits(after)
    if new_mask:
        for c in after.components:
            b = bits[c.id]
            if b & new_mask:
                for i in bit_positions(b & new_mask):
                    feet[i].append(c.id)
                    shared_patterns[i][b & old_mask] += 1

    ids = [p.id for p in after.products]
    known = before.component_index
    shares = cost_shares(after, wanted, cost_method)
    up = product_availability(after)
    index = after.component_index
    plans = []
    for pid in sorted(wanted, key=position.__getitem__):
        i = position[pid]
        footprint = feet[i]
        reused = [cid for cid in footprint if cid in known]
        to_build = [cid for cid in footprint if cid not in known]
        shared = [0] * len(ids)
        for pattern, count in shared_patterns[i].items():
            for j in bit_positions(pattern):
                shared[j] += count
        top = sorted((j for j in range(len(ids)) if shared[j]), key=lambda j: (-shared[j], j))[:3]
        plans.append(
            ProductLaunch(
                id=pid,
                name=after.product(pid).label,
                footprint=tuple(sorted(footprint)),
                reused_by_layer=_by_layer(reused, after),
                to_build_by_layer=_by_layer(to_build, after),
                reuse_percent=100 * len(reused) / len(footprint) if footprint else 0.0,
                shares_most_with=tuple((ids[j], shared[j]) for j in top),
                running_cost=sum(shares[pid].values()),
                reused_cost=sum(v for cid, v in shares[pid].items() if cid in known),
                build_costs=tuple(
                    (cid, index[cid].cost)
                    for _, layer_ids in _by_layer(to_build, after)
                    for cid in layer_ids
                ),
                availability=up[pid].availability,
                availability_target=after.product(pid).availability_target,
            )
        )
    return LaunchPlan(
        after=after,
        products=tuple(plans),
        new_components=tuple(sorted(cid for cid in after.component_index if cid not in known)),
        money=what_it_costs(before, after, (), cost_method),
    )


def add_product(
    ecosystem: Ecosystem,
    product: Product,
    components: Iterable[Component] = (),
    *,
    cost_method: CostMethod = "equal",
) -> LaunchPlan:
    """The launch plan of one new product, with any new components it brings.

    Builds the model after (``ecosystem`` plus ``product`` and ``components``) and
    calls :func:`add_products`.

    Example:
        >>> import layermodel as lm
        >>> from layermodel.analysis.whatif import add_product
        >>> plan = add_product(
        ...     lm.example(),
        ...     lm.Product(id="photos", name="Google Photos", uses=["photos-app"]),
        ...     [lm.Component(id="photos-app", layer="ui", depends_on=["api-gateway"])],
        ... )
        >>> plan.products[0].summary()
        'Google Photos: reuses 3 of 4 components (75%); build 1: photos-app (ui)'

    Raises:
        ModelError: the model after is invalid (a duplicate id, an unknown reference).

    Complexity: that of building the model after, plus :func:`add_products`.
    """
    after = _rebuild(
        ecosystem, (*ecosystem.components, *components), (*ecosystem.products, product)
    )
    return add_products(ecosystem, after, [product.id], cost_method=cost_method)
