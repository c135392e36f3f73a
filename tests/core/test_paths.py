"""Warm paths: the strongest chain within three hops, with alternatives."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from goodwill.core.paths import Edge, build_graph, warm_paths


def test_the_strongest_product_wins_over_the_shortest_path():
    graph = build_graph(
        [
            Edge("me", "t", 0.1, "barely know them"),
            Edge("me", "a", 0.9, "close"),
            Edge("a", "t", 0.8, "colleagues"),
        ]
    )
    best, alt = warm_paths(graph, "me", "t")
    assert best.nodes == ("me", "a", "t") and math.isclose(best.strength, 0.72)
    assert alt.nodes == ("me", "t")


def test_paths_longer_than_three_hops_are_not_offered():
    chain = [Edge(str(i), str(i + 1), 0.9, "knows") for i in range(4)]
    graph = build_graph(chain)
    assert warm_paths(graph, "0", "4") == []
    assert warm_paths(graph, "0", "3")[0].nodes == ("0", "1", "2", "3")


def test_several_reasons_strengthen_an_edge_and_excluded_people_are_skipped():
    graph = build_graph(
        [
            Edge("me", "a", 0.5, "x"),
            Edge("a", "t", 0.5, "same company"),
            Edge("a", "t", 0.3, "met at an event"),
        ]
    )
    hop = warm_paths(graph, "me", "t")[0].hops[-1]
    assert math.isclose(hop.strength, 1 - 0.5 * 0.7) and len(hop.reasons) == 2
    assert (
        warm_paths(
            build_graph([Edge("me", "a", 0.5, "x"), Edge("a", "t", 0.5, "y")], exclude=["a"]),
            "me",
            "t",
        )
        == []
    )


edges_st = st.lists(
    st.builds(
        Edge,
        u=st.sampled_from(["me", "a", "b", "c", "d", "t"]),
        v=st.sampled_from(["a", "b", "c", "d", "t"]),
        strength=st.floats(0.01, 1.0),
        reason=st.just("r"),
    ),
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(edges_st)
def test_paths_are_ordered_strongest_first_and_strength_is_the_product_of_hops(edges):
    found = warm_paths(build_graph(edges), "me", "t")
    strengths = [p.strength for p in found]
    assert strengths == sorted(strengths, reverse=True)
    for p in found:
        assert p.nodes[0] == "me" and p.nodes[-1] == "t" and len(p.hops) <= 3
        assert len(set(p.nodes)) == len(p.nodes)
        assert math.isclose(p.strength, math.prod(h.strength for h in p.hops), abs_tol=0.003)
    assert len({p.nodes[1] for p in found}) == len(found)
