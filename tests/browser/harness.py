"""Headless Chromium (Debian's package, driven by Playwright) and the real Mermaid
parser, for the browser tests.

Nothing here downloads a browser: Playwright is pointed at the installed chromium.
``make browser`` installs chromium with apt and Mermaid with ``npm ci``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MERMAID_JS = HERE / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def apt_usable() -> bool:
    """Whether ``make browser`` could install chromium here: apt-get as root, or with
    password-less sudo."""
    if shutil.which("apt-get") is None:
        return False
    if os.geteuid() == 0:
        return True
    if shutil.which("sudo") is None:
        return False
    return subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0


MISSING_CHROMIUM = (
    "chromium is not installed; run `make browser` (apt-get install chromium) "
    "to run the browser tests"
)
MISSING_MERMAID = (
    "the Mermaid npm package is not installed; run `make browser` "
    "(npm ci in tests/browser) to run the Mermaid parser tests"
)

# A page that loads Mermaid and exposes one batch call: parse each text and, where
# asked, render it to SVG and report the label text of every node and subgraph.
# Rendering costs about a second a diagram in headless Chromium, parsing a tenth.
MERMAID_PAGE = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><div id='out'></div></body></html>"

MERMAID_CHECK = """
async (items) => {
  mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
  const results = [];
  let n = 0;
  for (const [text, render] of items) {
    const out = {ok: false, error: null, rendered: false, nodes: {}, clusters: {}, title: null, injected: 0};
    try {
      await mermaid.parse(text);
      if (render) {
        const {svg} = await mermaid.render('lm' + (n++), text);
        const host = document.getElementById('out');
        host.innerHTML = svg;
        for (const g of host.querySelectorAll('g.node')) {
          const m = /flowchart-(.+)-\\d+$/.exec(g.id);
          if (m) out.nodes[m[1]] = g.querySelector('.nodeLabel, text')?.textContent ?? null;
        }
        for (const g of host.querySelectorAll('g.cluster')) {
          out.clusters[g.id.replace(/^lm\\d+-/, "")] = g.querySelector('.nodeLabel, text')?.textContent ?? null;
        }
        out.title = host.querySelector('.flowchartTitleText, .titleText')?.textContent ?? null;
        out.injected = host.querySelectorAll('script, img, b, i, iframe, foreignObject script').length;
        out.rendered = true;
        host.innerHTML = '';
      }
      out.ok = true;
    } catch (e) {
      out.error = String(e && e.message ? e.message : e);
    }
    results.push(out);
  }
  return results;
}
"""


def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright, for a fixture to yield from: fails when it
    could be installed with apt and is not, skips when it cannot be."""
    import pytest

    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[dev]')"
    )
    path = chromium_path()
    if path is None:
        if apt_usable():
            pytest.fail(MISSING_CHROMIUM)
        pytest.skip(MISSING_CHROMIUM + " (apt-get is not usable here)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
