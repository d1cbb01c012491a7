"""Discover a model from Kubernetes manifests.

Reads manifest files and folders (multi-document YAML, ``kind: List`` objects,
``kustomization.yaml`` resources lists) through the one reader and reports what it
finds as a :class:`~layermodel.interop.discovery.Discovered`:

- workloads (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, and Pods,
  ReplicaSets and ReplicationControllers that no controller owns) are components;
- a Service maps its DNS names (``svc``, ``svc.ns``, ``svc.ns.svc``,
  ``svc.ns.svc.cluster.local``, and ``pod-0.svc`` for a StatefulSet's pods) to the
  workloads its selector selects in its namespace;
- dependencies come from the env values of containers and init containers (literal
  values, ``$(VAR)`` references, ConfigMap and Secret keys, ``envFrom``), from URLs
  and ``host:port`` values in ``command`` and ``args``, from URLs and ``host:port``
  values in mounted ConfigMaps, and from NetworkPolicy rules (kind
  ``network-policy``: who *may* call whom);
- workloads behind an Ingress, an HTTPRoute, a Route or a ``LoadBalancer`` or
  ``NodePort`` Service are entry points; products come from the
  ``app.kubernetes.io/part-of`` label, else the namespace, else the input's name.

Everything else is counted as skipped by kind; what the import survives (a reference
to a Service that is not there, a selector that selects no pods, a remote
kustomization resource) is reported with its file and line.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layermodel.errors import InputError, Problem
from layermodel.interop.discovery import (
    Discovered,
    DiscoveryResult,
    Link,
    Seen,
    build_model,
    facts,
    hosts_in,
    is_internal,
)
from layermodel.interop.layer_rules import LayerRules
from layermodel.model.collector import paused
from layermodel.model.io import Document, read_documents

__all__ = ["WORKLOAD_KINDS", "discover_kubernetes", "import_kubernetes"]

WORKLOAD_KINDS = (
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "Pod",
    "ReplicaSet",
    "ReplicationController",
)
"""The object kinds that become components (Pods, ReplicaSets and
ReplicationControllers only when no controller owns them)."""

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
"""The names kustomize gives its file."""

DEFAULT_NAMESPACE = "default"

_OWNED_KINDS = {"Pod", "ReplicaSet", "ReplicationController"}
_CLUSTER_SUFFIXES = (".svc.cluster.local", ".svc")
_ORDINAL = re.compile(r"^(.+)-\d+$")
_VAR_REF = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_NOT_ADDRESS = re.compile(
    r"(?:^|_)(?:NAME|USER|USERNAME|PASSWORD|PASSWD|PASS|SECRET|TOKEN|KEY|DATABASE|"
    r"TOPIC|MODE|LEVEL|ENV|PROFILE|ID|VERSION)$",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"(?:HOST|HOSTNAME|ADDR|ADDRESS|SERVER|SERVERS|URL|URI|ENDPOINT|SERVICE|DSN|BROKER|"
    r"BROKERS)$",
    re.IGNORECASE,
)
# kustomization fields that change what the objects are, which this import does not apply
_NOT_APPLIED = (
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "components",
    "namePrefix",
    "nameSuffix",
    "images",
    "replacements",
    "vars",
    "helmCharts",
    "secretGenerator",
    "generators",
    "transformers",
)


# -- reading ---------------------------------------------------------------------


@dataclass
class _Object:
    """One Kubernetes object of a document (or an item of a ``List``)."""

    doc: Document
    at: tuple[str | int, ...]
    data: dict[str, Any]
    kind: str
    name: str
    namespace: str

    @property
    def file(self) -> str:
        return self.doc.file

    def line(self, *path: str | int) -> int | None:
        found = self.doc.locate((*self.at, *path))
        return found[0] if found else self.doc.line

    def problem(self, message: str, *path: str | int) -> Problem:
        return Problem(message, file=self.file, line=self.line(*path))

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"


def _is_object(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    api, kind = data.get("apiVersion"), data.get("kind")
    if not isinstance(api, str) or not isinstance(kind, str) or not api or not kind:
        return False
    return not api.startswith("backstage.io/")


def _is_kustomization(data: Any, file_name: str) -> bool:
    """A kustomization: its apiVersion says so, or (older ones have none) the file
    has kustomize's name."""
    if not isinstance(data, dict):
        return False
    api = data.get("apiVersion")
    if isinstance(api, str) and api.startswith("kustomize.config.k8s.io/"):
        return True
    return api is None and file_name in KUSTOMIZATION_FILES


@dataclass
class _Reader:
    objects: list[_Object] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    reported: list[Problem] = field(default_factory=list)
    not_manifests: list[str] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)
    generated: int = 0

    # -- paths

    def read_path(self, path: Path, *, named: bool, namespace: str | None = None) -> None:
        if path.is_dir():
            self.read_folder(path, namespace)
        else:
            self.read_file(path, named=named, namespace=namespace)

    def read_folder(self, folder: Path, namespace: str | None) -> None:
        for name in KUSTOMIZATION_FILES:
            if (folder / name).is_file():
                self.read_file(folder / name, named=True, namespace=namespace)
                return
        if (folder / "Chart.yaml").is_file():
            self.reported.append(
                Problem(
                    "a Helm chart: its templates are not rendered; left out",
                    file=str(folder / "Chart.yaml"),
                )
            )
            return
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            raise InputError(
                [Problem(f"cannot list this folder: {exc.strerror or exc}", file=str(folder))]
            ) from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                self.read_folder(entry, namespace)
            elif entry.suffix in (".yaml", ".yml") and entry.is_file():
                self.read_file(entry, named=False, namespace=namespace)

    def read_file(self, path: Path, *, named: bool, namespace: str | None) -> None:
        real = os.path.realpath(path)
        if real in self.visited:
            return
        self.visited.add(real)
        documents = read_documents(path, what="Kubernetes manifest")
        name = documents[0].file if documents else str(path)
        if name not in self.files:
            self.files.append(name)
        found = False
        for doc in documents:
            data = doc.data
            if data is None:
                continue
            if _is_kustomization(data, path.name):
                found = True
                self.read_kustomization(path, doc, namespace)
            elif _is_object(data):
                found = True
                self.add(doc, (), data, namespace)
            elif documents and any(_is_object(d.data) for d in documents):
                self.reported.append(
                    doc.problem(
                        "this document is not a Kubernetes object (no apiVersion and "
                        "kind); left out"
                    )
                )
        if found:
            return
        if named:
            raise InputError(
                [
                    Problem(
                        "not a Kubernetes manifest: no document has an apiVersion and a "
                        "kind (nor is it a kustomization)",
                        file=name,
                        line=documents[0].line if documents else None,
                    )
                ]
            )
        self.not_manifests.append(name)

    def add(
        self, doc: Document, at: tuple[str | int, ...], data: dict[str, Any], namespace: str | None
    ) -> None:
        kind = str(data["kind"])
        if kind == "List" or (kind.endswith("List") and isinstance(data.get("items"), list)):
            items = data.get("items")
            if not isinstance(items, list):
                self.reported.append(doc.problem("a List without items; left out", (*at, "kind")))
                return
            for i, item in enumerate(items):
                if _is_object(item):
                    self.add(doc, (*at, "items", i), item, namespace)
                else:
                    self.reported.append(
                        doc.problem(
                            "this List item is not a Kubernetes object; left out",
                            (*at, "items", i),
                        )
                    )
            return
        meta = data.get("metadata")
        if not isinstance(meta, dict) or not isinstance(meta.get("name"), str):
            self.reported.append(
                doc.problem(f"{kind} without metadata.name; left out", (*at, "metadata"))
            )
            return
        ns = meta.get("namespace")
        ns = namespace or (ns if isinstance(ns, str) and ns else DEFAULT_NAMESPACE)
        if kind == "Namespace":
            ns = meta["name"]
        self.objects.append(_Object(doc, at, data, kind, meta["name"], ns))

    # -- kustomize

    def read_kustomization(self, path: Path, doc: Document, namespace: str | None) -> None:
        data: dict[str, Any] = doc.data
        base = path.parent
        own = data.get("namespace")
        namespace = namespace or (own if isinstance(own, str) and own else None)
        for key in _NOT_APPLIED:
            if data.get(key):
                self.reported.append(
                    doc.problem(
                        f"kustomization {key} is not applied: the objects are read as written",
                        (key,),
                        key=True,
                    )
                )
        for key in ("resources", "bases"):
            entries = data.get(key)
            if entries is None:
                continue
            if not isinstance(entries, list):
                raise InputError([doc.problem(f"{key} must be a list of paths", (key,))])
            for i, entry in enumerate(entries):
                if not isinstance(entry, str) or not entry:
                    raise InputError([doc.problem(f"{key} entries must be paths", (key, i))])
                if "://" in entry or entry.startswith(("github.com/", "git@")) or "?ref=" in entry:
                    self.reported.append(
                        doc.problem(f"remote resource {entry} is not fetched", (key, i))
                    )
                    continue
                target = base / entry
                if not target.exists():
                    self.reported.append(
                        doc.problem(f"resource {entry} does not exist; left out", (key, i))
                    )
                    continue
                self.read_path(target, named=True, namespace=namespace)
        generators = data.get("configMapGenerator")
        if isinstance(generators, list):
            for i, gen in enumerate(generators):
                self.generate_config_map(doc, i, gen, namespace)

    def generate_config_map(self, doc: Document, i: int, gen: Any, namespace: str | None) -> None:
        at = ("configMapGenerator", i)
        if not isinstance(gen, dict) or not isinstance(gen.get("name"), str):
            self.reported.append(doc.problem("configMapGenerator entry without a name", at))
            return
        if gen.get("files") or gen.get("envs") or gen.get("env"):
            self.reported.append(
                doc.problem(
                    f"configMapGenerator {gen['name']}: only literals are read, not files",
                    at,
                )
            )
        values: dict[str, Any] = {}
        for literal in gen.get("literals") or []:
            if isinstance(literal, str) and "=" in literal:
                k, _, v = literal.partition("=")
                values[k] = v
        ns = gen.get("namespace") if isinstance(gen.get("namespace"), str) else None
        data = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": gen["name"], **({"namespace": ns} if ns else {})},
            "data": values,
        }
        self.generated += 1
        self.add(doc, at, data, namespace)


# -- the model --------------------------------------------------------------------


def _labels(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if v is not None}


def _selects(selector: Any, labels: dict[str, str]) -> bool:
    """Whether a LabelSelector (``matchLabels``/``matchExpressions``) selects
    ``labels``; an empty selector selects everything."""
    if not isinstance(selector, dict):
        return True
    for key, value in _labels(selector.get("matchLabels")).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        if not isinstance(expr, dict):
            return False
        key, op = str(expr.get("key")), str(expr.get("operator"))
        values = [str(v) for v in expr.get("values") or []]
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _is_empty_selector(selector: Any) -> bool:
    return not isinstance(selector, dict) or (
        not selector.get("matchLabels") and not selector.get("matchExpressions")
    )


def _show_selector(selector: Any) -> str:
    if _is_empty_selector(selector):
        return "{} (all pods)"
    parts = [f"{k}={v}" for k, v in _labels(selector.get("matchLabels")).items()]
    for expr in selector.get("matchExpressions") or []:
        if isinstance(expr, dict):
            values = ",".join(str(v) for v in expr.get("values") or [])
            parts.append(f"{expr.get('key')} {expr.get('operator')} ({values})".replace(" ()", ""))
    return ", ".join(parts)


@dataclass
class _Workload:
    obj: _Object
    key: str
    labels: dict[str, str]
    pod_spec: dict[str, Any]
    pod_path: tuple[str | int, ...]
    service_name: str | None = None
    entry: bool = False


def _pod_template(obj: _Object) -> tuple[dict[str, Any], dict[str, Any], tuple[str, ...]]:
    """(pod metadata, pod spec, path of the pod spec) of a workload."""
    spec = obj.data.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    if obj.kind == "Pod":
        meta = obj.data.get("metadata")
        return (meta if isinstance(meta, dict) else {}), spec, ("spec",)
    path: tuple[str, ...] = ("spec",)
    if obj.kind == "CronJob":
        job = spec.get("jobTemplate")
        spec = job.get("spec") if isinstance(job, dict) else None
        spec = spec if isinstance(spec, dict) else {}
        path = ("spec", "jobTemplate", "spec")
    template = spec.get("template")
    template = template if isinstance(template, dict) else {}
    meta = template.get("metadata")
    pod = template.get("spec")
    return (
        meta if isinstance(meta, dict) else {},
        pod if isinstance(pod, dict) else {},
        (*path, "template", "spec"),
    )


def _containers(workload: _Workload) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    for group in ("initContainers", "containers"):
        items = workload.pod_spec.get(group)
        if isinstance(items, list):
            for i, container in enumerate(items):
                if isinstance(container, dict):
                    yield (*workload.pod_path, group, i), container


class _Model:
    """Everything read, indexed; turns it into components and links."""

    def __init__(self, objects: list[_Object], found: Discovered, fallback: str) -> None:
        self.found = found
        self.fallback = fallback
        self.workloads: list[_Workload] = []
        self.services: dict[tuple[str, str], _Object] = {}
        self.config_maps: dict[tuple[str, str], _Object] = {}
        self.secrets: dict[tuple[str, str], _Object] = {}
        self.namespaces: dict[str, dict[str, str]] = {}
        self.others: list[_Object] = []
        self.selected: dict[tuple[str, str], list[_Workload]] = {}
        self.by_name: dict[tuple[str, str], _Workload] = {}
        self.link_keys: set[tuple[str, str, str | None, str | None]] = set()
        seen: set[tuple[str, str, str]] = set()
        for obj in objects:
            identity = (obj.kind, obj.namespace, obj.name)
            if identity in seen:
                if obj.kind in WORKLOAD_KINDS:
                    found.duplicates += 1
                continue
            seen.add(identity)
            self.sort(obj)

    def sort(self, obj: _Object) -> None:
        found = self.found
        kind = obj.kind
        if kind in WORKLOAD_KINDS:
            owners = (obj.data.get("metadata") or {}).get("ownerReferences")
            if kind in _OWNED_KINDS and owners:
                found.skipped[f"{kind} (owned by a controller)"] += 1
                return
            meta, pod, path = _pod_template(obj)
            key = f"{kind}/{obj.namespace}/{obj.name}"
            workload = _Workload(obj, key, _labels(meta.get("labels")), pod, path)
            if kind == "StatefulSet":
                spec = obj.data.get("spec") or {}
                name = spec.get("serviceName") if isinstance(spec, dict) else None
                workload.service_name = name if isinstance(name, str) else None
            self.workloads.append(workload)
            self.by_name.setdefault((obj.namespace, obj.name), workload)
            found.imported[kind] += 1
            return
        if kind == "Service":
            self.services[(obj.namespace, obj.name)] = obj
        elif kind == "ConfigMap":
            self.config_maps[(obj.namespace, obj.name)] = obj
        elif kind == "Secret":
            self.secrets[(obj.namespace, obj.name)] = obj
        elif kind == "Namespace":
            meta = obj.data.get("metadata") or {}
            self.namespaces[obj.name] = _labels(meta.get("labels"))
        self.others.append(obj)
        found.skipped[kind] += 1

    # -- selection

    def index(self) -> None:
        """Workloads by namespace and by (namespace, label, value), so that a selector
        is matched against the workloads that have one of its labels, not all."""
        self.in_namespace: dict[str, list[_Workload]] = {}
        self.by_label: dict[tuple[str, str, str], list[_Workload]] = {}
        for w in self.workloads:
            self.in_namespace.setdefault(w.obj.namespace, []).append(w)
            for k, v in w.labels.items():
                self.by_label.setdefault((w.obj.namespace, k, v), []).append(w)

    def pods(self, namespace: str, selector: Any) -> list[_Workload]:
        """The workloads whose pod labels ``selector`` selects in ``namespace``."""
        match = _labels(selector.get("matchLabels")) if isinstance(selector, dict) else {}
        if match:
            candidates = min(
                (self.by_label.get((namespace, k, v), []) for k, v in match.items()), key=len
            )
        else:
            candidates = self.in_namespace.get(namespace, [])
        return [w for w in candidates if _selects(selector, w.labels)]

    def resolve_services(self) -> None:
        for (ns, name), svc in self.services.items():
            spec = svc.data.get("spec")
            spec = spec if isinstance(spec, dict) else {}
            selector = spec.get("selector")
            if not isinstance(selector, dict) or not selector:
                if spec.get("type") != "ExternalName":
                    self.found.reported.append(
                        svc.problem(
                            f"Service {name} has no selector: references to it are not "
                            "linked to a workload",
                            "spec",
                        )
                    )
                self.selected[(ns, name)] = []
                continue
            chosen = [
                w
                for w in self.pods(ns, {"matchLabels": selector})
                if w.obj.kind not in ("Job", "CronJob")
            ]
            if not chosen:
                self.found.reported.append(
                    svc.problem(
                        f"Service {name} selects no pods in namespace {ns} "
                        f"({_show_selector({'matchLabels': selector})})",
                        "spec",
                        "selector",
                    )
                )
            self.selected[(ns, name)] = chosen
            if spec.get("type") in ("LoadBalancer", "NodePort"):
                for w in chosen:
                    w.entry = True

    def service_targets(self, host: str, namespace: str, depth: int = 0) -> list[_Workload] | None:
        """The workloads a DNS name reaches from ``namespace``; None when no Service
        (or StatefulSet pod name) of the input has it."""
        host = host.lower().rstrip(".")
        for suffix in _CLUSTER_SUFFIXES:
            if host.endswith(suffix):
                host = host[: -len(suffix)]
                break
        parts = host.split(".")
        candidates: list[tuple[str | None, str, str]] = []  # (pod, service, namespace)
        if len(parts) == 1:
            candidates.append((None, parts[0], namespace))
        elif len(parts) == 2:
            candidates += [(None, parts[0], parts[1]), (parts[0], parts[1], namespace)]
        elif len(parts) == 3:
            candidates.append((parts[0], parts[1], parts[2]))
        for pod, svc, ns in candidates:
            if (ns, svc) not in self.services:
                continue
            chosen = self.selected.get((ns, svc), [])
            if pod is None:
                return self.external(ns, svc, chosen, depth)
            match = _ORDINAL.match(pod)
            if match:
                sts = [
                    w
                    for w in chosen
                    if w.obj.kind == "StatefulSet"
                    and w.obj.name == match.group(1)
                    and w.service_name == svc
                ]
                if sts:
                    return sts
        return None

    def external(self, ns: str, svc: str, chosen: list[_Workload], depth: int) -> list[_Workload]:
        """An ExternalName Service naming another Service of the cluster reaches what
        that one selects."""
        obj = self.services[(ns, svc)]
        spec = obj.data.get("spec") or {}
        target = spec.get("externalName") if isinstance(spec, dict) else None
        if isinstance(target, str) and not chosen:
            host = target.lower().rstrip(".")
            if host.endswith(".cluster.local") and depth < 8:
                return self.service_targets(host, ns, depth + 1) or []
        return chosen

    # -- links

    def link(
        self,
        source: _Workload,
        target: _Workload,
        obj: _Object,
        line: int | None,
        evidence: str,
        kind: str | None = None,
    ) -> None:
        identity = (source.key, target.key, kind, evidence)
        if identity in self.link_keys:
            return
        self.link_keys.add(identity)
        self.found.links.append(
            Link(source.key, target.key, "kubernetes", obj.file, line, evidence, kind=kind)
        )

    def refer(
        self,
        workload: _Workload,
        value: str,
        line: int | None,
        evidence: str,
        *,
        bare: bool,
        report: bool,
    ) -> None:
        """Links ``workload`` to the Services ``value`` names."""
        ns = workload.obj.namespace
        for ref in hosts_in(value):
            if ref.how == "bare" and not bare:
                continue
            targets = self.service_targets(ref.host, ns)
            if targets is None:
                short = ref.host.split(".")[0]
                same = self.by_name.get((ns, short)) if "." not in ref.host else None
                if same is not None and same is not workload:
                    self.link(workload, same, workload.obj, line, evidence)
                    self.found.reported.append(
                        Problem(
                            f"{workload.obj.name}: {ref.host} is the name of {same.obj.label} "
                            f"but no Service in namespace {ns} has it; linked to the "
                            f"workload ({evidence})",
                            file=workload.obj.file,
                            line=line,
                        )
                    )
                    continue
                cluster = ref.host.endswith(_CLUSTER_SUFFIXES)
                if report and is_internal(ref.host) and (ref.how != "bare" or cluster):
                    self.found.reported.append(
                        Problem(
                            f"{workload.obj.name} -> {ref.host}: no Service named "
                            f"{ref.host!r} is in the input; the dependency is not in "
                            f"the model ({evidence})",
                            file=workload.obj.file,
                            line=line,
                        )
                    )
                continue
            for target in targets:
                if target is not workload:
                    self.link(workload, target, workload.obj, line, evidence)

    def env_links(self, workload: _Workload) -> None:
        obj = workload.obj
        ns = obj.namespace
        mounted: set[str] = set()
        volumes = workload.pod_spec.get("volumes")
        for volume in volumes if isinstance(volumes, list) else []:
            if isinstance(volume, dict) and isinstance(volume.get("configMap"), dict):
                name = volume["configMap"].get("name")
                if isinstance(name, str):
                    mounted.add(name)
            projected = volume.get("projected") if isinstance(volume, dict) else None
            if isinstance(projected, dict):
                for source in projected.get("sources") or []:
                    cm = source.get("configMap") if isinstance(source, dict) else None
                    if isinstance(cm, dict) and isinstance(cm.get("name"), str):
                        mounted.add(cm["name"])
        for path, container in _containers(workload):
            values: dict[str, str] = {}
            for i, source in enumerate(container.get("envFrom") or []):
                if isinstance(source, dict):
                    self.env_from(workload, (*path, "envFrom", i), source, values)
            env = container.get("env")
            for i, item in enumerate(env if isinstance(env, list) else []):
                if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                    continue
                name = item["name"]
                line = obj.line(*path, "env", i)
                raw = item.get("value")
                if raw is not None and not isinstance(raw, (dict, list)):
                    text = _expand(str(raw), values)
                    values[name] = text
                    self.refer(
                        workload,
                        text,
                        obj.line(*path, "env", i, "value"),
                        f"env {name}={text}",
                        bare=_bare_allowed(name),
                        report=True,
                    )
                    continue
                ref = item.get("valueFrom")
                if isinstance(ref, dict):
                    resolved = self.value_from(workload, name, ref, line)
                    if resolved is not None:
                        text, evidence = resolved
                        values[name] = text
                        self.refer(
                            workload, text, line, evidence, bare=_bare_allowed(name), report=True
                        )
            for field_name in ("command", "args"):
                items = container.get(field_name)
                for i, arg in enumerate(items if isinstance(items, list) else []):
                    if isinstance(arg, str):
                        text = _expand(arg, values)
                        self.refer(
                            workload,
                            text,
                            obj.line(*path, field_name, i),
                            f"{field_name} {text}",
                            bare=False,
                            report=False,
                        )
        for name in sorted(mounted):
            cm = self.config_maps.get((ns, name))
            if cm is None:
                continue
            data = cm.data.get("data")
            for key, value in data.items() if isinstance(data, dict) else []:
                if isinstance(value, str):
                    for part in value.splitlines() or [value]:
                        self.refer(
                            workload,
                            part,
                            cm.line("data", key),
                            f"ConfigMap {name} (mounted) {key}: {part.strip()[:120]}",
                            bare=False,
                            report=False,
                        )

    def env_from(
        self,
        workload: _Workload,
        path: tuple[str | int, ...],
        source: dict[str, Any],
        values: dict[str, str],
    ) -> None:
        obj = workload.obj
        prefix = str(source.get("prefix") or "")
        for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            ref = source.get(key)
            if not isinstance(ref, dict) or not isinstance(ref.get("name"), str):
                continue
            line = obj.line(*path)
            data = self.lookup(workload, kind, ref["name"], line, bool(ref.get("optional")))
            if data is None:
                continue
            for name, value in data.items():
                values[prefix + name] = value
                shown = value if kind == "ConfigMap" else "(secret value)"
                self.refer(
                    workload,
                    value,
                    line,
                    f"envFrom {kind} {ref['name']}: {prefix}{name}={shown}",
                    bare=_bare_allowed(name),
                    report=True,
                )

    def value_from(
        self, workload: _Workload, name: str, ref: dict[str, Any], line: int | None
    ) -> tuple[str, str] | None:
        for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
            target = ref.get(key)
            if not isinstance(target, dict):
                continue
            source, item = target.get("name"), target.get("key")
            if not isinstance(source, str) or not isinstance(item, str):
                return None
            data = self.lookup(workload, kind, source, line, bool(target.get("optional")))
            if data is None:
                return None
            if item not in data:
                if not target.get("optional"):
                    self.found.reported.append(
                        Problem(
                            f"{workload.obj.name}: env {name} names key {item!r} of {kind} "
                            f"{source}, which has no such key",
                            file=workload.obj.file,
                            line=line,
                        )
                    )
                return None
            value = data[item]
            shown = value if kind == "ConfigMap" else "(secret value)"
            return value, f"env {name} from {kind} {source} key {item}={shown}"
        return None

    def lookup(
        self, workload: _Workload, kind: str, name: str, line: int | None, optional: bool
    ) -> dict[str, str] | None:
        index = self.config_maps if kind == "ConfigMap" else self.secrets
        obj = index.get((workload.obj.namespace, name))
        if obj is None:
            if not optional:
                self.found.reported.append(
                    Problem(
                        f"{workload.obj.name}: {kind} {name} is not in the input; the "
                        f"values it holds are not read",
                        file=workload.obj.file,
                        line=line,
                    )
                )
            return None
        out: dict[str, str] = {}
        for section in ("data", "stringData") if kind == "Secret" else ("data",):
            data = obj.data.get(section)
            if not isinstance(data, dict):
                continue
            for key, value in data.items():
                if value is None or isinstance(value, (dict, list)):
                    continue
                text = str(value)
                if kind == "Secret" and section == "data":
                    try:
                        text = base64.b64decode(text, validate=True).decode("utf-8")
                    except (binascii.Error, UnicodeDecodeError):
                        continue
                out[str(key)] = text
        return out

    def policy_links(self, policy: _Object) -> None:
        spec = policy.data.get("spec")
        if not isinstance(spec, dict):
            return
        ns = policy.namespace
        selector = spec.get("podSelector")
        targets = self.pods(ns, selector)
        if not targets:
            self.found.reported.append(
                policy.problem(
                    f"NetworkPolicy {policy.name}: podSelector {_show_selector(selector)} "
                    f"selects no pods in namespace {ns}",
                    "spec",
                    "podSelector",
                )
            )
        for direction, peers_key in (("ingress", "from"), ("egress", "to")):
            rules = spec.get(direction)
            for r, rule in enumerate(rules if isinstance(rules, list) else []):
                if not isinstance(rule, dict):
                    continue
                peers = rule.get(peers_key)
                for p, peer in enumerate(peers if isinstance(peers, list) else []):
                    if not isinstance(peer, dict) or (
                        "podSelector" not in peer and "namespaceSelector" not in peer
                    ):
                        continue
                    at = ("spec", direction, r, peers_key, p)
                    chosen, shown = self.peer_pods(ns, peer)
                    if not chosen:
                        self.found.reported.append(
                            policy.problem(
                                f"NetworkPolicy {policy.name}: {direction} {peers_key} "
                                f"{shown} selects no pods in the input",
                                *at,
                            )
                        )
                        continue
                    if _is_empty_selector(selector) or _is_empty_selector(peer.get("podSelector")):
                        continue  # "everyone" is not a who-calls-whom statement
                    line = policy.line(*at)
                    evidence = f"NetworkPolicy {policy.name}: {direction} {peers_key} {shown}"
                    for other in chosen:
                        for target in targets:
                            if other is target:
                                continue
                            caller, callee = (
                                (other, target)
                                if direction == "ingress"
                                else (
                                    target,
                                    other,
                                )
                            )
                            self.link(caller, callee, policy, line, evidence, "network-policy")

    def peer_pods(self, ns: str, peer: dict[str, Any]) -> tuple[list[_Workload], str]:
        pod_selector = peer.get("podSelector")
        if "namespaceSelector" not in peer:
            return self.pods(ns, pod_selector), _show_selector(pod_selector)
        ns_selector = peer.get("namespaceSelector")
        known = set(self.in_namespace) | set(self.namespaces)
        chosen_ns = [
            n
            for n in sorted(known)
            if _selects(
                ns_selector,
                {**self.namespaces.get(n, {}), "kubernetes.io/metadata.name": n},
            )
        ]
        pods = [w for n in chosen_ns for w in self.pods(n, pod_selector)]
        shown = f"namespaces {_show_selector(ns_selector)}"
        if "podSelector" in peer:
            shown += f", pods {_show_selector(pod_selector)}"
        return pods, shown

    def entries(self, obj: _Object) -> None:
        """Marks the workloads behind an Ingress, HTTPRoute or Route as entry points."""
        names: list[str] = []
        spec = obj.data.get("spec")
        spec = spec if isinstance(spec, dict) else {}
        if obj.kind == "Ingress":
            backends = [spec.get("defaultBackend"), spec.get("backend")]
            for rule in spec.get("rules") or []:
                http = rule.get("http") if isinstance(rule, dict) else None
                for path in (http.get("paths") or []) if isinstance(http, dict) else []:
                    if isinstance(path, dict):
                        backends.append(path.get("backend"))
            for backend in backends:
                if not isinstance(backend, dict):
                    continue
                service = backend.get("service")
                name = service.get("name") if isinstance(service, dict) else None
                name = name or backend.get("serviceName")
                if isinstance(name, str):
                    names.append(name)
        elif obj.kind in ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"):
            for rule in spec.get("rules") or []:
                refs = rule.get("backendRefs") if isinstance(rule, dict) else None
                for ref in refs if isinstance(refs, list) else []:
                    if (
                        isinstance(ref, dict)
                        and ref.get("kind", "Service") == "Service"
                        and isinstance(ref.get("name"), str)
                    ):
                        names.append(ref["name"])
        elif obj.kind == "Route":
            to = spec.get("to")
            if isinstance(to, dict) and isinstance(to.get("name"), str):
                names.append(to["name"])
        for name in names:
            if (obj.namespace, name) not in self.services:
                self.found.reported.append(
                    obj.problem(
                        f"{obj.kind} {obj.name} routes to Service {name}, which is not in "
                        f"the input",
                        "spec",
                    )
                )
                continue
            for w in self.selected.get((obj.namespace, name), []):
                w.entry = True

    # -- all of it

    def build(self) -> None:
        self.index()
        self.resolve_services()
        for obj in self.others:
            if obj.kind in ("Ingress", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "Route"):
                self.entries(obj)
        for workload in self.workloads:
            self.env_links(workload)
        for obj in self.others:
            if obj.kind == "NetworkPolicy":
                self.policy_links(obj)
        names = Counter(w.obj.name for w in self.workloads)
        taken = Counter((w.obj.namespace, w.obj.name) for w in self.workloads)
        for workload in self.workloads:
            obj = workload.obj
            name = obj.name
            if names[name] > 1:
                name = f"{name}.{obj.namespace}"
                if taken[(obj.namespace, obj.name)] > 1:
                    name = f"{obj.name}-{obj.kind.lower()}.{obj.namespace}"
            self.found.components.append(self.seen(workload, name))

    def seen(self, workload: _Workload, name: str) -> Seen:
        obj = workload.obj
        meta = obj.data.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        labels = {**_labels(meta.get("labels")), **workload.labels}
        images = [
            str(c["image"])
            for path, c in _containers(workload)
            if path[-2] == "containers" and isinstance(c.get("image"), str)
        ]
        spec = obj.data.get("spec")
        part_of = labels.get("app.kubernetes.io/part-of")
        if part_of:
            product = part_of
        elif obj.namespace != DEFAULT_NAMESPACE:
            product = obj.namespace
        else:
            product = self.fallback
        description = (meta.get("annotations") or {}).get("description")
        return Seen(
            name=name,
            source="kubernetes",
            file=obj.file,
            line=obj.line("metadata", "name"),
            facts=facts(
                obj.kind,
                obj.name,
                source="kubernetes",
                image=images[0] if images else None,
                entry=workload.entry,
                namespace=obj.namespace,
                labels=labels,
                spec=spec if isinstance(spec, dict) else None,
            ),
            key=workload.key,
            description=description if isinstance(description, str) else None,
            products=(product,),
            entry=workload.entry,
            evidence=f"{obj.kind} {obj.name} (namespace {obj.namespace})",
        )


def _expand(text: str, values: dict[str, str]) -> str:
    """Kubernetes' ``$(VAR)`` expansion from the container's earlier env values."""
    if "$(" not in text:
        return text
    return _VAR_REF.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _bare_allowed(env_name: str) -> bool:
    """Whether a value that is just a name (``redis``) may name a Service: not for
    variables that hold names of other things (``*_NAME``, ``*_USER``, ``*_DATABASE``,
    ``*_TOPIC``...)."""
    return _ADDRESS.search(env_name) is not None or _NOT_ADDRESS.search(env_name) is None


def _input_name(paths: Iterable[Path]) -> str:
    for path in paths:
        resolved = path.resolve()
        if resolved.is_dir():
            return resolved.name or "kubernetes"
        if resolved.name in KUSTOMIZATION_FILES:
            return resolved.parent.name or "kubernetes"
        return resolved.stem or "kubernetes"
    return "kubernetes"


@paused
def discover_kubernetes(*paths: str | os.PathLike[str], name: str | None = None) -> Discovered:
    """What Kubernetes manifests show: workloads, their dependencies, and an account
    of every object read.

    Args:
        paths: manifest files, kustomization files or folders (walked for ``*.yaml``
            and ``*.yml``; a folder with a kustomization is read through it).
        name: the application's name, for the product of workloads that have no
            ``app.kubernetes.io/part-of`` label and live in the ``default``
            namespace; else the first input's name (a folder's name, a file's stem).

    Raises:
        ReadError: a file cannot be read.
        InputError: a file is not valid YAML or JSON, a named file holds no
            Kubernetes object, or the inputs hold none at all.
    """
    if not paths:
        raise InputError([Problem("no Kubernetes manifest given")])
    reader = _Reader()
    given = [Path(p) for p in paths]
    for path in given:
        if not path.exists():
            raise InputError([Problem("no such file or folder", file=str(path))])
        reader.read_path(path, named=True)
    if not reader.objects:
        raise InputError(
            [
                Problem(
                    "no Kubernetes objects found (no document with an apiVersion and a kind)",
                    file=str(given[0]),
                )
            ]
        )
    fallback = name or _input_name(given)
    found = Discovered(source="kubernetes", files=list(reader.files))
    found.reported.extend(reader.reported)
    if reader.not_manifests:
        for file in reader.not_manifests:
            found.reported.append(
                Problem("not a Kubernetes manifest (no apiVersion and kind); left out", file=file)
            )
        found.skipped["file without Kubernetes objects"] += len(reader.not_manifests)
    model = _Model(reader.objects, found, fallback)
    model.build()
    namespaces = {w.obj.namespace for w in model.workloads}
    found.name = name or (
        next(iter(namespaces))
        if len(namespaces) == 1 and DEFAULT_NAMESPACE not in namespaces
        else fallback
    )
    return found


def import_kubernetes(
    *paths: str | os.PathLike[str],
    rules: LayerRules | None = None,
    aliases: dict[str, str] | None = None,
    name: str | None = None,
) -> DiscoveryResult:
    """A model from Kubernetes manifests (see :func:`discover_kubernetes`), its
    components and dependencies carrying where each was found.

    Args:
        paths: manifest files, kustomization files or folders.
        rules: layer rules tried before the built-in defaults.
        aliases: workload name -> model id.
        name: the model's name (and the product of workloads in the ``default``
            namespace without a ``part-of`` label); else the namespace when all
            workloads share one, else the first input's name.

    Raises:
        ReadError, InputError: as :func:`discover_kubernetes`.
    """
    found = discover_kubernetes(*paths, name=name)
    return build_model(found, rules=rules, aliases=aliases, name=name)
