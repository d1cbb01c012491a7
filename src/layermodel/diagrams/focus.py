"""Focus views: one component's neighbourhood, both ways along its dependencies."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = ["neighbourhood"]


def neighbourhood(ecosystem: Ecosystem, component: str, depth: int = 1) -> set[str]:
    """The components within ``depth`` hops of ``component``, following dependencies
    in either direction (what it depends on, what depends on it, and so on), the
    component itself included. ``depth=0`` is the component alone.

    This is the node set of ``networkx.ego_graph(dependency_graph(ecosystem),
    component, radius=depth, undirected=True)``.

    Complexity: O(nodes + edges) of the neighbourhood found, one breadth-first search.
    """
    seen = {component}
    frontier = [component]
    for _ in range(depth):
        following: list[str] = []
        for cid in frontier:
            ahead = [d.target for d in ecosystem.component(cid).depends_on]
            for other in (*ahead, *ecosystem.dependents(cid)):
                if other not in seen:
                    seen.add(other)
                    following.append(other)
        if not following:
            break
        frontier = following
    return seen
