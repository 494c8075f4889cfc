"""Clusters: connected components of strong pairs, ranked by evidence, members sorted."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrity.analysis import CLUSTER_THRESHOLD, analyse
from integrity.corpus import Params
from integrity.clusters import clusters
from tests.samples import QUEUE, SHARED_BLOCK, UNRELATED, sub


def weighted(edges, weight=0.6):
    return [(a, b, weight) for a, b in edges]


def test_no_pairs_no_clusters():
    assert clusters([]) == []


def test_a_chain_is_one_component():
    assert clusters(weighted([("a", "b"), ("c", "b"), ("d", "c")])) == [["a", "b", "c", "d"]]


def test_equally_strong_components_largest_first_then_by_members():
    edges = [("x", "y"), ("m", "n"), ("n", "o"), ("b", "a"), ("q", "p"), ("p", "r"), ("s", "p")]
    assert clusters(weighted(edges)) == [["p", "q", "r", "s"], ["m", "n", "o"], ["a", "b"], ["x", "y"]]


def test_components_ranked_by_their_strongest_link():
    edges = [("a", "b", 0.55), ("b", "c", 0.6), ("x", "y", 0.95), ("p", "q", 0.7), ("q", "r", 0.5),
             ("r", "s", 0.99)]
    assert clusters(edges) == [["p", "q", "r", "s"], ["x", "y"], ["a", "b", "c"]]


def test_members_sorted_and_order_of_edges_irrelevant():
    edges = weighted([("zed", "amy"), ("bob", "zed"), ("kim", "lee")])
    expected = [["amy", "bob", "zed"], ["kim", "lee"]]
    assert clusters(edges) == expected
    assert clusters(reversed(edges)) == expected
    assert clusters([(b, a, w) for a, b, w in edges]) == expected
    assert clusters(iter(edges + edges)) == expected  # duplicate edges, a one-shot iterator


def test_joining_two_components_through_a_late_edge():
    edges = weighted([("a", "b"), ("c", "d"), ("e", "f"), ("b", "d")])
    assert clusters(edges) == [["a", "b", "c", "d"], ["e", "f"]]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), max_size=30))
def test_components_match_a_reference_implementation(raw):
    edges = [(f"s{a:02d}", f"s{b:02d}") for a, b in raw]
    got = clusters(weighted(edges))
    # reference: repeated graph search
    adj: dict[str, set[str]] = {}
    for a, b in edges:
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)
    seen, comps = set(), []
    for start in sorted(adj):
        if start in seen:
            continue
        stack, comp = [start], set()
        while stack:
            x = stack.pop()
            if x not in comp:
                comp.add(x)
                stack.extend(adj[x] - comp)
        seen |= comp
        comps.append(sorted(comp))
    assert sorted(got) == sorted(comps)
    assert got == sorted(got, key=lambda g: (-len(g), g))
    assert sum(len(g) for g in got) == len({x for e in edges for x in e})


# ----------------------------------------------------------------------------- clusters of an analysis

FOURTH = '''\
def collatz(n):
    steps = 0
    while n > 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


try:
    data = open(p).read()
except OSError as e:
    data = str(e)
finally:
    done = True
'''

PARAMS = Params(k_code=12, w_code=8)  # pinned: the fixtures are built around k = 12


def test_analysis_clusters_strong_pairs_only():
    subs = [sub("amy", {"m.py": SHARED_BLOCK}), sub("bob", {"m.py": SHARED_BLOCK}),
            sub("cat", {"m.py": SHARED_BLOCK + "\n\n" + QUEUE}),
            sub("dan", {"m.py": QUEUE + "\n\n" + UNRELATED + "\n\n" + FOURTH}),
            sub("eve", {"m.py": FOURTH + "\n\n" + SHARED_BLOCK})]
    result = analyse(subs, params=PARAMS)
    strong = {(p.a, p.b): p.similarity for p in result.pairs if p.similarity >= CLUSTER_THRESHOLD}
    weak = {(p.a, p.b) for p in result.pairs if p.similarity < CLUSTER_THRESHOLD}
    assert ("amy", "bob") in strong and ("cat", "dan") in weak and ("dan", "eve") in weak
    assert result.clusters == clusters((a, b, w) for (a, b), w in strong.items())
    assert all("dan" not in g for g in result.clusters)
    assert result.clusters[0][:3] == ["amy", "bob", "cat"]


@pytest.mark.parametrize("student", ["alice", "zoe"])
def test_references_never_join_clusters(student):
    result = analyse([sub(student, {"m.py": SHARED_BLOCK}), sub("bob", {"m.py": QUEUE})],
                     references=[sub("sol", {"m.py": SHARED_BLOCK})], params=PARAMS)
    assert [(p.a, p.b) for p in result.pairs] == [tuple(sorted((student, "reference:sol")))]
    assert result.pairs[0].similarity >= CLUSTER_THRESHOLD
    assert result.clusters == []


def test_a_reference_does_not_link_students_who_share_nothing():
    # alice copied one half of the reference, bob the other: they are not a group
    result = analyse([sub("alice", {"m.py": SHARED_BLOCK}), sub("bob", {"m.py": QUEUE})],
                     references=[sub("sol", {"m.py": SHARED_BLOCK + "\n\n" + QUEUE})], params=PARAMS)
    assert {(p.a, p.b) for p in result.pairs} == {("alice", "reference:sol"), ("bob", "reference:sol")}
    assert all(p.similarity >= CLUSTER_THRESHOLD for p in result.pairs)
    assert result.clusters == []
