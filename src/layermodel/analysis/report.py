"""The full portfolio analysis: every analysis run once, as one typed report that
renders as text, Markdown or JSON (``schema_version`` 1, documented in
docs/analysis.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from layermodel.analysis.advice import Advice, advise
from layermodel.analysis.cost import CostMethod, CostReport, allocate_costs
from layermodel.analysis.impact import (
    Dominators,
    SinglePointsOfFailure,
    all_dominators,
    single_points_of_failure,
)
from layermodel.analysis.precomputed import offered_blast_figures
from layermodel.analysis.reliability import AvailabilityReport, availability
from layermodel.analysis.reuse import (
    ComponentTable,
    ReuseReport,
    Similarity,
    commonality_class,
    orphans,
    reuse,
    similarity,
)
from layermodel.analysis.sections import (
    Section,
    fmt_money,
    fmt_percent,
    render_markdown,
    render_text,
    table,
)
from layermodel.analysis.structure import CouplingReport, coupling
from layermodel.errors import plural
from layermodel.graph import (
    blast_components,
    blast_ranks,
    compact,
    members,
    user_bit_list,
    weight_of,
)

if TYPE_CHECKING:
    from layermodel.analysis.layering import CycleReport, LayeringReport
    from layermodel.model.entities import Ecosystem

__all__ = ["ADVICE_MAX", "SCHEMA_VERSION", "STEPS", "Analysis", "analyze"]

SCHEMA_VERSION = 1
"""Version of the JSON report format; bumped only on incompatible changes."""

ADVICE_MAX = 2_000
"""Up to this many components, :func:`analyze` finds the platform opportunities by
default (:func:`~layermodel.analysis.advice.advise` applies each as a what-if, a model
rebuild each); above it, ``layermodel advise`` or ``analyze(..., advice=True)``."""

ADVICE_LIMIT = 5
"""Opportunities of each kind :func:`analyze` lists (``layermodel advise`` lists more)."""

STEPS = (
    "users and footprints",
    "reuse",
    "layering rules",
    "cycles",
    "blast radius",
    "gateways",
    "availability",
    "costs",
    "structure",
    "similarity",
    "platform opportunities",
)
"""The steps of :func:`analyze`, in order, as reported to a progress callback. (When
blast-radius figures are offered, "structure" and "blast radius" come last: see
:mod:`layermodel.analysis.precomputed`.)"""


@dataclass(frozen=True)
class Analysis:
    """Everything layermodel can tell about a portfolio.

    ``product`` set means the report focuses on that product: its footprint, its
    violations, its figures.
    """

    ecosystem: Ecosystem
    reuse: ReuseReport
    layering: LayeringReport
    cycles: CycleReport
    blast: Mapping[str, tuple[tuple[str, ...], tuple[str, ...], float]]
    """Per component: (components failed, products failed, weight failed)."""
    failures: SinglePointsOfFailure
    gateways: dict[str, Dominators]
    """Per product, when computed: the focused product's, or all with ``gateways=True``."""
    availability: AvailabilityReport
    costs: CostReport
    structure: CouplingReport
    similarity: Similarity
    product: str | None = None
    advice: Advice | None = None
    """Platform opportunities, when computed (see :data:`ADVICE_MAX`)."""

    def orphans(self) -> list[tuple[str, str, float | None]]:
        """(component, layer, monthly cost) of every component no product uses, the
        costliest first, then by id."""
        return orphans(self.ecosystem)

    # -- focus --------------------------------------------------------------------------

    def _in_focus(self) -> set[str] | None:
        if self.product is None:
            return None
        return set(self.reuse.products[self.product].footprint)

    def _products(self) -> list[str]:
        return [self.product] if self.product is not None else list(self.reuse.products)

    # -- JSON ----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (schema_version 1); lists of ids are sorted."""
        return self._document(self._components_dict())

    def to_json(self) -> str:
        """The JSON report as text, exactly ``json.dumps(self.to_dict(),
        ensure_ascii=False)``, but written from the compact per-component arrays
        without building the per-component lists (millions of ids on a large
        portfolio) as Python objects first."""
        table = self.reuse.components
        if not isinstance(table, ComponentTable):
            return _dumps(self.to_dict())
        parts: list[str] = []
        fill = None
        for key, value in self._document({}).items():
            parts.append(", " if parts else "{")
            parts.append(f"{_string(key)}: ")
            if key == "components":
                fill = self._components_json(table, parts)
            else:
                parts.append(_dumps(value))
        if fill is not None:
            fill()
        parts.append("}")
        return "".join(parts)

    def _components_json(
        self, table: ComponentTable, parts: list[str]
    ) -> Callable[[], None] | None:
        """Append the ``components`` object of the report to ``parts``, as JSON text.

        When blast-radius figures are offered (:mod:`layermodel.analysis.precomputed`),
        the blast radius lists are left as empty slots, and the function returned
        fills them from the offered texts: call it last, so that everything else is
        written meanwhile.
        """
        eco = self.ecosystem
        focus = self._in_focus()
        structure = self.structure.components
        ids = compact(eco).ids
        enc = _string
        quoted = [enc(cid) for cid in ids]
        offered = offered_blast_figures(eco)
        blast: list[list[int]] = [] if offered is not None else blast_ranks(eco)
        by_rank: list[str] = [] if offered is not None else _by_rank(eco, quoted)
        slots: list[int] = []
        product_ids = [p.id for p in eco.products]
        weights = [p.weight for p in eco.products]
        total = len(product_ids)

        def listed(bits: int) -> str:
            names = sorted(members(bits, product_ids))
            return "[" + ", ".join(map(enc, names)) + "]"

        # Everything that depends only on a bitset of products is written once per
        # distinct bitset: a portfolio has far fewer of those than components.
        reused: dict[int, tuple[str, str]] = {}
        failing: dict[int, str] = {}
        layer_text = {layer: enc(layer) for layer in dict.fromkeys(table.layers)}
        direct = {i: "[" + ", ".join(map(enc, who)) + "]" for i, who in table.direct.items()}
        direct_count = {i: len(who) for i, who in table.direct.items()}
        users, dependents, layers = table.bits, table.dependents, table.layers
        required = user_bit_list(eco, True)
        add = parts.append
        add("{")
        sep = ""
        for i, cid in enumerate(ids):
            if focus is not None and cid not in focus:
                continue
            bits = users[i]
            found = reused.get(bits)
            if found is None:
                n = bits.bit_count()
                found = reused[bits] = (
                    f'"users": {listed(bits)}, "reuse_count": {n}, ',
                    f'"commonality": {(n / total if total else 0.0)!r}, '
                    f'"commonality_class": {enc(commonality_class(n, total))}, '
                    '"blast_radius": {"components": ',
                )
            near = dependents[i]
            add(
                f"{sep}{quoted[i]}: "
                f'{{"layer": {layer_text[layers[i]]}, '
                f'"direct_users": {direct.get(i, "[]")}, '
                f'"dependents": {_listed(quoted, near)}, '
                f"{found[0]}"
                f'"direct_reuse_count": {direct_count.get(i, 0) + len(near)}, '
                f"{found[1]}"
            )
            if offered is None:
                add(_listed(by_rank, blast[i]))  # the bulk of the report: not copied again
            else:
                slots.append(len(parts))
                add("")
            failed = required[i]
            tail = failing.get(failed)
            if tail is None:
                tail = failing[failed] = (
                    f', "products": {listed(failed)}, '
                    f'"weight": {_number(weight_of(failed, weights))}}}, '
                )
            k = structure[cid]
            add(f'{tail}"ca": {k.ca}, "ce": {k.ce}, "instability": {k.instability!r}}}')
            sep = ", "
        add("}")
        if offered is None:
            return None
        chosen = offered

        def fill() -> None:
            texts = chosen.texts()
            if texts is None:  # not to be had: the same texts, computed here
                ranks, named = blast_ranks(eco), _by_rank(eco, quoted)
                texts = [_listed(named, r) for r in ranks]
            at = iter(slots)
            for i, cid in enumerate(ids):
                if focus is None or cid in focus:
                    parts[next(at)] = texts[i]

        return fill

    def _components_dict(self) -> dict[str, Any]:
        eco = self.ecosystem
        focus = self._in_focus()
        structure = self.structure.components
        components = {}
        for c in eco.components:
            if focus is not None and c.id not in focus:
                continue
            r = self.reuse.components[c.id]
            failed, failed_products, weight = self.blast[c.id]
            k = structure[c.id]
            components[c.id] = {
                "layer": c.layer,
                "direct_users": list(r.direct_users),
                "dependents": list(r.dependents),
                "users": list(r.users),
                "reuse_count": r.reuse_count,
                "direct_reuse_count": r.direct_reuse_count,
                "commonality": r.commonality,
                "commonality_class": r.commonality_class,
                "blast_radius": {
                    "components": list(failed),
                    "products": list(failed_products),
                    "weight": weight,
                },
                "ca": k.ca,
                "ce": k.ce,
                "instability": k.instability,
            }
        return components

    def _document(self, components: dict[str, Any]) -> dict[str, Any]:
        """The JSON report around the given ``components`` object."""
        eco = self.ecosystem
        focus = self._in_focus()
        products = {}
        for pid in self._products():
            pr = self.reuse.products[pid]
            a = self.availability.products[pid]
            cost = self.costs.products[pid]
            products[pid] = {
                "name": eco.product(pid).label,
                "weight": eco.product(pid).weight,
                "footprint": list(pr.footprint),
                "reused": pr.reused,
                "reuse_level": pr.reuse_level,
                "reuse_level_by_layer": pr.reuse_level_by_layer,
                "availability": a.availability,
                "weakest_links": [{"component": cid, "availability": v} for cid, v in a.weakest],
                "cost": cost.total,
                "cost_own": cost.own,
                "cost_shared": cost.shared,
                "gateways": (
                    [{"component": cid, "dominates": n} for cid, n in self.gateways[pid].gateways]
                    if pid in self.gateways
                    else None
                ),
            }
        violations = [
            v
            for v in self.layering.to_dict()["violations"]
            if self.product is None or self.product in v["products"]
        ]
        cycles = [
            list(cycle)
            for cycle in self.cycles.cycles
            if focus is None or any(node in focus for node in cycle)
        ]
        reuse = self.reuse.portfolio_dict()
        return {
            "schema_version": SCHEMA_VERSION,
            "model": {
                "name": eco.name,
                "policy": eco.policy,
                "layers": [layer.id for layer in eco.layers],
                "components": len(eco.components),
                "dependencies": sum(len(c.depends_on) for c in eco.components),
                "products": len(eco.products),
            },
            "parameters": {
                "min_users": self.reuse.k,
                "product": self.product,
                "cost_method": self.costs.method,
            },
            "components": components,
            "products": products,
            "layers": reuse["layers"],
            "platforms": reuse["platforms"],
            "platform_candidates": _only(reuse["platform_candidates"], focus),
            "consolidation_candidates": reuse["consolidation_candidates"],
            "misplaced": _only(reuse["misplaced"], focus),
            "orphans": [
                {"component": cid, "layer": layer, "cost": cost}
                for cid, layer, cost in self.orphans()
            ],
            "advice": None if self.advice is None else self.advice.to_dict(),
            "violations": violations,
            "cycles": cycles,
            "feedback_edges": [list(e) for e in self.cycles.feedback_edges],
            "single_points_of_failure": [
                row
                for row in self.failures.to_dict()["ranking"]
                if focus is None or row["component"] in focus
            ],
            "availability": {"over_promises": self.availability.to_dict()["over_promises"]},
            "costs": {k: v for k, v in self.costs.to_dict().items() if k != "products"},
            "structure": self.structure.to_dict(),
            "similarity": self.similarity.to_dict(),
        }

    # -- text and Markdown ---------------------------------------------------------------

    def sections(self, limit: int = 25) -> list[Section]:
        """Report sections, most important first."""
        eco = self.ecosystem
        out: list[Section] = [self._summary()]
        if self.product is not None:
            out.extend(self._product_sections(self.product, limit))
            return out
        out.extend(self.reuse.sections(limit)[:3])
        out.append(self._advice_section(limit))
        out.extend(self._orphan_sections(limit))
        out.extend(self.layering.sections())
        out.extend(self.cycles.sections())
        out.extend(self.failures.sections(limit=10))
        out.extend(self.availability.sections(limit))
        out.extend(self.costs.sections(limit))
        if len(eco.products) > 1:
            out.extend(self.similarity.sections())
        out.extend(self.reuse.sections(limit)[3:])
        out.extend(self.structure.sections())
        return out

    def _advice_section(self, limit: int) -> Section:
        if self.advice is None:
            return Section(
                "Platform opportunities",
                lines=(
                    f"Not computed for a model of over {ADVICE_MAX:,} components: run "
                    "'layermodel advise MODEL'.",
                ),
            )
        sections = self.advice.sections(limit, platforms=False)
        if len(sections) == 1:
            return sections[0]
        ranked, effects = sections
        return Section(ranked.title, ranked.lines, (*ranked.tables, *effects.tables))

    def _orphan_sections(self, limit: int) -> list[Section]:
        rows = self.orphans()
        if not rows:
            return [Section("Orphans", lines=("None: every component is used by some product.",))]
        cost = sum(c or 0.0 for _, _, c in rows)
        unknown = sum(1 for _, _, c in rows if c is None)
        lines = [
            f"{plural(len(rows), 'component')} no product uses, costing {fmt_money(cost)} a "
            f"month: switch {'it' if len(rows) == 1 else 'them'} off, or give "
            f"{'it' if len(rows) == 1 else 'each'} a product."
        ]
        if unknown:
            lines.append(f"{plural(unknown, 'orphan')} without a cost.")
        return [
            Section(
                "Orphans",
                lines=tuple(lines),
                tables=(
                    table(
                        ["component", "layer", "cost a month"],
                        [
                            (cid, layer, "-" if c is None else fmt_money(c))
                            for cid, layer, c in rows
                        ],
                        "llr",
                        limit,
                    ),
                ),
            )
        ]

    def _summary(self) -> Section:
        eco = self.ecosystem
        shared = sum(1 for r in self.reuse.components.values() if r.reuse_count >= 2)
        shared_by = "is" if shared == 1 else "are"
        lines = [
            f"{eco.name}: {plural(len(eco.products), 'product')}, "
            f"{plural(len(eco.components), 'component')} "
            f"in {plural(len(eco.layers), 'layer')}, "
            f"{plural(sum(len(c.depends_on) for c in eco.components), 'dependency')}.",
            f"{plural(shared, 'component')} {shared_by} shared by 2 or more products"
            + (
                f"; {len(self.reuse.platform_candidates) + len(self.reuse.platforms):,} "
                f"by {self.reuse.k} or more."
                if self.reuse.k != 2
                else "."
            ),
            f"{plural(len(self.layering.violations), 'layering violation')}, "
            f"{plural(len(self.cycles.cycles), 'dependency cycle')}.",
        ]
        core = [cid for cid, r in self.reuse.components.items() if r.commonality_class == "core"]
        if core:
            shown = ", ".join(eco.component(c).label for c in core[:8])
            more = f" and {len(core) - 8:,} more" if len(core) > 8 else ""
            lines.append(f"Shared by all products: {shown}{more}.")
        return Section("Summary", lines=tuple(lines))

    def _product_sections(self, pid: str, limit: int) -> list[Section]:
        eco = self.ecosystem
        r = self.reuse.products[pid]
        a = self.availability.products[pid]
        cost = self.costs.products[pid]
        product = eco.product(pid)
        lines = (
            f"{product.label}: {plural(len(r.footprint), 'component')} in its footprint, "
            f"{r.reused} of them ({fmt_percent(r.reuse_level)}) shared with "
            f"{self.reuse.k - 1}+ other products.",
            f"Estimated availability {a.availability:.4%}; monthly cost {cost.total:,.0f} "
            f"({cost.shared:,.0f} of it for shared components).",
        )
        rows = []
        for layer in eco.layers:
            ids = [cid for cid in r.footprint if self.reuse.components[cid].layer == layer.id]
            for cid in ids:
                c = self.reuse.components[cid]
                others = [u for u in c.users if u != pid]
                rows.append((layer.id, cid, c.reuse_count, ", ".join(others) or "-"))
        out = [
            Section(
                f"Footprint of {pid}",
                lines=lines,
                tables=(
                    table(["layer", "component", "users", "shared with"], rows, "llrl", limit * 4),
                ),
            )
        ]
        mine = [v for v in self.layering.violations if pid in v.products]
        if mine:
            out.append(
                Section(
                    f"Layering violations in {pid}",
                    tables=(
                        table(
                            ["kind", "from", "to", "chain"],
                            [(v.kind, v.source, v.target, " -> ".join(v.chain)) for v in mine],
                            limit=limit,
                        ),
                    ),
                )
            )
        found = _provenance_rows(eco, r.footprint)
        if found:
            out.append(
                Section(
                    f"Where the footprint of {pid} was found",
                    lines=(
                        "Each component and dependency of a discovered model records the "
                        "places that showed it.",
                    ),
                    tables=(table(["component", "what", "found in"], found, "lll", limit * 4),),
                )
            )
        if pid in self.gateways:
            out.extend(self.gateways[pid].sections())
        return out

    def to_text(self, limit: int = 25) -> str:
        """The report as plain text, for terminals and pipes."""
        return render_text(self.sections(limit))

    def to_markdown(self, limit: int = 25) -> str:
        """The report as Markdown, for a wiki or a pull request."""
        return f"# Analysis of {self.ecosystem.name}\n\n" + render_markdown(self.sections(limit))


def _provenance_rows(eco: Ecosystem, footprint: Sequence[str]) -> list[tuple[str, str, str]]:
    """(component, what, where) for every provenance record of the footprint's
    components and their dependencies, in footprint order."""
    rows: list[tuple[str, str, str]] = []
    for cid in footprint:
        component = eco.component(cid)
        rows.extend((cid, "component", str(p)) for p in component.provenance)
        for dep in component.depends_on:
            rows.extend((cid, f"-> {dep.target}", str(p)) for p in dep.provenance)
    return rows


_dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
_string: Callable[[str], str] = json.encoder.encode_basestring
_INFINITY = float("inf")


def _listed(texts: list[str], where: list[int]) -> str:
    """The JSON array of ``texts[i]`` for each i in ``where``: the texts are JSON
    already."""
    if len(where) > 1:
        return "[" + ", ".join(itemgetter(*where)(texts)) + "]"
    return f"[{texts[where[0]]}]" if where else "[]"


def _by_rank(eco: Ecosystem, quoted: list[str]) -> list[str]:
    """The texts of ``quoted`` (one per component, in model order) in id order."""
    by_rank = [""] * len(quoted)
    for text, r in zip(quoted, compact(eco).rank(), strict=True):
        by_rank[r] = text
    return by_rank


def _number(x: float) -> str:
    """A number as ``json.dumps`` writes it."""
    if x.__class__ is float and -_INFINITY < x < _INFINITY:
        return float.__repr__(x)
    if x.__class__ is int:
        return int.__repr__(x)
    return _dumps(x)


class _BlastView(Mapping[str, tuple[tuple[str, ...], tuple[str, ...], float]]):
    """Per component id: (components failed, products failed, weight failed), built
    from the cached blast radii on first access."""

    def __init__(self, ecosystem: Ecosystem) -> None:
        self._ecosystem = ecosystem

    def __getitem__(self, key: str) -> tuple[tuple[str, ...], tuple[str, ...], float]:
        eco = self._ecosystem
        failed = blast_components(eco)[key]
        bits = user_bit_list(eco, True)[compact(eco).position[key]]
        products = tuple(sorted(members(bits, [p.id for p in eco.products])))
        return failed, products, weight_of(bits, [p.weight for p in eco.products])

    def __iter__(self) -> Iterator[str]:
        return iter(compact(self._ecosystem).ids)

    def __len__(self) -> int:
        return len(self._ecosystem.components)

    def __contains__(self, key: object) -> bool:
        return key in compact(self._ecosystem).position


def _only(ids: list[str], focus: set[str] | None) -> list[str]:
    return ids if focus is None else [i for i in ids if i in focus]


def analyze(
    ecosystem: Ecosystem,
    *,
    min_users: int = 2,
    cost_method: CostMethod = "equal",
    product: str | None = None,
    gateways: bool = False,
    advice: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> Analysis:
    """Run every analysis over the portfolio.

    Args:
        ecosystem: the model.
        min_users: k, how many products make a component reused (default 2).
        cost_method: ``"equal"`` or ``"weighted"`` cost shares.
        product: focus the report on one product (the analyses still see everything).
        gateways: compute the dominator gateways of every product; by default only the
            focused product's are computed, since their cost is the sum of all footprints.
        advice: find the platform opportunities
            (:func:`~layermodel.analysis.advice.advise`); by default only on a model
            of at most :data:`ADVICE_MAX` components.
        progress: called with the name of each step (see :data:`STEPS`) as it starts.

    Raises:
        KeyError: ``product`` is not in the model.
    """
    from layermodel.analysis.layering import cycles, violations

    if product is not None:
        ecosystem.product(product)
    step = progress or (lambda _name: None)
    step(STEPS[0])
    user_bit_list(ecosystem)
    user_bit_list(ecosystem, True)
    step(STEPS[1])
    reuse_report = reuse(ecosystem, min_users)
    step(STEPS[2])
    layering_report = violations(ecosystem)
    step(STEPS[3])
    cycle_report = cycles(ecosystem)
    # With blast-radius figures offered (the command line computes them in a second
    # process on a large model), the two steps that need them come last, to give the
    # figures time.
    deferred = offered_blast_figures(ecosystem) is not None
    if not deferred:
        step(STEPS[4])
        blast_ranks(ecosystem)
        failures = single_points_of_failure(ecosystem)
    step(STEPS[5])
    if gateways:
        gateway_report = all_dominators(ecosystem)
    elif product is not None:
        gateway_report = all_dominators(ecosystem, [product])
    else:
        gateway_report = {}
    step(STEPS[6])
    availability_report = availability(ecosystem)
    step(STEPS[7])
    costs = allocate_costs(ecosystem, cost_method)
    if not deferred:
        step(STEPS[8])
        structure = coupling(ecosystem)
    step(STEPS[9])
    similar = similarity(ecosystem)
    if deferred:
        step(STEPS[8])
        structure = coupling(ecosystem)
        step(STEPS[4])
        failures = single_points_of_failure(ecosystem)
    if advice is None:
        advice = len(ecosystem.components) <= ADVICE_MAX
    found = None
    if advice:
        step(STEPS[10])
        found = advise(ecosystem, cost_method=cost_method, limit=ADVICE_LIMIT)
    return Analysis(
        ecosystem=ecosystem,
        reuse=reuse_report,
        layering=layering_report,
        cycles=cycle_report,
        blast=_BlastView(ecosystem),
        failures=failures,
        gateways=gateway_report,
        availability=availability_report,
        costs=costs,
        structure=structure,
        similarity=similar,
        product=product,
        advice=found,
    )
