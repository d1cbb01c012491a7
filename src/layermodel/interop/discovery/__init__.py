"""Discovery: models from where the architecture already lives.

:mod:`~layermodel.interop.discovery.core` holds what every importer reports and how
it becomes one model; :mod:`~layermodel.interop.discovery.hosts` finds the services a
configuration value names; :mod:`~layermodel.interop.discovery.defaults` holds the
built-in layer rules.
"""

from layermodel.interop.discovery.core import (
    Discovered,
    DiscoveryResult,
    Link,
    Seen,
    build_model,
    facts,
)
from layermodel.interop.discovery.defaults import DISCOVERY_RULES
from layermodel.interop.discovery.hosts import HostRef, hosts_in, is_internal

__all__ = [
    "DISCOVERY_RULES",
    "Discovered",
    "DiscoveryResult",
    "HostRef",
    "Link",
    "Seen",
    "build_model",
    "facts",
    "hosts_in",
    "is_internal",
]
