"""Hashed normalised subtrees: ranges are the nodes' tokens, and moving code around keeps the set."""
import numpy as np

from fingerprints import tokenize
from fingerprints.structure import subtree_hashes, subtree_ranges
from fingerprints.winnow import symbol_ids

TWO_FUNCTIONS = """\
def total(values):
    acc = 0
    for v in values:
        acc += v * 2
    return acc


def count(items, wanted):
    n = 0
    while items:
        if items.pop() == wanted:
            n += 1
    return n
"""

SWAPPED_AND_RENAMED = """\
def how_many(xs, target):
    c = 0
    while xs:
        if xs.pop() == target:
            c += 1
    return c


def summed(seq):
    s = 0
    for item in seq:
        s += item * 2
    return s
"""


def hashes(text: str, min_size: int = 6) -> np.ndarray:
    s = tokenize(text, "python")
    return subtree_hashes(symbol_ids(s.symbols), s.extents, min_size)


def test_each_token_range_is_its_node():
    s = tokenize("def f(a):\n    x = a + 1\n    return x\n", "python")
    ranges = dict(zip(range(len(s)), subtree_ranges(s.extents).tolist()))
    assert s.symbols[0] == "function_definition" and ranges[0] == [0, len(s)]
    assignment = s.symbols.index("assignment")
    ret = s.symbols.index("return_statement")
    assert ranges[assignment] == [assignment, ret]  # the assignment ends where the return begins
    assert ranges[ret] == [ret, len(s)]
    assert all(e == i + 1 for i, (sym, (_, e)) in enumerate(zip(s.symbols, ranges.values())) if sym == "ID")


def test_reordering_and_renaming_functions_keeps_every_subtree():
    assert len(hashes(TWO_FUNCTIONS)) > 4
    assert hashes(TWO_FUNCTIONS).tolist() == hashes(SWAPPED_AND_RENAMED).tolist()


def test_an_inserted_statement_changes_only_the_nodes_around_it():
    padded = TWO_FUNCTIONS.replace("    return acc", "    unused = [0] * 3\n    return acc")
    before, after = set(hashes(TWO_FUNCTIONS).tolist()), set(hashes(padded).tolist())
    lost = before - after
    assert lost and len(lost) <= 2  # total() itself (and nothing of count())
    assert set(hashes(TWO_FUNCTIONS.split("\n\n\n")[1]).tolist()) <= after


def test_small_subtrees_are_left_out():
    assert len(hashes("x = 1\n", min_size=6)) == 0
    assert len(hashes(TWO_FUNCTIONS, min_size=1000)) == 0
