"""The compose importer: merge rules, variables, names, dependencies, provenance,
layers and products, on the real-world corpus and on small cases of its own, and the
refusals of input that is hostile or not a compose file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layermodel.errors import InputError, ReadError
from layermodel.interop.compose import discover_compose, import_compose
from layermodel.interop.discovery import DiscoveryResult
from tests.conftest import SHARED_FIXTURES

REALWORLD = SHARED_FIXTURES / "realworld"


def edges(result: DiscoveryResult) -> set[tuple[str, str]]:
    return {(c.id, d.target) for c in result.ecosystem.components for d in c.depends_on}


def dep(result: DiscoveryResult, source: str, target: str):  # type: ignore[no-untyped-def]
    component = next(c for c in result.ecosystem.components if c.id == source)
    return next(d for d in component.depends_on if d.target == target)


def component(result: DiscoveryResult, cid: str):  # type: ignore[no-untyped-def]
    return next(c for c in result.ecosystem.components if c.id == cid)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def messages(result: DiscoveryResult) -> str:
    return "\n".join(str(p) for p in result.problems)


# -- the real-world corpus -----------------------------------------------------------------

needs_corpus = pytest.mark.skipif(not REALWORLD.is_dir(), reason="real-world corpus not here")


def _star(source: str, targets: str) -> set[tuple[str, str]]:
    return {(source, t) for t in targets.split()}


# OpenTelemetry demo, the default stack (the Makefile's `make start`: compose.yaml,
# compose.full.yaml, compose.observability.yaml, compose.extras.yaml, with
# --env-file .env --env-file .env.override). Counted by reading every service's
# depends_on (merged over the four files) and every environment entry, resolving bare
# entries (`- CART_ADDR`) through .env: *_ADDR, *_HOST and OTLP endpoint values
# naming a service. A service naming itself (OTEL_COLLECTOR_HOST in otel-collector,
# JAEGER_HOST in jaeger, KAFKA_* listeners in kafka) is not an edge. frontend-proxy
# also names firepit and chatbot, which these files do not define (reported).
OTEL_TRUTH = (
    _star("ad", "otel-collector flagd")
    | _star("cart", "valkey-cart otel-collector flagd opamp-server")
    | _star(
        "checkout",
        "cart currency email payment product-catalog shipping otel-collector flagd kafka",
    )
    | _star("currency", "otel-collector")
    | _star("email", "otel-collector flagd")
    | _star(
        "frontend",
        "ad cart checkout currency product-catalog quote recommendation shipping "
        "otel-collector image-provider flagd",
    )
    | _star(
        "frontend-proxy",
        "frontend flagd-ui telemetry-docs jaeger grafana opamp-server otel-collector "
        "image-provider flagd",
    )
    | _star("image-provider", "otel-collector")
    | _star("load-generator", "frontend frontend-proxy flagd otel-collector")
    | _star("payment", "otel-collector flagd")
    | _star("product-catalog", "otel-collector flagd astronomy-db")
    | _star("quote", "otel-collector")
    | _star("recommendation", "product-catalog otel-collector flagd")
    | _star("shipping", "otel-collector flagd quote")
    | _star("flagd", "otel-collector")
    | _star("flagd-ui", "otel-collector flagd")
    | _star("telemetry-docs", "otel-collector")
    | _star(
        "otel-collector",
        "jaeger opensearch opamp-server frontend-proxy image-provider astronomy-db kafka",
    )
    | _star("accounting", "otel-collector kafka astronomy-db")
    | _star("fraud-detection", "otel-collector kafka flagd")
    | _star("kafka", "otel-collector")
    | _star("jaeger", "prometheus otel-collector")
)

# eShopOnContainers: the 38 depends_on edges of docker-compose.yml plus the service
# URLs and connection strings of docker-compose.override.yml (identityUrl,
# EventBusConnection, urls__*, *UrlHC, HealthChecksUI URIs, PurchaseUrl, WebhooksUrl).
# URLs on ESHOP_EXTERNAL_DNS_NAME_OR_IP (host.docker.internal, the browser's way in)
# are not service edges; SelfUrl names webhooks-client itself. The Envoy gateways'
# routes live in envoy.yaml, which is not a compose file: not counted here.
ESHOP_DEPENDS_ON = (
    _star("identity-api", "sqldata")
    | _star("basket-api", "basketdata identity-api rabbitmq")
    | _star("catalog-api", "sqldata rabbitmq")
    | _star("ordering-api", "sqldata rabbitmq")
    | _star("ordering-backgroundtasks", "sqldata rabbitmq")
    | _star("payment-api", "rabbitmq")
    | _star("webhooks-api", "sqldata")
    | _star(
        "mobileshoppingagg",
        "nosqldata sqldata identity-api rabbitmq ordering-api catalog-api basket-api",
    )
    | _star(
        "webshoppingagg",
        "nosqldata sqldata identity-api rabbitmq ordering-api catalog-api basket-api",
    )
    | _star(
        "ordering-signalrhub",
        "nosqldata sqldata identity-api rabbitmq ordering-api catalog-api basket-api",
    )
    | _star("webspa", "webshoppingagg webshoppingapigw")
    | _star("webmvc", "webshoppingagg webshoppingapigw")
    | _star("webhooks-client", "webhooks-api")
)
ESHOP_TRUTH = (
    ESHOP_DEPENDS_ON
    | {("ordering-api", "identity-api")}
    | _star("webhooks-api", "rabbitmq identity-api")
    | {("mobileshoppingagg", "payment-api"), ("webshoppingagg", "payment-api")}
    | _star(
        "webstatus",
        "webmvc webspa webshoppingagg mobileshoppingagg ordering-api basket-api "
        "catalog-api identity-api payment-api ordering-signalrhub ordering-backgroundtasks",
    )
    | {("webspa", "identity-api"), ("webmvc", "identity-api")}
)

# Sock Shop compose: no depends_on or links; MONGO_HOST=user-db:27017 in user, and the
# load test's command `-h edge-router` (the host it drives).
SOCK_TRUTH = {("user", "user-db"), ("user-sim", "edge-router")}

# DeathStarBench: the depends_on edges, nothing else names a service in these files
# (the services' addresses are in config files mounted into them).
SOCIAL_TRUTH = {
    (s, "jaeger-agent")
    for s in [
        "social-graph-service",
        "compose-post-service",
        "post-storage-service",
        "user-timeline-service",
        "url-shorten-service",
        "user-service",
        "media-service",
        "text-service",
        "unique-id-service",
        "user-mention-service",
        "home-timeline-service",
        "nginx-thrift",
        "media-frontend",
    ]
} | {
    ("social-graph-service", "social-graph-mongodb"),
    ("post-storage-service", "post-storage-mongodb"),
    ("user-timeline-service", "user-timeline-mongodb"),
    ("url-shorten-service", "url-shorten-mongodb"),
    ("user-service", "user-mongodb"),
    ("media-service", "media-mongodb"),
}
HOTEL_TRUTH = {
    (s, "consul")
    for s in [
        "frontend",
        "profile",
        "search",
        "geo",
        "rate",
        "review",
        "attractions",
        "recommendation",
        "user",
        "reservation",
    ]
} | {
    ("profile", "mongodb-profile"),
    ("profile", "memcached-profile"),
    ("geo", "mongodb-geo"),
    ("rate", "mongodb-rate"),
    ("rate", "memcached-rate"),
    ("review", "mongodb-review"),
    ("review", "memcached-review"),
    ("attractions", "mongodb-attractions"),
    ("recommendation", "mongodb-recommendation"),
    ("user", "mongodb-user"),
    ("reservation", "mongodb-reservation"),
    ("reservation", "memcached-reserve"),
}


def otel() -> DiscoveryResult:
    folder = REALWORLD / "otel-demo"
    return import_compose(
        *(folder / f for f in ("compose.yaml", "compose.full.yaml")),
        folder / "compose.observability.yaml",
        folder / "compose.extras.yaml",
        env_file=[folder / ".env", folder / ".env.override"],
    )


@needs_corpus
def test_otel_demo_default_stack() -> None:
    result = otel()
    assert len(OTEL_TRUTH) == 75
    assert edges(result) == OTEL_TRUTH
    assert result.imported == {"compose service": 28}
    assert len(result.ecosystem.components) == 28
    text = messages(result)
    assert "firepit" in text and "chatbot" in text
    # a bare entry resolved through .env, with the compose line and the .env line
    cart = dep(result, "checkout", "cart")
    evidence = {p.evidence for p in cart.provenance}
    assert "env CART_ADDR=cart:7070 (from .env line 63)" in evidence
    assert "depends_on: cart" in evidence
    env_record = next(p for p in cart.provenance if p.evidence and p.evidence.startswith("env"))
    assert env_record.file.endswith("compose.yaml") and env_record.line == 133
    # a patch from a later file carries that file's line
    kafka = dep(result, "checkout", "kafka")
    assert {(Path(p.file or "").name, p.line) for p in kafka.provenance} >= {
        ("compose.full.yaml", 132)
    }
    product = result.ecosystem.products[0]
    assert product.id == "otel-demo"
    assert "frontend" in product.uses and "frontend-proxy" in product.uses
    assert component(result, "frontend").layer == "ui"
    assert component(result, "valkey-cart").layer == "infrastructure"
    assert component(result, "cart").layer == "algorithms"


@needs_corpus
def test_otel_demo_core_only_has_no_full_stack_services() -> None:
    folder = REALWORLD / "otel-demo"
    result = import_compose(folder / "compose.yaml")
    assert result.imported == {"compose service": 20}
    assert ("checkout", "kafka") not in edges(result)
    # KAFKA_ADDR is not in the core environment, so the collector does not reach kafka
    assert ("otel-collector", "kafka") not in edges(result)


@needs_corpus
def test_eshop_on_containers() -> None:
    folder = REALWORLD / "eshoponcontainers" / "src"
    result = import_compose(folder / "docker-compose.yml", folder / "docker-compose.override.yml")
    assert len(ESHOP_DEPENDS_ON) == 38
    assert edges(result) == ESHOP_TRUTH
    assert result.imported == {"compose service": 21}
    connection = dep(result, "catalog-api", "sqldata")
    assert any(
        (p.evidence or "").startswith("env ConnectionString=Server=sqldata;")
        for p in connection.provenance
    )
    product = result.ecosystem.products[0]
    assert set(product.uses) == {"webstatus", "webspa", "webmvc", "webhooks-client"}
    assert "INSTRUMENTATION_KEY" in messages(result)  # unset variables are listed


@needs_corpus
def test_sock_shop() -> None:
    result = import_compose(REALWORLD / "sock-shop/deploy/docker-compose/docker-compose.yml")
    assert edges(result) == SOCK_TRUTH
    assert result.imported == {"compose service": 15}
    assert result.ecosystem.products[0].uses == ("edge-router",)


@needs_corpus
def test_deathstarbench() -> None:
    social = import_compose(REALWORLD / "deathstarbench/socialNetwork/docker-compose.yml")
    hotel = import_compose(REALWORLD / "deathstarbench/hotelReservation/docker-compose.yml")
    assert len(SOCIAL_TRUTH) == 19 and edges(social) == SOCIAL_TRUTH
    assert len(HOTEL_TRUTH) == 22 and edges(hotel) == HOTEL_TRUTH
    assert social.imported == {"compose service": 27}
    assert hotel.imported == {"compose service": 24}
    assert hotel.skipped == {"compose volume": 8, "compose config": 1}


# -- merging -----------------------------------------------------------------------------


def test_later_files_patch_earlier_ones(tmp_path: Path) -> None:
    base = write(
        tmp_path,
        "compose.yaml",
        "services:\n"
        "  web:\n"
        "    image: shop/web\n"
        "    environment:\n"
        "      - API=http://api:80\n"
        "      - MODE=a\n"
        "    depends_on: [api]\n"
        "    command: [serve, --upstream, api]\n"
        "    ports: ['8000']\n"
        "  api: {image: shop/api}\n"
        "  db: {image: postgres}\n"
        "  cache: {image: redis}\n",
    )
    patch = write(
        tmp_path,
        "compose.override.yaml",
        "services:\n"
        "  web:\n"
        "    environment:\n"
        "      API: http://db:5432\n"  # replaces the variable: web no longer names api
        "    depends_on:\n"
        "      cache: {condition: service_started, required: false}\n"
        "    command: serve\n"  # replaced, not appended
        "  extra:\n"
        "    image: shop/extra\n",
    )
    result = import_compose(base, patch)
    assert edges(result) == {("web", "api"), ("web", "db"), ("web", "cache")}
    api = dep(result, "web", "api")
    assert [p.evidence for p in api.provenance] == ["depends_on: api"]  # env and command gone
    assert dep(result, "web", "cache").required is False
    env = dep(result, "web", "db").provenance[0]
    assert (Path(env.file or "").name, env.line) == ("compose.override.yaml", 4)
    assert result.imported == {"compose service": 5}


def test_depends_on_short_and_long_forms_merge(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", "services:\n  x: {depends_on: [y]}\n  y: {}\n  z: {}\n")
    b = write(
        tmp_path,
        "b.yaml",
        "services:\n  x:\n    depends_on:\n      y: {required: false}\n      z: {}\n",
    )
    result = import_compose(a, b)
    assert edges(result) == {("x", "y"), ("x", "z")}
    assert dep(result, "x", "y").required is False  # the long form patched the short one


def test_a_file_of_only_comments_merges(tmp_path: Path) -> None:
    a = write(tmp_path, "compose.yaml", "services:\n  x: {image: nginx}\n")
    b = write(tmp_path, "extras.yaml", "# nothing here yet\n#services:\n")
    assert discover_compose(a, b).imported == {"service": 1}


def test_merge_tags_are_refused_clearly(tmp_path: Path) -> None:
    a = write(tmp_path, "compose.yaml", "services:\n  x:\n    ports: !reset []\n")
    with pytest.raises(InputError) as info:
        discover_compose(a)
    problem = info.value.problems[0]
    assert "!reset" in problem.message and "not supported" in problem.message
    assert problem.file == str(a) and problem.line == 3


# -- variables -----------------------------------------------------------------------------


def test_interpolation_forms(tmp_path: Path) -> None:
    write(
        tmp_path,
        ".env",
        "# comment\n"
        "export HOST_A=alpha\n"
        'QUOTED="bravo"\n'
        "LITERAL='${HOST_A}'\n"
        "EMPTY=\n"
        "PORT=80   # inline comment\n"
        "G_ADDR=${HOST_A}:${PORT}\n",
    )
    compose = write(
        tmp_path,
        "compose.yaml",
        "services:\n"
        "  alpha: {}\n  bravo: {}\n  charlie: {}\n  delta: {}\n  echo: {}\n"
        "  client:\n"
        "    environment:\n"
        "      A_URL: http://${HOST_A}\n"
        "      B_HOST: $QUOTED\n"
        "      C_HOST: ${EMPTY:-charlie}\n"
        "      D_HOST: ${EMPTY-delta}\n"  # set but empty: '-' keeps the empty value
        "      E_HOST: ${MISSING-echo}\n"
        "      F_URL: http://$$HOST_A\n"  # $$ is a literal $: names nothing
        "      G_ADDR:\n"  # pass-through from .env
        "      H_HOST: ${NEEDED:?set NEEDED}\n",
    )
    result = import_compose(compose)
    assert edges(result) == {
        ("client", "alpha"),
        ("client", "bravo"),
        ("client", "charlie"),
        ("client", "echo"),
    }
    alpha = {p.evidence for p in dep(result, "client", "alpha").provenance}
    assert "env G_ADDR=alpha:80 (from .env line 7)" in alpha
    text = messages(result)
    assert "required variable NEEDED is missing: set NEEDED" in text
    assert f"{compose}:16" in text


def test_env_files_override_dot_env_and_never_the_process_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TARGET", "first")
    monkeypatch.setenv("ONLY_IN_PROCESS", "second")
    write(tmp_path, ".env", "TARGET=first\n")
    other = write(tmp_path, "prod.env", "TARGET=third\n")
    compose = write(
        tmp_path,
        "compose.yaml",
        "services:\n  first: {}\n  second: {}\n  third: {}\n"
        "  app:\n    environment: [TARGET, ONLY_IN_PROCESS]\n"
        "    image: ${ONLY_IN_PROCESS:-none}\n",
    )
    assert edges(import_compose(compose)) == {("app", "first")}
    result = import_compose(compose, env_file=other)
    assert edges(result) == {("app", "third")}
    assert component(result, "app").properties["image"] == "none"
    assert os.environ["ONLY_IN_PROCESS"] == "second"


def test_service_env_file(tmp_path: Path) -> None:
    write(tmp_path, "app.env", "DB_HOST=db\n")
    compose = write(
        tmp_path,
        "compose.yaml",
        "services:\n  db: {image: postgres}\n  app:\n    env_file: app.env\n"
        "  other:\n    env_file: [missing.env]\n",
    )
    result = import_compose(compose)
    assert edges(result) == {("app", "db")}
    assert "missing.env was not found" in messages(result)


def test_bad_env_file_line(tmp_path: Path) -> None:
    write(tmp_path, ".env", "OK=1\n!!! nonsense\n")
    compose = write(tmp_path, "compose.yaml", "services:\n  a: {}\n")
    with pytest.raises(InputError) as info:
        discover_compose(compose)
    assert info.value.problems[0].line == 2
    assert info.value.problems[0].file == str(tmp_path / ".env")


# -- names and dependencies ----------------------------------------------------------------


def test_every_name_of_a_service_reaches_it(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        "compose.yaml",
        "services:\n"
        "  database:\n    image: mysql\n    container_name: shop-db\n"
        "  broker:\n    image: rabbitmq\n    hostname: mq.internal\n"
        "  search:\n    image: elasticsearch\n"
        "    networks:\n      backend:\n        aliases: [es]\n"
        "  legacy: {image: x}\n"
        "  app:\n"
        "    links: ['legacy:old']\n"
        "    environment:\n"
        "      - DB=Server=shop-db;Database=shop\n"
        "      - AMQP=amqp://guest:guest@mq.internal:5672/\n"
        "      - ES_HOSTS=es\n"
        "      - OLD_URL=http://old/\n",
    )
    result = import_compose(compose)
    assert edges(result) == {
        ("app", "database"),
        ("app", "broker"),
        ("app", "search"),
        ("app", "legacy"),
    }


def test_reference_forms(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        "compose.yaml",
        "services:\n"
        "  pg: {image: postgres}\n  mongo: {image: mongo}\n  redis: {image: redis}\n"
        "  kafka: {image: kafka}\n  api: {}\n  mssql: {}\n  orders: {}\n"
        "  app:\n"
        "    environment:\n"
        "      PG: postgres://u:p@pg/shop\n"
        "      MONGO: mongodb://mongo\n"
        "      REDIS: redis:6379\n"
        "      BOOTSTRAP: kafka:9092,kafka:9093\n"
        "      NPGSQL: Host=pg;Port=5432\n"
        "      SQL: Data Source=mssql;Initial Catalog=x\n"
        "      API_HOST: api\n"
        "      ORDERS_TOPIC: orders\n"  # a topic name, not an address
        "      DB_PASSWORD: p@mongo\n"  # a secret, whatever it looks like
        "      GREETING: hello api world\n"  # prose
        "      EXTERNAL: https://api.stripe.com/v1\n",
    )
    result = import_compose(compose)
    assert edges(result) == {("app", t) for t in ("pg", "mongo", "redis", "kafka", "api", "mssql")}
    assert not result.problems


def test_links_external_links_volumes_from_network_mode(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        "compose.yaml",
        "services:\n"
        "  db: {}\n  data: {}\n  vpn: {}\n"
        "  app:\n"
        "    links: [db]\n"
        "    external_links: ['other_project_cache_1:cache', 'db']\n"
        "    volumes_from: ['data:ro', 'container:outside']\n"
        "    network_mode: service:vpn\n",
    )
    result = import_compose(compose)
    assert edges(result) == {("app", "db"), ("app", "data"), ("app", "vpn")}
    assert dep(result, "app", "data").kind == "shares-volumes"
    assert dep(result, "app", "vpn").kind == "shares-network"
    text = messages(result)
    assert "other_project_cache_1" in text and f"{compose}:7" in text


def test_command_arguments(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        "compose.yaml",
        "services:\n"
        "  db: {image: postgres}\n  web: {}\n  api: {}\n"
        "  worker:\n    command: ./wait-for-it.sh db:5432 -- python run.py\n"
        "  loadtest:\n    entrypoint: [locust, --host=http://web:8080]\n"
        "  probe:\n    command: [check, -h, api, --name, web]\n",
    )
    assert edges(import_compose(compose)) == {
        ("worker", "db"),
        ("loadtest", "web"),
        ("probe", "api"),
    }


def test_unknown_and_ambiguous_names_are_reported_not_invented(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        "compose.yaml",
        "services:\n"
        "  a: {hostname: cache}\n  b: {hostname: cache}\n"
        "  app:\n"
        "    depends_on: [ghost]\n"
        "    environment:\n"
        "      - CACHE_HOST=cache\n"
        "      - PAY_URL=http://payments:8080\n"
        "      - MODE=production\n",
    )
    result = import_compose(compose)
    assert edges(result) == set()
    text = messages(result)
    assert f"{compose}:5" in text and "'ghost'" in text
    assert "several services (a, b)" in text and f"{compose}:7" in text
    assert "'payments'" in text and f"{compose}:8" in text
    assert "production" not in text


def test_depends_on_a_container_name_is_the_service(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        "compose.yaml",
        "services:\n  db: {container_name: my-db}\n  app: {depends_on: [db], links: ['my-db']}\n",
    )
    assert edges(import_compose(compose)) == {("app", "db")}


# -- layers, products, names ---------------------------------------------------------------


def test_layers_entry_points_and_products(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        "compose.yaml",
        "name: My Shop\n"
        "services:\n"
        "  storefront: {image: shop/ui, ports: ['3000']}\n"
        "  edge: {image: shop/edge, ports: ['80:8080']}\n"
        "  orders-api: {image: shop/orders, ports: ['80:80']}\n"
        "  db: {image: 'postgres:16', ports: ['5432:5432']}\n"
        "  admin:\n"
        "    image: shop/admin\n"
        "    labels: {layermodel.product: back office, layermodel.entry: 'true', team: ops}\n",
    )
    result = import_compose(compose)
    layers = {c.id: c.layer for c in result.ecosystem.components}
    assert layers == {
        "storefront": "ui",
        "edge": "ui",
        "orders-api": "algorithms",
        "db": "infrastructure",
        "admin": "ui",
    }
    products = {p.name or p.id: set(p.uses) for p in result.ecosystem.products}
    assert products == {"myshop": {"storefront", "edge"}, "back office": {"admin"}}
    assert result.ecosystem.name == "myshop"
    found = discover_compose(compose)
    admin = next(s for s in found.components if s.name == "admin")
    assert admin.facts["metadata"]["labels"]["team"] == "ops"
    assert admin.line == 7


def test_project_name_fallbacks(tmp_path: Path) -> None:
    folder = tmp_path / "Shop_App"
    folder.mkdir()
    compose = write(folder, "compose.yaml", "services:\n  a: {}\n")
    assert discover_compose(compose).name == "shop_app"
    assert discover_compose(compose, project_name="demo").name == "demo"
    assert import_compose(compose, name="model").ecosystem.name == "model"


def test_skipped_top_level_objects_are_counted(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        "compose.yaml",
        "services:\n  a: {}\n"
        "volumes: {data: {}, logs: {}}\nnetworks: {front: {}}\n"
        "secrets: {key: {file: k}}\nx-common: &c {}\n",
    )
    found = discover_compose(compose)
    assert found.skipped == {"volume": 2, "network": 1, "secret": 1}
    assert found.imported == {"service": 1}


def test_extends_and_include_are_reported(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        "compose.yaml",
        "include: [other.yaml]\nservices:\n  a:\n    extends: {service: b}\n  b: {}\n",
    )
    text = "\n".join(str(p) for p in discover_compose(compose).reported)
    assert f"{compose}:1" in text and "include" in text
    assert f"{compose}:4" in text and "extends" in text


# -- wrong kinds and hostile input ------------------------------------------------------------

WRONG_KIND = {
    "kubernetes": ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n", 2),
    "backstage": (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\n",
        2,
    ),
    "model": ("name: shop\nlayers: [ui]\ncomponents: []\n", 2),
    "random": ("- 1\n- 2\n", 1),
    "services-list": ("version: '3'\nservices:\n  - web\n", 3),
    "no-services": ("version: '3'\nnetworks: {a: {}}\n", 1),
    "service-not-mapping": ("services:\n  web: nginx\n", 2),
    "bad-environment": ("services:\n  web:\n    environment: 3\n", 3),
}


@pytest.mark.parametrize("case", sorted(WRONG_KIND))
def test_wrong_kind_of_file(tmp_path: Path, case: str) -> None:
    text, line = WRONG_KIND[case]
    path = write(tmp_path, "compose.yaml", text)
    with pytest.raises(InputError) as info:
        discover_compose(path)
    problem = info.value.problems[0]
    assert problem.file == str(path)
    assert problem.line == line, problem


def _alias_bomb() -> bytes:
    lines = ["services:", "  a: {}", "x-0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 7):
        lines.append(f"x-{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


HOSTILE = {
    "alias-bomb": (_alias_bomb(), None),
    "duplicate-key": (b"services:\n  a: {}\n  a: {}\n", 3),
    "bad-bytes": (b"services:\n  a: {image: \xff}\n", 2),
    "python-tag": (b"services:\n  a: !!python/object/apply:os.system [echo hi]\n", 2),
    "unknown-tag": (b"services:\n  a: !Ref other\n", 2),
    "two-documents": (b"services:\n  a: {}\n---\nservices:\n  b: {}\n", 3),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input(tmp_path: Path, case: str) -> None:
    data, line = HOSTILE[case]
    path = tmp_path / "compose.yaml"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        discover_compose(path)
    problem = info.value.problems[0]
    assert problem.file == str(path)
    assert problem.line is not None
    if line is not None:
        assert problem.line == line, problem


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError):
        discover_compose(tmp_path / "nope.yaml")
    with pytest.raises(InputError):
        discover_compose()
