"""Where components, dependencies and products sit in the model files, by line.

Findings name ids, never lines; these lines are worked out afterwards, for people and
for CI annotations, by reading the model files again through the one reader.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from layermodel.errors import LayermodelError
from layermodel.model import Document, read_document

__all__ = ["Place", "SourceLines", "source_lines"]


@dataclass(frozen=True)
class Place:
    """A file and a 1-based line in it."""

    file: str
    line: int


@dataclass
class SourceLines:
    """Lines of the records of one model, split across files."""

    components: dict[str, Place] = field(default_factory=dict)
    dependencies: dict[tuple[str, str], Place] = field(default_factory=dict)
    products: dict[str, Place] = field(default_factory=dict)
    checks: dict[str, Place] = field(default_factory=dict)

    def component(self, component_id: str) -> Place | None:
        """The line of a component's record."""
        return self.components.get(component_id)

    def dependency(self, source: str, target: str) -> Place | None:
        """The line of ``source``'s dependency on ``target``, else of ``source``."""
        return self.dependencies.get((source, target)) or self.components.get(source)

    def product(self, product_id: str) -> Place | None:
        """The line of a product's record."""
        return self.products.get(product_id)


def _line(document: Document, path: tuple[str | int, ...]) -> int:
    found = document.locate(path)
    return found[0] if found else document.line


def source_lines(paths: Sequence[str | os.PathLike[str]]) -> SourceLines:
    """The line of every component, dependency, product and check in the model files
    at ``paths`` (already loaded successfully, so they parse). Standard input (``-``)
    cannot be read twice and gives no lines."""
    lines = SourceLines()
    for path in paths:
        if os.fspath(path) == "-":
            continue
        try:
            document = read_document(path, what="model file")
        except LayermodelError:
            continue
        data = document.data if isinstance(document.data, dict) else {}
        name = document.file
        for i, record in enumerate(_records(data, "components")):
            ident = record.get("id")
            if not isinstance(ident, str):
                continue
            lines.components.setdefault(ident, Place(name, _line(document, ("components", i))))
            deps = record.get("depends_on")
            for j, dep in enumerate(deps if isinstance(deps, list) else []):
                target = dep.get("target") if isinstance(dep, dict) else dep
                if isinstance(target, str):
                    where = ("components", i, "depends_on", j)
                    lines.dependencies.setdefault(
                        (ident, target), Place(name, _line(document, where))
                    )
        for section, into in (("products", lines.products), ("checks", lines.checks)):
            for i, record in enumerate(_records(data, section)):
                ident = record.get("id")
                if isinstance(ident, str):
                    into.setdefault(ident, Place(name, _line(document, (section, i))))
    return lines


def _records(data: dict[str, object], section: str) -> list[dict[str, object]]:
    items = data.get(section)
    if not isinstance(items, list):
        return []
    return [item if isinstance(item, dict) else {} for item in items]
