"""k-gram hashing and winnowing: lengths, equal k-grams, the guarantee, the density."""
from __future__ import annotations

import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fingerprints.winnow import kgram_hashes, symbol_id, symbol_ids, winnow

IDS = st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=80)


def as_ids(values) -> np.ndarray:
    return np.asarray(values, dtype=np.uint64)


# ----------------------------------------------------------------------------- symbol ids

def test_symbol_ids_are_stable_and_distinct():
    assert symbol_id("ID") == symbol_id("ID")
    assert symbol_id("ID") != symbol_id("NUM")
    ids = symbol_ids(("ID", "=", "NUM", "ID"))
    assert ids.dtype == np.uint64
    assert ids[0] == ids[3] != ids[1]
    assert len(symbol_ids(())) == 0
    # crc32: the same in every process and run
    assert symbol_id("loop") == zlib.crc32(b"loop")


# ----------------------------------------------------------------------------- k-gram hashes

@settings(max_examples=100, deadline=None)
@given(IDS, st.integers(min_value=1, max_value=12))
def test_kgram_count_and_equal_kgrams_hash_equal(values, k):
    ids = as_ids(values)
    h = kgram_hashes(ids, k)
    assert h.dtype == np.uint64
    assert len(h) == max(0, len(values) - k + 1)
    for i in range(len(h)):
        for j in range(i + 1, len(h)):
            if values[i:i + k] == values[j:j + k]:
                assert h[i] == h[j]


def test_kgram_hash_depends_on_every_token_and_on_order():
    base = as_ids([1, 2, 3, 4, 5])
    h = kgram_hashes(base, 5)[0]
    for pos in range(5):
        changed = base.copy()
        changed[pos] += np.uint64(1)
        assert kgram_hashes(changed, 5)[0] != h
    assert kgram_hashes(as_ids([5, 4, 3, 2, 1]), 5)[0] != h


def test_same_kgram_in_different_contexts_hashes_the_same():
    run = [7, 8, 9, 10]
    a = as_ids([1, 2] + run + [3])
    b = as_ids(run + [99, 98, 97])
    assert kgram_hashes(a, 4)[2] == kgram_hashes(b, 4)[0]


def test_short_and_empty_input_have_no_kgrams():
    assert len(kgram_hashes(as_ids([]), 3)) == 0
    assert len(kgram_hashes(as_ids([1, 2]), 3)) == 0
    assert len(kgram_hashes(as_ids([1, 2, 3]), 3)) == 1


# ----------------------------------------------------------------------------- winnowing

def brute_winnow(hashes: list[int], w: int) -> list[int]:
    """The paper's definition, one window at a time (rightmost minimum)."""
    n = len(hashes)
    if n == 0:
        return []
    if n <= w:
        m = min(hashes)
        return [max(i for i in range(n) if hashes[i] == m)]
    chosen = set()
    for start in range(n - w + 1):
        window = hashes[start:start + w]
        m = min(window)
        chosen.add(start + max(i for i in range(w) if window[i] == m))
    return sorted(chosen)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=20), max_size=60), st.integers(min_value=1, max_value=10))
def test_winnow_matches_the_definition(values, w):
    # small values make ties frequent: the rightmost minimum must be chosen
    got = winnow(np.asarray(values, dtype=np.uint64), w)
    assert got.tolist() == brute_winnow(values, w)
    assert (np.diff(got) > 0).all()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), min_size=1, max_size=60),
       st.integers(min_value=1, max_value=10))
def test_every_window_holds_a_fingerprint(values, w):
    h = np.asarray(values, dtype=np.uint64)
    sel = set(winnow(h, w).tolist())
    for start in range(max(1, len(values) - w + 1)):
        assert sel & set(range(start, start + w))


def test_empty_input_has_no_fingerprints():
    got = winnow(np.empty(0, dtype=np.uint64), 4)
    assert len(got) == 0 and got.dtype == np.int64


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_shorter_than_a_window_keeps_one_fingerprint(n):
    rng = np.random.default_rng(n)
    h = rng.integers(0, 2**63, size=n, dtype=np.uint64)
    got = winnow(h, 8)
    assert len(got) == 1
    assert h[got[0]] == h.min()


def test_shorter_than_a_window_picks_the_rightmost_minimum():
    assert winnow(np.asarray([5, 1, 3, 1, 4], dtype=np.uint64), 8).tolist() == [3]


@pytest.mark.parametrize("w", [2, 4, 8, 16])
def test_density_is_about_two_over_w_plus_one(w):
    rng = np.random.default_rng(1234 + w)
    ids = rng.integers(0, 2**32, size=20_000, dtype=np.uint64)
    h = kgram_hashes(ids, 5)
    density = len(winnow(h, w)) / len(h)
    assert 0.8 / w <= density <= 3 / (w + 1)
    assert density == pytest.approx(2 / (w + 1), rel=0.15)


@st.composite
def sharing_sequences(draw):
    k = draw(st.integers(min_value=1, max_value=8))
    w = draw(st.integers(min_value=1, max_value=8))
    token = st.integers(min_value=0, max_value=2**32 - 1)
    run = draw(st.lists(token, min_size=w + k - 1, max_size=w + k + 10))
    a = draw(st.lists(token, max_size=40)) + run + draw(st.lists(token, max_size=40))
    b = draw(st.lists(token, max_size=40)) + run + draw(st.lists(token, max_size=40))
    return k, w, a, b


@settings(max_examples=200, deadline=None)
@given(sharing_sequences())
def test_winnowing_guarantee_a_shared_run_shares_a_fingerprint(case):
    k, w, a, b = case
    ha, hb = kgram_hashes(as_ids(a), k), kgram_hashes(as_ids(b), k)
    fa = set(ha[winnow(ha, w)].tolist())
    fb = set(hb[winnow(hb, w)].tolist())
    assert fa & fb


def test_unrelated_random_sequences_share_no_fingerprint():
    # the converse sanity check: the guarantee test is not vacuous
    rng = np.random.default_rng(7)
    a, b = (rng.integers(0, 2**32, size=500, dtype=np.uint64) for _ in range(2))
    ha, hb = kgram_hashes(a, 5), kgram_hashes(b, 5)
    assert not set(ha[winnow(ha, 4)].tolist()) & set(hb[winnow(hb, 4)].tolist())
