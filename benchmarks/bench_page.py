"""Benchmark the interactive HTML page (``render --format html``) at 10,000 components.

Run:  python benchmarks/bench_page.py [--size 10000] [--out FILE]

It renders the ecosystem view of the seeded synthetic model the site benchmark uses
(benchmarks/synthetic.py, every component in a nested group) to one HTML file, then
opens it from ``file://`` in headless Chromium (Debian's package, through Playwright)
and measures:

- **write**: ``lm.render(eco, "ecosystem").html``, the scene, the layout and the page;
- **first paint**: ``performance.getEntriesByType('paint')``, median of 3 loads, and
  the time until the script has run (``body[data-ready]``);
- **highlight**: the time from a click on the drawn card with the most dependents to
  the end of the next frame (a ``requestAnimationFrame`` callback, then a task after
  it), its neighbourhood highlighted where it can be seen, and the script's own part
  (medians of 5); and the time until every card has its state (``body[data-settled]``).

The click is measured twice: as the page opens (group boxes collapsed but for about
1,000 cards) and with every box opened, all 10,000 cards on the page.

Targets (issue 14): first paint <= 2 s, highlight <= 100 ms in both states.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_site import PAINT, model  # noqa: E402

import layermodel as lm  # noqa: E402

OPEN_ALL = """() => {
  let boxes;
  while ((boxes = document.querySelectorAll('.group.collapsed > .group-toggle')).length) {
    boxes[0].click();
  }
}"""

CLICK = """
async () => {
  const data = JSON.parse(document.getElementById('scene-data').textContent);
  const dependents = Object.create(null);
  data.edges.forEach(e => { dependents[e[1]] = (dependents[e[1]] || 0) + 1; });
  const drawn = [...document.querySelectorAll('.card[data-id]')]
    .filter(c => c.getClientRects().length);
  drawn.sort((a, b) => (dependents[b.dataset.id] || 0) - (dependents[a.dataset.id] || 0));
  const card = drawn[0];
  card.scrollIntoView({block: 'center'});
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const settled = () => new Promise(r => {
    const t = () => document.body.dataset.settled === 'true' ? r() : setTimeout(t, 5);
    t();
  });
  const times = [], script = [], settle = [];
  let lit = 0, litSeen = 0, edges = 0;
  for (let k = 0; k < 5; k++) {
    await new Promise(r => setTimeout(r, 250));
    const start = performance.now();
    card.click();
    script.push(performance.now() - start);
    await frame();
    times.push(performance.now() - start);
    await settled();
    settle.push(performance.now() - start);
    const on = [...document.querySelectorAll('.card.upstream, .card.downstream')];
    lit = on.length;
    litSeen = on.filter(c => {
      const r = c.getBoundingClientRect();
      return r.width && r.bottom > 0 && r.top < innerHeight;
    }).length;
    edges = document.querySelectorAll('#edge-layer path').length;
    card.click();  // clear
    await frame();
    await settled();
  }
  return {times, script, settle, lit, litSeen, edges, drawn: drawn.length,
          dependents: dependents[card.dataset.id] || 0};
}
"""


def browser(page_file: Path) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    if path is None:
        return {"skipped": "chromium is not installed"}
    row: dict[str, object] = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        paints, ready = [], []
        errors: list[str] = []
        for _ in range(3):
            page = b.new_page(viewport={"width": 1500, "height": 950})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            start = time.perf_counter()
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            page.wait_for_selector("body[data-ready=true]", timeout=120_000)
            ready.append(time.perf_counter() - start)
            paints.append(dict(page.evaluate(PAINT)).get("first-contentful-paint", float("nan")))
            page.close()
        row["first_paint_ms"] = statistics.median(paints)
        row["script_ready_s"] = statistics.median(ready)
        page = b.new_page(viewport={"width": 1500, "height": 950})
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        page.wait_for_selector("body[data-ready=true]", timeout=120_000)
        for label in ("as_opened", "all_open"):
            if label == "all_open":
                start = time.perf_counter()
                page.evaluate(OPEN_ALL)
                row["open_all_boxes_s"] = time.perf_counter() - start
            c = page.evaluate(CLICK)
            row[f"{label}_cards_drawn"] = c["drawn"]
            row[f"{label}_click_dependents"] = c["dependents"]
            row[f"{label}_highlight_ms"] = statistics.median(c["times"])
            row[f"{label}_highlight_script_ms"] = statistics.median(c["script"])
            row[f"{label}_all_cards_settled_ms"] = statistics.median(c["settle"])
            row[f"{label}_cards_highlighted"] = c["lit"]
            row[f"{label}_highlighted_in_view"] = c["litSeen"]
            row[f"{label}_edges_drawn"] = c["edges"]
        row["console_errors"] = len(errors)
        b.close()
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=None, help="keep the page here")
    args = parser.parse_args()
    eco = model(args.size)
    with tempfile.TemporaryDirectory(prefix="bench-page-") as work:
        out = args.out or Path(work) / "ecosystem.html"
        start = time.perf_counter()
        html = lm.render(eco, "ecosystem").html
        wall = time.perf_counter() - start
        out.write_text(html, encoding="utf-8")
        row: dict[str, object] = {
            "components": args.size,
            "dependencies": sum(len(c.depends_on) for c in eco.components),
            "write_s": wall,
            "page_mb": len(html.encode("utf-8")) / 1e6,
        }
        row.update(browser(out))
    for key, value in row.items():
        print(f"{key:>36}: {value:,.3f}" if isinstance(value, float) else f"{key:>36}: {value}")
    ok = (
        float(row.get("first_paint_ms", 0)) <= 2000  # type: ignore[arg-type]
        and float(row.get("as_opened_highlight_ms", 0)) <= 100  # type: ignore[arg-type]
        and float(row.get("all_open_highlight_ms", 0)) <= 100  # type: ignore[arg-type]
        and row.get("console_errors", 0) == 0
    )
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
