"""Model files: read YAML or JSON (one file or several merged), write them atomically.

The fast path parses and validates with nothing extra: positions in the file are
worked out only when there is a problem to report. Every problem in every file is
collected and raised together as one :class:`~layermodel.errors.ModelError`.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError, field_validator

from layermodel.errors import LayermodelError, ModelError, Path, Problem, ReadError, WriteError
from layermodel.model.entities import (
    DEFAULT_LAYERS,
    Component,
    Ecosystem,
    Layer,
    Policy,
    Product,
    Text,
    _Frozen,
    _WithProperties,
)
from layermodel.model.integrity import UNCHECKED, check_and_index, partial_record
from layermodel.model.parsing import Format, parse
from layermodel.model.pydantic_errors import problems_from_validation
from layermodel.model.sourcemap import JsonSourceMap, SourceMap, YamlSourceMap

__all__ = ["FORMAT_VERSION", "ModelFile", "dumps", "load", "loads", "save"]

FORMAT_VERSION = 1
"""The model-file format version this release reads and writes."""

MAX_FILE_BYTES = 1 << 30
"""Larger files are refused rather than read into memory."""


# -- the file schema -----------------------------------------------------------------


class ModelFile(_WithProperties):
    """One model file. Every section is optional so that a model can be split across
    files (one per team, say); loading several files merges them."""

    layermodel: int | None = Field(
        default=None, description="File-format version. Optional; only 1 is understood."
    )
    name: Text | None = Field(default=None, description="Name of the portfolio, e.g. 'Google'.")
    description: Text | None = Field(default=None, description="What the portfolio is.")
    layers: tuple[Layer, ...] | None = Field(
        default=None,
        description="Layers top to bottom; defaults to ui, algorithms, infrastructure, hardware.",
    )
    policy: Policy | None = Field(
        default=None, description="'relaxed' (default) allows skipping layers; 'strict' does not."
    )
    components: tuple[Component, ...] = Field(default=(), description="Components.")
    products: tuple[Product, ...] = Field(default=(), description="Products.")
    properties: dict[str, Any] = Field(
        default_factory=dict, description="Free-form data, kept as written."
    )

    @field_validator("layermodel", mode="before")
    @classmethod
    def _known_version(cls, value: Any) -> Any:
        if value is not None and (type(value) is not int or value != FORMAT_VERSION):
            hint = "; write it without quotes" if value == str(FORMAT_VERSION) else ""
            raise ValueError(
                f"unsupported file-format version {value!r}; "
                f"this layermodel reads version {FORMAT_VERSION}{hint}"
            )
        return value


_SECTIONS: dict[str, type[_Frozen]] = {
    "layers": Layer,
    "components": Component,
    "products": Product,
}

# -- reading text --------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes, name: str) -> str:
    encoding = "utf-8"
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding = enc
            break
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ModelError(
            [
                Problem(
                    f"not valid {encoding.upper().replace('-SIG', '')} text: byte "
                    f"0x{data[exc.start]:02x} cannot be decoded; save the file as UTF-8",
                    file=name,
                    line=line,
                    column=column,
                )
            ]
        ) from None


def _read_source(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Return (text, display name). ``-`` reads standard input."""
    name = os.fspath(path)
    if name == "-":
        return _decode(sys.stdin.buffer.read(), "<stdin>"), "<stdin>"
    fs = FsPath(name)
    try:
        info = fs.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ReadError.of(
                name, "is a directory, not a model file; pass the files inside it instead"
            )
        if not stat.S_ISREG(info.st_mode):
            raise ReadError.of(name, "is not a regular file (a device, pipe or socket?)")
        if info.st_size > MAX_FILE_BYTES:
            raise ReadError.of(
                name, f"is {info.st_size:,} bytes; model files are limited to {MAX_FILE_BYTES:,}"
            )
        data = fs.read_bytes()
    except FileNotFoundError:
        kind = "a broken symbolic link" if fs.is_symlink() else "no such file"
        raise ReadError.of(name, kind) from None
    except PermissionError:
        raise ReadError.of(name, "permission denied") from None
    except IsADirectoryError:
        raise ReadError.of(name, "is a directory, not a model file") from None
    except OSError as exc:
        raise ReadError.of(name, f"cannot be read: {exc.strerror or exc}") from None
    return _decode(data, name), name


def _format_of(name: str, text: str, given: str | None) -> Format:
    if given is not None:
        fmt = given.lower()
        if fmt in ("yml", "yaml"):
            return "yaml"
        if fmt == "json":
            return "json"
        raise LayermodelError(f"unknown model format {given!r}; expected 'yaml' or 'json'")
    suffix = FsPath(name).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


# -- parsing one file ---------------------------------------------------------------


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk load.

    Parsing and validating allocate millions of objects that all stay alive, so
    collections triggered meanwhile find nothing and cost more than the parse.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            # Move what the load allocated straight to the oldest generation: otherwise
            # the next young collection scans all of it, only to find it still alive.
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


@dataclass
class _Part:
    """One file's contribution to a model."""

    name: str
    text: str
    fmt: Format
    yaml_root: yaml.Node | None = None
    data: dict[str, Any] = field(default_factory=dict)
    model: ModelFile | None = None
    sections: dict[str, list[Any]] = field(default_factory=dict)
    origins: dict[str, list[int]] = field(default_factory=dict)
    broken_ids: dict[str, set[str]] = field(default_factory=dict)
    _map: SourceMap | None = None

    def source_map(self) -> SourceMap:
        if self._map is None:
            if self.fmt == "json":
                self._map = JsonSourceMap(self.text)
            else:
                self._map = YamlSourceMap(self.yaml_root)
        return self._map

    def place(self, problem: Problem, *, key: bool = False) -> Problem:
        """Give a problem this file's name, line and column."""
        where = self.source_map().locate(problem.path, key=key)
        see_location = problem.see_location
        if problem.see is not None and see_location is None:
            see_where = self.source_map().locate(problem.see)
            see_location = self.name + (f":{see_where[0]}" if see_where else "")
        return problem.at(
            file=self.name,
            line=where[0] if where else None,
            column=where[1] if where else None,
            see_location=see_location,
        )


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _adapter(kind: type[BaseModel]) -> TypeAdapter[Any]:
    found = _ADAPTERS.get(kind.__name__)
    if found is None:
        found = _ADAPTERS[kind.__name__] = TypeAdapter(kind)
    return found


def _validate_part(part: _Part, problems: list[Problem]) -> None:
    """Validate one parsed file. On failure, report every error, then salvage the
    records that are valid so reference checks can still run over them."""
    data = part.data
    try:
        part.model = ModelFile.model_validate(data)
    except ValidationError as exc:
        for problem, key in problems_from_validation(exc, ModelFile):
            problems.append(part.place(problem, key=key))
    if part.model is not None:
        for section in _SECTIONS:
            items = getattr(part.model, section) or ()
            part.sections[section] = list(items)
            part.origins[section] = list(range(len(items)))
        return
    for section, kind in _SECTIONS.items():
        raw = data.get(section)
        kept: list[Any] = []
        origins: list[int] = []
        broken: set[str] = {UNCHECKED}
        if isinstance(raw, list):
            adapter = _adapter(kind)
            for i, item in enumerate(raw):
                try:
                    kept.append(adapter.validate_python(item))
                except ValidationError:
                    partial = partial_record(kind, item)
                    if partial is None:
                        continue
                    kept.append(partial)
                origins.append(i)
        part.sections[section] = kept
        part.origins[section] = origins
        part.broken_ids[section] = broken


# -- merging and checking -----------------------------------------------------------


def _first_scalar(
    parts: Sequence[_Part], key: str, problems: list[Problem]
) -> tuple[Any, _Part | None]:
    chosen: Any = None
    owner: _Part | None = None
    for part in parts:
        value = part.model.__dict__.get(key) if part.model is not None else part.data.get(key)
        if value is None or (part.model is None and not isinstance(value, str)):
            continue
        if owner is None:
            chosen, owner = value, part
        elif value != chosen:
            first = owner.source_map().locate((key,))
            problems.append(
                part.place(
                    Problem(
                        f"{key} {value!r} conflicts with {chosen!r}",
                        path=(key,),
                        see_location=owner.name + (f":{first[0]}" if first else ""),
                    )
                )
            )
    return chosen, owner


def _merge(parts: Sequence[_Part], default_name: str) -> tuple[Ecosystem | None, list[Problem]]:
    problems: list[Problem] = []
    name, _ = _first_scalar(parts, "name", problems)
    description, _ = _first_scalar(parts, "description", problems)
    policy, _ = _first_scalar(parts, "policy", problems)

    merged: dict[str, list[Any]] = {s: [] for s in _SECTIONS}
    origin: dict[str, list[tuple[_Part, int]]] = {s: [] for s in _SECTIONS}
    extra: dict[str, set[str]] = {s: set() for s in _SECTIONS}
    has_layers = False
    for part in parts:
        if part.model is not None:
            has_layers = has_layers or part.model.layers is not None
        else:
            has_layers = has_layers or "layers" in part.data
        for section in _SECTIONS:
            items = part.sections.get(section, [])
            merged[section].extend(items)
            origin[section].extend((part, i) for i in part.origins.get(section, []))
            extra[section] |= part.broken_ids.get(section, set())
    if not has_layers:
        merged["layers"] = list(DEFAULT_LAYERS)
        origin["layers"] = []

    properties: dict[str, Any] = {}
    for part in parts:
        if part.model is None:
            continue
        for key, value in part.model.properties.items():
            if key in properties and properties[key] != value:
                problems.append(
                    part.place(
                        Problem(
                            f"property {key!r} conflicts with another file",
                            path=("properties", key),
                        )
                    )
                )
            properties.setdefault(key, value)

    def relocate(problem: Problem) -> Problem:
        """Turn a path in the merged model into a file, line and path in that file."""

        def resolve(path: Path) -> tuple[_Part, Path] | None:
            if len(path) >= 2 and isinstance(path[1], int) and path[0] in origin:
                places = origin[str(path[0])]
                if path[1] < len(places):
                    part, original = places[path[1]]
                    return part, (path[0], original, *path[2:])
            return None

        here = resolve(problem.path)
        if here is None:
            # A whole section (``layers: []``): the first file that writes it.
            key = problem.path[0] if problem.path else None
            holder = next((p for p in parts if key in p.data), parts[0] if parts else None)
            return holder.place(problem) if holder is not None else problem
        part, local_path = here
        see_location = None
        see_local: Path | None = None
        if problem.see is not None:
            there = resolve(problem.see)
            if there is not None:
                see_part, see_local = there
                line = see_part.source_map().locate(see_local)
                see_location = see_part.name + (f":{line[0]}" if line else "")
        return part.place(problem.at(path=local_path, see=see_local, see_location=see_location))

    broken = any(part.model is None for part in parts)
    if broken:
        ref_problems, _ = check_and_index(
            merged["layers"],
            merged["components"],
            merged["products"],
            extra_layers=extra["layers"],
            extra_components=extra["components"],
            extra_products=extra["products"],
        )
        problems.extend(relocate(p) for p in ref_problems)
        return None, problems
    if problems:
        return None, problems
    try:
        eco = Ecosystem(
            name=name if name is not None else default_name,
            description=description,
            layers=tuple(merged["layers"]),
            policy=policy if policy is not None else "relaxed",
            components=tuple(merged["components"]),
            products=tuple(merged["products"]),
            properties=properties,
        )
    except ModelError as exc:
        return None, [relocate(p) for p in exc.problems]
    return eco, problems


def _load_parts(
    parts: list[_Part], default_name: str, problems: list[Problem], *, complete: bool = True
) -> Ecosystem:
    with _collector_paused():
        usable: list[_Part] = []
        for part in parts:
            try:
                parsed = parse(part.text, part.name, part.fmt)
            except ModelError as exc:
                problems.extend(exc.problems)
                continue
            data, part.yaml_root = parsed.data, parsed.yaml_root
            if data is None:
                problems.append(
                    Problem(
                        "the file has no content (only comments?); expected a model",
                        file=part.name,
                        line=1,
                    )
                )
                continue
            if not isinstance(data, dict):
                kind = "a list" if isinstance(data, list) else f"{type(data).__name__} {data!r:.40}"
                problems.append(
                    Problem(
                        f"the top level must be a mapping with keys such as name, layers, "
                        f"components and products; got {kind}",
                        file=part.name,
                        line=1,
                    )
                )
                continue
            part.data = data
            _validate_part(part, problems)
            usable.append(part)
        if (problems and len(usable) < len(parts)) or not complete:
            # A file could not be read at all; reference checks would only cascade.
            raise ModelError(_in_file_order(problems, parts))
        eco, merge_problems = _merge(usable, default_name)
        problems.extend(merge_problems)
        if problems or eco is None:
            raise ModelError(_in_file_order(problems, parts))
        for part in parts:  # positions are only needed for problems: free them now
            part.yaml_root = None
            part.data = {}
        return eco


def _in_file_order(problems: list[Problem], parts: Sequence[_Part]) -> list[Problem]:
    order = {part.name: i for i, part in enumerate(parts)}
    return sorted(
        problems,
        key=lambda p: (order.get(p.file or "", len(order)), p.line or 0, p.column or 0),
    )


def load(*paths: str | os.PathLike[str], format: str | None = None) -> Ecosystem:
    """Load a model from one or more YAML/JSON files, merged into one ecosystem.

    A model may be split across files, for example one per team; an id defined in
    two files is an error that names both. ``-`` reads standard input. The format
    comes from the file extension (``.yaml``, ``.yml``, ``.json``) unless given.

    Raises:
        ReadError: a path is missing, unreadable or a directory.
        ModelError: the model is invalid; ``.problems`` lists every problem with its
            file, line, column and path in the model.
    """
    if not paths:
        raise LayermodelError("load() needs at least one path")
    parts = []
    problems: list[Problem] = []
    unreadable: list[Problem] = []
    for path in paths:
        try:
            text, name = _read_source(path)
        except ReadError as exc:
            unreadable.extend(exc.problems)
            continue
        except ModelError as exc:  # not text in any encoding we read
            problems.extend(exc.problems)
            continue
        parts.append(_Part(name, text, _format_of(name, text, format)))
    first = os.fspath(paths[0])
    default_name = FsPath(first).stem if first != "-" else "untitled"
    try:
        eco = _load_parts(parts, default_name, problems, complete=not unreadable)
    except ModelError as exc:
        if unreadable:
            raise ReadError([*unreadable, *exc.problems]) from None
        raise
    if unreadable:
        raise ReadError(unreadable)
    return eco


def loads(text: str | bytes, format: str = "yaml", *, source: str = "<string>") -> Ecosystem:
    """Load a model from YAML or JSON text. ``source`` names it in error messages."""
    if isinstance(text, bytes):
        text = _decode(text, source)
    fmt = _format_of(source, text, format)
    return _load_parts([_Part(source, text, fmt)], "untitled", [])


# -- writing ------------------------------------------------------------------------


class _BlockMapping(dict[str, Any]):
    """A mapping the YAML writer always lays out as a block, one key per line."""


class _Dumper(yaml.CSafeDumper):
    pass


def _represent_block(dumper: _Dumper, data: _BlockMapping) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


_Dumper.add_representer(_BlockMapping, _represent_block)


def _compact_dependencies(record: dict[str, Any]) -> dict[str, Any]:
    deps = record.get("depends_on")
    if deps:
        record["depends_on"] = [d["target"] if len(d) == 1 else d for d in deps]
    return record


def to_document(ecosystem: Ecosystem) -> dict[str, Any]:
    """The model as plain data in the file schema, defaults left out."""
    doc: dict[str, Any] = {"layermodel": FORMAT_VERSION, "name": ecosystem.name}
    if ecosystem.description is not None:
        doc["description"] = ecosystem.description
    if ecosystem.layers != DEFAULT_LAYERS:
        doc["layers"] = [
            layer.model_dump(mode="json", exclude_defaults=True) for layer in ecosystem.layers
        ]
    if ecosystem.policy != "relaxed":
        doc["policy"] = ecosystem.policy
    dump = ecosystem.model_dump(
        mode="json", exclude_defaults=True, include={"components", "products", "properties"}
    )
    doc["components"] = [
        _BlockMapping(_compact_dependencies(c)) for c in dump.get("components", [])
    ]
    doc["products"] = [_BlockMapping(p) for p in dump.get("products", [])]
    if ecosystem.properties:
        doc["properties"] = dump["properties"]
    return doc


def dumps(ecosystem: Ecosystem, format: str = "yaml") -> str:
    """The model as YAML or JSON text in the model-file schema."""
    fmt = _format_of("", "", format)
    with _collector_paused():
        return _dumps(ecosystem, fmt)


def _dumps(ecosystem: Ecosystem, fmt: Format) -> str:
    doc = to_document(ecosystem)
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO()
    yaml.dump(
        doc,
        out,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=100,
    )
    return out.getvalue()


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write text (as UTF-8) or bytes to ``path`` through a temporary file and a rename,
    so that a failure never leaves a half-written file behind. An existing file keeps
    its permissions."""
    target = FsPath(path)
    directory = target.parent if str(target.parent) else FsPath(".")
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise WriteError(str(path), f"cannot be written: {exc.strerror or exc}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteError(str(path), f"cannot be written: {exc.strerror or exc}") from None
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save(ecosystem: Ecosystem, path: str | os.PathLike[str], format: str | None = None) -> None:
    """Write the model to ``path`` atomically, as YAML or JSON (from the extension)."""
    name = os.fspath(path)
    fmt = _format_of(name, "", format)
    write_atomic(path, dumps(ecosystem, fmt))
