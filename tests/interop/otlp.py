"""Realistic OTLP JSON traces for the tests, written as the collector's file
exporter writes them: JSON Lines, one ``{"resourceSpans": [...]}`` object per
line, each holding one service's spans.

The encoding follows OTLP/JSON: ids are lower-case hex (16 bytes for a trace, 8 for
a span), ``kind`` is the enum's integer (SERVER 2, CLIENT 3, PRODUCER 4, CONSUMER
5), 64-bit integers (``startTimeUnixNano``, ``intValue``) are decimal strings,
and attributes are ``[{"key": ..., "value": {"stringValue": ...}}]`` lists.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SERVER, CLIENT, PRODUCER, CONSUMER, INTERNAL = 2, 3, 4, 5, 1


def value(v: Any) -> dict[str, Any]:
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int):
        return {"intValue": str(v)}
    if isinstance(v, float):
        return {"doubleValue": v}
    return {"stringValue": str(v)}


def attributes(values: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": k, "value": value(v)} for k, v in values.items()]


@dataclass
class Call:
    """A call from one service to another (or to an uninstrumented peer when
    ``peer_attrs`` is set: then no server span is written)."""

    target: str
    name: str
    calls: list[Call] = field(default_factory=list)
    peer_attrs: dict[str, Any] | None = None
    kind: int = CLIENT


class Tracer:
    def __init__(self, seed: int = 7, namespace: str | None = None) -> None:
        self.rng = random.Random(seed)
        self.spans: dict[str, list[dict[str, Any]]] = {}
        self.clock = 1_700_000_000_000_000_000
        self.namespace = namespace

    def _id(self, size: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(size * 2))

    def _span(
        self, service: str, trace: str, parent: str, name: str, kind: int, attrs: dict[str, Any]
    ) -> str:
        span_id = self._id(8)
        self.clock += 1_000_000
        span = {
            "traceId": trace,
            "spanId": span_id,
            "parentSpanId": parent,
            "flags": 257,
            "name": name,
            "kind": kind,
            "startTimeUnixNano": str(self.clock),
            "endTimeUnixNano": str(self.clock + 500_000),
            "attributes": attributes(attrs),
            "status": {},
        }
        if not parent:
            del span["parentSpanId"]
        self.spans.setdefault(service, []).append(span)
        return span_id

    def request(
        self, service: str, name: str, calls: Iterable[Call], *, root_kind: int = SERVER
    ) -> None:
        """One trace: an outside request to ``service`` and the calls it makes."""
        trace = self._id(16)
        root = self._span(service, trace, "", name, root_kind, {"http.request.method": "GET"})
        self._calls(service, trace, root, calls)

    def _calls(self, service: str, trace: str, parent: str, calls: Iterable[Call]) -> None:
        for call in calls:
            if call.peer_attrs is not None:
                self._span(service, trace, parent, call.name, call.kind, call.peer_attrs)
                continue
            client = self._span(
                service,
                trace,
                parent,
                call.name,
                call.kind,
                {"rpc.system": "grpc", "server.address": call.target},
            )
            server_kind = CONSUMER if call.kind == PRODUCER else SERVER
            server = self._span(
                call.target, trace, client, call.name, server_kind, {"rpc.system": "grpc"}
            )
            self._calls(call.target, trace, server, call.calls)

    def lines(self) -> list[str]:
        out = []
        for service, spans in self.spans.items():
            resource = {"service.name": service}
            if self.namespace:
                resource["service.namespace"] = self.namespace
            out.append(
                json.dumps(
                    {
                        "resourceSpans": [
                            {
                                "resource": {"attributes": attributes(resource)},
                                "scopeSpans": [
                                    {
                                        "scope": {
                                            "name": "opentelemetry.instrumentation.grpc",
                                            "version": "0.48b0",
                                        },
                                        "spans": spans,
                                    }
                                ],
                                "schemaUrl": "https://opentelemetry.io/schemas/1.24.0",
                            }
                        ]
                    },
                    separators=(",", ":"),
                )
            )
        return out

    def write(self, path: Path) -> Path:
        path.write_text("\n".join(self.lines()) + "\n", encoding="utf-8")
        return path


def redis(op: str = "HGET") -> Call:
    return Call(
        "redis-cart",
        op,
        peer_attrs={
            "db.system": "redis",
            "server.address": "redis-cart",
            "server.port": 6379,
            "db.operation.name": op,
        },
    )


def online_boutique(tracer: Tracer, rounds: int = 3) -> set[tuple[str, str]]:
    """Online Boutique's call graph (frontend -> cart, checkout -> payment, ...),
    ``rounds`` times over; returns the edges the traces show."""
    cart = lambda op: Call("cartservice", f"hipstershop.CartService/{op}", [redis()])  # noqa: E731
    currency = Call("currencyservice", "hipstershop.CurrencyService/Convert")
    catalog = Call("productcatalogservice", "hipstershop.ProductCatalogService/GetProduct")
    for _ in range(rounds):
        tracer.request(
            "frontend",
            "GET /",
            [
                Call("currencyservice", "hipstershop.CurrencyService/GetSupportedCurrencies"),
                Call("productcatalogservice", "hipstershop.ProductCatalogService/ListProducts"),
                cart("GetCart"),
                Call("adservice", "hipstershop.AdService/GetAds"),
            ],
        )
        tracer.request(
            "frontend",
            "GET /product/{id}",
            [
                catalog,
                currency,
                cart("GetCart"),
                Call(
                    "recommendationservice",
                    "hipstershop.RecommendationService/ListRecommendations",
                    [
                        Call(
                            "productcatalogservice",
                            "hipstershop.ProductCatalogService/ListProducts",
                        )
                    ],
                ),
            ],
        )
        tracer.request(
            "frontend",
            "POST /cart/checkout",
            [
                Call(
                    "checkoutservice",
                    "hipstershop.CheckoutService/PlaceOrder",
                    [
                        cart("GetCart"),
                        catalog,
                        currency,
                        Call("shippingservice", "hipstershop.ShippingService/GetQuote"),
                        Call("paymentservice", "hipstershop.PaymentService/Charge"),
                        Call("shippingservice", "hipstershop.ShippingService/ShipOrder"),
                        cart("EmptyCart"),
                        Call("emailservice", "hipstershop.EmailService/SendOrderConfirmation"),
                    ],
                ),
            ],
        )
    return {
        ("frontend", "currencyservice"),
        ("frontend", "productcatalogservice"),
        ("frontend", "cartservice"),
        ("frontend", "adservice"),
        ("frontend", "recommendationservice"),
        ("frontend", "checkoutservice"),
        ("recommendationservice", "productcatalogservice"),
        ("checkoutservice", "cartservice"),
        ("checkoutservice", "productcatalogservice"),
        ("checkoutservice", "currencyservice"),
        ("checkoutservice", "shippingservice"),
        ("checkoutservice", "paymentservice"),
        ("checkoutservice", "emailservice"),
        ("cartservice", "redis-cart"),
    }
