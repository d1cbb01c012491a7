"""The built-in layer rules for discovered components.

Tried after the user's own rules, first match wins:

1. infrastructure: data stores, queues and streams, caches, search engines,
   gateways and proxies, service discovery, and observability, recognised by their
   image, their technology (Structurizr, LikeC4), their kind (a LikeC4 element
   kind such as ``database`` or ``queue``), their name, or a drawn shape of a
   store or a queue (``spec.style.shape`` ``storage``, ``cylinder`` or ``queue``,
   as LikeC4 elements have);
2. ui: what users reach directly (a published web port, an Ingress or load
   balancer, a web or mobile app);
3. algorithms: everything else.

A word matches as a whole part of the value (between its start or end and ``-``,
``_``, ``/``, ``:`` or a space), without regard to case: ``redis:7``,
``docker.io/library/postgres``, ``user-db`` and ``Oracle Database Schema`` all match.
"""

from __future__ import annotations

import re

from layermodel.interop.layer_rules import LayerRule, LayerRules
from layermodel.model.entities import DEFAULT_LAYERS

__all__ = ["DISCOVERY_RULES", "INFRASTRUCTURE_WORDS"]

INFRASTRUCTURE_WORDS = (
    # data stores
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "mssql",
    "sqlserver",
    "sql-server",
    "oracle",
    "cockroach",
    "cassandra",
    "scylla",
    "couchbase",
    "couchdb",
    "clickhouse",
    "influxdb",
    "neo4j",
    "dynamodb",
    "database",
    "minio",
    "etcd",
    # caches
    "redis",
    "valkey",
    "memcached",
    "cache",
    # queues and streams
    "rabbitmq",
    "kafka",
    "zookeeper",
    "nats",
    "activemq",
    "pulsar",
    "queue",
    "sqs",
    "message bus",
    "eventbus",
    # search
    "elasticsearch",
    "opensearch",
    "solr",
    # gateways, proxies, discovery
    "envoy",
    "nginx",
    "haproxy",
    "traefik",
    "kong",
    "gateway",
    "proxy",
    "consul",
    # observability
    "jaeger",
    "zipkin",
    "prometheus",
    "grafana",
    "otel-collector",
    "otelcol",
    "opentelemetry-collector",
    "loki",
    "tempo",
    "fluentd",
    "fluent-bit",
    "logstash",
    "kibana",
    "seq",
)
"""Words that mark infrastructure in an image, a technology or a name."""


def _whole_words(words: tuple[str, ...]) -> re.Pattern[str]:
    """One expression finding any of ``words`` as a whole part of an image reference,
    a name or a technology: between the start or end and ``-``, ``_``, ``/``, ``:`` or
    a space (``redis``, ``redis:7``, ``library/redis``, ``user-db``,
    ``Relational Database Schema``). One search per value, however many words."""
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?:^|[-_/: ])(?:{alternatives})(?=$|[-_/: ])")


_WORDS = _whole_words(INFRASTRUCTURE_WORDS)
_NAMES = _whole_words((*INFRASTRUCTURE_WORDS, "db", "mq", "gw", "apigw", "broker", "store"))

DISCOVERY_RULES = LayerRules(
    layers=DEFAULT_LAYERS,
    rules=(
        LayerRule("infrastructure", (("image", _WORDS),)),
        LayerRule("infrastructure", (("technology", _WORDS),)),
        LayerRule("infrastructure", (("kind", _WORDS),)),
        LayerRule("infrastructure", (("spec.style.shape", ("storage", "cylinder", "queue")),)),
        LayerRule("infrastructure", (("metadata.name", _NAMES),)),
        LayerRule("ui", (("entry", ("yes",)),)),
    ),
    default="algorithms",
)
"""The built-in discovery rules (see the module docstring)."""
