"""Docker Compose files into a model: services, and what they reach.

:func:`discover_compose` reads one or several compose files through the one reader,
merges them in order as ``docker compose -f a -f b`` does, resolves variables from
the project's ``.env`` and the env files given (never from the process environment,
so the model does not depend on who runs the import), and reports every service as a
:class:`~layermodel.interop.discovery.Seen` and every dependency as a
:class:`~layermodel.interop.discovery.Link`, each with its file, line and evidence.
:func:`import_compose` turns that into a model with
:func:`~layermodel.interop.discovery.build_model`.

Dependencies come from ``depends_on`` (list and map forms; ``required: false`` is a
soft dependency), ``links``, ``external_links``, ``volumes_from``, ``network_mode:
service:x``, environment values that name another service by any of its names
(``host:port``, URLs, ``user@host/``, connection strings, bare host names), and
``command``/``entrypoint`` arguments that are URLs or ``host:port`` of a service, or
follow a host option (``-h web``, ``--host=web``).
"""

from __future__ import annotations

import os
import re
import shlex
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from layermodel.errors import InputError, Problem
from layermodel.interop.discovery import (
    Discovered,
    DiscoveryResult,
    Link,
    Seen,
    build_model,
    facts,
    hosts_in,
)
from layermodel.interop.layer_rules import LayerRules
from layermodel.model.collector import paused
from layermodel.model.io import Document, read_document, read_source

__all__ = ["discover_compose", "import_compose"]

PathLike = str | os.PathLike[str]

_TOP_LEVEL = {"version", "name", "services", "networks", "volumes", "secrets", "configs"}
_TOP_LEVEL_REPORTED = {"include"}
_SKIPPED_KINDS = {"networks": "network", "volumes": "volume", "secrets": "secret"}
_MERGE_TAGS = ("!reset", "!override")

# -- where values come from -------------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    """A value's place: a document (for YAML, one service's own node, so that
    looking a value up does not scan every service) and the path inside it."""

    doc: Document
    path: tuple[str | int, ...]

    @property
    def file(self) -> str:
        return self.doc.file

    @property
    def line(self) -> int | None:
        found = self.doc.locate(self.path)
        return found[0] if found else self.doc.line

    def key_line(self) -> int | None:
        found = self.doc.locate(self.path, key=True)
        return found[0] if found else self.doc.line

    def at(self, *more: str | int) -> _Where:
        return _Where(self.doc, (*self.path, *more))


# -- variables: env files and interpolation ---------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=)?\s*(.*)$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "\\$"}


@dataclass
class _Variables:
    """The project's variables (from env files only), and what interpolation could
    not resolve, reported once per variable."""

    values: dict[str, str] = field(default_factory=dict)
    origin: dict[str, tuple[str, int]] = field(default_factory=dict)
    unset: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    unset_count: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    def interpolate(self, text: str, where: tuple[str, int | None]) -> str:
        """``text`` with ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``,
        ``${VAR:?error}``, ``${VAR?error}``, ``${VAR:+alt}``, ``${VAR+alt}``, ``$VAR``
        replaced and ``$$`` made ``$``. Unset variables become empty and are reported."""
        if "$" not in text:
            return text
        out, _ = self._scan(text, 0, where, closing=False)
        return out

    def _scan(
        self, text: str, i: int, where: tuple[str, int | None], *, closing: bool
    ) -> tuple[str, int]:
        parts: list[str] = []
        n = len(text)
        while i < n:
            c = text[i]
            if closing and c == "}":
                return "".join(parts), i
            if c != "$":
                parts.append(c)
                i += 1
                continue
            nxt = text[i + 1] if i + 1 < n else ""
            if nxt == "$":
                parts.append("$")
                i += 2
            elif nxt == "{":
                value, i = self._braced(text, i + 2, where)
                parts.append(value)
            else:
                m = _NAME.match(text, i + 1)
                if m is None:
                    parts.append("$")
                    i += 1
                else:
                    parts.append(self._lookup(m.group(), where))
                    i = m.end()
        return "".join(parts), i

    def _braced(self, text: str, i: int, where: tuple[str, int | None]) -> tuple[str, int]:
        m = _NAME.match(text, i)
        if m is None:
            self.problems.append(
                Problem(
                    f"invalid interpolation {text[max(0, i - 2) :][:40]!r}: "
                    "expected ${NAME} after '${'",
                    file=where[0],
                    line=where[1],
                )
            )
            return text[i - 2 :], len(text)
        name = m.group()
        i = m.end()
        op = ""
        for candidate in (":-", ":?", ":+", "-", "?", "+"):
            if text.startswith(candidate, i):
                op = candidate
                i += len(candidate)
                break
        if not op and not text.startswith("}", i):
            self.problems.append(
                Problem(
                    f"invalid interpolation '${{{name}{text[i : i + 20]}': expected '}}' "
                    "or one of :- - :? ? :+ +",
                    file=where[0],
                    line=where[1],
                )
            )
            end = text.find("}", i)
            return "", (len(text) if end < 0 else end + 1)
        rest, i = self._scan(text, i, where, closing=True) if op else ("", i)
        if i >= len(text) or text[i] != "}":
            self.problems.append(
                Problem(
                    f"invalid interpolation '${{{name}{op}{rest[:20]}': no closing '}}'",
                    file=where[0],
                    line=where[1],
                )
            )
            return "", len(text)
        i += 1
        value = self.values.get(name)
        empty = not value
        if op in (":-", "-"):
            use_default = value is None or (op == ":-" and empty)
            return (rest if use_default else value or ""), i
        if op in (":?", "?"):
            if value is None or (op == ":?" and empty):
                self.problems.append(
                    Problem(
                        f"required variable {name} is "
                        f"{'missing' if value is None else 'empty'}"
                        + (f": {rest}" if rest else "")
                        + "; set it in the project's .env or an env file",
                        file=where[0],
                        line=where[1],
                    )
                )
                return "", i
            return value or "", i
        if op in (":+", "+"):
            use_alt = value is not None and (op == "+" or not empty)
            return (rest if use_alt else ""), i
        return self._lookup(name, where), i

    def _lookup(self, name: str, where: tuple[str, int | None]) -> str:
        value = self.values.get(name)
        if value is None:
            self.unset.setdefault(name, where)
            self.unset_count[name] += 1
            return ""
        return value

    def read_env_file(self, path: PathLike, *, what: str = "env file") -> str:
        """Add the variables of one env file (``VAR=value`` lines; ``#`` comments;
        ``export``; quoted values); later files override earlier ones."""
        source = read_source(path, what=what)
        for number, raw in enumerate(source.text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            m = _ENV_LINE.match(line)
            if m is None:
                raise InputError(
                    [
                        Problem(
                            f"not a VAR=value line: {line[:60]!r}",
                            file=source.name,
                            line=number,
                        )
                    ]
                )
            name, equals, value = m.group(1), m.group(2), m.group(3)
            if not equals:
                continue  # "VAR" alone passes the process environment on: not used
            self.values[name] = self._env_value(value, (source.name, number))
            self.origin[name] = (source.name, number)
        return source.name

    def _env_value(self, value: str, where: tuple[str, int | None]) -> str:
        if value.startswith("'"):
            end = value.find("'", 1)
            return value[1:end] if end > 0 else value[1:]
        if value.startswith('"'):
            out: list[str] = []
            i = 1
            while i < len(value) and value[i] != '"':
                if value[i] == "\\" and i + 1 < len(value):
                    out.append(_ESCAPES.get(value[i + 1], "\\" + value[i + 1]))
                    i += 2
                else:
                    out.append(value[i])
                    i += 1
            return self.interpolate("".join(out).replace("\\$", "$$"), where)
        value = re.split(r"\s+#", value, maxsplit=1)[0].strip()
        return self.interpolate(value, where)


# -- one service, merged across files ---------------------------------------------------


@dataclass
class _Value:
    value: Any
    where: _Where


@dataclass
class _Service:
    name: str
    where: _Where
    """Where the service is first defined (its key)."""
    scalars: dict[str, _Value] = field(default_factory=dict)
    environment: dict[str, _Value] = field(default_factory=dict)
    labels: dict[str, _Value] = field(default_factory=dict)
    depends_on: dict[str, _Value] = field(default_factory=dict)
    links: list[_Value] = field(default_factory=list)
    external_links: list[_Value] = field(default_factory=list)
    volumes_from: list[_Value] = field(default_factory=list)
    ports: list[_Value] = field(default_factory=list)
    env_files: list[_Value] = field(default_factory=list)
    aliases: list[_Value] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


_REPLACED = ("image", "container_name", "hostname", "command", "entrypoint", "network_mode")


def _shape_error(where: _Where, what: str, value: Any) -> InputError:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return InputError([where.doc.problem(f"{what}, not {shown}", where.path)])


def _pairs(value: Any, where: _Where, what: str) -> Iterable[tuple[str, Any, _Where]]:
    """``KEY=value`` list or ``KEY: value`` mapping entries (``environment``,
    ``labels``): (key, value or None, where)."""
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                raise _shape_error(where.at(key), f"{what} {key} must be a text", item)
            yield str(key), (None if item is None else _scalar_text(item)), where.at(key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                raise _shape_error(where.at(index), f"{what} entries must be KEY=value", item)
            text = str(item)
            key, equals, rest = text.partition("=")
            yield key.strip(), (rest if equals else None), where.at(index)
    else:
        raise _shape_error(where, f"{what} must be a list or a mapping", value)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _merge_into(svc: _Service, data: dict[str, Any], where: _Where) -> None:
    """Patch ``svc`` with one file's definition of it, by the Compose merge rules:
    mappings key by key, ``environment``/``labels`` by variable, ``depends_on`` by
    service (list and map forms alike), sequences appended, and ``command``,
    ``entrypoint`` and single values replaced."""
    if where.file not in svc.files:
        svc.files.append(where.file)
    for key in _REPLACED:
        if key in data:
            svc.scalars[key] = _Value(data[key], where.at(key))
    for key, item, at in _pairs(data.get("environment"), where.at("environment"), "environment"):
        svc.environment[key] = _Value(item, at)
    for key, item, at in _pairs(data.get("labels"), where.at("labels"), "labels"):
        svc.labels[key] = _Value(item, at)
    deps = data.get("depends_on")
    if isinstance(deps, list):
        for index, target in enumerate(deps):
            if not isinstance(target, str):
                raise _shape_error(
                    where.at("depends_on", index),
                    "depends_on entries must be service names",
                    target,
                )
            svc.depends_on[target] = _Value({}, where.at("depends_on", index))
    elif isinstance(deps, dict):
        for target, spec in deps.items():
            if spec is not None and not isinstance(spec, dict):
                raise _shape_error(
                    where.at("depends_on", target), f"depends_on {target} must be a mapping", spec
                )
            merged = (
                dict(svc.depends_on[str(target)].value) if str(target) in svc.depends_on else {}
            )
            merged.update(spec or {})
            svc.depends_on[str(target)] = _Value(merged, where.at("depends_on", target))
    elif deps is not None:
        raise _shape_error(where.at("depends_on"), "depends_on must be a list or a mapping", deps)
    for key, target in (
        ("links", svc.links),
        ("external_links", svc.external_links),
        ("volumes_from", svc.volumes_from),
        ("ports", svc.ports),
    ):
        items = data.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise _shape_error(where.at(key), f"{key} must be a list", items)
        target.extend(_Value(item, where.at(key, i)) for i, item in enumerate(items))
    env_file = data.get("env_file")
    if isinstance(env_file, (str, dict)):
        svc.env_files.append(_Value(env_file, where.at("env_file")))
    elif isinstance(env_file, list):
        svc.env_files.extend(_Value(f, where.at("env_file", i)) for i, f in enumerate(env_file))
    networks = data.get("networks")
    if isinstance(networks, dict):
        for net, spec in networks.items():
            if isinstance(spec, dict) and isinstance(spec.get("aliases"), list):
                svc.aliases.extend(
                    _Value(a, where.at("networks", net, "aliases", i))
                    for i, a in enumerate(spec["aliases"])
                )


# -- reading and merging the files ------------------------------------------------------


def _read_compose(path: PathLike) -> Document:
    try:
        return read_document(path, what="compose file")
    except InputError as exc:
        problems = []
        for p in exc.problems:
            tag = next((t for t in _MERGE_TAGS if f"'{t}'" in p.message), None)
            if "expected a single document" in p.message:
                p = Problem(
                    "not a compose file: it holds several YAML documents, where a compose "
                    "file holds one (Kubernetes manifests hold several)",
                    file=p.file,
                    line=p.line,
                    column=p.column,
                )
            elif tag is not None:
                p = Problem(
                    f"the Compose merge tag {tag} is not supported: write the merged value "
                    "out in the earlier file instead (see docs/import-compose.md)",
                    file=p.file,
                    line=p.line,
                    column=p.column,
                )
            problems.append(p)
        raise InputError(problems) from None


def _service_docs(doc: Document, services: dict[Any, Any]) -> dict[str, _Where]:
    """Where each service of a file is: for YAML, a document of the service's own
    node, so that finding a value in it does not walk the other services."""
    root = doc.yaml_root
    out: dict[str, _Where] = {}
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value == "services"
                and isinstance(value_node, yaml.MappingNode)
            ):
                for name_node, svc_node in value_node.value:
                    if isinstance(name_node, yaml.ScalarNode):
                        sub = Document(
                            services.get(name_node.value),
                            doc.file,
                            name_node.start_mark.line + 1,
                            yaml_root=svc_node,
                        )
                        out[name_node.value] = _Where(sub, ())
    for name in services:
        out.setdefault(str(name), _Where(doc, ("services", name)))
    return out


def _check_kind(doc: Document) -> dict[str, Any] | None:
    """The file's top-level mapping, or None for a file of only comments; anything
    that is not a compose file is refused."""
    data = doc.data
    if data is None:
        return None
    if not isinstance(data, dict):
        raise InputError(
            [
                doc.problem(
                    f"not a compose file: the file holds a {type(data).__name__}, "
                    "expected a mapping with 'services'"
                )
            ]
        )
    if "apiVersion" in data and "kind" in data:
        raise InputError(
            [
                doc.problem(
                    f"not a compose file: this is a {data.get('kind')!s} object "
                    f"({data.get('apiVersion')!s}), a Kubernetes manifest or a Backstage "
                    "entity; a compose file has a 'services' mapping",
                    ("kind",),
                    key=True,
                )
            ]
        )
    unknown = [
        k
        for k in data
        if not (isinstance(k, str) and (k in _TOP_LEVEL or k in _TOP_LEVEL_REPORTED))
        and not (isinstance(k, str) and k.startswith("x-"))
    ]
    if unknown:
        raise InputError(
            [
                doc.problem(
                    f"not a compose file: unknown top-level key {unknown[0]!r}; a compose "
                    "file has services, networks, volumes, secrets, configs, name, "
                    "include, version and x- extensions",
                    (unknown[0],),
                    key=True,
                )
            ]
        )
    services = data.get("services")
    if "services" in data and services is not None and not isinstance(services, dict):
        raise InputError(
            [
                doc.problem(
                    f"'services' must be a mapping of service names, not a "
                    f"{type(services).__name__}",
                    ("services",),
                )
            ]
        )
    return data


_Interp = Callable[[str, _Where], str]

# -- names and references -----------------------------------------------------------------

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SECRET_WORDS = {"password", "passwd", "pass", "pwd", "secret", "token", "key", "salt"}
# fmt: off
_NOT_ADDRESS_WORDS = {
    "name", "names", "topic", "topics", "user", "username", "login", "password", "pass",
    "pwd", "secret", "token", "key", "db", "database", "dbname", "schema", "table",
    "collection", "bucket", "index", "path", "dir", "directory", "file", "version", "id",
    "tag", "label", "level", "mode", "env", "environment", "profile", "profiles",
    "namespace", "prefix", "suffix", "queue", "exchange", "group", "realm", "region",
    "zone", "format", "type", "title", "class", "image", "platform", "criticality",
}
# fmt: on
# fmt: off
_HOST_WORDS = {
    "host", "hostname", "hosts", "server", "servers", "addr", "address", "endpoint",
    "endpoints", "url", "uri", "broker", "brokers", "dsn", "connection", "target",
}
# fmt: on
# fmt: off
_HOST_FLAGS = {
    "-h", "--host", "--hostname", "--server", "--addr", "--address", "--broker",
    "--url", "--target", "--endpoint", "--upstream", "--backend",
}
# fmt: on
_DOCKER_HOSTS = ("host.docker.internal", "gateway.docker.internal", "docker.for.")
# fmt: off
_UI_WORDS = {
    "frontend", "front", "ui", "web", "webapp", "webui", "spa", "portal", "www", "website",
    "site", "dashboard", "console", "storefront", "gui", "mvc",
}
# fmt: on
_NOT_UI = ("api", "agg", "gw", "gateway", "backend", "worker", "service", "svc", "bff", "db")
_WEB_PORTS = {80, 443, 8080, 8443}


def _words(key: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(key)]


def _ui_name(name: str) -> bool:
    lowered = name.lower()
    tokens = [t for t in re.split(r"[-_.\d]+", lowered) if t]
    if any(word in lowered for word in _NOT_UI):
        return False
    return any(t in _UI_WORDS for t in tokens) or lowered.startswith(("web", "front"))


@dataclass
class _Names:
    """Which service each name reaches: service keys first, then container names,
    network aliases and host names (a name several services share is ambiguous)."""

    keys: dict[str, str]
    extra: dict[str, set[str]]
    own: dict[str, set[str]]

    def resolve(self, host: str, source: str) -> tuple[str | None, set[str]]:
        """(service, ambiguous candidates) for ``host`` seen in ``source``."""
        host = host.lower()
        if host in self.keys:
            return self.keys[host], set()
        found = self.extra.get(host, set())
        if len(found) == 1:
            return next(iter(found)), set()
        return None, found

    def is_self(self, host: str, source: str) -> bool:
        return host.lower() in self.own.get(source, set())


def _names(services: dict[str, _Service], interp: _Interp) -> _Names:
    keys = {name.lower(): name for name in services}
    extra: dict[str, set[str]] = {}
    own: dict[str, set[str]] = {}
    for name, svc in services.items():
        mine = {name.lower()}
        values = [svc.scalars.get("container_name"), svc.scalars.get("hostname"), *svc.aliases]
        for item in values:
            if item is None or not isinstance(item.value, (str, int)):
                continue
            text = interp(str(item.value), item.where).strip().lower()
            if text:
                mine.add(text)
                if text not in keys:
                    extra.setdefault(text, set()).add(name)
        own[name] = mine
    return _Names(keys, extra, own)


def _is_docker_host(host: str) -> bool:
    return host.startswith(_DOCKER_HOSTS) or host.endswith(".localhost")


# -- ports and entry points ------------------------------------------------------------


def _number(text: Any) -> int | None:
    try:
        return int(str(text).split("-")[0])
    except ValueError:
        return None


def _published(port: Any) -> int | None:
    """The host port one ``ports`` entry publishes on (0: a port Docker picks), or
    None for an entry that cannot be read."""
    if isinstance(port, dict):
        published = port.get("published")
        return 0 if published in (None, "") else (_number(published) or 0)
    if isinstance(port, bool) or not isinstance(port, (str, int)):
        return None
    text = str(port).split("/")[0].strip()
    if not text:
        return None
    parts = text.rsplit(":", 2)
    return (_number(parts[-2]) or 0) if len(parts) >= 2 and parts[-2] else 0


def _is_entry(name: str, ports: list[int], label: str | None) -> bool:
    """Users reach it: a ``layermodel.entry`` label says so, or it publishes a port
    and its name is a frontend's (``frontend``, ``web``, ``ui``, ``portal``...), or it
    publishes on the host's standard web ports (80, 443, 8080, 8443) and its name is
    not an API's, a gateway's or a worker's."""
    if label is not None:
        return label.strip().lower() in ("true", "yes", "1", "on")
    if not ports:
        return False
    if _ui_name(name):
        return True
    lowered = name.lower()
    return any(host in _WEB_PORTS for host in ports) and not any(
        word in lowered for word in _NOT_UI
    )


# -- the importer ------------------------------------------------------------------------


def _paths(env_file: PathLike | Sequence[PathLike] | None) -> list[PathLike]:
    if env_file is None:
        return []
    if isinstance(env_file, (str, os.PathLike)):
        return [env_file]
    return list(env_file)


def _project_name(text: str) -> str:
    """A project name as Compose normalises it: lower case, letters, digits, - and _."""
    cleaned = re.sub(r"[^a-z0-9_-]", "", text.lower())
    return cleaned.lstrip("-_") or "compose"


@paused
def discover_compose(
    *files: PathLike,
    env_file: PathLike | Sequence[PathLike] | None = None,
    project_name: str | None = None,
) -> Discovered:
    """What one compose project shows: its services and their dependencies.

    Args:
        files: compose files, merged in order (later files patch earlier ones).
        env_file: env files read after the project folder's ``.env`` (the folder of
            the first file), each overriding the ones before. The process
            environment is never used.
        project_name: the project's name when the files do not set ``name:``;
            else the project folder's name.

    Raises:
        ReadError: a file cannot be read.
        InputError: a file is not valid, safe YAML, or not a compose file (no
            ``services`` mapping anywhere, a Kubernetes manifest, a catalog), or a
            value has the wrong shape.
    """
    if not files:
        raise InputError([Problem("no compose file given")])
    found = Discovered(source="compose")
    variables = _Variables()
    first = FsPath(os.fspath(files[0]))
    project_dir = first.parent
    dot_env = project_dir / ".env"
    if os.fspath(files[0]) != "-" and dot_env.is_file():
        found.files.append(variables.read_env_file(dot_env))
    for path in _paths(env_file):
        found.files.append(variables.read_env_file(path))

    def interp(text: str, where: _Where) -> str:
        if "$" not in text:
            return text
        return variables.interpolate(text, (where.file, where.line))

    services: dict[str, _Service] = {}
    any_services = False
    name_value: tuple[str, _Where] | None = None
    skipped: dict[str, set[str]] = {}
    for path in files:
        doc = _read_compose(path)
        found.files.append(doc.file)
        data = _check_kind(doc)
        if data is None:
            continue
        if "services" in data:
            any_services = True
        if isinstance(data.get("name"), str):
            name_value = (data["name"], _Where(doc, ("name",)))
        if "include" in data:
            found.reported.append(
                doc.problem(
                    "'include' is not followed: pass the included compose files as "
                    "files of their own",
                    ("include",),
                    key=True,
                )
            )
        for key, kind in _SKIPPED_KINDS.items():
            if isinstance(data.get(key), dict):
                skipped.setdefault(kind, set()).update(str(k) for k in data[key])
        if isinstance(data.get("configs"), dict):
            skipped.setdefault("config", set()).update(str(k) for k in data["configs"])
        svc_map = data.get("services") or {}
        places = _service_docs(doc, svc_map)
        for raw_name, svc_data in svc_map.items():
            name = str(raw_name)
            where = places[name]
            if not isinstance(svc_data, dict):
                raise _shape_error(where, f"service {name!r} must be a mapping", svc_data)
            if "extends" in svc_data:
                found.reported.append(
                    where.doc.problem(
                        f"{name}: 'extends' is not followed; what the service inherits "
                        "is not in the model",
                        (*where.path, "extends"),
                        key=True,
                    )
                )
            svc = services.get(name)
            if svc is None:
                svc = services[name] = _Service(name, where)
            _merge_into(svc, svc_data, where)
    if not any_services:
        raise InputError(
            [
                Problem(
                    "not a compose file: no 'services' mapping"
                    + (" in any of the files" if len(files) > 1 else ""),
                    file=found.files[-1] if found.files else None,
                    line=1,
                )
            ]
        )
    for kind, kind_names in skipped.items():
        found.skipped[kind] = len(kind_names)

    if name_value is not None:
        project = _project_name(interp(*name_value))
    elif project_name:
        project = _project_name(project_name)
    else:
        project = _project_name(project_dir.resolve().name)
    found.name = project

    names = _names(services, interp)
    for svc in services.values():
        _discover_service(svc, services, names, variables, interp, project, found, project_dir)
        found.imported["service"] += 1
    for var, (file, line) in variables.unset.items():
        count = variables.unset_count[var]
        found.reported.append(
            Problem(
                f"variable {var} is not set in the project's .env or the env files "
                f"given (used {count} time{'s' if count != 1 else ''}); it was read as "
                "an empty text",
                file=file,
                line=line,
            )
        )
    found.reported.extend(variables.problems)
    return found


def _text(item: _Value | None, interp: _Interp) -> str | None:
    if item is None or item.value is None:
        return None
    if isinstance(item.value, (dict, list)):
        return None
    return str(interp(_scalar_text(item.value), item.where))


def _discover_service(
    svc: _Service,
    services: dict[str, _Service],
    names: _Names,
    variables: _Variables,
    interp: _Interp,
    project: str,
    found: Discovered,
    project_dir: FsPath,
) -> None:
    name = svc.name
    image = _text(svc.scalars.get("image"), interp)
    labels = {
        k: (interp(v.value, v.where) if v.value is not None else "") for k, v in svc.labels.items()
    }
    ports = []
    for item in svc.ports:
        value = item.value
        if isinstance(value, str):
            value = interp(value, item.where)
        elif isinstance(value, dict):
            value = {
                k: (interp(v, item.where) if isinstance(v, str) else v) for k, v in value.items()
            }
        published = _published(value)
        if published is not None:
            ports.append(published)
    entry = _is_entry(name, ports, labels.get("layermodel.entry"))
    product_label = labels.get("layermodel.product") or labels.get("com.docker.compose.project")
    products = tuple(
        p.strip() for p in (product_label.split(",") if product_label else [project]) if p.strip()
    )
    spec: dict[str, Any] = {
        "image": image or "",
        "container_name": _text(svc.scalars.get("container_name"), interp) or "",
        "hostname": _text(svc.scalars.get("hostname"), interp) or "",
    }
    found.components.append(
        Seen(
            name=name,
            source="compose",
            file=svc.where.file,
            line=svc.where.doc.line if not svc.where.path else svc.where.key_line(),
            facts=facts(
                "service",
                name,
                source="compose",
                image=image,
                entry=entry,
                labels=labels or None,
                spec=spec,
            ),
            description=labels.get("description")
            or labels.get("org.opencontainers.image.description"),
            products=products,
            entry=entry,
            evidence=f"service {name}" + (f" (image {image})" if image else ""),
        )
    )

    def link(
        target: str,
        where: _Where,
        evidence: str,
        *,
        required: bool = True,
        kind: str | None = None,
        key_line: bool = False,
    ) -> None:
        found.links.append(
            Link(
                source=name,
                target=target,
                origin="compose",
                file=where.file,
                line=where.key_line() if key_line else where.line,
                evidence=evidence,
                required=required,
                kind=kind,
            )
        )

    def by_name(target: str, where: _Where, evidence: str, **kw: Any) -> None:
        """A reference that must name a service: resolved through every name, or left
        to the model builder to report."""
        resolved, ambiguous = names.resolve(target, name)
        if ambiguous:
            found.reported.append(
                Problem(
                    f"{name}: {target!r} is a name of several services "
                    f"({', '.join(sorted(ambiguous))}); the dependency is not in the model "
                    f"({evidence})",
                    file=where.file,
                    line=where.line,
                )
            )
            return
        link(resolved or target, where, evidence, **kw)

    # depends_on
    for target, item in svc.depends_on.items():
        spec_ = item.value if isinstance(item.value, dict) else {}
        required = spec_.get("required", True) is not False
        evidence = f"depends_on: {target}" + ("" if required else " (required: false)")
        by_name(target, item.where, evidence, required=required, key_line=True)
    # links: "svc", "svc:alias"
    link_aliases: dict[str, str] = {}
    for item in svc.links:
        text = _text(item, interp)
        if not text:
            continue
        target, _, alias = text.partition(":")
        link_aliases[(alias or target).strip().lower()] = target.strip()
        by_name(target.strip(), item.where, f"links: {text}")
    for item in svc.external_links:
        text = _text(item, interp)
        if not text:
            continue
        target, _, alias = text.partition(":")
        resolved, _amb = names.resolve(target.strip(), name)
        if resolved is not None:
            link_aliases[(alias or target).strip().lower()] = resolved
            link(resolved, item.where, f"external_links: {text}")
        else:
            found.reported.append(
                Problem(
                    f"{name}: external_links names container {target.strip()!r}, which is "
                    "not a service of this project; the dependency is not in the model",
                    file=item.where.file,
                    line=item.where.line,
                )
            )
    for item in svc.volumes_from:
        text = _text(item, interp)
        if not text:
            continue
        target = text.split(":")[0]
        if target == "container":
            continue  # volumes_from: container:NAME is a container outside compose
        by_name(target, item.where, f"volumes_from: {text}", kind="shares-volumes")
    mode = _text(svc.scalars.get("network_mode"), interp)
    if mode and mode.startswith("service:"):
        by_name(
            mode[8:],
            svc.scalars["network_mode"].where,
            f"network_mode: {mode}",
            kind="shares-network",
        )

    def host_target(host: str) -> str | None:
        if host in link_aliases:
            return link_aliases[host]
        resolved, _ = names.resolve(host, name)
        return resolved

    # environment: the service's env_file entries first, then environment
    environment: dict[str, tuple[str | None, _Where, str]] = {}
    for item in svc.env_files:
        spec_file = item.value
        path = spec_file.get("path") if isinstance(spec_file, dict) else spec_file
        required = not (isinstance(spec_file, dict) and spec_file.get("required") is False)
        if not isinstance(path, str):
            continue
        full = project_dir / interp(path, item.where)
        if not full.is_file():
            if required:
                found.reported.append(
                    Problem(
                        f"{name}: env_file {path} was not found; its variables are not known",
                        file=item.where.file,
                        line=item.where.line,
                    )
                )
            continue
        own = _Variables(values=dict(variables.values))
        before = set(own.values.items())
        own.read_env_file(full)
        found.files.append(str(full))
        for key, value in own.values.items():
            if (key, value) not in before:
                environment[key] = (value, item.where, f" (from {full.name})")
    for key, item in svc.environment.items():
        if item.value is None:
            value = variables.values.get(key)
            origin = variables.origin.get(key)
            note = f" (from {FsPath(origin[0]).name} line {origin[1]})" if origin else ""
            environment[key] = (value, item.where, note)
        else:
            environment[key] = (interp(item.value, item.where), item.where, "")
    for key, (value, where, note) in environment.items():
        if not value:
            continue
        words = _words(key)
        last = words[-1] if words else ""
        if last in _SECRET_WORDS:
            continue  # a secret is not an address, whatever it looks like
        refs = hosts_in(value)
        bare_ok = last not in _NOT_ADDRESS_WORDS and not re.search(r"\s", value.strip())
        for ref in refs:
            host = ref.host
            if names.is_self(host, name) or _is_docker_host(host):
                continue
            bare = ref.how == "bare"
            if bare and not bare_ok:
                continue
            evidence = f"env {key}={value}{note}"
            reached = host_target(host)
            if reached is not None:
                if reached != name:
                    link(reached, where, evidence)
                continue
            _, ambiguous = names.resolve(host, name)
            if ambiguous:
                by_name(host, where, evidence)
                continue
            if "." in host:
                continue  # a name outside the project (an internet host, a domain)
            if bare and last not in _HOST_WORDS:
                continue  # a bare word that names nothing: not a reference
            link(host, where, evidence)  # reported by the model builder

    # command and entrypoint arguments
    for key in ("entrypoint", "command"):
        arg = svc.scalars.get(key)
        if arg is None or arg.value is None:
            continue
        tokens = _tokens(arg, interp)
        previous = ""
        for index, token in enumerate(tokens):
            flag, equals, rest = token.partition("=")
            candidates: list[tuple[str, bool]] = []
            if previous in _HOST_FLAGS:
                candidates.append((token, True))
            elif equals and flag in _HOST_FLAGS:
                candidates.append((rest, True))
            for ref in hosts_in(token):
                if ref.how != "bare":
                    candidates.append((ref.host, False))
            previous = token
            for host, _flagged in candidates:
                host = host.strip().lower()
                if not host or names.is_self(host, name):
                    continue
                reached = host_target(host)
                if reached is not None and reached != name:
                    at = arg.where.at(index) if isinstance(arg.value, list) else arg.where
                    link(reached, at, f"{key} {' '.join(tokens)[:120]}")


def _tokens(item: _Value, interp: _Interp) -> list[str]:
    value = item.value
    if isinstance(value, list):
        return [interp(_scalar_text(v), item.where) for v in value if v is not None]
    text = interp(_scalar_text(value), item.where)
    try:
        return list(shlex.split(text))
    except ValueError:
        return text.split()


def import_compose(
    *files: PathLike,
    env_file: PathLike | Sequence[PathLike] | None = None,
    rules: LayerRules | None = None,
    aliases: dict[str, str] | None = None,
    name: str | None = None,
    project_name: str | None = None,
) -> DiscoveryResult:
    """A model of one compose project (see :func:`discover_compose`): one component
    per service, its dependencies with their provenance, layers from ``rules`` and
    the built-in defaults, and the project as a product using its entry points.

    ``name`` names the model (default: the project's name).

    Raises:
        ReadError: a file cannot be read.
        InputError: a file is not a compose file, or not valid, safe YAML.
    """
    found = discover_compose(*files, env_file=env_file, project_name=project_name)
    return build_model(found, rules=rules, aliases=aliases, name=name)
