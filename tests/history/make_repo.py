"""Build a git repository in which a model evolves, for the history tests.

The taxi example (v1) is committed as ``model.yaml`` and then changed commit by
commit: components added and used by products, a commit that touches only a README,
a rename to ``portfolio.yaml``, a layering violation, check rules, an invalid version
(a component in a layer that does not exist) and its fix, a split into ``core.yaml``
and ``products.yaml``, changes to both halves, and a commit that brings a file back to
an earlier content. Every step is recorded with the files the model is made of just
after it, so that a test can check each version out and analyse it independently.

Run it to build a repository to look at::

    python tests/history/make_repo.py /tmp/taxi-history
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import layermodel as lm

ROOT = Path(__file__).resolve().parents[2]
TAXI = ROOT / "examples" / "taxi" / "model-v1.yaml"


@dataclass(frozen=True)
class Step:
    """One commit of the built history."""

    sha: str
    subject: str
    files: tuple[str, ...]
    """The model files just after the commit, in the order they are merged."""
    changed_model: bool
    """Whether the commit changed any model file (a history row is expected)."""
    valid: bool


def git_env(day: int) -> dict[str, str]:
    """A clean environment for git: fixed identity and dates, no user config."""
    stamp = f"2026-01-{1 + day % 28:02d}T{10 + day // 28:02d}:00:00+00:00"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Ada Planner" if day % 3 else "=Bob Formula",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_COMMITTER_NAME": "Ada Planner",
        "GIT_COMMITTER_EMAIL": "ada@example.org",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }


def _git(repo: Path, *args: str, day: int = 0) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, env=git_env(day), check=True, capture_output=True, text=True
    ).stdout.strip()


def _yaml(doc: dict[str, Any]) -> str:
    """A document (a whole model, part of one, or an invalid one) as YAML."""
    return yaml.safe_dump(doc, sort_keys=False, width=100)


def build(repo: Path) -> list[Step]:
    """Create the repository at ``repo`` and return its commits, oldest first."""
    repo.mkdir(parents=True, exist_ok=True)
    _git(repo, "init", "--quiet", "--initial-branch=main")
    doc: dict[str, Any] = lm.load(TAXI).model_dump(mode="json", exclude_defaults=True)
    doc = {k: v for k, v in doc.items() if k in ("name", "layers", "components", "products")}
    steps: list[Step] = []
    day = 0
    files: tuple[str, ...] = ()

    def commit(subject: str, *, changed: bool = True, valid: bool = True) -> None:
        nonlocal day
        _git(repo, "add", "--all", day=day)
        _git(repo, "commit", "--quiet", "-m", subject, day=day)
        sha = _git(repo, "rev-parse", "HEAD")
        steps.append(Step(sha, subject, files, changed, valid))
        day += 1

    def write(name: str, text: str) -> None:
        (repo / name).write_text(text, encoding="utf-8")

    files = ("model.yaml",)
    write("model.yaml", _yaml(doc))
    commit("taxi v1")

    products = [p["id"] for p in doc["products"]]
    for i in range(7):
        new = f"shared-service-{i}"
        doc["components"].append(
            {"id": new, "name": f"Shared service {i}", "layer": "infrastructure"}
        )
        # Used by one product, then by another: reuse moves.
        for p in doc["products"]:
            if p["id"] in (products[i % len(products)], products[(i + i // 2) % len(products)]):
                p["uses"] = [*p.get("uses", []), new]
        write("model.yaml", _yaml(doc))
        commit(f"add {new}")

    write("README.md", "# The taxi portfolio\n")
    commit("readme", changed=False)

    _git(repo, "mv", "model.yaml", "portfolio.yaml")
    files = ("portfolio.yaml",)
    commit("rename model.yaml to portfolio.yaml")

    infra = next(c for c in doc["components"] if c["layer"] == "infrastructure")
    ui = next(c for c in doc["components"] if c["layer"] == "ui")
    infra["depends_on"] = [*infra.get("depends_on", []), ui["id"]]  # upward: a violation
    write("portfolio.yaml", _yaml(doc))
    commit("an infrastructure component calls the UI")

    doc["checks"] = [{"id": "layering", "rule": "layering"}, {"id": "cycles", "rule": "cycles"}]
    write("portfolio.yaml", _yaml(doc))
    commit("check rules")

    good = copy.deepcopy(doc)
    broken = copy.deepcopy(doc)
    broken["components"].append({"id": "misfiled", "layer": "middleware"})
    write("portfolio.yaml", _yaml(broken))
    commit("a component in a layer that does not exist", valid=False)

    write("portfolio.yaml", _yaml(good))
    commit("fix the layer")

    for i in range(3):
        doc["components"].append({"id": f"edge-cache-{i}", "layer": "hardware"})
        write("portfolio.yaml", _yaml(doc))
        commit(f"add edge-cache-{i}")

    # The split: the products move to a file of their own; the rest is renamed.
    core = {k: v for k, v in doc.items() if k != "products"}
    _git(repo, "mv", "portfolio.yaml", "core.yaml")
    write("core.yaml", _yaml(core))
    write("products.yaml", _yaml({"products": doc["products"]}))
    files = ("core.yaml", "products.yaml")
    commit("split the products into products.yaml")

    for i in range(4):
        core["components"].append({"id": f"ml-model-{i}", "layer": "algorithms"})
        write("core.yaml", _yaml(core))
        commit(f"add ml-model-{i}")
        doc["products"][i % len(doc["products"])]["uses"].append(f"ml-model-{i}")
        write("products.yaml", _yaml({"products": doc["products"]}))
        commit(f"use ml-model-{i}")

    before = (repo / "products.yaml").read_text(encoding="utf-8")
    doc["products"][0]["weight"] = 5
    write("products.yaml", _yaml({"products": doc["products"]}))
    commit("weigh the first product")
    write("products.yaml", before)  # back to a blob seen before
    commit("revert the weight")
    return steps


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_repo.py DIR", file=sys.stderr)
        return 2
    for step in build(Path(argv[0])):
        print(step.sha[:7], "row" if step.changed_model else "   ", step.subject)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
