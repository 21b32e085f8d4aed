"""Signed graph, structural balance, frustration, blocs and brokers."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from factiongraph.analysis.balance import (
    balance_over_time,
    brokers,
    frustration_index,
    signed_blocs,
    signed_graph,
    triangle_balance,
)


def signed(edges: list[tuple[str, str, int]]) -> nx.Graph:
    g = nx.Graph()
    for u, v, s in edges:
        g.add_edge(u, v, sign=s)
    return g


def brute_force(g: nx.Graph) -> int:
    """Least frustrated edges over every two-colouring, written the slow obvious way."""
    nodes = list(g)
    best = g.number_of_edges()
    for colours in itertools.product((0, 1), repeat=len(nodes)):
        c = dict(zip(nodes, colours, strict=True))
        bad = sum((d["sign"] > 0) != (c[u] == c[v]) for u, v, d in g.edges(data=True))
        best = min(best, bad)
    return best


def test_known_triangle_set():
    # T1 A+B, B-C, A-C: (+1)(-1)(-1) = +1 balanced
    # T2 C-D, D-E, C-E: (-1)(-1)(-1) = -1 unbalanced
    # T3 E+F, F+G, E-G: (+1)(+1)(-1) = -1 unbalanced
    # T4 G+H, H+I, G+I: +1 balanced
    g = signed(
        [
            ("A", "B", 1), ("B", "C", -1), ("A", "C", -1),
            ("C", "D", -1), ("D", "E", -1), ("C", "E", -1),
            ("E", "F", 1), ("F", "G", 1), ("E", "G", -1),
            ("G", "H", 1), ("H", "I", 1), ("G", "I", 1),
        ]
    )  # fmt: skip
    r = triangle_balance(g)
    assert (r["triangles"], r["balanced"], r["share_balanced"]) == (4, 2, 0.5)
    assert sorted(r["unbalanced_triangles"]) == [("C", "D", "E"), ("E", "F", "G")]
    # Each unbalanced triangle needs one change and they share only node E, no edge,
    # so the frustration index is 2 (checked against the brute force too).
    fr = frustration_index(g)
    assert fr.index == 2 == brute_force(g)
    assert fr.exact


def test_all_hostile_square_with_diagonals():
    # K4 with every tie hostile: any split leaves at least two hostile ties inside a camp
    # (2+2 split: one inside each camp; 3+1: three inside). Index 2.
    g = signed([(u, v, -1) for u, v in itertools.combinations("ABCD", 2)])
    assert frustration_index(g).index == 2 == brute_force(g)
    assert triangle_balance(g)["balanced"] == 0  # (-1)^3 = -1 in all four triangles


def test_exact_search_matches_brute_force_on_random_graphs():
    import random

    rng = random.Random(7)
    for _ in range(20):
        g = nx.gnp_random_graph(9, 0.45, seed=rng.randint(0, 10**6))
        for u, v in g.edges:
            g[u][v]["sign"] = rng.choice((1, -1))
        assert frustration_index(g).index == brute_force(g)


def test_local_search_bounds_large_components():
    # Two camps of 12 (friends inside, enemies across) with one friendly tie across:
    # exactly one frustrated edge. 24 nodes is over the exact limit, so the local
    # search runs; it must find the optimum here and say it is not exact.
    left = [f"L{i}" for i in range(12)]
    right = [f"R{i}" for i in range(12)]
    edges = [(u, v, 1) for u, v in itertools.combinations(left, 2)]
    edges += [(u, v, 1) for u, v in itertools.combinations(right, 2)]
    edges += [(u, v, -1) for u in left for v in right]
    g = signed(edges)
    g["L0"]["R0"]["sign"] = 1
    fr = frustration_index(g)
    assert fr.index == 1 and not fr.exact
    assert fr.frustrated == [("L0", "R0", 1)] or fr.frustrated == [("R0", "L0", 1)]
    blocs = signed_blocs(g)
    assert sorted(map(tuple, blocs["members"])) == [tuple(sorted(left)), tuple(sorted(right))]


def test_blocs_per_component():
    # Component 1: A+B, A-C, B-C -> camps {A, B} and {C}; component 2: D+E -> one bloc.
    g = signed([("A", "B", 1), ("A", "C", -1), ("B", "C", -1), ("D", "E", 1)])
    blocs = signed_blocs(g)
    assert blocs[["bloc", "members"]].values.tolist() == [
        ["1a", ["A", "B"]],
        ["1b", ["C"]],
        ["2a", ["D", "E"]],
    ]


def test_sign_of_a_pair_majority_then_most_recent(build):
    # A-B in 2016: two friendly votes, one hostile -> +1.
    build.say("A", "cooperates_with", "B", "2016-01")
    build.say("B", "supports", "A", "2016-02")
    build.say("A", "criticizes", "B", "2016-03")
    # A-C in 2016: one each; the hostile one is more recent -> -1.
    build.say("A", "cooperates_with", "C", "2016-01")
    build.say("A", "fights", "C", "2016-06")
    # A-D in 2016: one each, the friendly one more recent -> +1.
    build.say("A", "fights", "D", "2016-01")
    build.say("A", "ceasefire_with", "D", "2016-09")
    # A-E: a denied ceasefire does not count, negotiation has no sign -> no edge.
    build.say("A", "ceasefire_with", "E", "2016", modality="denied")
    build.say("A", "negotiates_with", "E", "2016")
    g = signed_graph(build.snapshot().assertions, "2016")
    assert {(u, v): d["sign"] for u, v, d in g.edges(data=True)} == {
        ("A", "B"): 1,
        ("A", "C"): -1,
        ("A", "D"): 1,
    }
    assert g["A"]["B"]["positive"] == 2 and g["A"]["B"]["negative"] == 1


def test_balance_over_time(build):
    # 2015: A+B, B-C, A-C balanced (1 of 1). 2016: A-B turns hostile; all three hostile:
    # unbalanced, frustration 1. 2017: nothing.
    build.say("A", "cooperates_with", "B", "2015")
    build.say("B", "fights", "C", "2015/2016")
    build.say("A", "fights", "C", "2015/2016")
    build.say("A", "fights", "B", "2016")
    t = balance_over_time(build.snapshot().assertions, range(2015, 2018))
    assert t[["year", "triangles", "balanced", "frustration"]].values.tolist() == [
        [2015, 1, 1, 0],
        [2016, 1, 0, 1],
        [2017, 0, 0, 0],
    ]
    assert t.loc[0, "share_balanced"] == pytest.approx(1.0)


def test_brokers_mediators_and_betweenness(build):
    # Friendly path A - B - C - D: betweenness of B = pairs through B / pairs not
    # involving B = {A,C},{A,D} = 2 of 3 -> 2/3; C likewise; A and D 0.
    build.say("A", "cooperates_with", "B", "2017")
    build.say("B", "cooperates_with", "C", "2017")
    build.say("C", "cooperates_with", "D", "2017")
    build.say("A", "fights", "D", "2017")
    build.say("Qatar", "mediates", "A", "2017")
    build.say("Qatar", "mediates", "D", "2017")
    b = brokers(build.snapshot().assertions, on="2017")
    rows = {r["actor"]: r for _, r in b.iterrows()}
    assert rows["B"]["betweenness"] == pytest.approx(2 / 3, abs=1e-4)
    assert rows["C"]["betweenness"] == pytest.approx(2 / 3, abs=1e-4)
    assert rows["Qatar"]["mediates"] == ["A", "D"]
    assert "A" not in rows


def test_alignment_over_time_marks_frustrated_ties(build):
    # 2016: three mutual enemies A, B, C. No split into two camps satisfies all three
    # hostile ties; the exact search keeps A in camp 0 and tries colourings in order
    # (B, C) = (0,0): 3 frustrated, (1,0): 1 -> first best: A and C together, B apart.
    # So relative to A: B "against"; C "with", but A-C is hostile: "with *".
    # 2017: A+B only -> B "with"; C has no tie to A -> blank.
    build.say("A", "fights", "B", "2016")
    build.say("B", "fights", "C", "2016")
    build.say("A", "fights", "C", "2016")
    build.say("A", "cooperates_with", "B", "2017")
    from factiongraph.analysis.balance import alignment_over_time

    t = alignment_over_time(build.snapshot().assertions, "A", [2016, 2017])
    assert t.to_dict("index") == {
        "B": {2016: "against", 2017: "with"},
        "C": {2016: "with *", 2017: ""},
    }
