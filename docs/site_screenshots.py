"""Take the screenshots of docs/site.md: the site of the Google example and of a
1,000-component synthetic portfolio in groups, in headless Chromium; and the one of
docs/large-portfolios.md: the interactive HTML page of 10,000 components in groups.

Run:  python docs/site_screenshots.py     (writes docs/images/site/*.png, docs/images/html-10k.png)
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


# On the 10,000-component page: select the first drawn algorithms card with a handful
# of direct users and dependencies, the collapsed boxes around it counting what they
# hide.
SELECT_ONE = """() => {
  const data = JSON.parse(document.getElementById('scene-data').textContent);
  const users = Object.create(null), deps = Object.create(null);
  data.edges.forEach(e => {
    users[e[1]] = (users[e[1]] || 0) + 1; deps[e[0]] = (deps[e[0]] || 0) + 1;
  });
  const card = [...document.querySelectorAll('.band[data-band=algorithms] .card[data-id]')]
    .filter(c => c.getClientRects().length)
    .find(c => (users[c.dataset.id] || 0) >= 4 && (users[c.dataset.id] || 0) <= 12 &&
               (deps[c.dataset.id] || 0) >= 3);
  card.click();
  const badge = document.querySelector('.group.collapsed > .group-hits:not([hidden])');
  (badge || card).scrollIntoView({block: 'center'});
}"""


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
            page_file = Path(tmp) / "ecosystem-10k.html"
            page_file.write_text(lm.render(grouped(10_000), "ecosystem").html, encoding="utf-8")
            page.goto(page_file.as_uri(), wait_until="load")
            page.wait_for_selector("body[data-ready=true]")
            page.evaluate(SELECT_ONE)
            page.wait_for_selector("body[data-settled=true]")
            page.wait_for_timeout(300)
            page.screenshot(path=str(HERE / "images" / "html-10k.png"))
            print(f"wrote {HERE / 'images' / 'html-10k.png'}")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
