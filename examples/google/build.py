"""The Google example built with the Python API: one line per component.

Run it to print the summary:  python examples/google/build.py
"""

from __future__ import annotations

import layermodel as lm
from layermodel import dep


def build() -> lm.Ecosystem:
    """Google Search, Docs and Maps on one shared infrastructure."""
    b = lm.Builder(
        "Google", description="Three products on one shared infrastructure and hardware platform."
    )
    hw = {"layer": "hardware", "evolution": "commodity"}
    dc = b.component("data-centres", "Data centres", **hw, owner="datacenter-ops", availability=0.99999, cost=500000)  # fmt: skip
    vms = b.component("vms", "Virtual machines", **hw, owner="compute", availability=0.9995, cost=200000, depends_on=[dep(dc, kind="runs-in")])  # fmt: skip

    with b.layer("infrastructure"):
        runs_on_vms = [dep(vms, kind="runs-on")]
        mapreduce = b.component("mapreduce", "Map-reduce runners", owner="data-infra", sourcing="build", evolution="product", availability=0.999, cost=80000, depends_on=runs_on_vms)  # fmt: skip
        gateway = b.component("api-gateway", "API gateways", owner="platform", evolution="product", availability=0.9999, cost=40000, depends_on=runs_on_vms)  # fmt: skip
        db = b.component("distributed-db", "Distributed databases", owner="storage", evolution="product", availability=0.9999, cost=150000, tags=["storage"], depends_on=runs_on_vms)  # fmt: skip
        ml = b.component("ml-pipeline", "ML pipelines", owner="ml-infra", evolution="custom", cost=120000, depends_on=[mapreduce, db])  # fmt: skip
        data = b.component("data-pipeline", "Data-processing pipelines", owner="data-infra", evolution="product", cost=60000, depends_on=[mapreduce, db])  # fmt: skip

    with b.layer("algorithms"):
        understanding = b.component("query-understanding", "Query meaning recognition", owner="search-quality", evolution="custom", depends_on=[ml, db])  # fmt: skip
        crawling = b.component("crawling", "Crawling", owner="search-indexing", evolution="product", depends_on=[data, db])  # fmt: skip
        ranking = b.component("ranking", "Ranking", owner="search-quality", evolution="custom", cost=90000, depends_on=[ml, db, dep(crawling, kind="reads-index", required=False, description="Ranking serves from the last index when crawling stops")])  # fmt: skip
        collaboration = b.component("collaboration", "Real-time collaboration", owner="docs-engineering", evolution="custom", depends_on=[db])  # fmt: skip
        spelling = b.component("spell-check", "Spell check", owner="docs-engineering", evolution="product", depends_on=[dep(mapreduce, kind="trained-by", required=False)])  # fmt: skip
        routing = b.component("routing", "Routing", owner="maps-engineering", evolution="custom", depends_on=[db])  # fmt: skip
        geocoding = b.component("geocoding", "Geocoding", owner="maps-engineering", evolution="product", depends_on=[db, dep(mapreduce, kind="batch-build", required=False)])  # fmt: skip
        tiles = b.component("tile-rendering", "Map tile rendering", owner="maps-engineering", evolution="product", depends_on=[mapreduce, db])  # fmt: skip

    with b.layer("ui"):
        box = b.component("search-box", "Search box", owner="search-frontend", depends_on=[understanding, gateway])  # fmt: skip
        logo = b.component("logo", "Logo", owner="search-frontend", evolution="commodity", depends_on=[gateway])  # fmt: skip
        results = b.component("results-page", "Results page", owner="search-frontend", depends_on=[ranking, gateway])  # fmt: skip
        editor = b.component("docs-editor", "Document editor", owner="docs-frontend", depends_on=[collaboration, spelling, gateway])  # fmt: skip
        map_view = b.component("map-view", "Map view", owner="maps-frontend", depends_on=[tiles, routing, geocoding, gateway])  # fmt: skip

    b.product("search", "Google Search", description="Web search.", uses=[box, logo, results, crawling], weight=10)  # fmt: skip
    b.product("docs", "Google Docs", description="Collaborative documents.", uses=[editor], weight=3)  # fmt: skip
    b.product("maps", "Google Maps", description="Maps, places and directions.", uses=[map_view], weight=5)  # fmt: skip
    return b.build()


if __name__ == "__main__":
    from layermodel.analysis.overview import summarize

    print(summarize(build()).to_text(), end="")
