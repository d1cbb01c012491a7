"""Product bitsets: for each component, the set of products that reach it, as a
Python int whose bit i is ``ecosystem.products[i]``.

The bitsets are propagated in one pass over the condensation in topological order:
every super-node passes its bits on to the super-nodes it depends on. There is no
per-product search: the cost is O((components + dependencies) * products / wordsize).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from layermodel.graph.adjacency import compact
from layermodel.graph.cache import Key, cached
from layermodel.graph.order import dag

if TYPE_CHECKING:
    from layermodel.model.entities import Ecosystem

__all__ = [
    "bit_positions",
    "members",
    "required_user_bits",
    "user_bit_list",
    "user_bits",
    "weight_of",
]


def _propagate_users(ecosystem: Ecosystem, required: bool) -> list[int]:
    """For each component position, the bitset of the products that reach it."""
    condensed = dag(ecosystem, required)
    position = compact(ecosystem).position
    group_of = condensed.group_of
    carried = [0] * len(condensed.succ)
    for i, product in enumerate(ecosystem.products):
        bit = 1 << i
        for used in product.uses:
            p = position[used]
            carried[p if group_of is None else group_of[p]] |= bit
    succ = condensed.succ
    for g in condensed.order:
        bits = carried[g]
        if bits:
            for t in succ[g]:
                carried[t] |= bits
    return carried if group_of is None else [carried[g] for g in group_of]


_BIT_LIST = {
    True: Key[list[int]]("user_bit_list:True"),
    False: Key[list[int]]("user_bit_list:False"),
}
_USER_BITS: Key[dict[str, int]] = Key("user_bits")
_REQUIRED_USER_BITS: Key[dict[str, int]] = Key("required_user_bits")


def user_bit_list(ecosystem: Ecosystem, required: bool = False) -> list[int]:
    """For each component, in model order, the bitset of its users (or, when
    ``required``, of the products that fail when it fails: those that reach it through
    required edges only): bit i is ``ecosystem.products[i]``. Cached; one pass,
    O((components + dependencies) * products / wordsize)."""
    return cached(ecosystem, _BIT_LIST[required], lambda: _propagate_users(ecosystem, required))


def user_bits(ecosystem: Ecosystem) -> dict[str, int]:
    """For each component id, the bitset of its users: bit i is
    ``ecosystem.products[i]``. Cached; :func:`user_bit_list` plus O(components)."""
    return cached(
        ecosystem,
        _USER_BITS,
        lambda: dict(zip(compact(ecosystem).ids, user_bit_list(ecosystem), strict=True)),
    )


def required_user_bits(ecosystem: Ecosystem) -> dict[str, int]:
    """For each component id, the bitset of the products that fail when it fails:
    those that reach it from their ``uses`` through required dependencies only.
    Cached; :func:`user_bit_list` plus O(components)."""
    return cached(
        ecosystem,
        _REQUIRED_USER_BITS,
        lambda: dict(zip(compact(ecosystem).ids, user_bit_list(ecosystem, True), strict=True)),
    )


_BYTE_BITS: list[list[tuple[int, ...]]] = []
"""``_BYTE_BITS[k][b]``: the positions of the set bits of byte ``b`` at byte offset k."""


def _byte_bits(k: int) -> list[tuple[int, ...]]:
    """The table of byte offset ``k``, made (with those below it) on first use."""
    while len(_BYTE_BITS) <= k:
        base = 8 * len(_BYTE_BITS)
        _BYTE_BITS.append([tuple(base + i for i in range(8) if b >> i & 1) for b in range(256)])
    return _BYTE_BITS[k]


def bit_positions(bits: int) -> list[int]:
    """The positions of the set bits of ``bits``, lowest first. O(bytes of ``bits``
    + set bits), by a table lookup per byte."""
    if bits < 256:
        return list(_byte_bits(0)[bits])
    out: list[int] = []
    raw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    _byte_bits(len(raw) - 1)
    tables = _BYTE_BITS
    for k, byte in enumerate(raw):
        if byte:
            out += tables[k][byte]
    return out


def weight_of(bits: int, weights: list[float]) -> float:
    """The total of ``weights[i]`` over the set bits i of ``bits`` (the weight of the
    products in a bitset). O(bytes of ``bits`` + set bits)."""
    return sum(weights[i] for i in bit_positions(bits))


def members(bits: int, ids: list[str]) -> list[str]:
    """The ``ids[i]`` for the set bits i of ``bits``, in bit order. O(bytes of
    ``bits`` + set bits)."""
    return [ids[i] for i in bit_positions(bits)]
