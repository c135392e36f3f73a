"""Warm paths: the strongest chain of people from me to someone I don't know well.

The network is an undirected graph (networkx). Nodes are opaque keys chosen by
the caller (``"me"``, ``("person", 12)``, ``("member", 3)``); each edge has a
strength in (0, 1] and the reasons it exists. Strengths used by the service:

- me — person: their relationship health / 100, for people with a touchpoint;
- person — person who introduced them (``introduced_by``): 0.7;
- people of the same organization: 0.5 (organizations above
  :data:`MAX_GROUP` people are too big to assume they know each other);
- people met at the same event: 0.3 per event (events above :data:`MAX_GROUP`
  people met are skipped);
- me — teammate (team workspaces): 0.9; teammate — person they talked to:
  ``0.8 * 2 ** (-days since their last interaction / 180)``.

Several reasons between the same two nodes combine as independent chances
(noisy-or): ``1 - Π(1 - s_i)``, capped at :data:`MAX_STRENGTH`.

A path's strength is the product of its edges' strengths; the best path
maximises it (equivalently, minimises ``Σ -log s``) over paths of at most
:data:`MAX_HOPS` edges. Alternatives are the next best paths whose first
intermediary differs from the ones already shown.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

MAX_HOPS = 3
MAX_GROUP = 100
MAX_STRENGTH = 0.95
MAX_PATHS_EXAMINED = 20_000  # a safety bound on enumeration in very dense networks

INTRODUCED_BY = 0.7
SAME_ORGANIZATION = 0.5
MET_AT_EVENT = 0.3
TEAMMATE = 0.9
TEAMMATE_CONTACT = 0.8
TEAMMATE_HALF_LIFE_DAYS = 180


@dataclass(frozen=True)
class Edge:
    u: Hashable
    v: Hashable
    strength: float  # 0..1
    reason: str  # "introduced Bruno", "both at Acme", "met at Summit 2026"


@dataclass(frozen=True)
class Hop:
    to: Hashable
    strength: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Path:
    nodes: tuple[Hashable, ...]  # from the source to the target, both included
    strength: float  # product of the hops' strengths
    hops: tuple[Hop, ...]


def teammate_contact(days_since: int) -> float:
    """Strength of a teammate's relationship from the age of their last interaction."""
    return TEAMMATE_CONTACT * 2 ** (-max(0, days_since) / TEAMMATE_HALF_LIFE_DAYS)


def build_graph(edges: Iterable[Edge], *, exclude: Iterable[Hashable] = ()) -> nx.Graph:
    """The network graph: parallel reasons merged by noisy-or; ``exclude`` nodes left out."""
    skip = set(exclude)
    miss: dict[tuple[Hashable, Hashable], float] = {}
    reasons: dict[tuple[Hashable, Hashable], list[str]] = {}
    for e in edges:
        if e.u == e.v or e.u in skip or e.v in skip or e.strength <= 0:
            continue
        key = (e.u, e.v) if repr(e.u) <= repr(e.v) else (e.v, e.u)
        miss[key] = miss.get(key, 1.0) * (1.0 - min(1.0, e.strength))
        reasons.setdefault(key, [])
        if e.reason not in reasons[key]:
            reasons[key].append(e.reason)
    import networkx as nx  # imported when a path is asked for, not with the plan

    graph = nx.Graph()
    for (u, v), m in miss.items():
        strength = min(MAX_STRENGTH, 1.0 - m)
        graph.add_edge(u, v, strength=strength, cost=-math.log(strength), reasons=reasons[(u, v)])
    return graph


def warm_paths(
    graph: nx.Graph,
    source: Hashable,
    target: Hashable,
    *,
    max_hops: int = MAX_HOPS,
    alternatives: int = 3,
) -> list[Path]:
    """The strongest path from ``source`` to ``target`` (first), then up to
    ``alternatives`` more through other first intermediaries; [] when none is
    within ``max_hops``. Deterministic: ties go to the path with fewer hops, then
    to the smaller node keys."""
    if source not in graph or target not in graph or source == target:
        return []
    found: list[tuple[float, int, str, tuple[Hashable, ...]]] = []
    # From the target: its neighbourhood is small, mine may be the whole network.
    import networkx as nx

    for examined, nodes in enumerate(nx.all_simple_paths(graph, target, source, cutoff=max_hops)):
        if examined >= MAX_PATHS_EXAMINED:
            break
        forward = tuple(reversed(nodes))
        strength = math.prod(graph[a][b]["strength"] for a, b in itertools.pairwise(forward))
        found.append((-strength, len(forward), repr(forward), forward))
    found.sort(key=lambda f: f[:3])
    chosen: list[Path] = []
    firsts: set[Hashable] = set()
    for _, _, _, nodes in found:
        first = nodes[1]
        if first in firsts:
            continue
        firsts.add(first)
        chosen.append(_path(graph, nodes))
        if len(chosen) > alternatives:
            break
    return chosen


def _path(graph: nx.Graph, nodes: Sequence[Hashable]) -> Path:
    hops = tuple(
        Hop(to=b, strength=round(graph[a][b]["strength"], 3), reasons=tuple(graph[a][b]["reasons"]))
        for a, b in itertools.pairwise(nodes)
    )
    return Path(
        nodes=tuple(nodes),
        strength=round(math.prod(graph[a][b]["strength"] for a, b in itertools.pairwise(nodes)), 3),
        hops=hops,
    )
