"""Model files: read YAML or JSON (one file or several merged), write them atomically.

The fast path parses and validates with nothing extra: positions in the file are
worked out only when there is a problem to report. Every problem in every file is
collected and raised together as one :class:`~layermodel.errors.ModelError`.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError, field_validator

from layermodel.errors import InputError, LayermodelError, ModelError, Path, Problem, ReadError
from layermodel.model.collector import collector_paused
from layermodel.model.elements import (
    DEFAULT_LAYERS,
    CheckRule,
    Component,
    Layer,
    Policy,
    Product,
    Text,
    _Frozen,
    _WithProperties,
)
from layermodel.model.entities import Ecosystem
from layermodel.model.integrity import UNCHECKED, check_and_index, partial_record
from layermodel.model.io.atomic import write_atomic
from layermodel.model.io.parse import Document, Format, format_of, parse
from layermodel.model.io.positions import SourceMap
from layermodel.model.io.source import decode, read_source
from layermodel.model.problems import problems_from_validation

__all__ = ["FORMAT_VERSION", "ModelFile", "dumps", "load", "loads", "save", "to_document"]

FORMAT_VERSION = 1
"""The model-file format version this release reads and writes."""

MAX_FILE_BYTES = 1 << 30
"""Larger model files are refused rather than read into memory."""


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
    checks: tuple[CheckRule, ...] = Field(
        default=(),
        description=(
            "Rules 'layermodel check' enforces (see the Checks page); without any it "
            "checks layering and cycles. Files merged keep every file's rules."
        ),
    )
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


@dataclass
class _Part:
    """One file's contribution to a model."""

    name: str
    text: str
    fmt: Format
    document: Document | None = None
    data: dict[str, Any] = field(default_factory=dict)
    model: ModelFile | None = None
    sections: dict[str, list[Any]] = field(default_factory=dict)
    origins: dict[str, list[int]] = field(default_factory=dict)
    broken_ids: dict[str, set[str]] = field(default_factory=dict)
    _map: SourceMap | None = None

    def source_map(self) -> SourceMap:
        if self._map is None:
            document = self.document or Document(None, self.name)
            self._map = document.source_map()
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
        part.sections["checks"] = list(part.model.checks)
        part.origins["checks"] = list(range(len(part.model.checks)))
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


def _model_format(name: str, text: str, given: str | None) -> Format:
    try:
        return format_of(name, text, given)
    except LayermodelError:
        raise LayermodelError(
            f"unknown model format {given!r}; expected 'yaml' or 'json'"
        ) from None


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

    merged: dict[str, list[Any]] = {s: [] for s in (*_SECTIONS, "checks")}
    origin: dict[str, list[tuple[_Part, int]]] = {s: [] for s in (*_SECTIONS, "checks")}
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
        merged["checks"].extend(part.sections.get("checks", []))
        origin["checks"].extend((part, i) for i in part.origins.get("checks", []))
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
            checks=tuple(merged["checks"]),
            properties=properties,
        )
    except ModelError as exc:
        return None, [relocate(p) for p in exc.problems]
    return eco, problems


def _load_parts(
    parts: list[_Part], default_name: str, problems: list[Problem], *, complete: bool = True
) -> Ecosystem:
    with collector_paused():
        usable: list[_Part] = []
        for part in parts:
            try:
                part.document = parse(part.text, part.name, part.fmt, expected="a model")
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            data = part.document.data
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
            part.document = None
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
            source = read_source(path, what="model file", limit=MAX_FILE_BYTES)
        except InputError as exc:  # not text in any encoding we read
            problems.extend(exc.problems)
            continue
        except ReadError as exc:
            unreadable.extend(exc.problems)
            continue
        name, text = source.name, source.text
        parts.append(_Part(name, text, _model_format(name, text, format)))
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


def load_texts(
    texts: Sequence[tuple[str, str]], format: str | None = None, *, name: str | None = None
) -> Ecosystem:
    """Load a model from the texts of its files, merged as :func:`load` merges files:
    ``texts`` holds (display name, text) pairs, and each name places that text's
    problems (``model.yaml@HEAD~3``, say). ``name`` is the model's name when its
    files give none (default: the first name's stem).

    Raises:
        ModelError: the model is invalid, as for :func:`load`.
    """
    if not texts:
        raise LayermodelError("load_texts() needs at least one text")
    # A name such as ``model.yaml@HEAD~3`` takes its format from the file's suffix.
    parts = [
        _Part(shown, text, _model_format(shown.rpartition("@")[0] or shown, text, format))
        for shown, text in texts
    ]
    first = texts[0][0]
    default_name = name or FsPath(first.rpartition("@")[0] or first).stem or "untitled"
    return _load_parts(parts, default_name, [])


def loads(text: str | bytes, format: str = "yaml", *, source: str = "<string>") -> Ecosystem:
    """Load a model from YAML or JSON text. ``source`` names it in error messages."""
    if isinstance(text, bytes):
        try:
            text = decode(text, source)
        except InputError as exc:
            raise ModelError(exc.problems) from None
    fmt = _model_format(source, text, format)
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
    if ecosystem.checks:
        doc["checks"] = [
            _BlockMapping(rule.model_dump(mode="json", exclude_defaults=True, by_alias=True))
            for rule in ecosystem.checks
        ]
    if ecosystem.properties:
        doc["properties"] = dump["properties"]
    return doc


def dumps(ecosystem: Ecosystem, format: str = "yaml") -> str:
    """The model as YAML or JSON text in the model-file schema."""
    fmt = _model_format("", "", format)
    with collector_paused():
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


def save(ecosystem: Ecosystem, path: str | os.PathLike[str], format: str | None = None) -> None:
    """Write the model to ``path`` atomically, as YAML or JSON (from the extension)."""
    name = os.fspath(path)
    fmt = _model_format(name, "", format)
    write_atomic(path, dumps(ecosystem, fmt))
