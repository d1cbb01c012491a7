"""Draw the chart of the History page: python docs/generate_history.py

Builds, in a temporary folder, a small git history of the taxi example
(examples/taxi): ``model-v1.yaml`` committed as ``taxi.yaml``, then moved one commit
at a time towards ``model-v2.yaml`` (each component of v2 put in, bottom layer first,
then the components v2 dropped taken out), with a rename of the file to
``portfolio.yaml`` on the way
and one commit that breaks the model (a mistyped layer) and is fixed by the next.
Then ``layermodel.timeline`` walks it and the chart goes to docs/images/history.svg.

The commits have fixed authors and dates, so the history (and its commit ids) is the
same every run; the CSV printed is the one the page quotes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import layermodel as lm
from layermodel.timeline import write_chart

DOCS = Path(__file__).resolve().parent
TAXI = DOCS.parent / "examples" / "taxi"
OUT = DOCS / "images" / "history.svg"


def _git(repo: Path, *args: str, week: int = 0) -> None:
    stamp = f"2026-{1 + week // 4:02d}-{1 + 7 * (week % 4):02d}T09:30:00+01:00"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(repo),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": ("Priya", "Tom")[week % 2],
        "GIT_AUTHOR_EMAIL": "architects@taxi.example",
        "GIT_COMMITTER_NAME": "Architects",
        "GIT_COMMITTER_EMAIL": "architects@taxi.example",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _document(eco: lm.Ecosystem) -> dict[str, Any]:
    return eco.model_dump(
        mode="json", exclude_defaults=True, include={"name", "layers", "components", "products"}
    )


def _valid(doc: dict[str, Any]) -> lm.Ecosystem | None:
    try:
        return lm.loads(json.dumps(doc), "json")
    except lm.ModelError:
        return None


def build(repo: Path) -> list[str]:
    """The taxi history in ``repo``; returns the model's path at the newest commit."""
    _git(repo, "init", "--quiet", "--initial-branch=main")
    v1, v2 = lm.load(TAXI / "model-v1.yaml"), lm.load(TAXI / "model-v2.yaml")
    doc = _document(v1)
    target = _document(v2)
    path = repo / "taxi.yaml"
    week = 0

    def commit(text: str, message: str) -> None:
        nonlocal week
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return  # the same in v1 and v2: nothing to commit
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        _git(repo, "add", "--all", week=week)
        _git(repo, "commit", "--quiet", "-m", message, week=week)
        week += 1

    commit(lm.dumps(v1), "taxi v1: the launch model")
    pending: list[str] = []
    steps: list[tuple[str, dict[str, Any] | None]] = [
        (f"{c['id']} as in v2", c) for c in reversed(target["components"])
    ]  # bottom up, so that what a component needs is there before it
    kept = {c["id"] for c in target["components"]}
    steps += [(f"retire {c.id}", None) for c in v1.components if c.id not in kept]
    for n, (message, record) in enumerate(steps):
        components = doc["components"]
        if record is None:
            gone = message.removeprefix("retire ")
            doc["components"] = [c for c in components if c["id"] != gone]
        else:
            at = next((i for i, c in enumerate(components) if c["id"] == record["id"]), None)
            if at is None:
                components.append(record)
            else:
                components[at] = record
        if n == len(steps) - 1:
            doc["products"] = target["products"]
        pending.append(message)
        eco = _valid(doc)
        if eco is None:
            continue  # a change that needs the next one: commit them together
        commit(lm.dumps(eco), "; ".join(pending))
        pending = []
        if n == 4:
            _git(repo, "mv", "taxi.yaml", "portfolio.yaml", week=week)
            path = repo / "portfolio.yaml"
            _git(repo, "commit", "--quiet", "-m", "rename taxi.yaml", week=week)
            week += 1
        if n == 9:
            text = lm.dumps(eco)
            commit(text.replace("layer: algorithms", "layer: algoritms", 1), "a typo")
            commit(text, "fix the typo")
    if pending:
        commit(lm.dumps(lm.loads(json.dumps(doc), "json")), "; ".join(pending))
    return [path.relative_to(repo).as_posix()]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="taxi-history-") as folder:
        repo = Path(folder)
        paths = build(repo)
        result = lm.history(paths, repo=repo)
    write_chart(result, OUT)
    sys.stdout.write(result.to_csv())
    print(f"wrote {OUT.relative_to(DOCS.parent)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
