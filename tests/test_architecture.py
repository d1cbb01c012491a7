"""Imports point one way, read from the code's own import statements.

`make lint` runs import-linter's contracts (pyproject.toml); this test checks the same
rule independently, from the source text: every ``import`` and ``from ... import``
statement in ``src/layermodel`` counts, at module level, inside functions and under
``TYPE_CHECKING`` alike. Packages are ordered, and a module may import only modules of
its own package or of packages below it; no module may reach another through a chain
that leads back to itself. The one exception is the model's facade to the diagrams
(``Ecosystem.render`` and Jupyter's display of a model).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / "layermodel"

ORDER = ["errors", "model", "graph", "analysis", "diagrams", "interop", "checks", "site", "cli"]
"""Bottom to top: each may import those before it."""

ALLOWED_UPWARD = {("layermodel.model.entities", "layermodel.diagrams.api")}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the layermodel modules it imports (an imported name that is a module
    counts as that module; otherwise the module it is taken from)."""
    out: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("layermodel"))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if not source.startswith("layermodel"):
                    continue
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    targets.add(full if full in modules else source)
        out[name] = {t for t in targets if t != name and t in modules}
    return out


def _rank(module: str) -> int | None:
    """The module's place in ORDER. The root package re-exports the model and (lazily)
    the diagrams, so it ranks with the diagrams; ``__main__`` is above everything."""
    if module == "layermodel":
        return ORDER.index("diagrams")
    parts = module.split(".")
    return ORDER.index(parts[1]) if len(parts) > 1 and parts[1] in ORDER else None


def test_every_import_points_down() -> None:
    modules = _modules()
    upward = []
    for importer, targets in _imports(modules).items():
        if importer in ("layermodel", "layermodel.__main__"):
            continue  # the facade over everything, and the entry point
        here = _rank(importer)
        assert here is not None, f"{importer} is in no package of ORDER"
        for target in targets:
            there = _rank(target)
            if there is None or (there > here and (importer, target) not in ALLOWED_UPWARD):
                upward.append((importer, target))
    assert upward == [], "imports that point up:\n" + "\n".join(f"{a} -> {b}" for a, b in upward)


def test_no_import_cycles() -> None:
    graph = _imports(_modules())
    for importer, target in ALLOWED_UPWARD:
        graph[importer].discard(target)
    # Tarjan's strongly connected components, iteratively.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))
    assert cycles == [], "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_checks_see_lazy_and_type_checking_imports(tmp_path: Path) -> None:
    """The reader of imports is not vacuous: it finds imports inside functions and
    under TYPE_CHECKING, absolute and relative."""
    graph = _imports(_modules())
    # A lazy import inside a method: the facade.
    assert "layermodel.diagrams.api" in graph["layermodel.model.entities"]
    assert graph["layermodel.model.io.model_files"] >= {
        "layermodel.model.entities",
        "layermodel.model.io.parse",
    }
