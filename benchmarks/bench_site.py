"""Benchmark the portfolio site at 10,000 components.

Run:  python benchmarks/bench_site.py [--size 10000] [--out DIR]

It builds a seeded synthetic model (benchmarks/synthetic.py) with every component in a
nested group, then measures:

- **build**: ``build_site`` (the analyses, the check rules, every page), wall clock
  and CPU, against two floors measured in the same run: ``analyze`` of the same model
  (the figures every page shows) and writing the same files' bytes without making
  them (the disk);
- **first paint**: the home page from ``file://`` in headless Chromium (Debian's
  package, through Playwright), ``performance.getEntriesByType('paint')``;
- **highlight**: on Explore, the time from a click on the drawn component with the
  most dependents to the next frame, its neighbourhood highlighted, and the script's
  own part of it (medians of 5).

Targets (issue 14): build <= 60 s, first paint <= 2 s, highlight <= 100 ms.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from synthetic import generate  # noqa: E402

import layermodel as lm  # noqa: E402
from layermodel.analysis import analyze  # noqa: E402
from layermodel.site import build_site  # noqa: E402

DOMAINS = ("Payments", "Search", "Maps", "Identity", "Data", "Platform", "Ads")

PAINT = """
() => new Promise(resolve => new PerformanceObserver(list => {
  resolve(list.getEntries().map(e => [e.name, e.startTime]));
}).observe({type: 'paint', buffered: true}))
"""

CLICK = """
async () => {
  const data = window.LAYERMODEL_EXPLORE;
  const dependents = new Array(data.ids.length).fill(0);
  data.succ.forEach(s => s.forEach(t => { dependents[t] += 1; }));
  const cards = Array.from(document.querySelectorAll('button.card-c'));
  cards.sort((a, b) => dependents[+b.dataset.i] - dependents[+a.dataset.i]);
  const card = cards[0];
  const times = [];
  const script = [];
  let lit = 0;
  for (let k = 0; k < 5; k++) {
    await new Promise(r => setTimeout(r, 200));
    const start = performance.now();
    card.click();
    script.push(performance.now() - start);
    await new Promise(r => requestAnimationFrame(() => r()));
    times.push(performance.now() - start);
    lit = document.querySelectorAll('button.card-c.up, button.card-c.down').length;
    card.click();  // clear
    await new Promise(r => requestAnimationFrame(() => r()));
  }
  return {times, script, dependents: dependents[+card.dataset.i], cards: cards.length, lit};
}
"""


def model(n: int) -> lm.Ecosystem:
    document = generate(n, seed=0)
    for i, c in enumerate(document["components"]):
        group = f"{DOMAINS[i % len(DOMAINS)]}/Team {i % 11}"
        if i % 9 == 0:
            group += "/Core"
        c["group"] = group
    return lm.loads(json.dumps(document), "json")


def disk_floor(site: Path, scratch: Path) -> float:
    """Seconds to write every file of ``site`` again, bytes already in memory."""
    files = [(p.relative_to(site), p.read_bytes()) for p in site.rglob("*") if p.is_file()]
    folders = {rel.parent for rel, _ in files}
    start = time.perf_counter()
    for folder in sorted(folders):
        (scratch / folder).mkdir(parents=True, exist_ok=True)
    for rel, data in files:
        (scratch / rel).write_bytes(data)
    return time.perf_counter() - start


def browser(site: Path) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    if path is None:
        return {"skipped": "chromium is not installed"}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        paints = []
        for _ in range(3):
            page = b.new_page()
            page.goto((site / "index.html").resolve().as_uri(), wait_until="load")
            entries = page.evaluate(PAINT)
            paints.append(dict(entries).get("first-contentful-paint", float("nan")))
            page.close()
        page = b.new_page()
        start = time.perf_counter()
        page.goto((site / "explore.html").resolve().as_uri(), wait_until="load")
        page.wait_for_selector("button.card-c")
        explore_ready = time.perf_counter() - start
        clicked = page.evaluate(CLICK)
        b.close()
    return {
        "home_first_paint_ms": statistics.median(paints),
        "explore_ready_s": explore_ready,
        "highlight_ms": statistics.median(clicked["times"]),
        "highlight_script_ms": statistics.median(clicked["script"]),
        "highlight_component_dependents": clicked["dependents"],
        "highlighted_cards": clicked["lit"],
        "cards_drawn": clicked["cards"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=None, help="keep the site here")
    args = parser.parse_args()
    eco = model(args.size)
    work = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        start = time.perf_counter()
        analyze(model(args.size), gateways=True)
        analysis_floor = time.perf_counter() - start
        site = args.out or work / "site"
        wall, cpu = time.perf_counter(), time.process_time()
        result = build_site(eco, site)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        disk = disk_floor(site, work / "again")
        row: dict[str, object] = {
            "components": args.size,
            "products": len(eco.products),
            "pages": result.pages,
            "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6,
            "build_s": wall,
            "build_cpu_s": cpu,
            "analysis_floor_s": analysis_floor,
            "disk_floor_s": disk,
            "build_over_floors": wall / (analysis_floor + disk),
        }
        row.update(browser(site))
        for key, value in row.items():
            print(f"{key:>32}: {value:,.3f}" if isinstance(value, float) else f"{key:>32}: {value}")
        ok = (
            wall <= 60
            and float(row.get("home_first_paint_ms", 0)) <= 2000  # type: ignore[arg-type]
            and float(row.get("highlight_ms", 0)) <= 100  # type: ignore[arg-type]
        )
        print("targets met" if ok else "TARGETS MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
