"""Drift: the declared model against what runs, as discovery sees it.

:func:`drift` compares a model with *reality*: one or more discovered model files, or
anything :func:`~layermodel.interop.discover.discover` reads (folders of manifests,
compose files, traces...). It reports

- **undeclared** dependencies: seen in reality, absent from the model, each with every
  place it was seen (file, line, evidence);
- **phantom** dependencies: declared, never seen, counted only where the sources could
  have seen them: the consumer must be a component reality shows (a trace file cannot
  vouch for a dependency of a service it never saw). Declared dependencies of a
  component reality does not show are *unverified*, and left out of the score;
- **unmodelled** components (in reality, not in the model) and **unseen** ones (in the
  model, not in reality), with a suggested alias for each near miss
  (``cartservice`` is probably ``cart-service``);
- components whose discovered **layer** or **owner** disagrees with the declared one
  (a layer only when the discovered one is a layer of the model; an owner only when
  both sides name one);
- the **drift score**: the share of the compared dependencies on which model and
  reality agree, ``agreed / (agreed + undeclared + phantom)``, overall and per product
  (a dependency counts for the products whose footprint holds its consumer).

Names in reality become model ids through the ``aliases`` of a layer-rules file
(``cart: cart-service``); its ``ignore`` patterns name components drift does not
report on either side (a load generator, hardware no manifest shows).

Cost: O(components + dependencies) after discovery, plus the footprint bitsets for the
per-product scores; near-miss suggestions compare only the unmatched components.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layermodel.analysis import users
from layermodel.checks.locations import SourceLines
from layermodel.errors import InputError, Problem, suggest
from layermodel.interop.discover import discover, kind_of
from layermodel.interop.layer_rules import LayerRules
from layermodel.model import Ecosystem, Provenance, load

__all__ = [
    "ComponentDrift",
    "DependencyDrift",
    "DriftReport",
    "ProductDrift",
    "Reality",
    "drift",
    "observe",
]


@dataclass(frozen=True)
class Reality:
    """What the sources show, in model ids: components (with their discovered layer and
    owner and where they were seen) and dependencies (with where each was seen)."""

    components: dict[str, tuple[str | None, str | None, tuple[Provenance, ...]]]
    """id -> (layer, owner, provenance)."""
    dependencies: dict[tuple[str, str], tuple[Provenance, ...]]
    files: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class DependencyDrift:
    """One dependency on which model and reality disagree."""

    source: str
    target: str
    seen: tuple[Provenance, ...] = ()
    """Where reality shows it (undeclared dependencies)."""
    file: str | None = None
    line: int | None = None
    """Where the model declares it (phantom), or declares its consumer (undeclared)."""

    def to_dict(self) -> dict[str, Any]:
        """``{"from": ..., "to": ..., "seen": [...], "file": ..., "line": ...}``."""
        return {
            "from": self.source,
            "to": self.target,
            "seen": [_provenance_dict(p) for p in self.seen],
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True)
class ComponentDrift:
    """One component on which model and reality disagree.

    ``kind`` is ``unmodelled`` (in reality only), ``unseen`` (in the model only),
    ``layer`` or ``owner`` (both have it, with different values)."""

    id: str
    kind: str
    declared: str | None = None
    discovered: str | None = None
    suggestion: str | None = None
    """For an unmodelled component: the model id it probably is (an alias to add); for an
    unseen one: the name in reality it probably is."""
    seen: tuple[Provenance, ...] = ()
    file: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "kind": self.kind,
            "declared": self.declared,
            "discovered": self.discovered,
            "suggestion": self.suggestion,
            "seen": [_provenance_dict(p) for p in self.seen],
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True)
class ProductDrift:
    """The drift score of one product's dependencies."""

    product: str
    agreed: int
    undeclared: int
    phantom: int

    @property
    def score(self) -> float:
        """Percent of the compared dependencies that agree (100 when none compared)."""
        return _score(self.agreed, self.undeclared, self.phantom)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "product": self.product,
            "score": round(self.score, 2),
            "agreed": self.agreed,
            "undeclared": self.undeclared,
            "phantom": self.phantom,
        }


@dataclass(frozen=True)
class DriftReport:
    """The model against reality. See the module documentation for each part."""

    model: str
    sources: tuple[str, ...]
    agreed: tuple[tuple[str, str], ...]
    undeclared: tuple[DependencyDrift, ...]
    phantom: tuple[DependencyDrift, ...]
    unverified: tuple[tuple[str, str], ...]
    components: tuple[ComponentDrift, ...]
    products: tuple[ProductDrift, ...]
    files: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=())

    @property
    def score(self) -> float:
        """Percent of the compared dependencies on which model and reality agree."""
        return _score(len(self.agreed), len(self.undeclared), len(self.phantom))

    @property
    def drifted(self) -> bool:
        """True when anything disagrees."""
        return bool(self.undeclared or self.phantom or self.components)

    def of_kind(self, kind: str) -> tuple[ComponentDrift, ...]:
        """The component findings of one kind."""
        return tuple(c for c in self.components if c.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: undeclared and phantom dependencies as lists of
        ``{"from": ..., "to": ...}`` records."""
        return {
            "schema_version": 1,
            "model": self.model,
            "sources": list(self.sources),
            "drifted": self.drifted,
            "score": round(self.score, 2),
            "agreed": len(self.agreed),
            "undeclared": [d.to_dict() for d in self.undeclared],
            "phantom": [d.to_dict() for d in self.phantom],
            "unverified": [{"from": a, "to": b} for a, b in self.unverified],
            "unmodelled": [c.to_dict() for c in self.of_kind("unmodelled")],
            "unseen": [c.to_dict() for c in self.of_kind("unseen")],
            "layer_mismatches": [c.to_dict() for c in self.of_kind("layer")],
            "owner_mismatches": [c.to_dict() for c in self.of_kind("owner")],
            "products": [p.to_dict() for p in self.products],
            "files": list(self.files),
            "problems": [str(p) for p in self.problems],
        }


def _score(agreed: int, undeclared: int, phantom: int) -> float:
    total = agreed + undeclared + phantom
    return 100.0 * agreed / total if total else 100.0


def _provenance_dict(p: Provenance) -> dict[str, Any]:
    return {
        "source": p.source,
        "file": p.file,
        "line": p.line,
        "evidence": p.evidence,
    }


# -- reality ------------------------------------------------------------------------------


def _is_model_file(path: Path) -> bool:
    """A file discovery does not read: taken for a (discovered) layermodel model file."""
    return path.is_file() and kind_of(path) == "unknown"


def observe(
    *paths: str | os.PathLike[str],
    rules: LayerRules | None = None,
) -> Reality:
    """What ``paths`` show: model files (a saved ``layermodel discover`` output) are
    loaded, everything else goes through discovery; the union is taken, with names
    turned into model ids by the aliases of ``rules``.

    Raises:
        InputError: a path is missing, or nothing in it can be read (each problem with
            its file and line).
        ModelError: a model file given as a source is not valid.
    """
    if not paths:
        raise InputError([Problem("drift needs at least one source: a folder or a file")])
    missing = [os.fspath(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise InputError([Problem("no such file or folder", file=m) for m in missing])
    aliases = dict(rules.aliases) if rules is not None else {}
    models = [Path(p) for p in paths if _is_model_file(Path(p))]
    others = [p for p in paths if not _is_model_file(Path(p))]
    found: list[Ecosystem] = [load(p) for p in models]
    files: list[str] = [os.fspath(p) for p in models]
    problems: list[Problem] = []
    if others:
        result = discover(*others, rules=rules, aliases=aliases or None)
        found.append(result.ecosystem)
        files.extend(result.files)
        problems.extend(result.problems)
    components: dict[str, tuple[str | None, str | None, tuple[Provenance, ...]]] = {}
    dependencies: dict[tuple[str, str], tuple[Provenance, ...]] = {}
    for eco in found:
        for c in eco.components:
            cid = aliases.get(c.id, c.id)
            layer, owner, seen = components.get(cid, (None, None, ()))
            components[cid] = (layer or c.layer, owner or c.owner, seen + c.provenance)
            for d in c.depends_on:
                key = (cid, aliases.get(d.target, d.target))
                dependencies[key] = dependencies.get(key, ()) + d.provenance
    return Reality(components, dependencies, tuple(files), tuple(problems))


# -- comparing ----------------------------------------------------------------------------

_NOISE = re.compile(r"[^a-z0-9]+")
_AFFIXES = ("service", "svc", "server", "api", "app", "srv")


def _normal(name: str) -> str:
    """A name without case, punctuation and the usual service affixes."""
    text = _NOISE.sub("", name.lower())
    for affix in _AFFIXES:
        if text.endswith(affix) and len(text) > len(affix) + 1:
            text = text[: -len(affix)]
            break
    return text


def _near_misses(left: Iterable[str], right: Sequence[str]) -> dict[str, str]:
    """For each name of ``left``, the name of ``right`` it probably is."""
    by_normal: dict[str, list[str]] = {}
    for name in right:
        by_normal.setdefault(_normal(name), []).append(name)
    normals = list(by_normal)
    out: dict[str, str] = {}
    for name in left:
        key = _normal(name)
        same = by_normal.get(key)
        if same is not None and len(same) == 1:
            out[name] = same[0]
            continue
        near = suggest(key, normals) if key else None
        if near is not None and len(by_normal[near]) == 1:
            out[name] = by_normal[near][0]
    return out


def _ignored(patterns: Sequence[str]) -> Any:
    if not patterns:
        return lambda _name: False
    compiled = re.compile("|".join(fnmatch.translate(p.lower()) for p in patterns))
    return lambda name: compiled.match(name.lower()) is not None


def drift(
    ecosystem: Ecosystem,
    reality: Reality,
    *,
    lines: SourceLines | None = None,
    ignore: Sequence[str] = (),
    sources: Sequence[str | os.PathLike[str]] = (),
) -> DriftReport:
    """``ecosystem`` against ``reality`` (see :func:`observe`), each finding placed at its
    line in the model files when ``lines`` are given; components matching an ``ignore``
    pattern (shell wildcards, case ignored) are reported on neither side.

    >>> import layermodel as lm
    >>> from layermodel.checks.drift import Reality, drift
    >>> m = lm.loads("name: x\\ncomponents:\\n- {id: a, layer: ui, depends_on: [b]}\\n"
    ...              "- {id: b, layer: infrastructure}\\n")
    >>> seen = Reality({"a": ("ui", None, ()), "c": (None, None, ())}, {("a", "c"): ()})
    >>> report = drift(m, seen)
    >>> [(d.source, d.target) for d in report.phantom]
    [('a', 'b')]
    >>> [(d.source, d.target) for d in report.undeclared]
    [('a', 'c')]
    >>> report.score
    0.0
    """
    places = lines or SourceLines()
    skip = _ignored(ignore)
    declared = {c.id: c for c in ecosystem.components if not skip(c.id)}
    layers = {layer.id for layer in ecosystem.layers}
    seen_ids = {cid: v for cid, v in reality.components.items() if not skip(cid)}

    agreed: list[tuple[str, str]] = []
    phantom: list[DependencyDrift] = []
    unverified: list[tuple[str, str]] = []
    declared_edges: set[tuple[str, str]] = set()
    for c in declared.values():
        for d in c.depends_on:
            if skip(d.target):
                continue
            edge = (c.id, d.target)
            if edge in declared_edges:
                continue
            declared_edges.add(edge)
            if edge in reality.dependencies:
                agreed.append(edge)
            elif c.id in seen_ids:
                place = places.dependency(*edge) or places.component(c.id)
                phantom.append(
                    DependencyDrift(
                        c.id,
                        d.target,
                        file=place.file if place else None,
                        line=place.line if place else None,
                    )
                )
            else:
                unverified.append(edge)
    undeclared: list[DependencyDrift] = []
    for edge, where in reality.dependencies.items():
        if edge in declared_edges or skip(edge[0]) or skip(edge[1]):
            continue
        place = places.component(edge[0])
        undeclared.append(
            DependencyDrift(
                *edge,
                seen=where,
                file=place.file if place else None,
                line=place.line if place else None,
            )
        )

    components: list[ComponentDrift] = []
    unmodelled = [cid for cid in seen_ids if cid not in declared]
    unseen = [cid for cid in declared if cid not in seen_ids]
    to_model = _near_misses(unmodelled, unseen)
    to_reality = {model: real for real, model in to_model.items()}
    for cid in unmodelled:
        layer, _owner, where = seen_ids[cid]
        first = where[0] if where else None
        components.append(
            ComponentDrift(
                cid,
                "unmodelled",
                discovered=layer,
                suggestion=to_model.get(cid),
                seen=where,
                file=first.file if first else None,
                line=first.line if first else None,
            )
        )
    for cid in unseen:
        place = places.component(cid)
        components.append(
            ComponentDrift(
                cid,
                "unseen",
                declared=declared[cid].layer,
                suggestion=to_reality.get(cid),
                file=place.file if place else None,
                line=place.line if place else None,
            )
        )
    for cid, c in declared.items():
        if cid not in seen_ids:
            continue
        layer, owner, where = seen_ids[cid]
        place = places.component(cid)
        file, line = (place.file, place.line) if place else (None, None)
        if layer is not None and layer in layers and layer != c.layer:
            components.append(
                ComponentDrift(cid, "layer", c.layer, layer, seen=where, file=file, line=line)
            )
        if owner and c.owner and owner.strip().lower() != c.owner.strip().lower():
            components.append(
                ComponentDrift(cid, "owner", c.owner, owner, seen=where, file=file, line=line)
            )

    return DriftReport(
        model=ecosystem.name,
        sources=tuple(os.fspath(s) for s in sources),
        agreed=tuple(sorted(agreed)),
        undeclared=tuple(sorted(undeclared, key=lambda d: (d.source, d.target))),
        phantom=tuple(sorted(phantom, key=lambda d: (d.source, d.target))),
        unverified=tuple(sorted(unverified)),
        components=tuple(sorted(components, key=lambda c: (c.kind, c.id))),
        products=_per_product(ecosystem, agreed, undeclared, phantom),
        files=reality.files,
        problems=reality.problems,
    )


def _per_product(
    ecosystem: Ecosystem,
    agreed: Sequence[tuple[str, str]],
    undeclared: Sequence[DependencyDrift],
    phantom: Sequence[DependencyDrift],
) -> tuple[ProductDrift, ...]:
    """Each product's counts: a dependency counts for the products whose footprint holds
    its consumer. O(dependencies x products per component) after the bitsets."""
    if not ecosystem.products:
        return ()
    by_component = users(ecosystem)
    counts = {p.id: [0, 0, 0] for p in ecosystem.products}
    for slot, consumers in enumerate(
        (
            (a for a, _ in agreed),
            (d.source for d in undeclared),
            (d.source for d in phantom),
        )
    ):
        for consumer in consumers:
            for product in by_component.get(consumer, ()):
                counts[product][slot] += 1
    return tuple(ProductDrift(p, *c) for p, c in counts.items())
