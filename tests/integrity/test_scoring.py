"""Pair scores: similarity and shares on constructed cases, per document kind, with discounts."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fingerprints import tokenize
from integrity.analysis import analyse
from integrity.corpus import Fingerprinted, Params
from integrity.scoring import LITERAL_WEIGHT, counted_tokens, covered_tokens, score
from integrity.fragments import Tile
from tests.samples import QUEUE, UNRELATED, sub


def n_tokens(text: str, language: str = "python") -> int:
    return len(tokenize(text, language))


PARAMS = Params(k_code=12, w_code=8)  # pinned: the constructed cases are built around k = 12


def only_pair(subs, **kw):
    result = analyse(subs, params=PARAMS, **kw)
    assert len(result.pairs) == 1, result.pairs
    return result.pairs[0]


P = '''\
import math


def stats(values):
    n = len(values)
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(var)


def zscores(values):
    mean, sd = stats(values)
    return [(v - mean) / sd for v in values]
'''

# unrelated to P in structure
Q = QUEUE + '''

while True:
    try:
        line = input()
    except EOFError:
        break
'''

R = '''\
Other code; P and Q are enough. This one only has to be unlike both of them.
'''

REPORT = '''\
# Results

We benchmarked three schedulers on the shared cluster. The round robin scheduler
kept every worker busy, but it starved long jobs whenever short ones kept arriving.
Our priority scheduler ages waiting jobs, so that none of them waits forever.
'''

OTHER_REPORT = '''\
My report is about something else entirely: caching strategies for a
key value store, measured with a synthetic workload and a replayed trace.
'''


def test_verbatim_copy_scores_one():
    p = only_pair([sub("a", {"m.py": P}), sub("b", {"m.py": P})])
    assert (p.similarity, p.share_a, p.share_b) == (1.0, 1.0, 1.0)
    assert p.longest == n_tokens(P)
    assert len(p.fragments) == 1
    assert p.fragments[0].lines_a == p.fragments[0].lines_b == (1, 13)


def test_copy_with_an_unrelated_half_added():
    # b is a plus Q: all of a is matched, only P's share of b is
    p = only_pair([sub("a", {"m.py": P}), sub("b", {"m.py": P + "\n\n" + Q})])
    np_, nq = n_tokens(P), n_tokens(Q)
    assert n_tokens(P + "\n\n" + Q) == np_ + nq
    assert p.share_a == 1.0
    assert p.share_b == pytest.approx(np_ / (np_ + nq), abs=1e-6)
    assert 0.3 < p.share_b < 0.7
    # the similarity sits strictly between the two shares: a partial copy, not an unrelated pair
    assert p.share_b < p.similarity < 1.0


def test_more_unrelated_code_lowers_the_similarity():
    base = only_pair([sub("a", {"m.py": P}), sub("b", {"m.py": P + "\n\n" + Q})])
    more = only_pair([sub("a", {"m.py": P}), sub("b", {"m.py": P + "\n\n" + Q + "\n\n" + UNRELATED})])
    assert more.share_b < base.share_b
    assert more.similarity < base.similarity


def test_shares_follow_the_names_not_the_argument_order():
    p = only_pair([sub("zed", {"m.py": P + "\n\n" + Q}), sub("amy", {"m.py": P})])
    assert (p.a, p.b) == ("amy", "zed")
    assert p.share_a == 1.0 and p.share_b < 1.0
    swapped = only_pair([sub("amy", {"m.py": P}), sub("zed", {"m.py": P + "\n\n" + Q})])
    assert swapped == p


def test_disguised_copy_scores_one():
    renamed = (P.replace("values", "xs").replace("mean", "mu").replace("stats", "moments")
               .replace("var", "s2").replace("2", "3"))
    renamed = "# my own work!\n" + renamed.replace("    n = len(xs)", "    n = len(xs)  # count")
    p = only_pair([sub("a", {"m.py": P}), sub("b", {"m.py": renamed})])
    assert (p.similarity, p.share_a, p.share_b) == (1.0, 1.0, 1.0)


def test_verbatim_copy_of_code_and_report_scores_one():
    files = {"report.md": REPORT, "main.py": P + "\n\n" + Q}
    p = only_pair([sub("a", files), sub("b", files)])
    assert (p.similarity, p.share_a, p.share_b) == (1.0, 1.0, 1.0)
    assert {f.doc_a for f in p.fragments} == {"report.md", "main.py"}


# Each kind is scored on its own: unrelated documents of the other kind neither dilute nor add.

def test_copied_report_is_not_diluted_by_unrelated_code():
    a = sub("a", {"report.md": REPORT, "main.py": P})
    b = sub("b", {"report.md": REPORT, "main.py": Q + "\n\n" + UNRELATED})
    p = only_pair([a, b])
    assert {f.doc_a for f in p.fragments} == {"report.md"}
    assert (p.share_a, p.share_b) == (1.0, 1.0)
    assert p.similarity == 1.0


def test_copied_code_is_not_diluted_by_unrelated_reports():
    a = sub("a", {"report.md": REPORT, "main.py": P})
    b = sub("b", {"report.md": OTHER_REPORT, "main.py": P})
    p = only_pair([a, b])
    assert {f.doc_a for f in p.fragments} == {"main.py"}
    assert (p.share_a, p.share_b) == (1.0, 1.0)
    assert p.similarity == 1.0


def test_copied_report_shares_are_on_prose_only():
    # the part that holds: the shares are of the matching kind, whatever the code
    a = sub("a", {"report.md": REPORT, "main.py": P})
    b = sub("b", {"report.md": REPORT, "main.py": Q + "\n\n" + UNRELATED})
    p = only_pair([a, b])
    assert (p.share_a, p.share_b) == (1.0, 1.0)
    assert p.similarity > 0.5


def test_a_half_copied_report_scores_as_without_the_code():
    half = REPORT.split("Our priority")[0]
    alone = only_pair([sub("a", {"report.md": REPORT}), sub("b", {"report.md": half + OTHER_REPORT})])
    with_code = only_pair([sub("a", {"report.md": REPORT, "main.py": P}),
                           sub("b", {"report.md": half + OTHER_REPORT, "main.py": UNRELATED})])
    assert (with_code.share_a, with_code.share_b) == (alone.share_a, alone.share_b)
    assert with_code.similarity == alone.similarity


def test_a_half_copied_report_has_prose_shares():
    half = REPORT.split("Our priority")[0]
    a = sub("a", {"report.md": REPORT, "main.py": P})
    b = sub("b", {"report.md": half + OTHER_REPORT, "main.py": UNRELATED})
    p = only_pair([a, b])
    copied = n_tokens(half, "text")
    assert p.share_a == pytest.approx(copied / n_tokens(REPORT, "text"), abs=1e-6)
    assert p.share_b == pytest.approx(copied / n_tokens(half + OTHER_REPORT, "text"), abs=1e-6)
    assert 0 < p.similarity < 1


def test_template_tokens_are_not_counted():
    # both hand in the starter code P plus the same copied code: all that counts matches
    template = sub("template", {"m.py": P})
    a = sub("a", {"m.py": P + "\n\n" + Q})
    b = sub("b", {"m.py": P + "\n\n" + Q})
    p = only_pair([a, b], template=template)
    assert (p.similarity, p.share_a, p.share_b) == (1.0, 1.0, 1.0)
    # one side adds original code: its share drops by exactly the added tokens
    c = sub("c", {"m.py": P + "\n\n" + Q + "\n\n" + UNRELATED})
    p = only_pair([a, c], template=template)
    nq, nu = n_tokens(Q), n_tokens(UNRELATED)
    assert p.share_a == 1.0
    assert p.share_b == pytest.approx(nq / (nq + nu), abs=1e-6)


# ----------------------------------------------------------------------------- the token masks

def fake(n: int, prose: list[bool] | None = None) -> Fingerprinted:
    """n tokens, code then prose as `prose` says, in one code and one prose document."""
    prose = np.asarray(prose if prose is not None else [False] * n, dtype=bool)
    assert (np.diff(prose.astype(int)) >= 0).all()
    values = dict(name="x", paths=("f.py", "f.md"), kinds=("code", "prose"), ids=np.zeros(n, dtype=np.uint64),
                  doc_of_token=prose.astype(np.int32), first_lines=np.ones(n, dtype=np.int32),
                  last_lines=np.ones(n, dtype=np.int32), is_prose=prose,
                  starts=np.empty(0, dtype=np.int64), spans=np.empty(0, dtype=np.int64),
                  hashes=np.empty(0, dtype=np.uint64), selected=np.empty(0, dtype=np.int64),
                  strings=np.empty(0, dtype=np.uint64), extents=np.full((n, 2), -1, dtype=np.int64),
                  subtrees=np.empty(0, dtype=np.uint64))
    names = {f.name for f in dataclasses.fields(Fingerprinted)}
    return Fingerprinted(**{k: v for k, v in values.items() if k in names})


def with_kgrams(n: int, starts: list[int], spans: list[int]) -> Fingerprinted:
    return dataclasses.replace(fake(n), starts=np.asarray(starts, dtype=np.int64),
                               spans=np.asarray(spans, dtype=np.int64),
                               hashes=np.arange(len(starts), dtype=np.uint64),
                               selected=np.arange(len(starts), dtype=np.int64))


def test_covered_tokens_is_the_union_of_ranges():
    got = covered_tokens(10, [1, 3, 8], [3, 2, 2])
    assert got.tolist() == [False, True, True, True, True, False, False, False, True, True]
    assert not covered_tokens(4, [], []).any()


def test_counted_tokens_drop_every_token_of_an_ignored_kgram():
    f = with_kgrams(8, starts=[0, 1, 2, 3, 4, 5], spans=[3] * 6)
    ignored = np.array([False, True, False, False, False, True])
    assert counted_tokens(f, ignored).tolist() == [True, False, False, False, True, False, False, False]
    assert counted_tokens(f, np.zeros(6, dtype=bool)).all()


NO_STRINGS = (np.empty(0, np.uint64), np.empty(0, np.uint64))


def test_score_picks_the_kind_that_matches_most():
    # a: 4 code tokens then 4 prose tokens; b the same; no winnowed fingerprint in common,
    # so each kind's similarity is (coverage + 0 + containment) / 3
    prose = [False] * 4 + [True] * 4
    a, b = fake(8, prose), fake(8, prose)
    every = np.ones(8, dtype=bool)
    none = {False: np.empty(0, np.uint64), True: np.empty(0, np.uint64)}
    # code half matched, prose fully: the prose kind is the pair's
    assert score(a, b, every, every, none, none, NO_STRINGS, NO_STRINGS, [Tile(0, 0, 2), Tile(4, 4, 4)]) == (2 / 3, 1.0, 1.0)
    # code half matched, prose a quarter: the code kind is the pair's
    assert score(a, b, every, every, none, none, NO_STRINGS, NO_STRINGS, [Tile(0, 0, 2), Tile(4, 4, 1)]) == (1 / 3, 0.5, 0.5)
    # a kind only one side has does not count: a's prose neither dilutes nor adds
    code_only = fake(8)
    sim, sa, sb = score(a, code_only, every, every, none, none, NO_STRINGS, NO_STRINGS, [Tile(0, 0, 4)])
    assert (sa, sb) == (1.0, 0.5) and sim == pytest.approx((8 / 12 + 1.0) / 3)
    # tokens that are not counted (discounted) are in neither numerator nor denominator
    counted = np.array([True, True, False, False] + [True] * 4)
    sim, sa, sb = score(a, b, counted, every, none, none, NO_STRINGS, NO_STRINGS, [Tile(0, 0, 4)])
    assert (sa, sb) == (1.0, 1.0) and sim == pytest.approx(2 / 3)


def test_resemblance_counts_shared_fingerprints_of_the_chosen_kind_only():
    prose = [False] * 4 + [True] * 4
    a, b = fake(8, prose), fake(8, prose)
    every = np.ones(8, dtype=bool)
    fa = {False: np.array([1, 2, 3, 4], np.uint64), True: np.array([9], np.uint64)}
    fb = {False: np.array([3, 4, 5, 6], np.uint64), True: np.array([8], np.uint64)}
    # code fully matched: coverage 1, containment 1, resemblance 2 * 2 / 8
    sim, _, _ = score(a, b, every, every, fa, fb, NO_STRINGS, NO_STRINGS, [Tile(0, 0, 4)])
    assert sim == pytest.approx((1 + 0.5 + 1) / 3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([P, Q, UNRELATED]), min_size=1, max_size=4),
       st.lists(st.sampled_from([P, Q, UNRELATED]), min_size=1, max_size=4))
def test_scores_are_shares_in_range(parts_a, parts_b):
    result = analyse([sub("a", {"m.py": "\n\n".join(parts_a)}), sub("b", {"m.py": "\n\n".join(parts_b)})],
                     params=PARAMS)
    for p in result.pairs:
        assert 0 < p.similarity <= 1 and 0 < p.share_a <= 1 and 0 < p.share_b <= 1
        assert p.longest == max(f.tokens for f in p.fragments) >= PARAMS.k_code
    if set(parts_a) & set(parts_b):
        assert result.pairs
    else:
        assert not result.pairs


def test_shared_string_literals_are_a_fourth_view_for_code():
    a, b = fake(4), fake(4)
    every = np.ones(4, dtype=bool)
    none = {False: np.empty(0, np.uint64), True: np.empty(0, np.uint64)}
    # half the code matched (coverage 0.5, containment 0.5, no shared fingerprints)
    without = score(a, b, every, every, none, none, NO_STRINGS, NO_STRINGS, [Tile(0, 0, 2)])[0]
    assert without == pytest.approx(1 / 3)
    w = LITERAL_WEIGHT
    same = (np.array([1, 2], np.uint64), np.array([1, 2], np.uint64))
    assert score(a, b, every, every, none, none, same, NO_STRINGS, [Tile(0, 0, 2)])[0] == pytest.approx((1 + w) / (3 + w))
    differ = (np.array([1, 2], np.uint64), np.array([3], np.uint64))
    assert score(a, b, every, every, none, none, differ, NO_STRINGS, [Tile(0, 0, 2)])[0] == pytest.approx(1 / (3 + w))
    # a side without literals leaves the view out rather than counting it as a mismatch
    one_sided = (np.array([1, 2], np.uint64), np.empty(0, np.uint64))
    assert score(a, b, every, every, none, none, one_sided, NO_STRINGS, [Tile(0, 0, 2)])[0] == pytest.approx(without)


def test_calibration_is_the_median_and_spread_of_all_pairs_zeros_included():
    from integrity.scoring import MIN_SPREAD, calibrate, unusual
    sims = np.array([0.2, 0.3, 0.25, 0.35, 0.3, 0.95])
    median, spread = calibrate(sims, total_pairs=6)
    assert median == pytest.approx(np.median(sims))
    assert spread == pytest.approx(1.4826 * np.median(np.abs(sims - np.median(sims))))
    # the copy stands far above the independent pairs, which stand near 0
    assert unusual(0.95, (median, spread)) > 5 > abs(unusual(0.3, (median, spread)))
    # pairs without evidence count as 0: with many of them the typical pair is 0
    assert calibrate(sims, total_pairs=100) == (0.0, MIN_SPREAD)
    # the same threshold means the same on a batch whose honest pairs are all more alike
    shifted = calibrate(sims + 0.3, total_pairs=6)
    assert unusual(0.95 + 0.3, shifted) == pytest.approx(unusual(0.95, (median, spread)), abs=0.01)


def test_analysis_marks_the_copy_as_unusual():
    subs = [sub(f"s{i}", {"m.py": body}) for i, body in enumerate([P, P, Q, UNRELATED])]
    result = analyse(subs, params=PARAMS)
    top = result.pairs[0]
    assert (top.a, top.b) == ("s0", "s1") and top.unusual == max(p.unusual for p in result.pairs) > 3


def test_the_chance_ceiling_grows_with_the_number_of_pairs():
    from integrity.scoring import chance_ceiling
    assert chance_ceiling(66) == pytest.approx(2.17, abs=0.01)  # 12 students
    assert chance_ceiling(499_500) == pytest.approx(4.61, abs=0.01)  # 1,000 students
