"""What a discovery importer finds, and how it becomes a model.

Each importer (compose, Kubernetes, Structurizr, LikeC4, traces) reads its files
through the one reader and reports what it saw as plain records: a :class:`Seen`
for each component, a :class:`Link` for each dependency, with where each was seen
and the evidence, and an account of every object it read (imported, skipped by
kind, or reported). :func:`build_model` turns one or several of these
:class:`Discovered` records into one model:

- ids are the sources' own names made into model ids (``name`` keeps the original),
  or what the aliases of the rules map them to, so the same service found in several
  sources is one component, with one provenance record per place that showed it;
- layers come from the layer rules (the user's first, then the built-in defaults:
  data stores, queues, caches, gateways, proxies and observability by image,
  technology or name go to infrastructure; what users reach to ui; the rest to
  algorithms);
- products come from the sources' own grouping (a compose project, the
  ``app.kubernetes.io/part-of`` label, a Structurizr software system), each using
  its entry points, or, when a source has no entry point, the components nothing
  depends on;
- a dependency on a name that no source defines is reported, never invented.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from layermodel.errors import InputError, Problem, suggest
from layermodel.interop.backstage.names import layermodel_id
from layermodel.interop.discovery.defaults import DISCOVERY_RULES
from layermodel.interop.layer_rules import LayerRules
from layermodel.model.collector import collector_paused
from layermodel.model.entities import (
    Component,
    Dependency,
    Ecosystem,
    Product,
    Provenance,
    SourceKind,
)

__all__ = ["Discovered", "DiscoveryResult", "Link", "Seen", "build_model", "facts"]


@dataclass
class Seen:
    """A component as one source shows it.

    ``name`` is the source's own name for it (a compose service key, a workload's
    ``metadata.name``, an element's name); ``key`` is what links refer to it by
    (defaults to ``name``). ``facts`` is what layer rules match on (see
    :func:`facts`). ``products`` are the names of the applications it belongs to;
    ``entry`` says users reach it directly (a published web port, an Ingress, a
    web or mobile app). ``title`` is a display name the source gives apart from
    its name (a LikeC4 element's title); it becomes the component's ``name``.
    """

    name: str
    source: SourceKind
    file: str
    line: int | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    description: str | None = None
    owner: str | None = None
    technology: str | None = None
    products: tuple[str, ...] = ()
    entry: bool = False
    evidence: str | None = None
    tags: tuple[str, ...] = ()
    title: str | None = None
    layer: str | None = None
    """A layer the source itself states (a Backstage import's), used when the model's
    layers have it; else the layer rules decide."""

    def __post_init__(self) -> None:
        if not self.key:
            self.key = self.name


@dataclass
class Link:
    """A dependency as one source shows it: ``source`` depends on ``target`` (both
    :attr:`Seen.key` values)."""

    source: str
    target: str
    origin: SourceKind
    file: str
    line: int | None = None
    evidence: str | None = None
    count: int | None = None
    kind: str | None = None
    required: bool = True


@dataclass
class Discovered:
    """Everything one importer found in its files, and an account of each object.

    ``imported`` and ``skipped`` count objects by kind; ``reported`` holds what the
    import survives but the user should see (a reference to a service that is not
    there, a value that could not be resolved).
    """

    source: SourceKind
    components: list[Seen] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    imported: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    reported: list[Problem] = field(default_factory=list)
    duplicates: int = 0
    name: str | None = None
    """A name for the model the source suggests (a compose project's name)."""


@dataclass(frozen=True)
class DiscoveryResult:
    """A discovered model and the account of how it was made.

    Attributes:
        ecosystem: the model, every component and dependency with its provenance.
        imported: objects turned into components, by source and kind
            (``"compose service"``).
        skipped: objects that have no place in a model, by source and kind.
        duplicates: components found more than once (the same object in two
            files, or in two sources), merged into one.
        problems: everything reported: dependencies on names no source defines,
            values that could not be resolved.
        files: the files read, in order.
    """

    ecosystem: Ecosystem
    imported: dict[str, int]
    skipped: dict[str, int]
    duplicates: int
    problems: tuple[Problem, ...]
    files: tuple[str, ...]

    def summary(self) -> str:
        """A short text account of the discovery, problems included."""

        def counts(data: dict[str, int]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(data.items())) or "none"

        eco = self.ecosystem
        edges = sum(len(c.depends_on) for c in eco.components)
        lines = [
            f"Read {len(self.files)} file{'s' if len(self.files) != 1 else ''}.",
            f"Imported: {counts(self.imported)} -> {_many(len(eco.components), 'component')}, "
            f"{_many(edges, 'dependency', 'dependencies')}, "
            f"{_many(len(eco.products), 'product')}.",
            f"Skipped by kind: {counts(self.skipped)}.",
        ]
        if self.duplicates:
            lines.append(f"Found more than once and merged: {self.duplicates}.")
        if self.problems:
            lines.append(f"Reported ({len(self.problems)}):")
            lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines) + "\n"


def _many(n: int, one: str, more: str | None = None) -> str:
    """``1 product``, ``2 products``."""
    return f"{n:,} {one if n == 1 else (more or one + 's')}"


def facts(
    kind: str,
    name: str,
    *,
    source: str,
    image: str | None = None,
    technology: str | None = None,
    tags: Iterable[str] = (),
    entry: bool = False,
    namespace: str | None = None,
    labels: dict[str, Any] | None = None,
    spec: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What layer rules match a discovered component on, shaped like a catalog
    entity so that one rules file serves every importer: ``kind``, ``name``
    (``metadata.name``), ``namespace``, ``tag`` (any of the tags), ``image``,
    ``technology``, ``source`` and ``entry`` (``yes`` or ``no``); ``spec.*`` and
    ``metadata.labels.*`` reach into the source object."""
    metadata: dict[str, Any] = {"name": name, "tags": list(tags)}
    if namespace is not None:
        metadata["namespace"] = namespace
    if labels:
        metadata["labels"] = labels
    return {
        "kind": kind,
        "metadata": metadata,
        "spec": spec or {},
        "image": image or "",
        "technology": technology or "",
        "source": source,
        "entry": "yes" if entry else "no",
    }


# -- building the model -------------------------------------------------------------


@dataclass
class _Merged:
    id: str
    seen: list[Seen]

    @property
    def first(self) -> Seen:
        return self.seen[0]


def _provenance(seen: Seen) -> Provenance:
    return Provenance(source=seen.source, file=seen.file, line=seen.line, evidence=seen.evidence)


def _first_set(values: Iterable[str | None]) -> str | None:
    return next((v for v in values if v), None)


def build_model(
    found: Discovered | Sequence[Discovered],
    *,
    rules: LayerRules | None = None,
    aliases: dict[str, str] | None = None,
    name: str | None = None,
    fallback_name: str = "discovered",
) -> DiscoveryResult:
    """One model from what one or several importers found.

    Args:
        found: the importers' findings.
        rules: layer rules tried before the built-in defaults (their layers, when
            given, replace the default stack).
        aliases: source name -> model id, so that the same service known by several
            names (``cart`` in compose, ``cart-service`` in the model) is one
            component; by default the rules' aliases.
        name: the model's name; else the first source's suggestion, else
            ``fallback_name``.

    Raises:
        InputError: a component no rule places (possible only with rules that have
            no default).
    """
    with collector_paused():  # millions of objects that all stay alive, on a large input
        return _build(found, rules, aliases, name, fallback_name)


def _build(
    found: Discovered | Sequence[Discovered],
    rules: LayerRules | None,
    aliases: dict[str, str] | None,
    name: str | None,
    fallback_name: str,
) -> DiscoveryResult:
    sources = [found] if isinstance(found, Discovered) else list(found)
    if aliases is None and rules is not None:
        aliases = dict(rules.aliases)
    aliases = {k.lower(): v for k, v in (aliases or {}).items()}
    layer_rules = _combined(rules)
    merged: dict[str, _Merged] = {}
    by_key: dict[tuple[int, str], str] = {}  # (source index, key) -> model id
    by_name: dict[str, str] = {}  # any name or key, lower case -> model id
    duplicates = 0
    for index, discovered in enumerate(sources):
        duplicates += discovered.duplicates
        for seen in discovered.components:
            wanted = aliases.get(seen.name.lower()) or aliases.get(seen.key.lower())
            cid = layermodel_id(wanted or seen.name)
            if cid in merged:
                duplicates += 1
                merged[cid].seen.append(seen)
            else:
                merged[cid] = _Merged(cid, [seen])
            by_key[(index, seen.key)] = cid
            by_name.setdefault(seen.key.lower(), cid)
            by_name.setdefault(seen.name.lower(), cid)
            by_name.setdefault(cid.lower(), cid)
    problems: list[Problem] = []
    edges: dict[str, dict[str, list[Link]]] = {cid: {} for cid in merged}
    for index, discovered in enumerate(sources):
        problems.extend(discovered.reported)
        for link in discovered.links:
            source = by_key.get((index, link.source)) or by_name.get(link.source.lower())
            target = by_key.get((index, link.target)) or by_name.get(
                (aliases.get(link.target.lower()) or link.target).lower()
            )
            if source is None or target is None:
                missing = link.source if source is None else link.target
                problems.append(
                    Problem(
                        f"{link.source} -> {link.target}: no component named {missing!r} "
                        "was found; the dependency is not in the model"
                        + (f" ({link.evidence})" if link.evidence else ""),
                        file=link.file,
                        line=link.line,
                    )
                )
                continue
            if source == target:
                continue
            edges[source].setdefault(target, []).append(link)
    components: list[Component] = []
    no_layer: list[Problem] = []
    layer_ids = {layer.id for layer in layer_rules.layers}
    for cid, item in merged.items():
        stated = _first_set(s.layer for s in item.seen if s.layer in layer_ids)
        layer = stated or layer_rules.layer_for(item.first.facts)
        if layer is None:
            no_layer.append(
                Problem(
                    f"{item.first.name}: no layer rule matches it and the rules have no default",
                    file=item.first.file,
                    line=item.first.line,
                )
            )
            continue
        deps = [
            Dependency(
                target=target,
                kind=_shared_kind(links),
                required=any(link.required for link in links),
                provenance=tuple(
                    dict.fromkeys(
                        Provenance(
                            source=link.origin,
                            file=link.file,
                            line=link.line,
                            evidence=link.evidence,
                            count=link.count,
                        )
                        for link in links
                    )
                ),
            )
            for target, links in edges[cid].items()
        ]
        sightings = item.seen
        shown = _first_set(s.title for s in sightings) or item.first.name
        components.append(
            Component(
                id=cid,
                name=shown if shown != cid else None,
                layer=layer,
                description=_first_set(s.description for s in sightings),
                owner=_first_set(s.owner for s in sightings),
                tags=tuple(dict.fromkeys(t for s in sightings for t in s.tags)),
                properties=_properties(sightings),
                provenance=tuple(dict.fromkeys(_provenance(s) for s in sightings)),
                depends_on=tuple(deps),
            )
        )
    if no_layer:
        raise InputError(no_layer)
    if rules is not None and rules.products:
        products = _ruled_products(rules, by_name, aliases)
    else:
        products = _products(merged, edges)
    eco_name = name or _first_set(d.name for d in sources) or fallback_name
    eco = Ecosystem(
        name=eco_name,
        layers=layer_rules.layers,
        components=tuple(components),
        products=tuple(products),
    )
    imported: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    files: list[str] = []
    for discovered in sources:
        imported.update({f"{discovered.source} {k}": n for k, n in discovered.imported.items()})
        skipped.update({f"{discovered.source} {k}": n for k, n in discovered.skipped.items()})
        files.extend(f for f in discovered.files if f not in files)
    return DiscoveryResult(
        ecosystem=eco,
        imported=dict(imported),
        skipped=dict(skipped),
        duplicates=duplicates,
        problems=tuple(problems),
        files=tuple(files),
    )


def _shared_kind(links: list[Link]) -> str | None:
    """The kind of a dependency: the one its links agree on. Links that disagree (a
    NetworkPolicy allows the call, an env value shows it is made) give a plain
    dependency rather than the qualifier of one of them."""
    kinds = {link.kind for link in links}
    return kinds.pop() if len(kinds) == 1 else None


def _properties(seen: list[Seen]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    technology = _first_set(s.technology for s in seen)
    if technology:
        out["technology"] = technology
    image = _first_set(str(s.facts.get("image") or "") for s in seen)
    if image:
        out["image"] = image
    return out


def _combined(rules: LayerRules | None) -> LayerRules:
    """The user's rules first, then the built-in defaults (with the user's layers and
    default, when they give them)."""
    if rules is None:
        return DISCOVERY_RULES
    layer_ids = {layer.id for layer in rules.layers}
    builtin = tuple(r for r in DISCOVERY_RULES.rules if r.layer in layer_ids)
    default = rules.default
    if default is None and DISCOVERY_RULES.default in layer_ids:
        default = DISCOVERY_RULES.default
    return LayerRules(layers=rules.layers, rules=(*rules.rules, *builtin), default=default)


def _ruled_products(
    rules: LayerRules, by_name: dict[str, str], aliases: dict[str, str]
) -> list[Product]:
    """The products the rules file names; a component it names that no source found
    is an error with the rules file's line."""
    products: list[Product] = []
    missing: list[Problem] = []
    for rule in rules.products:
        uses: list[str] = []
        for wanted in rule.uses:
            cid = by_name.get((aliases.get(wanted.lower()) or wanted).lower())
            if cid is None:
                file, _, line = rule.where.rpartition(":")
                near = suggest(wanted, by_name)
                hint = f"; did you mean {near!r}?" if near else ""
                missing.append(
                    Problem(
                        f"product {rule.id!r} uses {wanted!r}, which no source has{hint}",
                        file=file or None,
                        line=int(line) if line.isdigit() else None,
                    )
                )
            elif cid not in uses:
                uses.append(cid)
        products.append(Product(id=rule.id, name=rule.name, uses=tuple(uses)))
    if missing:
        raise InputError(missing)
    return products


def _products(merged: dict[str, _Merged], edges: dict[str, dict[str, list[Link]]]) -> list[Product]:
    """One product per application the sources name, using its entry points (or,
    when it has none, its members that nothing in it depends on)."""
    members: dict[str, list[str]] = {}
    for cid, item in merged.items():
        for product in dict.fromkeys(p for s in item.seen for p in s.products):
            members.setdefault(product, []).append(cid)
    products = []
    taken: set[str] = set()
    for product_name, ids in members.items():
        inside = set(ids)
        entries = [cid for cid in ids if any(s.entry for s in merged[cid].seen)]
        if not entries:
            depended = {t for cid in ids for t in edges[cid] if t in inside}
            entries = [cid for cid in ids if cid not in depended] or ids[:1]
        pid = layermodel_id(product_name)
        n = 2
        while pid in taken:
            pid = layermodel_id(f"{product_name}-{n}")
            n += 1
        taken.add(pid)
        products.append(
            Product(
                id=pid,
                name=product_name if product_name != pid else None,
                uses=tuple(entries),
            )
        )
    return products
