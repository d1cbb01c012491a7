"""The graph kernel: the structures and sweeps every analysis runs on.

- :mod:`~layermodel.graph.adjacency`: the dependency graph as integer adjacency lists
  (:class:`Compact`), in model order, with its reverse and id order;
- :mod:`~layermodel.graph.order`: strongly connected components (Tarjan), topological
  order (Kahn) and the condensation (:class:`Dag`);
- :mod:`~layermodel.graph.bits`: for each component, the bitset of the products that
  reach it (over all edges or required edges only), and bitset helpers;
- :mod:`~layermodel.graph.closure`: upstream closures, the blast radii and the size of
  the transitive closure, in one sweep whose cost is the size of the answer;
- :mod:`~layermodel.graph.cache`: the typed per-ecosystem cache all of them share;
- :mod:`~layermodel.graph.nxview`: the networkx view, :func:`dependency_graph`, the
  public graph a user gets.

Everything is computed once per ecosystem and cached on it. The kernel depends only on
the model; the analyses use it through the names exported here.

>>> import layermodel as lm
>>> from layermodel.graph import dependency_graph
>>> graph = dependency_graph(lm.example())
>>> graph.number_of_nodes() == len(lm.example().components)
True
"""

from layermodel.graph.adjacency import Compact, compact, reverse
from layermodel.graph.bits import (
    bit_positions,
    members,
    required_user_bits,
    user_bit_list,
    user_bits,
    weight_of,
)
from layermodel.graph.cache import Key, cached, forget, peek, store
from layermodel.graph.closure import (
    BLAST_RANKS,
    blast_components,
    blast_of,
    blast_ranks,
    blast_sizes,
    reach_total,
    upstream,
)
from layermodel.graph.nxview import dependency_graph
from layermodel.graph.order import Dag, condense, dag, strongly_connected, topological

__all__ = [
    "BLAST_RANKS",
    "Compact",
    "Dag",
    "Key",
    "bit_positions",
    "blast_components",
    "blast_of",
    "blast_ranks",
    "blast_sizes",
    "cached",
    "compact",
    "condense",
    "dag",
    "dependency_graph",
    "forget",
    "members",
    "peek",
    "reach_total",
    "required_user_bits",
    "reverse",
    "store",
    "strongly_connected",
    "topological",
    "upstream",
    "user_bit_list",
    "user_bits",
    "weight_of",
]
