"""Traces: what actually calls what, as a discovered model.

Three kinds of file are read, each recognised by its content:

- **OTLP JSON traces**, as the OpenTelemetry collector's file exporter writes them:
  JSON Lines, one ``{"resourceSpans": [...]}`` object per line, or one such
  document. Each service (``service.name`` of a span's resource) is a component.
  A span whose parent span (same ``traceId``, ``parentSpanId``) belongs to another
  service is a call from that service to the span's service: a ``CLIENT`` span and
  the ``SERVER`` span it caused, counted once per pair.
- A ``CLIENT`` or ``PRODUCER`` span that no span of another service continues
  calls a peer that is not instrumented: a database (``db.system``), a broker
  (``messaging.system``) or a service named by ``peer.service``. The peer is named
  by ``peer.service``, else by ``server.address`` (``net.peer.name``) when that is a
  host of the application (a single label such as ``redis-cart``, or a
  cluster-local name), else by the ``db.system`` or ``messaging.system`` value
  (``redis``, ``kafka``). A message passed through a broker makes the producer and
  the consumer (a ``CONSUMER`` span with ``messaging.system``) each depend on the
  broker, not on each other. Calls to hosts outside the application, with no
  ``peer.service``, are counted, not made components.
- **Dependency links** as Jaeger (``[{"parent", "child", "callCount"}]``, or
  ``{"data": [...]}`` as its query service answers) and Zipkin
  (``/api/v2/dependencies``: the same fields) give them: ``parent`` depends on
  ``child``.

Call counts are kept: every dependency records how many calls each file showed
(``Provenance.count``). Services that receive calls from outside (root spans of
kind ``SERVER``) are entry points; database and broker peers are
``database`` and ``queue`` kinds, which the default layer rules place in
infrastructure. A service's ``service.namespace`` is its product; services without
one belong to the product ``traces``.

The work is linear in the number of spans: every span is indexed by
``(traceId, spanId)`` once, then each span looks up its parent once.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import Any

from layermodel.errors import InputError, Problem, show_value
from layermodel.interop.discovery.core import (
    Discovered,
    DiscoveryResult,
    Link,
    Seen,
    build_model,
    facts,
)
from layermodel.interop.discovery.hosts import hosts_in, is_internal
from layermodel.interop.layer_rules import LayerRules
from layermodel.model.collector import paused
from layermodel.model.io import Document, parse, read_source

__all__ = ["DEFAULT_PRODUCT", "discover_traces", "import_traces"]

DEFAULT_PRODUCT = "traces"
"""The product of services whose resource has no ``service.namespace``."""

_KINDS = {
    0: "unspecified",
    1: "internal",
    2: "server",
    3: "client",
    4: "producer",
    5: "consumer",
}
_KIND_NAMES = {f"SPAN_KIND_{name.upper()}": name for name in _KINDS.values()}
_EXPECTED = (
    "expected OTLP JSON traces ({'resourceSpans': [...]} per line or per file) or "
    "dependency links ([{'parent': ..., 'child': ..., 'callCount': N}])"
)


@dataclass
class _Span:
    service: str
    kind: str
    trace: str
    parent: str
    name: str
    attributes: dict[str, str]
    file: str
    line: int | None
    path: tuple[str | int, ...]
    doc: Document | None
    continued: bool = False  # a span of another service has it as parent


@dataclass
class _Edge:
    file: str
    line: int | None
    evidence: str
    count: int = 0
    kind: str | None = None


class _Reader:
    """The state of one discovery: services and edges found so far."""

    def __init__(self) -> None:
        self.found = Discovered(source="traces")
        self.services: dict[str, Seen] = {}
        self.entries: set[str] = set()
        self.edges: dict[tuple[str, str, str], _Edge] = {}  # (source, target, file)
        self.outside: Counter[str] = Counter()

    def service(
        self,
        name: str,
        file: str,
        line: int | None,
        evidence: str,
        *,
        kind: str = "service",
        technology: str | None = None,
        product: str | None = None,
    ) -> None:
        if name in self.services:
            return
        self.services[name] = Seen(
            name=name,
            source="traces",
            file=file,
            line=line,
            technology=technology,
            evidence=evidence,
            products=(product,) if product else (),
            facts=facts(kind, name, source="traces", technology=technology),
        )
        self.found.imported[kind] += 1

    def edge(
        self,
        source: str,
        target: str,
        file: str,
        line: int | None,
        evidence: str,
        count: int = 1,
        kind: str | None = None,
    ) -> None:
        key = (source, target, file)
        edge = self.edges.get(key)
        if edge is None:
            edge = self.edges[key] = _Edge(file, line, evidence, kind=kind)
        edge.count += count

    def finish(self) -> Discovered:
        for name in self.entries:
            seen = self.services[name]
            seen.entry = True
            seen.facts["entry"] = "yes"
        self.found.components.extend(self.services.values())
        for (source, target, _file), edge in self.edges.items():
            self.found.links.append(
                Link(
                    source=source,
                    target=target,
                    origin="traces",
                    file=edge.file,
                    line=edge.line,
                    evidence=edge.evidence,
                    count=edge.count,
                    kind=edge.kind,
                )
            )
        for host, n in self.outside.items():
            self.found.skipped[f"call to {host}, outside the application"] += n
        return self.found


@paused
def discover_traces(*paths: str | os.PathLike[str]) -> Discovered:
    """What the trace files at ``paths`` show (see the module docstring).

    Spans from several files are joined: a span in one file may have its parent
    in another.

    Raises:
        ReadError: a file cannot be read.
        InputError: a file (or a line of a JSON Lines file) is not valid JSON, is
            not traces or dependency links (a compose file, a LikeC4 export), or
            holds a span or link of the wrong shape.
    """
    reader = _Reader()
    spans: dict[tuple[str, str], _Span] = {}
    order: list[_Span] = []
    for path in paths:
        source = read_source(path, what="trace file")
        reader.found.files.append(source.name)
        for doc, line in _documents(source.text, source.name):
            _read_document(doc, line, reader, spans, order)
    _join(reader, spans, order)
    return reader.finish()


def import_traces(
    *paths: str | os.PathLike[str],
    rules: LayerRules | None = None,
    aliases: dict[str, str] | None = None,
    name: str | None = None,
) -> DiscoveryResult:
    """A model from trace files: :func:`discover_traces`, then
    :func:`~layermodel.interop.discovery.build_model` with ``rules``, ``aliases``
    and ``name``."""
    return build_model(
        discover_traces(*paths), rules=rules, aliases=aliases, name=name, fallback_name="traces"
    )


# -- reading ----------------------------------------------------------------------


def _documents(text: str, name: str) -> list[tuple[Document, int | None]]:
    """The JSON documents of a file with, for JSON Lines, the line of each (None:
    the file is one document and positions come from it)."""
    lines = text.splitlines()
    filled = [(i + 1, line) for i, line in enumerate(lines) if line.strip()]
    if not filled:
        raise InputError([Problem(f"the file is empty; {_EXPECTED}", file=name, line=1)])
    if len(filled) > 1:
        first_no, first = filled[0]
        try:
            head = parse(first, name, "json")
        except InputError:
            head = None  # not one document per line: one document over several lines
        if head is not None:
            out: list[tuple[Document, int | None]] = [(_shifted(head, first_no), first_no)]
            for number, line in filled[1:]:
                try:
                    out.append((parse(line, name, "json"), number))
                except InputError as exc:
                    raise InputError(
                        [p.at(line=number + (p.line or 1) - 1) for p in exc.problems]
                    ) from None
            return out
    return [(parse(text, name, "json"), None)]


def _shifted(doc: Document, line: int) -> Document:
    doc.line = line
    return doc


def _where(doc: Document, line: int | None, path: tuple[str | int, ...]) -> int | None:
    if line is not None:
        return line
    found = doc.locate(path)
    return found[0] if found else doc.line


def _problem(doc: Document, line: int | None, message: str, path: tuple[str | int, ...]) -> Problem:
    if line is None:
        return doc.problem(message, path)
    found = doc.locate(path)
    column = found[1] if found else None
    return Problem(message, path=path, file=doc.file, line=line, column=column)


def _read_document(
    doc: Document,
    line: int | None,
    reader: _Reader,
    spans: dict[tuple[str, str], _Span],
    order: list[_Span],
) -> None:
    data = doc.data
    if isinstance(data, dict) and "resourceSpans" in data:
        _read_otlp(doc, line, reader, spans, order)
        return
    links: Any = data
    path: tuple[str | int, ...] = ()
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        links, path = data["data"], ("data",)
    if (
        isinstance(links, list)
        and links
        and all(isinstance(x, dict) and ("parent" in x or "child" in x) for x in links)
    ):
        _read_links(doc, line, links, path, reader)
        return
    raise InputError([_problem(doc, line, f"not traces: {_what_it_is(data)}; {_EXPECTED}", ())])


def _what_it_is(data: Any) -> str:
    if isinstance(data, dict):
        if isinstance(data.get("services"), dict):
            return "it looks like a compose file"
        if isinstance(data.get("elements"), dict) and isinstance(data.get("relations"), dict):
            return "it looks like a LikeC4 export"
        if isinstance(data.get("model"), dict):
            return "it looks like a Structurizr workspace"
        if "apiVersion" in data and "kind" in data:
            return f"it looks like a {show_value(data.get('kind'))} manifest"
        if "resourceMetrics" in data or "resourceLogs" in data:
            return "it holds OTLP metrics or logs, not traces"
        if isinstance(data.get("data"), list) and not data["data"]:
            return "an empty list of dependency links"
        keys = ", ".join(show_value(k) for k in list(data)[:5])
        return f"an object with keys {keys}" if keys else "an empty object"
    if isinstance(data, list):
        if not data:
            return "an empty list"
        if isinstance(data[0], dict) and "traceId" in data[0]:
            return "it looks like Zipkin spans, not dependency links"
        return f"a list holding {show_value(data[0])}"
    return f"got {show_value(data)}"


def _read_links(
    doc: Document,
    line: int | None,
    links: list[dict[str, Any]],
    base: tuple[str | int, ...],
    reader: _Reader,
) -> None:
    problems: list[Problem] = []
    for i, item in enumerate(links):
        path = (*base, i)
        parent, child, calls = item.get("parent"), item.get("child"), item.get("callCount")
        if not isinstance(parent, str) or not parent.strip():
            problems.append(
                _problem(
                    doc,
                    line,
                    f"'parent' must name a service, got {show_value(parent)}",
                    (*path, "parent"),
                )
            )
            continue
        if not isinstance(child, str) or not child.strip():
            problems.append(
                _problem(
                    doc,
                    line,
                    f"'child' must name a service, got {show_value(child)}",
                    (*path, "child"),
                )
            )
            continue
        if calls is not None and (
            isinstance(calls, bool) or not isinstance(calls, int) or calls < 0
        ):
            problems.append(
                _problem(
                    doc,
                    line,
                    f"'callCount' must be a whole number, got {show_value(calls)}",
                    (*path, "callCount"),
                )
            )
            continue
        where = _where(doc, line, path)
        reader.found.imported["dependency link"] += 1
        for name in (parent, child):
            reader.service(name, doc.file, where, f"dependency link {parent} -> {child}")
        if parent == child:
            continue
        evidence = f"dependency link {parent} -> {child}"
        if calls is not None:
            evidence += f", {calls} calls"
        reader.edge(parent, child, doc.file, where, evidence, count=calls or 0)
    if problems:
        raise InputError(problems)


def _attributes(raw: Any) -> dict[str, str]:
    """OTLP attributes (``[{"key": k, "value": {"stringValue": v}}]``) as texts;
    values that are not scalars are left out."""
    out: dict[str, str] = {}
    if not isinstance(raw, list):
        return out
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            continue
        value = item.get("value")
        if not isinstance(value, dict):
            continue
        for field in ("stringValue", "intValue", "boolValue", "doubleValue"):
            if field in value and not isinstance(value[field], (dict, list)):
                out[item["key"]] = str(value[field])
                break
    return out


def _kind(raw: Any) -> str | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return _KINDS.get(raw)
    if raw is None:
        return "unspecified"
    if isinstance(raw, str):
        return _KIND_NAMES.get(raw)
    return None


def _read_otlp(
    doc: Document,
    line: int | None,
    reader: _Reader,
    spans: dict[tuple[str, str], _Span],
    order: list[_Span],
) -> None:
    problems: list[Problem] = []
    resources = doc.data["resourceSpans"]
    if not isinstance(resources, list):
        raise InputError(
            [_problem(doc, line, "'resourceSpans' must be a list", ("resourceSpans",))]
        )
    for r, resource_spans in enumerate(resources):
        rpath: tuple[str | int, ...] = ("resourceSpans", r)
        if not isinstance(resource_spans, dict):
            problems.append(
                _problem(
                    doc,
                    line,
                    f"expected a ResourceSpans object, got {show_value(resource_spans)}",
                    rpath,
                )
            )
            continue
        resource = resource_spans.get("resource")
        attrs = _attributes(resource.get("attributes") if isinstance(resource, dict) else None)
        service = attrs.get("service.name", "").strip()
        if not service:
            problems.append(
                _problem(
                    doc,
                    line,
                    "the resource has no 'service.name' attribute: its spans belong to no service",
                    (*rpath, "resource"),
                )
            )
            continue
        product = attrs.get("service.namespace") or DEFAULT_PRODUCT
        reader.service(
            service,
            doc.file,
            _where(doc, line, (*rpath, "resource")),
            f"resource service.name={service}",
            product=product,
        )
        scopes = resource_spans.get(
            "scopeSpans", resource_spans.get("instrumentationLibrarySpans", [])
        )
        if not isinstance(scopes, list):
            problems.append(
                _problem(doc, line, "'scopeSpans' must be a list", (*rpath, "scopeSpans"))
            )
            continue
        for s, scope in enumerate(scopes):
            spath = (*rpath, "scopeSpans", s)
            items = scope.get("spans", []) if isinstance(scope, dict) else None
            if not isinstance(items, list):
                problems.append(_problem(doc, line, "'spans' must be a list", (*spath, "spans")))
                continue
            for k, raw in enumerate(items):
                path = (*spath, "spans", k)
                span = _span(doc, line, raw, path, service, problems)
                if span is None:
                    continue
                reader.found.imported["span"] += 1
                key = (span.trace, str(raw["spanId"]))
                if key in spans:
                    reader.found.skipped["repeated span"] += 1
                    continue
                spans[key] = span
                order.append(span)
    if problems:
        raise InputError(problems)


def _span(
    doc: Document,
    line: int | None,
    raw: Any,
    path: tuple[str | int, ...],
    service: str,
    problems: list[Problem],
) -> _Span | None:
    if not isinstance(raw, dict):
        problems.append(_problem(doc, line, f"expected a span object, got {show_value(raw)}", path))
        return None
    for field in ("traceId", "spanId"):
        value = raw.get(field)
        if not isinstance(value, str) or not value:
            problems.append(
                _problem(
                    doc,
                    line,
                    f"span {field!r} must be a hex id, got {show_value(value)}",
                    (*path, field),
                )
            )
            return None
    parent = raw.get("parentSpanId", "")
    if not isinstance(parent, str):
        problems.append(
            _problem(
                doc,
                line,
                f"span 'parentSpanId' must be a hex id, got {show_value(parent)}",
                (*path, "parentSpanId"),
            )
        )
        return None
    kind = _kind(raw.get("kind"))
    if kind is None:
        problems.append(
            _problem(
                doc,
                line,
                f"span 'kind' must be 0-5 or SPAN_KIND_..., got {show_value(raw.get('kind'))}",
                (*path, "kind"),
            )
        )
        return None
    name = raw.get("name") if isinstance(raw.get("name"), str) else ""
    return _Span(
        service=service,
        kind=kind,
        trace=raw["traceId"].lower(),
        parent=parent.lower(),
        name=str(name),
        attributes=_attributes(raw.get("attributes")),
        file=doc.file,
        line=line,
        path=path,
        doc=doc if line is None else None,
    )


def _span_line(span: _Span) -> int | None:
    if span.line is not None or span.doc is None:
        return span.line
    found = span.doc.locate(span.path)
    return found[0] if found else span.doc.line


def _join(reader: _Reader, spans: dict[tuple[str, str], _Span], order: list[_Span]) -> None:
    """The calls the spans show: each span looks up its parent once."""
    orphans = 0
    for span in order:
        if not span.parent or set(span.parent) == {"0"}:
            if span.kind == "server":
                reader.entries.add(span.service)
            continue
        parent = spans.get((span.trace, span.parent))
        if parent is None:
            orphans += 1
            continue
        if parent.service == span.service:
            continue
        if span.kind == "consumer" and "messaging.system" in span.attributes:
            continue  # producer and consumer each depend on the broker, not on each other
        parent.continued = True
        reader.edge(
            parent.service,
            span.service,
            span.file,
            _span_line(span),
            f"span {parent.name!r} ({parent.kind}) in {parent.service} -> "
            f"span {span.name!r} ({span.kind}) in {span.service}",
        )
    if orphans:
        reader.found.skipped["span whose parent is not in the files"] += orphans
    for span in order:
        if span.continued:
            continue
        if span.kind in ("client", "producer") or (
            span.kind == "consumer" and "messaging.system" in span.attributes
        ):
            _peer(reader, span)


def _peer(reader: _Reader, span: _Span) -> None:
    """The uninstrumented peer a client, producer or consumer span calls, if any."""
    attrs = span.attributes
    system = attrs.get("db.system") or attrs.get("messaging.system")
    kind = (
        "database" if "db.system" in attrs else "queue" if "messaging.system" in attrs else "peer"
    )
    address = attrs.get("server.address") or attrs.get("net.peer.name") or ""
    host = next((ref.host for ref in hosts_in(address)), "") if address else ""
    peer = attrs.get("peer.service")
    how = "peer.service"
    if not peer and host and is_internal(host):
        peer, how = host.split(".", 1)[0], "server.address"
    if not peer and system:
        peer, how = system, "db.system" if kind == "database" else "messaging.system"
    if not peer:
        if host or address:
            reader.outside[host or address] += 1
        return
    line = _span_line(span)
    reader.service(
        peer,
        span.file,
        line,
        f"span {span.name!r} {how}={attrs.get(how, peer)}",
        kind=kind,
        technology=system,
    )
    reader.edge(
        span.service,
        peer,
        span.file,
        line,
        f"span {span.name!r} ({span.kind}) in {span.service} {how}={attrs.get(how, peer)}",
        kind="async" if kind == "queue" else None,
    )
