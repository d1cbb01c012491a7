"""Traces import: OTLP JSON traces generated here (there are no trace fixtures),
Jaeger and Zipkin dependency links, call counts, peers, and bad input."""

from __future__ import annotations

import json

import pytest

from layermodel.errors import InputError
from layermodel.interop.traces import discover_traces, import_traces
from tests.conftest import SHARED_FIXTURES
from tests.interop.otlp import CLIENT, PRODUCER, Call, Tracer, online_boutique


def edges(result) -> set[tuple[str, str]]:
    return {(c.id, d.target) for c in result.ecosystem.components for d in c.depends_on}


def by_id(result):
    return {c.id: c for c in result.ecosystem.components}


def dependency(result, source: str, target: str):
    return next(d for d in by_id(result)[source].depends_on if d.target == target)


# -- OTLP ------------------------------------------------------------------------------


def test_online_boutique_call_graph(tmp_path):
    tracer = Tracer()
    truth = online_boutique(tracer, rounds=3)
    path = tracer.write(tmp_path / "traces.jsonl")
    result = import_traces(path)
    assert edges(result) == truth
    components = by_id(result)
    assert components["frontend"].layer == "ui"  # it receives requests from outside
    assert components["redis-cart"].layer == "infrastructure"  # db.system redis
    assert components["cartservice"].layer == "algorithms"
    assert [p.uses for p in result.ecosystem.products] == [("frontend",)]
    # Call counts: each round the frontend calls GetCart twice and checkout calls
    # GetCart and EmptyCart; every cart call makes one redis call (4 a round).
    assert dependency(result, "frontend", "cartservice").provenance[0].count == 6
    assert dependency(result, "checkoutservice", "cartservice").provenance[0].count == 6
    assert dependency(result, "cartservice", "redis-cart").provenance[0].count == 12
    assert dependency(result, "checkoutservice", "paymentservice").provenance[0].count == 3
    assert result.problems == ()


def test_provenance_names_the_line_and_the_spans(tmp_path):
    tracer = Tracer()
    online_boutique(tracer, rounds=1)
    path = tracer.write(tmp_path / "traces.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    result = import_traces(path)
    pay = dependency(result, "checkoutservice", "paymentservice").provenance[0]
    assert pay.source == "traces" and pay.file == str(path)
    assert '"paymentservice"' in lines[pay.line - 1]  # the line of the server span
    assert pay.evidence == (
        "span 'hipstershop.PaymentService/Charge' (client) in checkoutservice -> "
        "span 'hipstershop.PaymentService/Charge' (server) in paymentservice"
    )
    redis_dep = dependency(result, "cartservice", "redis-cart").provenance[0]
    assert redis_dep.evidence.endswith("server.address=redis-cart")
    (cart,) = by_id(result)["cartservice"].provenance
    assert cart.evidence == "resource service.name=cartservice"
    assert '"cartservice"' in lines[cart.line - 1]


def test_one_document_gives_the_same_model(tmp_path):
    tracer = Tracer()
    truth = online_boutique(tracer, rounds=2)
    lines = tracer.write(tmp_path / "traces.jsonl").read_text(encoding="utf-8").splitlines()
    merged = {"resourceSpans": [r for line in lines for r in json.loads(line)["resourceSpans"]]}
    path = tmp_path / "traces.json"
    path.write_text(json.dumps(merged, indent=2), encoding="utf-8")
    result = import_traces(path)
    assert edges(result) == truth
    pay = dependency(result, "checkoutservice", "paymentservice").provenance[0]
    text = path.read_text(encoding="utf-8").splitlines()
    assert pay.line is not None and pay.line > 1
    assert '"traceId"' in text[pay.line - 1] or "{" in text[pay.line - 1]


def test_parents_in_another_file_are_joined(tmp_path):
    tracer = Tracer()
    truth = online_boutique(tracer, rounds=1)
    lines = tracer.lines()
    first = tmp_path / "a.jsonl"
    second = tmp_path / "b.jsonl"
    first.write_text("\n".join(lines[::2]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[1::2]) + "\n", encoding="utf-8")
    result = import_traces(first, second)
    assert edges(result) == truth
    assert result.files == (str(first), str(second))


def test_a_load_generator_makes_the_frontend_no_entry(tmp_path):
    tracer = Tracer()
    tracer.request("loadgenerator", "GET /", [Call("frontend", "GET /", [Call("ad", "GetAds")])],
                   root_kind=CLIENT)  # fmt: skip
    result = import_traces(tracer.write(tmp_path / "t.jsonl"))
    assert edges(result) == {("loadgenerator", "frontend"), ("frontend", "ad")}
    assert by_id(result)["frontend"].layer == "algorithms"


def test_messages_through_a_broker(tmp_path):
    tracer = Tracer()
    kafka = {"messaging.system": "kafka", "messaging.destination.name": "orders",
             "server.address": "kafka"}  # fmt: skip
    tracer.request("checkout", "PlaceOrder", [Call("kafka", "orders publish", peer_attrs=kafka,
                                                   kind=PRODUCER)])  # fmt: skip
    # The consumer's span has the producer's span as parent, as instrumented Kafka
    # clients write it; the consumer depends on the broker, not on the producer.
    spans = tracer.spans["checkout"]
    producer = spans[-1]
    tracer.spans["accounting"] = [
        {
            "traceId": producer["traceId"],
            "spanId": "1111111111111111",
            "parentSpanId": producer["spanId"],
            "name": "orders process",
            "kind": 5,
            "startTimeUnixNano": "1700000001000000000",
            "endTimeUnixNano": "1700000001000500000",
            "attributes": [
                {"key": "messaging.system", "value": {"stringValue": "kafka"}},
                {"key": "server.address", "value": {"stringValue": "kafka"}},
            ],
        }
    ]
    result = import_traces(tracer.write(tmp_path / "t.jsonl"))
    assert edges(result) == {("checkout", "kafka"), ("accounting", "kafka")}
    assert by_id(result)["kafka"].layer == "infrastructure"
    assert dependency(result, "checkout", "kafka").kind == "async"


def test_peers_by_peer_service_system_or_outside(tmp_path):
    tracer = Tracer()
    tracer.request("api", "GET /", [
        Call("x", "charge", peer_attrs={"peer.service": "payments", "server.address": "10.0.0.7"}),
        Call("x", "SELECT", peer_attrs={"db.system": "postgresql",
                                        "server.address": "db.example.com"}),
        Call("x", "POST", peer_attrs={"server.address": "api.stripe.com", "url.full": "https://api.stripe.com/v1"}),
        Call("x", "GET", peer_attrs={"server.address": "users.shop.svc.cluster.local"}),
    ])  # fmt: skip
    result = import_traces(tracer.write(tmp_path / "t.jsonl"))
    assert edges(result) == {("api", "payments"), ("api", "postgresql"), ("api", "users")}
    assert by_id(result)["postgresql"].layer == "infrastructure"
    assert result.skipped["traces call to api.stripe.com, outside the application"] == 1


def test_service_namespace_is_the_product(tmp_path):
    tracer = Tracer(namespace="boutique")
    online_boutique(tracer, rounds=1)
    result = import_traces(tracer.write(tmp_path / "t.jsonl"))
    assert [(p.id, p.uses) for p in result.ecosystem.products] == [("boutique", ("frontend",))]


def test_span_kinds_as_enum_names_and_orphans(tmp_path):
    line = {
        "resourceSpans": [
            {
                "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "b"}}]},
                "scopeSpans": [{"spans": [
                    {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331",
                     "parentSpanId": "00f067aa0ba902b7", "name": "x", "kind": "SPAN_KIND_SERVER"},
                ]}],
            }
        ]
    }  # fmt: skip
    path = tmp_path / "t.json"
    path.write_text(json.dumps(line), encoding="utf-8")
    result = import_traces(path)
    assert set(by_id(result)) == {"b"}
    assert result.skipped["traces span whose parent is not in the files"] == 1


# -- dependency links ------------------------------------------------------------------


def test_jaeger_dependency_links(write):
    links = [
        {"parent": "frontend", "child": "cart", "callCount": 120},
        {"parent": "cart", "child": "redis", "callCount": 480, "source": "jaeger"},
        {"parent": "frontend", "child": "frontend", "callCount": 3},
    ]
    for name, data in (("a.json", links), ("b.json", {"data": links})):
        path = write(name, json.dumps(data, indent=2))
        result = import_traces(path)
        assert edges(result) == {("frontend", "cart"), ("cart", "redis")}
        dep = dependency(result, "cart", "redis").provenance[0]
        assert dep.count == 480 and dep.evidence == "dependency link cart -> redis, 480 calls"
        assert dep.line == (7 if name == "a.json" else 8)
        assert by_id(result)["redis"].layer == "infrastructure"


def test_zipkin_dependency_links(write):
    links = [{"parent": "web", "child": "api", "callCount": 10, "errorCount": 1}]
    result = import_traces(write("deps.json", json.dumps(links)))
    assert edges(result) == {("web", "api")}
    assert dependency(result, "web", "api").provenance[0].count == 10


# -- bad input -------------------------------------------------------------------------

RESOURCE = '{"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "a"}}]}, "scopeSpans": []}]}'


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        ("empty.jsonl", "\n\n", 1, "empty"),
        ("syntax.jsonl", RESOURCE + "\n" + RESOURCE + "\n{oops\n", 3, "JSON syntax error"),
        ("dup.jsonl", RESOURCE + '\n{"resourceSpans": [], "resourceSpans": []}\n', 2, "duplicate key"),
        ("bytes.jsonl", RESOURCE.encode() + b"\n\xff\xfe\n", 2, "not valid UTF-8"),
        ("tag.json", "!!python/object/apply:os.system ['true']\n", 1, "JSON syntax error"),
        ("bomb.yaml", "a: &a [x, x]\nb: &b [*a, *a]\n", 1, "JSON syntax error"),
        ("noservice.jsonl", RESOURCE.replace("service.name", "host.name"), 1, "service.name"),
        ("links.json", '[\n{"parent": "a", "child": "b", "callCount": "many"}\n]', 2, "callCount"),
        ("nochild.json", '[{"parent": "a", "child": ""}]', 1, "'child' must name a service"),
        ("list.json", "[]", 1, "an empty list"),
        ("spans.json", '[{"traceId": "1", "id": "2"}]', 1, "Zipkin spans"),
        ("metrics.json", '{"resourceMetrics": []}', 1, "metrics"),
        ("kind.jsonl", RESOURCE.replace('"scopeSpans": []', '"scopeSpans": [{"spans": [{"traceId": "ab", "spanId": "cd", "kind": 9}]}]'), 1, "kind"),
        ("id.jsonl", RESOURCE.replace('"scopeSpans": []', '"scopeSpans": [{"spans": [{"spanId": "cd"}]}]'), 1, "traceId"),
    ],
)  # fmt: skip
def test_bad_input_is_an_input_error_with_file_and_line(write, name, text, line, words):
    path = write(name, text)
    with pytest.raises(InputError) as caught:
        discover_traces(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.line == line
    assert words.lower() in problem.message.lower()


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (SHARED_FIXTURES / "realworld" / "otel-demo" / "compose.yaml", "syntax"),
        (
            SHARED_FIXTURES / "realworld" / "structurizr-examples" / "json" / "big-bank-plc" / "workspace.json",
            "Structurizr workspace",
        ),
    ],
)  # fmt: skip
def test_other_kinds_of_file_are_refused(path, words):
    with pytest.raises(InputError) as caught:
        discover_traces(path)
    assert words in str(caught.value)
    assert caught.value.problems[0].file == str(path)
