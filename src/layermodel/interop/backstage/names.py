"""Backstage naming rules: entity names, tags, namespaces and entity references.

The rules are Backstage's own (``KubernetesValidatorFunctions`` and
``parseEntityRef`` in ``@backstage/catalog-model``): a name is at most 63 characters
of ``[A-Za-z0-9]`` separated by ``-``, ``_`` or ``.``; a tag or namespace is a DNS
label; a reference is ``[kind:][namespace/]name`` and compares case-insensitively.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from layermodel.model.entities import ID_PATTERN

__all__ = [
    "DEFAULT_NAMESPACE",
    "EntityRef",
    "backstage_name",
    "is_valid_name",
    "is_valid_namespace",
    "is_valid_tag",
    "is_valid_url",
    "layermodel_id",
    "parse_ref",
]

DEFAULT_NAMESPACE = "default"

_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")
_DNS_LABEL = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+\Z")
_ID = re.compile(ID_PATTERN)
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")
_EDGE = "._-"


def is_valid_name(value: str) -> bool:
    """True when ``value`` is a valid Backstage ``metadata.name``."""
    return 1 <= len(value) <= 63 and _NAME.match(value) is not None


def is_valid_tag(value: str) -> bool:
    """True when ``value`` is a valid Backstage tag (a DNS label, at most 63 chars)."""
    return len(value) <= 63 and _DNS_LABEL.match(value) is not None


def is_valid_namespace(value: str) -> bool:
    """True when ``value`` is a valid Backstage namespace (a DNS label)."""
    return is_valid_tag(value)


def is_valid_url(value: str) -> bool:
    """True when ``value`` looks like an absolute URL (``scheme:rest``, no spaces)."""
    return _URL.match(value) is not None


def _digest(text: str, size: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


def backstage_name(identifier: str) -> str:
    """A valid Backstage name for a layermodel id (or any text), deterministically.

    Valid names are kept. Others lose their invalid characters and are cut to fit,
    then get 8 hex digits of a hash of the original so that different inputs stay
    different.
    """
    if is_valid_name(identifier):
        return identifier
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", identifier).strip(_EDGE)[:54].strip(_EDGE)
    digest = _digest(identifier)
    return f"{base}-{digest}" if base else f"x{digest}"


def layermodel_id(text: str) -> str:
    """A valid layermodel id for a Backstage name (or any text), deterministically.

    Valid ids are kept. Others have each run of characters outside
    ``[A-Za-z0-9._-]`` replaced by ``-`` and are cut to 128 characters; a hash of
    the original is appended when anything had to change, so that distinct names
    never collide.
    """
    if _ID.match(text):
        return text
    base = _NOT_ID.sub("-", text).strip(_EDGE)[:119].strip(_EDGE)
    digest = _digest(text)
    return f"{base}-{digest}" if base else f"x{digest}"


@dataclass(frozen=True)
class EntityRef:
    """A parsed entity reference. ``key`` is its case-insensitive identity."""

    kind: str
    namespace: str
    name: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind.lower(), self.namespace.lower(), self.name.lower())

    def __str__(self) -> str:
        return f"{self.kind.lower()}:{self.namespace}/{self.name}"


def parse_ref(
    ref: str, *, default_kind: str | None, default_namespace: str = DEFAULT_NAMESPACE
) -> EntityRef | str:
    """Parse ``[kind:][namespace/]name`` as Backstage does.

    Returns the reference, or a message saying why it cannot be parsed (an empty
    part, or no kind where the field has no default kind).
    """
    colon = ref.find(":")
    slash = ref.find("/")
    if slash != -1 and slash < colon:
        colon = -1
    kind = ref[:colon] if colon != -1 else None
    namespace = ref[colon + 1 : slash] if slash != -1 else None
    name = ref[max(colon + 1, slash + 1) :]
    if kind == "" or namespace == "" or name == "":
        return f"{ref!r} is not of the form [kind:][namespace/]name"
    kind = kind if kind is not None else default_kind
    if kind is None:
        return f"{ref!r} names no kind, and this field has no default kind"
    return EntityRef(kind, namespace if namespace is not None else default_namespace, name)


def is_parseable_ref(ref: str) -> bool:
    """True when Backstage can parse ``ref`` as a reference with a default kind."""
    return bool(ref.strip()) and isinstance(parse_ref(ref, default_kind="Group"), EntityRef)
