"""The site's pages, as HTML text: home, one page per product, component, layer, group
and owner, the indexes, the reuse matrix, the layering violations, the check results,
Explore and search.

Each function takes the :class:`Context` (the analysed portfolio, the file names, the
optional history and drift) and returns the page. Pages in a folder
(``components/...``) reach the rest through ``../``; every href is relative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from layermodel.diagrams.theme import reuse_level, sourcing
from layermodel.site.figures import Portfolio, parents
from layermodel.site.inputs import TREND_COLUMNS, Drift, History
from layermodel.site.markup import Html, esc, join, link, page, table
from layermodel.site.names import Pages
from layermodel.site.pictures import sparkline

__all__ = ["SHOWN", "Context", "search_entries"]

SHOWN = 60
"""At most this many items of a long list are shown on a page, with the count of the
rest (blast radii can hold thousands of components)."""
MATRIX_ROWS = 400
"""The reuse matrix shows at most this many components, the most used first."""

_SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass
class Context:
    """What every page needs."""

    p: Portfolio
    pages: Pages
    history: History | None = None
    drift: Drift | None = None
    live: int | None = None
    """The preview server's version of the site, when it serves it."""
    pictures: dict[str, Html] = field(default_factory=dict)
    """Inline SVG per key: ``ecosystem`` (the home page's picture) and
    ``product:ID``."""
    notes: list[str] = field(default_factory=list)
    """Said on the home page: what the site left out and why."""
    _links: dict[tuple[str, str], Html] = field(default_factory=dict)
    _prods: dict[tuple[tuple[str, ...], str], Html] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.drift_of = self.drift.by_component() if self.drift is not None else {}

    # -- links --------------------------------------------------------------------------

    def comp(self, cid: str, root: str) -> Html:
        """A link to a component's page, shaded by its reuse."""
        key = (cid, root)
        found = self._links.get(key)
        if found is None:
            c = self.p.ecosystem.component_index.get(cid)
            if c is None:  # an id the model does not have (a drift record)
                found = Html('<span class="missing">{}</span>').format(cid)
            else:
                shade = reuse_level(self.p.reuse_count(cid), len(self.p.ecosystem.products))
                found = link(root + self.pages.component(cid), c.label, f"c r{shade}")
            self._links[key] = found
        return found

    def comps(self, ids: Sequence[str], root: str, limit: int = SHOWN) -> Html:
        """Links to components, at most ``limit`` of them, with the count of the rest."""
        if not ids:
            return Html('<span class="muted">none</span>')
        shown = " ".join([self.comp(cid, root) for cid in ids[:limit]])
        if len(ids) > limit:
            shown += f' <span class="muted">and {len(ids) - limit:,} more</span>'
        return Html(f'<span class="chips">{shown}</span>')

    def prod(self, pid: str, root: str) -> Html:
        """A link to a product's page."""
        key = ("\0" + pid, root)
        found = self._links.get(key)
        if found is None:
            product = self.p.ecosystem.product_index[pid]
            found = self._links[key] = link(root + self.pages.product(pid), product.label, "p")
        return found

    def prods(self, ids: Sequence[str], root: str) -> Html:
        """Links to products."""
        key = (tuple(ids), root)
        known = self._prods.get(key)
        if known is not None:
            return known
        found = [self.prod(pid, root) for pid in ids]
        if not found:
            return Html('<span class="muted">none</span>')
        made = self._prods[key] = Html(f'<span class="chips">{" ".join(found)}</span>')
        return made

    def layer(self, lid: str, root: str) -> Html:
        """A link to a layer's page."""
        return link(root + self.pages.layer(lid), self.p.ecosystem.layer_index[lid].label)

    def group_trail(self, path: str, root: str) -> Html:
        """Links to a group and each group above it: ``Payments / Risk``."""
        return join(
            (link(root + self.pages.group(g), g.rsplit("/", 1)[-1]) for g in parents(path)),
            " / ",
        )

    def owner(self, owner: str, root: str) -> Html:
        """A link to an owner's page."""
        return link(root + self.pages.owner(owner), owner)

    def explore(self, cid: str, root: str) -> Html:
        """A link to the component on the Explore page, highlighted."""
        return link(f"{root}explore.html#c={quote(cid, safe='')}", "Show in Explore", "button")

    def render(
        self,
        title: str,
        body: Html,
        root: str,
        crumbs: Sequence[tuple[str | None, str]] = (),
        scripts: Sequence[str] = (),
        body_class: str = "",
    ) -> str:
        """The whole page around ``body``."""
        return page(
            title=title,
            site_name=self.p.ecosystem.name,
            root=root,
            body=body,
            live=self.live,
            scripts=scripts,
            crumbs=crumbs,
            body_class=body_class,
        )


# -- shared pieces ------------------------------------------------------------------------


def _facts(rows: Iterable[tuple[str, Any]]) -> Html:
    items = "".join(
        f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows if v is not None and v != ""
    )
    return Html(f'<dl class="facts">{items}</dl>')


def _section(title: str, body: Any, anchor: str = "") -> Html:
    where = f' id="{esc(anchor)}"' if anchor else ""
    return Html(f"<section{where}><h2>{esc(title)}</h2>{esc(body)}</section>")


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _money(x: float) -> str:
    return f"{x:,.0f}"


def _number(x: float) -> str:
    return f"{x:,.4g}" if isinstance(x, float) and not x.is_integer() else f"{x:,.0f}"


def _external(url: str, text: str) -> Html:
    """An external link when the URL is http(s) or mailto; other schemes (such as
    ``javascript:``) are shown as text."""
    if url.lower().startswith(_SAFE_SCHEMES):
        return Html('<a class="external" href="{}" rel="noopener noreferrer">{}</a>').format(
            url, text
        )
    return Html("<span>{} <code>{}</code></span>").format(text, url)


def _cards(items: Iterable[tuple[str, Any, str]]) -> Html:
    return Html('<div class="cards">{}</div>').format(
        join(
            Html('<div class="card"><div class="figure">{}</div><div>{}</div>{}</div>').format(
                value, label, Html('<div class="muted">{}</div>').format(note) if note else ""
            )
            for label, value, note in items
        )
    )


def _violation_rows(ctx: Context, violations: Iterable[Any], root: str) -> list[tuple[Any, ...]]:
    return [
        (
            v.kind,
            ctx.comp(v.source, root),
            ctx.comp(v.target, root),
            join((ctx.comp(c, root) for c in v.chain), " → "),
            ctx.prods(v.products, root),
        )
        for v in violations
    ]


def _finding_rows(ctx: Context, findings: Iterable[Any], baselined: set[str]) -> list[Any]:
    return [
        (
            f.rule,
            f.message,
            f"{f.file}:{f.line}" if f.file and f.line else (f.file or ""),
            "baselined" if f.key in baselined else "new",
        )
        for f in findings
    ]


# -- home ---------------------------------------------------------------------------------


def home(ctx: Context) -> str:
    """The portfolio's summary, its picture, the headline numbers and the trends."""
    p = ctx.p
    eco, a = p.ecosystem, p.analysis
    deps = sum(len(c.depends_on) for c in eco.components)
    level = p.shared_count / p.used_count if p.used_count else 0.0
    checks = p.checks
    cards = _cards(
        [
            ("products", f"{len(eco.products):,}", ""),
            ("components", f"{len(eco.components):,}", f"in {len(eco.layers)} layers"),
            ("dependencies", f"{deps:,}", ""),
            ("shared components", f"{p.shared_count:,}", "used by 2 or more products"),
            ("portfolio reuse level", _pct(level), "of the used components are shared"),
            ("layering violations", f"{len(a.layering.violations):,}", ""),
            ("dependency cycles", f"{len(a.cycles.cycles):,}", ""),
            (
                "checks",
                "passed" if checks.passed else "failed",
                f"{len(checks.new):,} new, {len(checks.baselined):,} baselined findings",
            ),
            ("monthly cost", _money(a.costs.total), ""),
            ("propagation cost", _pct(a.structure.propagation_cost), ""),
        ]
        + (
            [("drift score", _number(ctx.drift.score), f"{len(ctx.drift.edges):,} edges differ")]
            if ctx.drift is not None and ctx.drift.score is not None
            else []
        )
    )
    core = [c.id for c in eco.components if p.reuse_count(c.id) == len(eco.products) >= 2]
    summary = Html("<p>{}</p>").format(
        f"{eco.name}: {len(eco.products):,} products share {len(eco.components):,} components "
        f"in {len(eco.layers)} layers. {p.shared_count:,} components are used by two or more "
        "products."
    )
    if core:
        summary += Html("<p>Used by every product: {}</p>").format(ctx.comps(core, "", 12))
    picture = ctx.pictures.get("ecosystem", Html(""))
    notes = join(Html('<p class="note">{}</p>').format(n) for n in ctx.notes)
    products = table(
        ["product", "footprint", "reuse level", "availability", "monthly cost"],
        [
            (
                ctx.prod(pid, ""),
                f"{len(r.footprint):,}",
                _pct(r.reuse_level),
                f"{a.availability.products[pid].availability:.4%}",
                _money(a.costs.products[pid].total),
            )
            for pid, r in a.reuse.products.items()
        ],
        "lrrrr",
    )
    failures = table(
        ["component", "layer", "products down", "share of weight", "components down"],
        [
            (ctx.comp(cid, ""), ctx.layer(layer, ""), n, _pct(share), f"{k:,}")
            for cid, layer, n, _w, share, k in a.failures.ranking[:10]
        ],
        "llrrr",
    )
    platform = ctx.comps(list(a.reuse.platform_candidates), "", 24)
    body = Html(
        '<h1>{name}</h1>{summary}{cards}<section class="picture"><h2>The portfolio</h2>'
        "{picture}{notes}<p>{explore}</p></section>{trends}"
        "{products}{failures}{platform}"
    ).format(
        name=eco.name,
        summary=summary,
        cards=cards,
        picture=picture,
        notes=notes,
        explore=link(
            "explore.html",
            "Explore every component: click one to see what it needs and what needs it",
            "button",
        ),
        trends=_trends(ctx),
        products=_section("Products", products),
        failures=_section("Single points of failure", failures),
        platform=_section("Platform candidates (used by 2 or more products)", platform),
    )
    return ctx.render("Portfolio", body, "", body_class="home")


def _trends(ctx: Context) -> Html:
    history = ctx.history
    if history is None:
        return Html("")
    rows = []
    for column in TREND_COLUMNS + tuple(c for c in history.columns if c.startswith("reuse:")):
        points = history.series(column)
        if not points:
            continue
        percent = column == "reuse_level" or column.startswith("reuse:")
        if percent and max(v for _, v in points) > 1:
            points = [(d, v / 100) for d, v in points]
        label = column
        if column.startswith("reuse:"):
            pid = column.split(":", 1)[1]
            label = f"reuse level of {pid}"
        rows.append(
            Html("<tr><th>{}</th><td>{}</td></tr>").format(
                label.replace("_", " "), sparkline(points, percent=percent)
            )
        )
    valid = sum(1 for r in history.rows if r.valid)
    head = Html("<p>{}</p>").format(
        f"{len(history.rows):,} versions ({valid:,} valid), "
        f"from {history.rows[0].date if history.rows else '–'} "
        f"to {history.rows[-1].date if history.rows else '–'}."
    )
    return _section(
        "History",
        head + Html('<table class="trends"><tbody>{}</tbody></table>').format(join(rows)),
        "history",
    )


# -- products ----------------------------------------------------------------------------


def product(ctx: Context, pid: str) -> str:
    """One product: footprint by layer, reuse, failure points, cost, launch figures."""
    p = ctx.p
    eco, a = p.ecosystem, p.analysis
    prod = eco.product_index[pid]
    r = a.reuse.products[pid]
    avail = a.availability.products[pid]
    cost = a.costs.products[pid]
    launch = p.launches[pid]
    root = "../"
    layer_of = {cid: eco.component_index[cid].layer for cid in r.footprint}
    by_layer: dict[str, list[str]] = {layer.id: [] for layer in eco.layers}
    for cid in r.footprint:
        by_layer[layer_of[cid]].append(cid)
    layers = table(
        ["layer", "components", "reuse level", "which"],
        [
            (
                ctx.layer(lid, root),
                f"{len(ids):,}",
                _pct(r.reuse_level_by_layer.get(lid)),
                ctx.comps(ids, root),
            )
            for lid, ids in by_layer.items()
            if ids
        ],
        "lrrl",
    )
    facts = _facts(
        [
            ("owner", ctx.owner(prod.owner, root) if prod.owner else None),
            ("weight", _number(prod.weight)),
            ("uses directly", ctx.comps(list(prod.uses), root)),
            ("footprint", f"{len(r.footprint):,} components"),
            ("reuse level", f"{r.reuse_level:.0%} ({r.reused:,} shared with other products)"),
            ("estimated availability", f"{avail.availability:.4%}"),
            (
                "monthly cost",
                f"{_money(cost.total)} ({_money(cost.own)} own, {_money(cost.shared)} shared)",
            ),
            ("tags", ", ".join(prod.tags)),
        ]
    )
    spof = table(
        ["component", "components that fail with it"],
        [(ctx.comp(cid, root), f"{n:,}") for cid, n in p.failure_points[pid]],
        "lr",
    )
    gateways = a.gateways.get(pid)
    gateway_rows = gateways.gateways[:10] if gateways is not None else ()
    launch_text = Html("<p>{}</p>").format(
        f"Launched today, {prod.label} would reuse {launch.reused:,} of "
        f"{launch.reused + launch.to_build:,} components ({launch.reuse_percent:.0f}%) that "
        f"other products already run on, and build {launch.to_build:,}."
    )
    if launch.shares_most_with:
        launch_text += Html("<p>Shares most with: {}</p>").format(
            join(
                (
                    Html("{} ({})").format(ctx.prod(other, root), f"{n:,}")
                    for other, n in launch.shares_most_with
                ),
                ", ",
            )
        )
    weakest = table(
        ["component", "availability"],
        [(ctx.comp(cid, root), f"{v:.4%}") for cid, v in avail.weakest],
        "lr",
    )
    mine = [v for v in a.layering.violations if pid in v.products]
    picture = ctx.pictures.get(f"product:{pid}", Html(""))
    body = Html(
        "<h1>{label}</h1>{description}{facts}{picture}{layers}{spof}{gateways}{weakest}"
        "{launch}{violations}{findings}"
    ).format(
        label=prod.label,
        description=Html("<p>{}</p>").format(prod.description) if prod.description else "",
        facts=facts,
        picture=Html('<section class="picture">{}</section>').format(picture) if picture else "",
        layers=_section("Footprint by layer", layers),
        spof=_section("Single points of failure", spof if p.failure_points[pid] else "none"),
        gateways=_section(
            "Gateways (every path to what they dominate passes them)",
            table(
                ["component", "dominates"],
                [(ctx.comp(cid, root), f"{n:,}") for cid, n in gateway_rows],
                "lr",
            )
            if gateway_rows
            else "none",
        ),
        weakest=_section("Weakest links", weakest if avail.weakest else "none known"),
        launch=_section("Launch plan", launch_text),
        violations=_section(
            "Layering violations",
            table(["kind", "from", "to", "chain", "products"], _violation_rows(ctx, mine, root))
            if mine
            else "none",
        ),
        findings=_findings_section(ctx, pid),
    )
    return ctx.render(
        prod.label, body, root, crumbs=(("index.html", "Home"), ("products.html", "Products"))
    )


def _findings_section(ctx: Context, ident: str) -> Html:
    found = ctx.p.findings_of.get(ident)
    if not found:
        return Html("")
    baselined = {f.key for f in ctx.p.checks.baselined}
    return _section(
        "Check findings",
        table(["rule", "finding", "where", "status"], _finding_rows(ctx, found, baselined)),
    )


def products_index(ctx: Context) -> str:
    """Every product."""
    a = ctx.p.analysis
    rows = [
        (
            ctx.prod(pid, ""),
            ctx.p.ecosystem.product_index[pid].owner or "",
            f"{len(r.footprint):,}",
            _pct(r.reuse_level),
            _pct(ctx.p.launches[pid].reuse_percent / 100),
            _money(a.costs.products[pid].total),
        )
        for pid, r in a.reuse.products.items()
    ]
    body = Html("<h1>Products</h1>{}").format(
        table(
            ["product", "owner", "footprint", "reuse level", "reuses (launch)", "monthly cost"],
            rows,
            "llrrrr",
        )
    )
    return ctx.render("Products", body, "", crumbs=(("index.html", "Home"),))


# -- components ------------------------------------------------------------------------


def component(ctx: Context, cid: str) -> str:
    """One component: what it is, who uses it, what fails with it, where it was found."""
    p = ctx.p
    eco, a = p.ecosystem, p.analysis
    c = eco.component_index[cid]
    root = "../"
    r = a.reuse.components[cid]
    failed, failed_products, weight = a.blast[cid]
    total_weight = sum(x.weight for x in eco.products)
    k = a.structure.components[cid]
    src = sourcing(c.sourcing)
    facts = _facts(
        [
            ("id", Html(f"<code>{esc(c.id)}</code>")),
            ("layer", ctx.layer(c.layer, root)),
            ("group", ctx.group_trail(c.group, root) if c.group else None),
            ("owner", ctx.owner(c.owner, root) if c.owner else None),
            ("lifecycle", c.lifecycle),
            ("sourcing", src.label + (f" from {c.vendor}" if c.vendor else "")),
            ("evolution", c.evolution),
            ("availability", f"{c.availability:.4%}" if c.availability is not None else None),
            ("monthly cost", _money(c.cost) if c.cost is not None else None),
            ("tags", ", ".join(c.tags)),
            (
                "reuse",
                f"used by {r.reuse_count:,} of {len(eco.products):,} products "
                f"({r.commonality_class})",
            ),
            ("instability", f"{k.instability:.2f} (Ca {k.ca}, Ce {k.ce})"),
        ]
    )
    deps = []
    for d in c.depends_on:
        notes = ", ".join(x for x in (d.kind, None if d.required else "soft") if x)
        note = f' <span class="muted">({esc(notes)})</span>' if notes else ""
        deps.append(f"<li>{ctx.comp(d.target, root)}{note}</li>")
    depends = (
        f'<ul class="plain">{"".join(deps)}</ul>' if deps else '<span class="muted">nothing</span>'
    )
    share = weight / total_weight if total_weight else 0
    blast = (
        f"<p>{esc(f'If {c.label} fails, {len(failed_products):,} products ')}"
        f"({share:.0%} of product weight) and {len(failed):,} components fail with it "
        "(required dependencies only).</p>"
        f"<p>Products: {ctx.prods(failed_products, root)}</p>"
        f"<p>Components: {ctx.comps(failed, root)}</p>"
    )
    provenance = [(Html("component"), str(x)) for x in c.provenance]
    for d in c.depends_on:
        provenance.extend((Html(f"→ {ctx.comp(d.target, root)}"), str(x)) for x in d.provenance)
    links = "".join(f"<li>{_external(x.url, x.title or x.url)}</li>" for x in c.links)
    parts = [
        f"<h1>{esc(c.label)}</h1>",
        f'<p class="actions">{ctx.explore(cid, root)}</p>',
        f"<p>{esc(c.description)}</p>" if c.description else "",
        facts,
        _section(
            "Users",
            Html(
                f"<p>Products whose footprint holds it: {ctx.prods(r.users, root)}</p>"
                f"<p>Used directly by: {ctx.prods(r.direct_users, root)}</p>"
            ),
        ),
        _section("Depends on", Html(depends)),
        _section(
            "Dependents (components that depend on it directly)", ctx.comps(r.dependents, root)
        ),
        _section("Blast radius", Html(blast)),
        _section("Provenance", table(["what", "found in"], provenance)) if provenance else "",
        _drift_section(ctx, ctx.drift_of.get(cid, []), root) if ctx.drift is not None else "",
        _section(
            "Layering violations",
            table(
                ["kind", "from", "to", "chain", "products"],
                _violation_rows(ctx, p.violations_of[cid], root),
            ),
        )
        if cid in p.violations_of
        else "",
        _findings_section(ctx, cid),
        _section("Links", Html(f'<ul class="plain">{links}</ul>')) if links else "",
    ]
    body = Html("".join(parts))
    crumbs: list[tuple[str | None, str]] = [("index.html", "Home")]
    crumbs.append((ctx.pages.layer(c.layer), eco.layer_index[c.layer].label))
    if c.group:
        crumbs.extend((ctx.pages.group(g), g.rsplit("/", 1)[-1]) for g in parents(c.group))
    return ctx.render(c.label, body, root, crumbs=crumbs)


def _drift_section(ctx: Context, edges: Sequence[Any], root: str) -> Html:
    if not edges:
        return _section("Drift", Html("<p>Every dependency of it was seen running.</p>"))
    rows = [
        (
            e.kind,
            ctx.comp(e.source, root),
            ctx.comp(e.target, root),
            "seen running, not in the model"
            if e.kind == "undeclared"
            else "in the model, never seen",
        )
        for e in edges
    ]
    return _section("Drift", table(["kind", "from", "to", "meaning"], rows))


# -- layers, groups, owners -------------------------------------------------------------


def _component_table(ctx: Context, ids: Sequence[str], root: str, limit: int = 2000) -> Html:
    eco = ctx.p.ecosystem
    rows = []
    for cid in ids[:limit]:
        c = eco.component_index[cid]
        rows.append(
            (
                ctx.comp(cid, root),
                ctx.layer(c.layer, root),
                ctx.group_trail(c.group, root) if c.group else "",
                ctx.owner(c.owner, root) if c.owner else "",
                f"{ctx.p.reuse_count(cid):,}",
                f"{ctx.p.blast_size[ctx.p.positions[cid]]:,}",
            )
        )
    shown = table(["component", "layer", "group", "owner", "users", "blast radius"], rows, "llllrr")
    if len(ids) > limit:
        shown += Html('<p class="muted">The {:,} most used of {:,} shown.</p>').format(
            limit, len(ids)
        )
    return shown


def _by_reuse(ctx: Context, ids: Iterable[str]) -> list[str]:
    return sorted(ids, key=lambda cid: (-ctx.p.reuse_count(cid), cid))


def layer(ctx: Context, lid: str) -> str:
    """One layer: its rules, its reuse and its components."""
    p = ctx.p
    eco = p.ecosystem
    lay = eco.layer_index[lid]
    root = "../"
    ids = _by_reuse(ctx, (c.id for c in eco.components_in(lid)))
    lr = p.analysis.reuse.layers[lid]
    rules = [x for x, on in (("closed", lay.closed), ("independent", lay.independent)) if on]
    violations = [
        v
        for v in p.analysis.layering.violations
        if lid in (eco.component_index[v.source].layer, eco.component_index[v.target].layer)
    ]
    body = Html("<h1>{label}</h1>{description}{facts}{violations}{components}").format(
        label=lay.label,
        description=Html("<p>{}</p>").format(lay.description) if lay.description else "",
        facts=_facts(
            [
                ("id", Html("<code>{}</code>").format(lay.id)),
                ("position", f"{eco.layer_rank(lid) + 1} of {len(eco.layers)} (top first)"),
                ("rules", ", ".join(rules) or "none"),
                ("components", f"{lr.components:,}"),
                ("reuse level", f"{_pct(lr.reuse_level)} ({lr.reused:,} shared)"),
            ]
        ),
        violations=_section(
            "Layering violations",
            table(
                ["kind", "from", "to", "chain", "products"], _violation_rows(ctx, violations, root)
            ),
        )
        if violations
        else "",
        components=_section("Components", _component_table(ctx, ids, root)),
    )
    return ctx.render(
        lay.label, body, root, crumbs=(("index.html", "Home"), ("layers.html", "Layers"))
    )


def layers_index(ctx: Context) -> str:
    """Every layer, top to bottom."""
    reuse = ctx.p.analysis.reuse.layers
    rows = [
        (
            ctx.layer(lay.id, ""),
            f"{reuse[lay.id].components:,}",
            f"{reuse[lay.id].reused:,}",
            _pct(reuse[lay.id].reuse_level),
            ", ".join(
                x for x, on in (("closed", lay.closed), ("independent", lay.independent)) if on
            ),
        )
        for lay in ctx.p.ecosystem.layers
    ]
    body = Html("<h1>Layers</h1>{}").format(
        table(["layer", "components", "shared", "reuse level", "rules"], rows, "lrrrl")
    )
    return ctx.render("Layers", body, "", crumbs=(("index.html", "Home"),))


def group(ctx: Context, path: str) -> str:
    """One group: its subgroups and components, and who owns them."""
    p = ctx.p
    node = p.groups[path]
    root = "../"
    under: list[str] = []
    stack = [path]
    while stack:
        g = p.groups[stack.pop()]
        under.extend(g.members)
        stack.extend(reversed(g.children))
    eco = p.ecosystem
    owners: dict[str, int] = {}
    layers: dict[str, int] = {}
    for cid in under:
        c = eco.component_index[cid]
        if c.owner:
            owners[c.owner] = owners.get(c.owner, 0) + 1
        layers[c.layer] = layers.get(c.layer, 0) + 1
    subgroups = table(
        ["group", "components", "shared"],
        [
            (
                link(root + ctx.pages.group(child), p.groups[child].name),
                f"{p.groups[child].total:,}",
                f"{p.groups[child].shared:,}",
            )
            for child in node.children
        ],
        "lrr",
    )
    body = Html("<h1>{name}</h1>{facts}{subgroups}{members}").format(
        name=node.name,
        facts=_facts(
            [
                ("path", ctx.group_trail(path, root)),
                ("components", f"{node.total:,} ({len(node.members):,} directly in it)"),
                ("shared", f"{node.shared:,} used by 2 or more products"),
                (
                    "layers",
                    join(
                        (
                            Html("{} ({})").format(ctx.layer(lid, root), f"{n:,}")
                            for lid, n in sorted(
                                layers.items(), key=lambda kv: eco.layer_rank(kv[0])
                            )
                        ),
                        ", ",
                    ),
                ),
                (
                    "owners",
                    join(
                        (
                            Html("{} ({})").format(ctx.owner(o, root), f"{n:,}")
                            for o, n in sorted(owners.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
                        ),
                        ", ",
                    ),
                ),
            ]
        ),
        subgroups=_section("Subgroups", subgroups) if node.children else "",
        members=_section("Components", _component_table(ctx, _by_reuse(ctx, under), root)),
    )
    crumbs: list[tuple[str | None, str]] = [("index.html", "Home"), ("groups.html", "Groups")]
    crumbs.extend((ctx.pages.group(g), g.rsplit("/", 1)[-1]) for g in parents(path)[:-1])
    return ctx.render(node.name, body, root, crumbs=crumbs)


def groups_index(ctx: Context) -> str:
    """Every group, as a tree."""
    p = ctx.p

    def tree(paths: Iterable[str]) -> Html:
        items = [
            Html('<li>{} <span class="muted">{}</span>{}</li>').format(
                link(ctx.pages.group(g), p.groups[g].name),
                f"{p.groups[g].total:,} components, {p.groups[g].shared:,} shared",
                tree(p.groups[g].children) if p.groups[g].children else "",
            )
            for g in paths
        ]
        return Html('<ul class="tree">{}</ul>').format(join(items))

    top = [g for g, node in p.groups.items() if node.parent is None]
    ungrouped = sum(1 for c in p.ecosystem.components if c.group is None)
    body = Html("<h1>Groups</h1>{}{}").format(
        tree(top) if top else Html("<p>No component of this model has a group.</p>"),
        Html('<p class="muted">{}</p>').format(f"{ungrouped:,} components have no group.")
        if ungrouped
        else "",
    )
    return ctx.render("Groups", body, "", crumbs=(("index.html", "Home"),))


def owner(ctx: Context, name: str) -> str:
    """One owner: the components and products it owns."""
    components, products = ctx.p.owners[name]
    root = "../"
    body = Html("<h1>{name}</h1>{products}{components}").format(
        name=name,
        products=_section("Products", ctx.prods(products, root)) if products else "",
        components=_section("Components", _component_table(ctx, _by_reuse(ctx, components), root))
        if components
        else "",
    )
    return ctx.render(name, body, root, crumbs=(("index.html", "Home"), ("owners.html", "Owners")))


def owners_index(ctx: Context) -> str:
    """Every owner."""
    rows = [
        (ctx.owner(name, ""), f"{len(comps):,}", f"{len(prods):,}")
        for name, (comps, prods) in ctx.p.owners.items()
    ]
    body = Html("<h1>Owners</h1>{}").format(
        table(["owner", "components", "products"], rows, "lrr")
        if rows
        else Html("<p>No component or product of this model names an owner.</p>")
    )
    return ctx.render("Owners", body, "", crumbs=(("index.html", "Home"),))


# -- portfolio-wide pages ----------------------------------------------------------------


def matrix(ctx: Context) -> str:
    """Products by components (the most used first, by layer), and reuse per layer
    and product."""
    p = ctx.p
    eco, a = p.ecosystem, p.analysis
    pids = [x.id for x in eco.products]
    heads = [x.label for x in eco.products]
    per_layer = table(
        ["layer", *heads],
        [
            (
                ctx.layer(lay.id, ""),
                *(_pct(a.reuse.products[pid].reuse_level_by_layer.get(lay.id)) for pid in pids),
            )
            for lay in eco.layers
        ],
        "l" + "r" * len(pids),
        "grid matrix",
    )
    used = [c.id for c in eco.components if p.users[p.positions[c.id]]]
    ranked = sorted(
        used,
        key=lambda cid: (-p.reuse_count(cid), eco.layer_rank(eco.component_index[cid].layer), cid),
    )
    chosen = set(ranked[:MATRIX_ROWS])
    direct = {cid: set(a.reuse.components[cid].direct_users) for cid in chosen}
    rows = []
    for lay in eco.layers:
        for c in eco.components_in(lay.id):
            if c.id not in chosen:
                continue
            bits = p.users[p.positions[c.id]]
            rows.append(
                (
                    ctx.comp(c.id, ""),
                    lay.label,
                    *(
                        Html('<span class="cell {}" title="{}">{}</span>').format(
                            "direct" if pid in direct[c.id] else "uses",
                            "uses directly" if pid in direct[c.id] else "in its footprint",
                            "■" if pid in direct[c.id] else "●",
                        )
                        if bits >> i & 1
                        else ""
                        for i, pid in enumerate(pids)
                    ),
                    f"{bits.bit_count():,}",
                )
            )
    note = (
        f"The {len(chosen):,} most used of {len(used):,} used components; every component's "
        "page lists its users."
        if len(used) > len(chosen)
        else f"All {len(used):,} components that some product uses."
    )
    body = Html("<h1>Reuse matrix</h1>{}{}").format(
        _section("Reuse level per layer and product", per_layer),
        _section(
            "Components by product",
            Html('<p class="muted">{} ■ used directly, ● in the footprint.</p>{}').format(
                note,
                table(
                    ["component", "layer", *heads, "users"],
                    rows,
                    "ll" + "c" * len(pids) + "r",
                    "grid matrix",
                ),
            ),
        ),
    )
    return ctx.render("Reuse matrix", body, "", crumbs=(("index.html", "Home"),))


def violations(ctx: Context) -> str:
    """The layering violations and the dependency cycles."""
    a = ctx.p.analysis
    vs = a.layering.violations
    cycles = a.cycles
    body = Html("<h1>Layering violations</h1>{}{}").format(
        _section(
            f"{len(vs):,} violations",
            table(["kind", "from", "to", "chain", "products"], _violation_rows(ctx, vs, ""))
            if vs
            else Html("<p>None: every dependency keeps the layering rules.</p>"),
        ),
        _section(
            f"{len(cycles.cycles):,} dependency cycles",
            Html("{}{}").format(
                Html('<ul class="plain">{}</ul>').format(
                    join(
                        Html("<li>{}</li>").format(ctx.comps(list(cy), "", 30))
                        for cy in cycles.cycles
                    )
                ),
                Html("<p>Removing these dependencies breaks every cycle: {}</p>").format(
                    join(
                        (
                            Html("{} → {}").format(ctx.comp(u, ""), ctx.comp(v, ""))
                            for u, v in cycles.feedback_edges
                        ),
                        ", ",
                    )
                ),
            )
            if cycles.cycles
            else Html("<p>None.</p>"),
        ),
    )
    return ctx.render("Layering violations", body, "", crumbs=(("index.html", "Home"),))


def checks(ctx: Context) -> str:
    """The check rules and their findings, against the baseline when there is one."""
    result = ctx.p.checks
    baselined = {f.key for f in result.baselined}
    rules = table(
        ["rule", "type", "what it checks"],
        [(r.id, r.rule, result.describe(r)) for r in result.rules],
    )
    findings = (
        table(
            ["rule", "finding", "where", "status"], _finding_rows(ctx, result.findings, baselined)
        )
        if result.findings
        else Html("<p>No findings.</p>")
    )
    stale = (
        _section(
            "Stale baseline entries (their finding is gone; remove them)",
            table(["key"], [(e.key,) for e in result.stale]),
        )
        if result.stale
        else ""
    )
    expired = (
        _section("Expired baseline entries", table(["key"], [(e.key,) for e in result.expired]))
        if result.expired
        else ""
    )
    verdict = (
        "Passed: no new finding."
        if result.passed
        else f"Failed: {len(result.new):,} new findings, {len(result.stale):,} stale and "
        f"{len(result.expired):,} expired baseline entries."
    )
    body = Html('<h1>Checks</h1><p class="verdict {}">{}</p>{}{}{}{}{}').format(
        "passed" if result.passed else "failed",
        verdict,
        Html("<p>Baseline: <code>{}</code></p>").format(result.baseline_file)
        if result.baseline_file
        else "",
        _section("Rules", rules),
        _section(f"{len(result.findings):,} findings", findings),
        stale,
        expired,
    )
    return ctx.render("Checks", body, "", crumbs=(("index.html", "Home"),))


def explore(ctx: Context) -> str:
    """The interactive picture, drawn by ``assets/explore.js`` from ``explore-data.js``."""
    body = Html(
        '<h1>Explore</h1><p class="muted">One band per layer; components in their groups, '
        "most used first, shaded by how many products use them. Open a group to draw its "
        "components; click a component to highlight what it depends on (below it) and "
        "what depends on it.</p>"
        '<div class="explore"><div id="explore-canvas" aria-live="polite">'
        '<p class="muted">Drawing…</p></div>'
        '<aside id="explore-panel"><p class="muted">Click a component.</p></aside></div>'
    )
    return ctx.render(
        "Explore",
        body,
        "",
        crumbs=(("index.html", "Home"),),
        scripts=("explore-data.js", "assets/explore.js"),
        body_class="explore-page",
    )


def search(ctx: Context) -> str:
    """Search results for ``?q=``, filled in by the site's script."""
    body = Html(
        '<h1>Search</h1><p><input id="search-page-box" type="search" '
        'aria-label="Search the portfolio" placeholder="Search…"></p>'
        '<ol id="search-page-results" class="results"></ol>'
    )
    return ctx.render(
        "Search", body, "", crumbs=(("index.html", "Home"),), body_class="search-page"
    )


def search_entries(ctx: Context) -> list[list[str]]:
    """The search index: [kind, label, detail, page] for every component, product,
    layer, group and owner."""
    p = ctx.p
    eco = p.ecosystem
    pages = ctx.pages
    labels = {lay.id: lay.label for lay in eco.layers}
    out: list[list[str]] = []
    for prod in eco.products:
        out.append(["product", prod.label, prod.id, pages.product(prod.id)])
    for lay in eco.layers:
        out.append(["layer", lay.label, lay.id, pages.layer(lay.id)])
    for c in eco.components:
        out.append(["component", c.label, f"{c.id} · {labels[c.layer]}", pages.component(c.id)])
    for path in p.groups:
        out.append(["group", path.rsplit("/", 1)[-1], path, pages.group(path)])
    for name in p.owners:
        out.append(["owner", name, "owner", pages.owner(name)])
    return out
