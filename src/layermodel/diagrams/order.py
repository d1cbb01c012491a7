"""The left-to-right order of the components in each band, and the row each goes to
in a wrapped band: both chosen so that a small edit to a model moves little.

The scene (and so the HTML page and Mermaid) and the layout (SVG, PNG, PDF) use the
same order, so a component sits at the same place among its neighbours in every
format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

__all__ = ["jump_row", "order_ranks", "stable_key"]


def stable_key(ident: str) -> int:
    """A 64-bit number from an id alone, the same in every process."""
    return int.from_bytes(hashlib.blake2b(ident.encode("utf-8"), digest_size=8).digest(), "big")


def jump_row(ident: str, rows: int) -> int:
    """The row, of ``rows``, that the node ``ident`` goes to in a wrapped band: jump
    consistent hashing (Lamping and Veach 2014), so the row depends on the node's id
    and the number of rows only, and when a band gains a row only the nodes that move
    to the new row change."""
    key, chosen, jump = stable_key(ident), -1, 0
    while jump < rows:
        chosen = jump
        key = (key * 2862933555777941757 + 1) & 0xFFFFFFFFFFFFFFFF
        jump = int((chosen + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return chosen


def order_ranks(
    ranks: list[list[str]],
    neighbours: Mapping[str, list[str]],
    rank_of: dict[str, int],
    tie: Mapping[str, int],
) -> None:
    """Order each rank in place, by a key that depends on the node's own
    neighbourhood, not on where everything else ended up, so that a small edit moves
    few nodes relative to each other.

    The top rank (the products, or the first band) keeps its given order, and a node
    there is keyed by its position. Going down, a node's key is the mean key of its
    neighbours in the ranks above (the barycentre of Sugiyama, Tagawa and Toda 1981,
    over absolute keys rather than positions, so adding a node changes only the keys
    below it that it touches). A node with nothing keyed above takes the mean of its
    neighbours below, and a node with neither a key from its id. Ties keep the given
    order of ``tie`` (model order), which an edit elsewhere does not change. Linear
    in nodes plus edges, plus the sorts.
    """
    if not ranks:
        return
    key: dict[str, float] = {}
    top = ranks[0]
    for i, v in enumerate(top):
        key[v] = i + 0.5
    width = max(1.0, float(len(top)))
    for r in range(1, len(ranks)):
        for v in ranks[r]:
            above = [key[u] for u in neighbours.get(v, ()) if rank_of[u] < r and u in key]
            if above:
                above.sort()
                mid = len(above) // 2
                key[v] = above[mid] if len(above) % 2 else (above[mid - 1] + above[mid]) / 2
    for r in range(len(ranks) - 1, 0, -1):
        for v in ranks[r]:
            if v not in key:
                below = [key[u] for u in neighbours.get(v, ()) if rank_of[u] > r and u in key]
                key[v] = (
                    sum(below) / len(below) if below else width * (stable_key(v) % 10_000) / 10_000
                )
    for r in range(1, len(ranks)):
        ranks[r].sort(key=lambda v: (key[v], tie.get(v, 0)))
