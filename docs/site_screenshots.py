"""Take the screenshots of docs/site.md: the site of the Google example and of a
1,000-component synthetic portfolio in groups, in headless Chromium.

Run:  python docs/site_screenshots.py     (writes docs/images/site/*.png)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import generate  # noqa: E402

import layermodel as lm  # noqa: E402
from layermodel.site import build_site  # noqa: E402
from tests.browser.harness import CHROMIUM_ARGS, chromium_path  # noqa: E402

DOMAINS = ("Payments", "Search", "Maps", "Identity", "Data", "Platform", "Ads")


def grouped(n: int) -> lm.Ecosystem:
    document = generate(n, seed=3)
    for i, c in enumerate(document["components"]):
        c["group"] = f"{DOMAINS[i % len(DOMAINS)]}/Team {i % 11}"
    document["name"] = "Synthetic portfolio"
    return lm.loads(json.dumps(document), "json")


def main() -> int:
    from playwright.sync_api import sync_playwright

    out = HERE / "images" / "site"
    with tempfile.TemporaryDirectory() as tmp:
        google = build_site(lm.example(), Path(tmp) / "google").path
        large = build_site(grouped(1000), Path(tmp) / "large").path
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})

            def shot(site: Path, name: str, file: str, action: str | None = None) -> None:
                page.goto((site / name).resolve().as_uri(), wait_until="load")
                if action == "search":
                    page.fill("#search-box", "distrib")
                    page.wait_for_selector("#search-results li")
                elif action:
                    page.click(action)
                page.wait_for_timeout(300)
                page.screenshot(path=str(out / file))
                print(f"wrote {out / file}")

            shot(google, "index.html", "home.png")
            shot(google, "components/distributed-db.html", "component.png", "search")
            ids = [c.id for c in lm.example().components]
            at = ids.index("query-understanding")
            shot(google, "explore.html", "explore.png", f"button.card-c[data-i='{at}']")
            shot(large, "index.html", "large-home.png")
            shot(large, "explore.html", "large-explore.png", "details.box[open] button.card-c")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
