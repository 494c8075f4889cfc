"""Clusters: connected components of strong pairs, largest first, members sorted."""
from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrity.analysis import CLUSTER_THRESHOLD, analyse
from integrity.corpus import Params
from integrity.clusters import clusters
from integrity.documents import Document, Submission


def test_no_pairs_no_clusters():
    assert clusters([]) == []


def test_a_chain_is_one_component():
    assert clusters([("a", "b"), ("c", "b"), ("d", "c")]) == [["a", "b", "c", "d"]]


def test_components_largest_first_then_by_members():
    edges = [("x", "y"), ("m", "n"), ("n", "o"), ("b", "a"), ("q", "p"), ("p", "r"), ("s", "p")]
    assert clusters(edges) == [["p", "q", "r", "s"], ["m", "n", "o"], ["a", "b"], ["x", "y"]]


def test_members_sorted_and_order_of_edges_irrelevant():
    edges = [("zed", "amy"), ("bob", "zed"), ("kim", "lee")]
    expected = [["amy", "bob", "zed"], ["kim", "lee"]]
    assert clusters(edges) == expected
    assert clusters(reversed(edges)) == expected
    assert clusters([(b, a) for a, b in edges]) == expected
    assert clusters(iter(edges + edges)) == expected  # duplicate edges, a one-shot iterator


def test_joining_two_components_through_a_late_edge():
    edges = [("a", "b"), ("c", "d"), ("e", "f"), ("b", "d")]
    assert clusters(edges) == [["a", "b", "c", "d"], ["e", "f"]]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), max_size=30))
def test_components_match_a_reference_implementation(raw):
    edges = [(f"s{a:02d}", f"s{b:02d}") for a, b in raw]
    got = clusters(edges)
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

BLOCK = '''\
def normalise(rows, columns):
    means = {}
    for column in columns:
        values = [row[column] for row in rows if row.get(column) is not None]
        means[column] = sum(values) / len(values) if values else 0.0
    result = []
    for row in rows:
        fixed = dict(row)
        for column in columns:
            if fixed.get(column) is None:
                fixed[column] = means[column]
        result.append(fixed)
    return result
'''

OTHER = '''\
class Queue:
    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.insert(0, item)

    def pop(self):
        if not self.items:
            raise IndexError("empty")
        return self.items.pop()
'''

THIRD = '''\
with open("log.txt") as fh:
    for lineno, row in enumerate(fh):
        if lineno % 100 == 0:
            del row
        elif lineno > 5000:
            assert lineno != 42, "never"
        else:
            continue
'''


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


def sub(name: str, text: str) -> Submission:
    return Submission(name, (Document("m.py", "code", "python", text, hashlib.sha256(text.encode()).hexdigest()),))


def test_analysis_clusters_strong_pairs_only():
    subs = [sub("amy", BLOCK), sub("bob", BLOCK), sub("cat", BLOCK + "\n\n" + OTHER),
            sub("dan", OTHER + "\n\n" + THIRD + "\n\n" + FOURTH), sub("eve", FOURTH + "\n\n" + BLOCK)]
    result = analyse(subs, params=PARAMS)
    strong = {(p.a, p.b) for p in result.pairs if p.similarity >= CLUSTER_THRESHOLD}
    weak = {(p.a, p.b) for p in result.pairs if p.similarity < CLUSTER_THRESHOLD}
    assert ("amy", "bob") in strong and ("cat", "dan") in weak and ("dan", "eve") in weak
    assert result.clusters == clusters(strong)
    assert all("dan" not in g for g in result.clusters)
    assert result.clusters[0][:3] == ["amy", "bob", "cat"]


@pytest.mark.parametrize("student", ["alice", "zoe"])
def test_references_never_join_clusters(student):
    result = analyse([sub(student, BLOCK), sub("bob", OTHER)], references=[sub("sol", BLOCK)], params=PARAMS)
    assert [(p.a, p.b) for p in result.pairs] == [tuple(sorted((student, "reference:sol")))]
    assert result.pairs[0].similarity >= CLUSTER_THRESHOLD
    assert result.clusters == []


def test_a_reference_does_not_link_students_who_share_nothing():
    # alice copied one half of the reference, bob the other: they are not a group
    result = analyse([sub("alice", BLOCK), sub("bob", OTHER)], references=[sub("sol", BLOCK + "\n\n" + OTHER)], params=PARAMS)
    assert {(p.a, p.b) for p in result.pairs} == {("alice", "reference:sol"), ("bob", "reference:sol")}
    assert all(p.similarity >= CLUSTER_THRESHOLD for p in result.pairs)
    assert result.clusters == []
