"""Aligned fragments: exact line ranges on both sides, non-overlapping tiles that really match."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fingerprints import tokenize
from integrity.analysis import analyse
from integrity.corpus import Params, fingerprint
from integrity.documents import Submission
from integrity.fragments import Fragment, Tile, merge, tiles, to_fragments, usable_kgrams
from tests.samples import sub

PARAMS = Params(k_code=12, w_code=8)  # pinned: the expected tiles depend on k


def align(a: Submission, b: Submission):
    """Fingerprint both sides and tile them with nothing discounted."""
    fa, fb = fingerprint(a, PARAMS), fingerprint(b, PARAMS)
    ua = usable_kgrams(fa, np.zeros(len(fa.hashes), dtype=bool))
    ub = usable_kgrams(fb, np.zeros(len(fb.hashes), dtype=bool))
    return fa, fb, tiles(fa, fb, ua, ub)


# ----------------------------------------------------------------------------- a known pair

# lines 3-12 of A equal lines 20-29 of B after renaming (and new literals and comments)
A = '''\
import sys
LIMIT = 10
def moving_sum(values, width):
    out = []
    total = 0
    for i, v in enumerate(values):
        total += v
        if i >= width:
            total -= values[i - width]
        out.append(total)
    print("done", len(out))
    return out
while LIMIT > 0:
    LIMIT -= 1
'''

B = '''\
import os
import json


class Config:
    def __init__(self, path):
        self.path = path
        self.data = {}

    def load(self):
        with open(self.path) as handle:
            self.data = json.load(handle)
        return self.data


def helper(x):
    return [y * 2 for y in x]

name = "x"
def window_total(xs, w):
    res = []
    acc = 100   # a different start
    for j, item in enumerate(xs):
        acc += item
        if j >= w:
            acc -= xs[j - w]
        res.append(acc)
    print('finished', len(res))
    return res
try:
    helper([1])
except ValueError:
    pass
'''


def test_known_pair_fragment_has_exact_line_ranges():
    a, b = sub("a", {"a.py": A}), sub("b", {"b.py": B})
    fa, fb, found = align(a, b)
    assert len(found) == 1
    (fragment,) = to_fragments(fa, fb, merge(fa, fb, found, PARAMS))
    assert fragment == Fragment("a.py", (3, 12), "b.py", (20, 29), fragment.tokens)
    # the fragment is every token of the function, on both sides
    fn = tokenize("\n".join(A.splitlines()[2:12]), "python")
    assert fragment.tokens == len(fn)


def test_known_pair_through_analyse():
    result = analyse([sub("a", {"a.py": A}), sub("b", {"b.py": B})], params=PARAMS)
    (pair,) = result.pairs
    assert (pair.a, pair.b) == ("a", "b")
    assert [(f.doc_a, f.lines_a, f.doc_b, f.lines_b) for f in pair.fragments] == [("a.py", (3, 12), "b.py", (20, 29))]
    assert pair.longest == pair.fragments[0].tokens


def test_fragments_name_their_documents_and_follow_a_order():
    part1, part2 = A.split("while LIMIT")[0], B.split("class Config")[1]
    part2 = "class Config" + part2.split("name = ")[0]
    # a keeps the two parts in two files; b has them in one file, in the other order
    a = sub("a", {"one.py": part1, "two.py": part2})
    b = sub("b", {"all.py": part2 + "\n\nassert True\n\n" + part1})
    fa, fb, found = align(a, b)
    frags = to_fragments(fa, fb, merge(fa, fb, found, PARAMS))
    assert [f.doc_a for f in frags] == ["one.py", "two.py"]
    assert {f.doc_b for f in frags} == {"all.py"}
    one, two = frags
    part2_last = part2.rstrip("\n").count("\n") + 1  # the line of its last token
    assert one.lines_a == (1, 12) and two.lines_a == (1, part2_last)
    shift = (part2 + "\n\nassert True\n\n").count("\n")
    assert one.lines_b == (shift + 1, shift + 12)
    assert two.lines_b == (1, part2_last)


def test_dead_code_inserted_in_a_copy_leaves_one_fragment():
    """Tiles split by an inserted statement shorter than k are shown as one merged fragment."""
    lines = A.splitlines(keepends=True)
    padded = "".join(lines[:7]) + "    unused = 0\n" + "".join(lines[7:])
    fa, fb, found = align(sub("a", {"a.py": A}), sub("b", {"b.py": padded}))
    assert len(found) == 2  # the insertion breaks the exact run...
    (fragment,) = to_fragments(fa, fb, merge(fa, fb, found, PARAMS))  # ... but not the fragment
    assert fragment.lines_a == (1, 14) and fragment.lines_b == (1, 15)  # the whole file, one line longer
    assert fragment.tokens == sum(t.length for t in found)


def test_merge_needs_the_same_order_and_a_short_gap_on_both_sides():
    a = sub("a", {"a.py": "\n".join(f"x{i} = {i}" for i in range(100))})
    fa = fb = align(a, a)[0]
    k = PARAMS.k_code
    near = [Tile(0, 0, 20), Tile(20 + k, 20, 20)]  # gap of k on a, none on b: merged
    assert len(merge(fa, fb, near, PARAMS)) == 1
    far = [Tile(0, 0, 20), Tile(21 + k, 20, 20)]  # gap of k + 1: kept apart
    assert len(merge(fa, fb, far, PARAMS)) == 2
    crossed = [Tile(0, 40, 20), Tile(25, 0, 20)]  # b's order is the reverse: kept apart
    assert len(merge(fa, fb, crossed, PARAMS)) == 2


def test_unrelated_code_has_no_tiles():
    a = sub("a", {"a.py": "x = 1\n" * 40})
    b = sub("b", {"b.py": "while y:\n    y -= 2\n" * 20})
    assert align(a, b)[2] == []


def test_prose_fragments_give_lines_of_the_report():
    report_a = "Intro line.\n\nWe measured the latency of every request with a warm cache\nand found it flat.\n"
    report_b = "Totally different opening words here.\nWe measured the LATENCY of every request, with a warm cache\nand found it flat!\n"
    fa, fb, found = align(sub("a", {"r.md": report_a}), sub("b", {"r.md": report_b}))
    (fragment,) = to_fragments(fa, fb, merge(fa, fb, found, PARAMS))
    assert fragment.lines_a == (3, 4) and fragment.lines_b == (2, 3)
    # "we measured ... it flat": matched on its characters, counted in words
    assert fragment.tokens == len("we measured the latency of every request with a warm cache and found it flat".split())


# ----------------------------------------------------------------------------- tiles, as a property

CHUNKS = [
    "def f0(a, b):\n    for x in a:\n        b.append(x * 2)\n    return b\n",
    "class C1:\n    def m(self, v):\n        self.v = v\n        return self.v + 1\n",
    "while n > 0:\n    if n % 2 == 0:\n        n //= 2\n    else:\n        n = 3 * n + 1\n",
    "try:\n    data = open(p).read()\nexcept OSError as e:\n    data = str(e)\nfinally:\n    done = True\n",
    "result = [k for k, v in sorted(d.items()) if v is not None and k != 'x']\n",
    "with lock:\n    counter += 1\n    items[counter] = value\n    log.info('%s', counter)\n",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(range(len(CHUNKS))), min_size=1, max_size=8),
       st.lists(st.sampled_from(range(len(CHUNKS))), min_size=1, max_size=8))
def test_tiles_do_not_overlap_and_really_match(order_a, order_b):
    text_a = "".join(CHUNKS[i] for i in order_a)
    text_b = "".join(CHUNKS[i] for i in order_b)
    fa, fb, found = align(sub("a", {"a.py": text_a}), sub("b", {"b.py": text_b}))
    sa, sb = tokenize(text_a, "python").symbols, tokenize(text_b, "python").symbols
    taken_a, taken_b = np.zeros(len(sa), dtype=int), np.zeros(len(sb), dtype=int)
    for t in found:
        assert t.length >= PARAMS.k_code
        assert sa[t.start_a:t.start_a + t.length] == sb[t.start_b:t.start_b + t.length]
        taken_a[t.start_a:t.start_a + t.length] += 1
        taken_b[t.start_b:t.start_b + t.length] += 1
    assert taken_a.max(initial=0) <= 1 and taken_b.max(initial=0) <= 1
    frags = to_fragments(fa, fb, merge(fa, fb, found, PARAMS))
    assert [f.lines_a for f in frags] == sorted(f.lines_a for f in frags)
    for f in frags:
        assert f.lines_a[0] <= f.lines_a[1] and f.lines_b[0] <= f.lines_b[1]
    # a chunk that both sides contain (long enough to be a k-gram) is found
    common = set(order_a) & set(order_b)
    if any(len(tokenize(CHUNKS[i], "python")) >= PARAMS.k_code for i in common):
        assert found


def test_greedy_tiling_prefers_the_longest_match():
    long_run = CHUNKS[0] + CHUNKS[1] + CHUNKS[2]
    a = sub("a", {"a.py": CHUNKS[1] + "\n" + long_run})
    b = sub("b", {"b.py": long_run})
    _, _, found = align(a, b)
    # b's copy of chunk 1 goes to the long run, not to a's lone chunk 1 first in the file
    longest = max(found, key=lambda t: t.length)
    assert longest.length == len(tokenize(long_run, "python"))
    assert longest.start_b == 0 and longest.start_a == len(tokenize(CHUNKS[1], "python"))
    assert len(found) == 1


def test_discounted_kgrams_inside_a_copy_do_not_split_it():
    """Common code in the middle of a copy leaves gaps among its usable k-grams, not among its tokens."""
    fa, fb = fingerprint(sub("a", {"m.py": A}), PARAMS), fingerprint(sub("b", {"m.py": A}), PARAMS)
    ignored = np.zeros(len(fa.hashes), dtype=bool)
    ignored[10:14] = True  # four consecutive k-grams in the middle, as if the whole class wrote them
    found = tiles(fa, fb, usable_kgrams(fa, ignored), usable_kgrams(fb, ignored))
    assert found == [Tile(0, 0, fa.n_tokens)]


def test_a_run_never_crosses_from_one_document_into_the_next():
    files = {"a.py": A, "b.py": B}
    fa, _, found = align(sub("x", files), sub("y", files))
    boundary = int(np.argmax(fa.doc_of_token == 1))  # the first token of b.py
    assert sorted(found, key=lambda t: t.start_a) == [Tile(0, 0, boundary),
                                                      Tile(boundary, boundary, fa.n_tokens - boundary)]
