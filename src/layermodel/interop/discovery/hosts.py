"""The host names a configuration value refers to.

Services find each other through values such as ``cart:7070``,
``http://basket-api:81/``, ``amqp://user:pw@rabbitmq:5672/``,
``Server=sqldata;Database=x``, ``Host=db;Port=5432``, ``mongodb://nosqldata`` or
just ``redis``. :func:`hosts_in` finds the host names in such a value; importers
keep those that name a service they know, and report those that look like a
service reference but name nothing they found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["HostRef", "hosts_in", "is_internal"]

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?"
_HOST = rf"{_LABEL}(?:\.{_LABEL})*"
_URL = re.compile(
    rf"\b[A-Za-z][A-Za-z0-9+.-]*://(?:[^\s/@]*@)?(\[[0-9a-fA-F:]+\]|{_HOST})(?::\d+)?"
)
_CONNECTION = re.compile(
    rf"(?:^|[;\s])(?:server|host|hostname|data source|address|addr|endpoint)\s*=\s*"
    rf"(?:tcp:)?({_HOST})",
    re.IGNORECASE,
)
_USER_AT = re.compile(rf"(?:^|[\s,;])[^\s/@:]+(?::[^\s/@]*)?@({_HOST})(?::\d+/?|/)")
_HOST_PORT = re.compile(rf"(?:^|[\s,;=(])({_HOST}):(\d{{1,5}})\b")
_BARE = re.compile(rf"^{_HOST}$")
_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_NOT_HOSTS = {"localhost", "true", "false", "yes", "no", "null", "none", "on", "off"}


@dataclass(frozen=True)
class HostRef:
    """A host name found in a value, and how it was written: ``url``,
    ``connection`` (``Server=db;``), ``user@host``, ``host:port`` or ``bare`` (the
    whole value is a host name)."""

    host: str
    how: str


def hosts_in(value: str) -> list[HostRef]:
    """The host names ``value`` refers to, in order, each once. IP addresses,
    ``localhost`` and words such as ``true`` are left out."""
    text = value.strip()
    found: list[HostRef] = []
    for pattern, how in (
        (_URL, "url"),
        (_CONNECTION, "connection"),
        (_USER_AT, "user@host"),
        (_HOST_PORT, "host:port"),
    ):
        for match in pattern.finditer(text):
            found.append(HostRef(match.group(1), how))
    if not found:
        for part in re.split(r"[,\s]+", text):
            if part and _BARE.match(part) and not part.replace(".", "").isdigit():
                found.append(HostRef(part, "bare"))
    out: list[HostRef] = []
    seen: set[str] = set()
    for ref in found:
        host = ref.host.lower().rstrip(".")
        if host in seen or host in _NOT_HOSTS or _IP.match(host) or host.startswith("["):
            continue
        seen.add(host)
        out.append(HostRef(host, ref.how))
    return out


def is_internal(host: str) -> bool:
    """True for a host name that can only be a service of the same application: a
    single label (``cart``) or a cluster-local name (``cart.shop.svc.cluster.local``).
    Names on the internet (``api.stripe.com``) are not."""
    host = host.lower()
    if host in _DOCKER_HOSTS:
        return False
    return "." not in host or host.endswith((".svc", ".cluster.local", ".local", ".internal"))


_DOCKER_HOSTS = {"host.docker.internal", "gateway.docker.internal", "kubernetes.docker.internal"}
