"""Analyses: pure functions over an ecosystem, each returning a typed result that
renders as text, Markdown (``sections()``) and JSON (``to_dict()``).

>>> import layermodel as lm
>>> from layermodel.analysis import analyze, blast_radius
>>> blast_radius(lm.example(), "distributed-db").products
('docs', 'maps', 'search')
"""

from layermodel.analysis.advice import Advice, Opportunity, advise
from layermodel.analysis.cost import CostReport, allocate_costs
from layermodel.analysis.diff import Diff, diff
from layermodel.analysis.footprint import footprints, users
from layermodel.analysis.impact import (
    BlastRadius,
    Dominators,
    SinglePointsOfFailure,
    blast_radius,
    dominators,
    single_points_of_failure,
)
from layermodel.analysis.layering import CycleReport, LayeringReport, Violation, cycles, violations
from layermodel.analysis.overview import summarize
from layermodel.analysis.precomputed import (
    BlastFigures,
    offer_blast_figures,
    offered_blast_figures,
    withdraw_blast_figures,
)
from layermodel.analysis.reliability import AvailabilityReport, availability
from layermodel.analysis.report import STEPS, Analysis, analyze
from layermodel.analysis.reuse import (
    ReuseReport,
    Similarity,
    orphans,
    reuse,
    shared_fate,
    similarity,
)
from layermodel.analysis.rollup import Rollup, rollup
from layermodel.analysis.sections import Section, fmt_money, render_markdown, render_text
from layermodel.analysis.structure import CouplingReport, coupling
from layermodel.analysis.whatif import (
    LaunchPlan,
    Money,
    WhatIf,
    add_product,
    add_products,
    move_component,
    remove_component,
    replace_component,
    retire_product,
    share_component,
)

__all__ = [
    "STEPS",
    "Advice",
    "Analysis",
    "AvailabilityReport",
    "BlastFigures",
    "BlastRadius",
    "CostReport",
    "CouplingReport",
    "CycleReport",
    "Diff",
    "Dominators",
    "LaunchPlan",
    "LayeringReport",
    "Money",
    "Opportunity",
    "ReuseReport",
    "Rollup",
    "Section",
    "Similarity",
    "SinglePointsOfFailure",
    "Violation",
    "WhatIf",
    "add_product",
    "add_products",
    "advise",
    "allocate_costs",
    "analyze",
    "availability",
    "blast_radius",
    "coupling",
    "cycles",
    "diff",
    "dominators",
    "fmt_money",
    "footprints",
    "move_component",
    "offer_blast_figures",
    "offered_blast_figures",
    "orphans",
    "remove_component",
    "render_markdown",
    "render_text",
    "replace_component",
    "retire_product",
    "reuse",
    "rollup",
    "share_component",
    "shared_fate",
    "similarity",
    "single_points_of_failure",
    "summarize",
    "users",
    "violations",
    "withdraw_blast_figures",
]
