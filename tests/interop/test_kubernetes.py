"""The Kubernetes importer: the real-world manifests, every mapping rule on small
synthetic manifests, and bad or wrong-kind input."""

from __future__ import annotations

import base64
import textwrap
from pathlib import Path

import pytest

from layermodel.errors import InputError, ReadError
from layermodel.interop.discovery import DiscoveryResult
from layermodel.interop.kubernetes import discover_kubernetes, import_kubernetes
from layermodel.model.io import dumps, loads

from ..conftest import SHARED_FIXTURES

REALWORLD = SHARED_FIXTURES / "realworld"
BOUTIQUE = REALWORLD / "online-boutique"
SOCK = REALWORLD / "sock-shop" / "deploy" / "kubernetes"


def edges(result: DiscoveryResult) -> set[tuple[str, str]]:
    return {(c.id, d.target) for c in result.ecosystem.components for d in c.depends_on}


def kinds(result: DiscoveryResult) -> dict[tuple[str, str], str | None]:
    return {(c.id, d.target): d.kind for c in result.ecosystem.components for d in c.depends_on}


def messages(result: DiscoveryResult) -> list[str]:
    return [p.message for p in result.problems]


# -- the real-world corpus ---------------------------------------------------------

# Online Boutique, counted by reading every `*_ADDR` env value of
# release/kubernetes-manifests.yaml (host = a Service name, each Service selecting the
# Deployment of the same name by `app:`): frontend names 7 services (plus
# shoppingassistantservice, which no manifest defines: reported, not an edge),
# checkoutservice 6, recommendationservice 1, cartservice 1 (REDIS_ADDR), loadgenerator 1
# (FRONTEND_ADDR, in its container and its init container). 16 edges.
BOUTIQUE_EDGES = {
    ("frontend", "productcatalogservice"),
    ("frontend", "currencyservice"),
    ("frontend", "cartservice"),
    ("frontend", "recommendationservice"),
    ("frontend", "shippingservice"),
    ("frontend", "checkoutservice"),
    ("frontend", "adservice"),
    ("checkoutservice", "productcatalogservice"),
    ("checkoutservice", "shippingservice"),
    ("checkoutservice", "paymentservice"),
    ("checkoutservice", "emailservice"),
    ("checkoutservice", "currencyservice"),
    ("checkoutservice", "cartservice"),
    ("recommendationservice", "productcatalogservice"),
    ("cartservice", "redis-cart"),
    ("loadgenerator", "frontend"),
}

# Sock Shop's complete-demo.yaml: the only env value naming a Service is user's
# `mongo: user-db:27017`; shipping's ZIPKIN names zipkin.jaeger.svc.cluster.local, a
# namespace not in the input (reported).
SOCK_ENV_EDGES = {("user", "user-db")}

# manifests-policy/: each ingress rule `from` podSelector on a policy selecting pods P
# is an edge from the selected pods to P. Counted against the pod labels of
# complete-demo.yaml (`name: <deployment>`): 11 edges. The README's 14 counts the two
# policies that use `name: cart` (pods are labelled `name: carts`) as if they matched:
# cart-access (front-end, orders -> cart) selects no pods and carts-db-access's `from`
# selects none, so those 3 are reported, not invented; cortex-access's `from`
# (`name: cortex`) selects no pods either; front-end-access has no `from` (anyone).
SOCK_POLICY_EDGES = {
    ("front-end", "catalogue"),
    ("catalogue", "catalogue-db"),
    ("front-end", "orders"),
    ("orders", "orders-db"),
    ("orders", "payment"),
    ("shipping", "rabbitmq"),
    ("queue-master", "rabbitmq"),
    ("orders", "shipping"),
    ("front-end", "user"),
    ("orders", "user"),
    ("user", "user-db"),
}


def test_online_boutique_release_manifest() -> None:
    result = import_kubernetes(BOUTIQUE / "release" / "kubernetes-manifests.yaml")
    eco = result.ecosystem
    assert edges(result) == BOUTIQUE_EDGES
    assert len(eco.components) == 12
    assert result.imported == {"kubernetes Deployment": 12}
    assert result.skipped == {"kubernetes Service": 12, "kubernetes ServiceAccount": 11}
    assert eco.component("redis-cart").layer == "infrastructure"
    assert eco.component("frontend").layer == "ui"  # behind the LoadBalancer Service
    assert eco.component("cartservice").layer == "algorithms"
    (missing,) = result.problems
    assert "shoppingassistantservice" in missing.message
    assert missing.file is not None and missing.file.endswith("kubernetes-manifests.yaml")
    assert missing.line == 90
    assert not any(c.id == "shoppingassistantservice" for c in eco.components)
    # provenance: the file, the line of the env value, the evidence
    dep = next(d for d in eco.component("frontend").depends_on if d.target == "cartservice")
    (prov,) = dep.provenance
    assert prov.source == "kubernetes"
    assert prov.line == 80
    assert prov.evidence == "env CART_SERVICE_ADDR=cartservice:7070"
    (seen,) = eco.component("cartservice").provenance
    assert seen.line == 301 and seen.evidence == "Deployment cartservice (namespace default)"
    assert (
        eco.component("cartservice")
        .properties["image"]
        .startswith("us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/cartservice:")
    )
    # one product, the application, used through its entry point
    (product,) = eco.products
    assert product.uses == ("frontend",)


def test_online_boutique_kustomization_gives_the_same_model() -> None:
    """The folder and its kustomization.yaml read the same objects, and both give the
    release manifest's model without loadgenerator, which the kustomization leaves
    out."""
    release = import_kubernetes(BOUTIQUE / "release" / "kubernetes-manifests.yaml", name="shop")
    folder = import_kubernetes(BOUTIQUE / "kubernetes-manifests", name="shop")
    kustomization = import_kubernetes(
        BOUTIQUE / "kubernetes-manifests" / "kustomization.yaml", name="shop"
    )
    assert edges(folder) == BOUTIQUE_EDGES - {("loadgenerator", "frontend")}
    assert not any(f.endswith("loadgenerator.yaml") for f in folder.files)
    assert not any(f.endswith("README.md") for f in folder.files)

    def shape(result: DiscoveryResult) -> tuple[object, ...]:
        eco = result.ecosystem
        return (
            sorted((c.id, c.layer) for c in eco.components),
            edges(result),
            [(p.id, p.uses) for p in eco.products],
        )

    assert shape(folder) == shape(kustomization)
    without_loadgenerator = (
        sorted((c.id, c.layer) for c in release.ecosystem.components if c.id != "loadgenerator"),
        edges(release) - {("loadgenerator", "frontend")},
        [(p.id, p.uses) for p in release.ecosystem.products],
    )
    assert shape(folder) == without_loadgenerator


def test_online_boutique_the_same_objects_twice_count_once() -> None:
    alone = import_kubernetes(BOUTIQUE / "release" / "kubernetes-manifests.yaml", name="shop")
    both = import_kubernetes(
        BOUTIQUE / "release" / "kubernetes-manifests.yaml",
        BOUTIQUE / "kubernetes-manifests",
        name="shop",
    )
    assert both.duplicates == 11
    assert both.imported == alone.imported and both.skipped == alone.skipped
    assert dumps(both.ecosystem) == dumps(alone.ecosystem)
    assert len(both.problems) == 1  # shoppingassistantservice, once


def test_sock_shop_complete_demo() -> None:
    result = import_kubernetes(SOCK / "complete-demo.yaml")
    eco = result.ecosystem
    assert edges(result) == SOCK_ENV_EDGES
    assert len(eco.components) == 14
    assert result.skipped == {"kubernetes Service": 14, "kubernetes Namespace": 1}
    assert eco.name == "sock-shop"
    (product,) = eco.products
    assert product.id == "sock-shop" and product.uses == ("front-end",)  # the NodePort
    assert eco.component("front-end").layer == "ui"
    for store in ("carts-db", "orders-db", "session-db", "user-db", "catalogue-db", "rabbitmq"):
        assert eco.component(store).layer == "infrastructure", store
    (zipkin,) = result.problems
    assert "zipkin.jaeger.svc.cluster.local" in zipkin.message


def test_sock_shop_network_policies() -> None:
    result = import_kubernetes(SOCK / "complete-demo.yaml", SOCK / "manifests-policy")
    found = edges(result)
    assert found == SOCK_POLICY_EDGES | SOCK_ENV_EDGES
    by_kind = kinds(result)
    # an env value shows the call: the dependency is plain, with both records
    assert by_kind.pop(("user", "user-db")) is None
    assert set(by_kind.values()) == {"network-policy"}
    dep = next(d for d in result.ecosystem.component("user").depends_on if d.target == "user-db")
    assert {p.evidence for p in dep.provenance} == {
        "env mongo=user-db:27017",
        "NetworkPolicy user-db-access: ingress from name=user",
    }
    policy = next(p for p in dep.provenance if p.evidence and "NetworkPolicy" in p.evidence)
    assert policy.file is not None and policy.file.endswith("netpol-user-db-access.yaml")
    assert policy.line == 13
    text = messages(result)
    assert any("cart-access: podSelector name=cart selects no pods" in m for m in text)
    assert any("carts-db-access: ingress from name=cart selects no pods" in m for m in text)
    assert any("cortex-access: ingress from name=cortex selects no pods" in m for m in text)
    assert result.skipped["kubernetes NetworkPolicy"] == 13


# -- synthetic cases: one per mapping rule -------------------------------------------


def manifest(*docs: str) -> str:
    return "\n---\n".join(textwrap.dedent(d).strip("\n") for d in docs) + "\n"


def deployment(
    name: str,
    env: dict[str, str] | None = None,
    *,
    namespace: str | None = None,
    labels: dict[str, str] | None = None,
    kind: str = "Deployment",
    image: str | None = None,
    extra: str = "",
) -> str:
    labels = labels or {"app": name}
    label_text = "".join(f"\n          {k}: {v}" for k, v in labels.items())
    env_text = "".join(
        f"\n            - name: {k}\n              value: {v!r}" for k, v in (env or {}).items()
    )
    ns = f"\n  namespace: {namespace}" if namespace else ""
    return f"""
apiVersion: apps/v1
kind: {kind}
metadata:
  name: {name}{ns}
spec:
  template:
    metadata:
      labels:{label_text}
    spec:
      containers:
        - name: main
          image: {image or f"example/{name}:1"}
          env:{env_text or " []"}{extra}
"""


def service(
    name: str, selector: dict[str, str] | None = None, *, namespace: str | None = None, extra=""
) -> str:
    selector = selector if selector is not None else {"app": name}
    sel = "".join(f"\n    {k}: {v}" for k, v in selector.items()) or " {}"
    ns = f"\n  namespace: {namespace}" if namespace else ""
    return f"""
apiVersion: v1
kind: Service
metadata:
  name: {name}{ns}
spec:{extra}
  selector:{sel}
  ports:
    - port: 80
"""


def app(tmp_path: Path, text: str, name: str = "app.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "value",
    [
        "api",
        "api:8080",
        "http://api:8080/v1",
        "api.shop",
        "api.shop.svc",
        "api.shop.svc.cluster.local:8080",
        "grpc://api.shop.svc.cluster.local.",
        "Server=api;Database=x",
        "amqp://user:pw@api:5672/",
    ],
)
def test_every_dns_form_of_a_service(tmp_path: Path, value: str) -> None:
    text = manifest(
        deployment("web", {"API_ADDR": value}, namespace="shop"),
        deployment("api-server", namespace="shop", labels={"tier": "api"}),
        service("api", {"tier": "api"}, namespace="shop"),
    )
    assert edges(import_kubernetes(app(tmp_path, text))) == {("web", "api-server")}


def test_short_names_resolve_in_the_callers_namespace(tmp_path: Path) -> None:
    text = manifest(
        deployment("web", {"API": "api:80"}, namespace="a"),
        deployment("web", {"API": "api:80", "OTHER": "http://api.a:80"}, namespace="b"),
        deployment("api", namespace="a"),
        deployment("api", namespace="b"),
        service("api", namespace="a"),
        service("api", namespace="b"),
    )
    result = import_kubernetes(app(tmp_path, text))
    # the same name in two namespaces: ids carry the namespace, names too
    assert {c.id for c in result.ecosystem.components} == {"web.a", "web.b", "api.a", "api.b"}
    assert edges(result) == {("web.a", "api.a"), ("web.b", "api.b"), ("web.b", "api.a")}
    assert {p.id for p in result.ecosystem.products} == {"a", "b"}


def test_a_service_reaches_every_workload_it_selects(tmp_path: Path) -> None:
    text = manifest(
        deployment("web", {"BACKEND_URL": "http://backend"}),
        deployment("backend-blue", labels={"app": "backend", "track": "blue"}),
        deployment("backend-green", labels={"app": "backend", "track": "green"}),
        deployment("other", labels={"app": "other"}),
        service("backend", {"app": "backend"}),
    )
    result = import_kubernetes(app(tmp_path, text))
    assert edges(result) == {("web", "backend-blue"), ("web", "backend-green")}


def test_statefulset_pod_dns_and_headless_services(tmp_path: Path) -> None:
    text = manifest(
        deployment("web", {"DB_HOSTS": "db-0.db-headless:5432,db-1.db-headless.data:5432"}),
        deployment(
            "db",
            kind="StatefulSet",
            namespace="data",
            extra="",
        ).replace("spec:\n  template:", "spec:\n  serviceName: db-headless\n  template:"),
        deployment("db", kind="StatefulSet").replace(
            "spec:\n  template:", "spec:\n  serviceName: db-headless\n  template:"
        ),
        service("db-headless", {"app": "db"}, extra="\n  clusterIP: None"),
        service("db-headless", {"app": "db"}, namespace="data", extra="\n  clusterIP: None"),
    )
    result = import_kubernetes(app(tmp_path, text))
    assert edges(result) == {("web", "db.default"), ("web", "db.data")}


def test_init_containers_args_and_dollar_references(tmp_path: Path) -> None:
    text = manifest(
        """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report}
        spec:
          jobTemplate:
            spec:
              template:
                metadata: {labels: {app: report}}
                spec:
                  initContainers:
                    - name: wait
                      image: busybox
                      env: [{name: DB_HOST, value: "db"}]
                  containers:
                    - name: main
                      image: example/report
                      env:
                        - {name: API_PORT, value: "8080"}
                        - {name: API, value: "http://api:$(API_PORT)/"}
                      args: ["--cache=cache:6379", "--mode=fast", "queue"]
        """,
        deployment("db"),
        deployment("api"),
        deployment("cache"),
        deployment("queue"),
        service("db"),
        service("api"),
        service("cache"),
        service("queue"),
    )
    result = import_kubernetes(app(tmp_path, text))
    # args give URL and host:port forms only: a bare word in args ("queue") is not one
    assert edges(result) == {("report", "db"), ("report", "api"), ("report", "cache")}
    dep = next(d for d in result.ecosystem.component("report").depends_on if d.target == "api")
    assert dep.provenance[0].evidence == "env API=http://api:8080/"
    assert result.imported == {"kubernetes CronJob": 1, "kubernetes Deployment": 4}


def test_config_maps_and_secrets(tmp_path: Path) -> None:
    secret_url = base64.b64encode(b"postgres://app:pw@pg:5432/app").decode()
    text = manifest(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data:
          CART_ADDR: "cart:7070"
          LOG_LEVEL: debug
        """,
        f"""
        apiVersion: v1
        kind: Secret
        metadata: {{name: creds}}
        data:
          url: {secret_url}
        stringData:
          cache: "redis://cache:6379"
        """,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: nginx}
        data:
          nginx.conf: |
            worker_processes 1;
            location / { proxy_pass http://search:9200; }
        """,
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec:
              volumes:
                - name: conf
                  configMap: {name: nginx}
              containers:
                - name: main
                  image: example/web
                  envFrom:
                    - configMapRef: {name: settings}
                  env:
                    - name: DATABASE_URL
                      valueFrom: {secretKeyRef: {name: creds, key: url}}
                    - name: CACHE
                      valueFrom: {secretKeyRef: {name: creds, key: cache}}
                    - name: MISSING
                      valueFrom: {configMapKeyRef: {name: absent, key: x}}
                    - name: NOKEY
                      valueFrom: {configMapKeyRef: {name: settings, key: nope}}
        """,
        *(deployment(n) for n in ("cart", "pg", "cache", "search")),
        *(service(n) for n in ("cart", "pg", "cache", "search")),
    )
    result = import_kubernetes(app(tmp_path, text))
    assert edges(result) == {("web", "cart"), ("web", "pg"), ("web", "cache"), ("web", "search")}
    evidence = {
        d.target: d.provenance[0].evidence for d in result.ecosystem.component("web").depends_on
    }
    assert evidence["cart"] == "envFrom ConfigMap settings: CART_ADDR=cart:7070"
    assert "pw" not in (evidence["pg"] or "")  # secret values are not copied
    assert evidence["search"].startswith("ConfigMap nginx (mounted) nginx.conf:")
    text_ = messages(result)
    assert any("ConfigMap absent is not in the input" in m for m in text_)
    assert any("key 'nope' of ConfigMap settings" in m for m in text_)


def test_unresolved_references_are_reported_not_invented(tmp_path: Path) -> None:
    text = manifest(
        deployment(
            "web",
            {
                "PAYMENT_ADDR": "payment:50051",
                "TRACING": "zipkin.tracing.svc.cluster.local",
                "STRIPE": "https://api.stripe.com/v1",
                "DB_NAME": "orders",
                "SERVICE_NAME": "web",
                "MODE": "worker",
            },
        ),
        deployment("orders"),
        service("orders"),
        deployment("worker"),
        service("worker"),
    )
    result = import_kubernetes(app(tmp_path, text))
    assert edges(result) == set()  # DB_NAME / MODE hold names of other things
    text_ = messages(result)
    assert any("'payment'" in m for m in text_)
    assert any("zipkin.tracing.svc.cluster.local" in m for m in text_)
    assert not any("stripe" in m for m in text_)
    assert all(p.file and p.line for p in result.problems)


def test_a_workload_named_without_a_service_is_linked_and_reported(tmp_path: Path) -> None:
    text = manifest(deployment("web", {"WORKER_ADDR": "worker:9000"}), deployment("worker"))
    result = import_kubernetes(app(tmp_path, text))
    assert edges(result) == {("web", "worker")}
    assert any("no Service in namespace default has it" in m for m in messages(result))


def test_network_policy_ingress_egress_and_selectors(tmp_path: Path) -> None:
    text = manifest(
        deployment("web", namespace="shop"),
        deployment("api", namespace="shop", labels={"app": "api", "tier": "backend"}),
        deployment("db", namespace="shop", labels={"app": "db", "tier": "data"}),
        deployment("scraper", namespace="monitoring"),
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: monitoring, labels: {team: obs}}
        """,
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api-in, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: api}}
          ingress:
            - from:
                - podSelector: {matchLabels: {app: web}}
                - namespaceSelector: {matchLabels: {team: obs}}
                  podSelector: {matchLabels: {app: scraper}}
                - ipBlock: {cidr: 10.0.0.0/8}
        """,
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api-out, namespace: shop}
        spec:
          podSelector:
            matchExpressions: [{key: tier, operator: In, values: [backend]}]
          egress:
            - to:
                - podSelector: {matchLabels: {tier: data}}
                - podSelector: {matchLabels: {app: ghost}}
            - to:
                - podSelector: {}
        """,
    )
    result = import_kubernetes(app(tmp_path, text))
    assert edges(result) == {("web", "api"), ("scraper", "api"), ("api", "db")}
    assert set(kinds(result).values()) == {"network-policy"}
    assert any("api-out: egress to app=ghost selects no pods" in m for m in messages(result))


def test_entry_points_and_products(tmp_path: Path) -> None:
    text = manifest(
        deployment("site", labels={"app": "site", "app.kubernetes.io/part-of": "store"}),
        deployment("admin", labels={"app": "admin", "app.kubernetes.io/part-of": "store"}),
        deployment("api", {"X": "site:80"}, labels={"app": "api"}),
        deployment("batch", labels={"app": "batch", "app.kubernetes.io/part-of": "store"}),
        service("site"),
        service("admin", extra="\n  type: NodePort"),
        service("api", extra="\n  type: ClusterIP"),
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          rules:
            - http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend: {service: {name: site, port: {number: 80}}}
                  - path: /gone
                    pathType: Prefix
                    backend: {service: {name: gone, port: {number: 80}}}
        """,
    )
    result = import_kubernetes(app(tmp_path, text, "mystore.yaml"))
    eco = result.ecosystem
    assert eco.component("site").layer == "ui" and eco.component("admin").layer == "ui"
    assert eco.component("batch").layer == "algorithms"
    products = {p.id: set(p.uses) for p in eco.products}
    # part-of first; else the namespace; in `default`, the input's name
    assert products == {"store": {"site", "admin"}, "mystore": {"api"}}
    assert any("routes to Service gone" in m for m in messages(result))
    assert result.skipped["kubernetes Ingress"] == 1


def test_layer_rules_see_kind_labels_and_image(tmp_path: Path) -> None:
    from layermodel.interop.layer_rules import LayerRule, LayerRules

    text = manifest(
        deployment("a", labels={"app": "a", "tier": "edge"}),
        deployment("b", kind="DaemonSet"),
        deployment("c", image="docker.io/library/postgres:16"),
    )
    rules = LayerRules(
        rules=(
            LayerRule("ui", (("metadata.labels.tier", ("edge",)),)),
            LayerRule("infrastructure", (("kind", ("daemonset",)),)),
        ),
        default="algorithms",
    )
    eco = import_kubernetes(app(tmp_path, text), rules=rules).ecosystem
    assert [(c.id, c.layer) for c in eco.components] == [
        ("a", "ui"),
        ("b", "infrastructure"),
        ("c", "infrastructure"),  # built-in default: a postgres image
    ]


def test_list_objects_pods_and_owned_objects(tmp_path: Path) -> None:
    text = """
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: debug, labels: {app: debug}}
    spec:
      containers: [{name: c, image: busybox, env: [{name: T, value: "web:80"}]}]
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata:
      name: web-5d8f
      ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: x}]
    spec: {template: {metadata: {labels: {app: web}}, spec: {containers: []}}}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec: {template: {metadata: {labels: {app: web}}, spec: {containers: []}}}
  - apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec: {selector: {app: web}}
"""
    result = import_kubernetes(app(tmp_path, text))
    assert {c.id for c in result.ecosystem.components} == {"debug", "web"}
    assert edges(result) == {("debug", "web")}
    assert result.skipped["kubernetes ReplicaSet (owned by a controller)"] == 1


def test_kustomization_resources_nested_namespace_and_remote(tmp_path: Path) -> None:
    app(tmp_path, manifest(deployment("web", {"API": "api:80"})), "base/web.yaml")
    app(tmp_path, manifest(deployment("api"), service("api")), "base/api/api.yaml")
    app(tmp_path, "resources: [api.yaml]\n", "base/api/kustomization.yaml")
    app(tmp_path, manifest(deployment("unused")), "base/unused.yaml")
    app(
        tmp_path,
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "namespace: prod\nresources:\n  - web.yaml\n  - api\n"
        "  - https://github.com/example/repo//deploy?ref=v1\n  - missing.yaml\n"
        "images: [{name: example/web, newTag: '2'}]\n"
        "configMapGenerator:\n  - name: gen\n    literals: [A=1]\n",
        "base/kustomization.yaml",
    )
    result = import_kubernetes(tmp_path / "base")
    eco = result.ecosystem
    assert {c.id for c in eco.components} == {"web", "api"}
    assert edges(result) == {("web", "api")}
    assert eco.name == "prod"  # the kustomization's namespace applies
    text_ = messages(result)
    assert any("remote resource https://github.com/example/repo" in m for m in text_)
    assert any("resource missing.yaml does not exist" in m for m in text_)
    assert any("kustomization images is not applied" in m for m in text_)
    assert result.skipped["kubernetes ConfigMap"] == 1


def test_folder_walk_lists_files_without_kubernetes_objects(tmp_path: Path) -> None:
    app(tmp_path, manifest(deployment("web")), "k8s/web.yaml")
    app(tmp_path, "services:\n  web:\n    image: nginx\n", "k8s/compose.yml")
    app(tmp_path, "{{ .Values.x }}: 1\n", "k8s/chart/templates/x.yaml")
    app(tmp_path, "name: chart\n", "k8s/chart/Chart.yaml")
    result = import_kubernetes(tmp_path / "k8s")
    assert [c.id for c in result.ecosystem.components] == ["web"]
    assert result.skipped["kubernetes file without Kubernetes objects"] == 1
    assert any(
        p.file and p.file.endswith("compose.yml") and "not a Kubernetes manifest" in p.message
        for p in result.problems
    )
    assert any("Helm chart" in m for m in messages(result))


def test_discover_accepts_a_name_and_the_result_survives_save_and_load(tmp_path: Path) -> None:
    text = manifest(deployment("web", {"API": "api:80"}), deployment("api"), service("api"))
    found = discover_kubernetes(app(tmp_path, text), name="demo")
    assert found.name == "demo" and found.source == "kubernetes"
    eco = import_kubernetes(app(tmp_path, text), name="demo").ecosystem
    again = loads(dumps(eco))
    assert again.component("web").depends_on[0].provenance[0].evidence == "env API=api:80"


# -- bad and wrong-kind input ----------------------------------------------------------


HOSTILE = [
    (
        "alias bomb",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        None,
    ),
    ("duplicate key", "apiVersion: v1\nkind: Pod\nkind: Service\nmetadata: {name: x}\n", 3),
    ("python tag", "apiVersion: v1\nkind: !!python/object:os.system x\n", 2),
    ("bad bytes", b"apiVersion: v1\nkind: Pod\nmetadata: {name: \xff\xfe}\n", None),
    ("syntax", "apiVersion: v1\nkind: [Pod\n", None),
]


@pytest.mark.parametrize(("case", "content", "line"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_input_is_an_input_error_with_file_and_line(
    tmp_path: Path, case: str, content: str | bytes, line: int | None
) -> None:
    path = tmp_path / "bad.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_kubernetes(path)
    (problem, *_) = info.value.problems
    assert problem.file is not None and problem.file.endswith("bad.yaml")
    if line is not None:
        assert problem.line == line
    else:
        assert problem.line is not None or case == "bad bytes"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("compose.yaml", "services:\n  web:\n    image: nginx\n"),
        (
            "catalog-info.yaml",
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\n",
        ),
        ("model.yaml", "name: demo\ncomponents:\n  - {id: a, layer: ui}\n"),
        ("random.yaml", "- 1\n- 2\n"),
        ("empty.yaml", ""),
        ("traces.json", '{"resourceSpans": []}'),
    ],
)
def test_a_file_of_the_wrong_kind_is_an_input_error(
    tmp_path: Path, name: str, content: str
) -> None:
    path = app(tmp_path, content, name)
    with pytest.raises(InputError) as info:
        import_kubernetes(path)
    (problem,) = info.value.problems
    assert problem.file is not None and problem.file.endswith(name)
    assert "Kubernetes" in problem.message


def test_a_folder_without_kubernetes_objects_is_an_input_error(tmp_path: Path) -> None:
    app(tmp_path, "services: {web: {image: nginx}}\n", "d/compose.yaml")
    with pytest.raises(InputError, match="no Kubernetes objects"):
        import_kubernetes(tmp_path / "d")


def test_missing_path_and_no_path(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        import_kubernetes(tmp_path / "nope.yaml")
    assert info.value.problems[0].file == str(tmp_path / "nope.yaml")
    with pytest.raises(InputError):
        import_kubernetes()


def test_wrong_shapes_are_reported_with_their_line(tmp_path: Path) -> None:
    text = manifest(
        deployment("web"),
        "just: a mapping",
        "apiVersion: v1\nkind: Service\nmetadata: []",
        "apiVersion: v1\nkind: List\nitems: [1]",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: odd}\nspec: 3",
    )
    result = import_kubernetes(app(tmp_path, text))
    assert {c.id for c in result.ecosystem.components} == {"web", "odd"}
    lines = {p.line for p in result.problems}
    assert len(result.problems) == 3 and None not in lines


def test_a_kustomization_with_bad_resources_is_an_input_error(tmp_path: Path) -> None:
    app(tmp_path, "resources: web.yaml\n", "kustomization.yaml")
    with pytest.raises(InputError) as info:
        import_kubernetes(tmp_path / "kustomization.yaml")
    assert info.value.problems[0].line == 1


def test_unreadable_file_is_a_read_error() -> None:
    with pytest.raises(ReadError) as info:
        import_kubernetes("/dev/null")
    assert info.value.problems[0].file == "/dev/null"


def test_external_name_services(tmp_path: Path) -> None:
    text = manifest(
        deployment("web", {"A": "alias:80", "B": "loop-a:80", "C": "outside:443"}),
        deployment("api"),
        service("api"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: alias}\n"
        "spec: {type: ExternalName, externalName: api.default.svc.cluster.local}",
        "apiVersion: v1\nkind: Service\nmetadata: {name: loop-a}\n"
        "spec: {type: ExternalName, externalName: loop-b.default.svc.cluster.local}",
        "apiVersion: v1\nkind: Service\nmetadata: {name: loop-b}\n"
        "spec: {type: ExternalName, externalName: loop-a.default.svc.cluster.local}",
        "apiVersion: v1\nkind: Service\nmetadata: {name: outside}\n"
        "spec: {type: ExternalName, externalName: api.example.com}",
    )
    result = import_kubernetes(app(tmp_path, text))
    assert edges(result) == {("web", "api")}
    assert not any("outside" in m for m in messages(result))
