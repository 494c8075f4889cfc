"""Pair scores.

A pair's tiles (see fragments.py) cover some tokens on each side. Tokens of discounted
k-grams (template or common code) are not counted on either side. For each document kind
(code, prose) present on both sides,

    coverage = (covered tokens of a + covered tokens of b) / (counted tokens of a + of b),

the share of both submissions that is matched (as Dolos defines it), and share_a, share_b
the share of each side. The similarity of a kind, in [0, 1], is the mean of these views of
the evidence, each of which alone fails somewhere on the shared data sets:

- coverage, as above;
- containment, the larger share: finds a copy embedded in a much longer program;
- resemblance, the Dice coefficient of the two winnowed fingerprint sets: a set measure
  that repeated code cannot inflate;
- for code, the Dice coefficient of the two sides' sets of hashed normalised subtrees of
  k tokens or more (fingerprints/structure.py, less template and common ones): structural
  evidence that moving functions, methods or statements around leaves intact;
- for code whose both sides have string literals (less template and common ones): the
  Dice coefficient of their wording, which renaming and restructuring leave intact while
  independent authors word their messages differently. It corroborates rather than
  measures (honest solutions to one task share a message more often than a run of code),
  so it weighs a third of each other view: on IR-Plag it lifts pooled AUC from 0.673 to
  0.691, while on synthetic corpora whose honest authors draw messages from a few shared
  variants (gen_corpus.py), an equal weight cost 0.07-0.10 of average precision where a
  third costs 0.03-0.05.

The pair's similarity is that of its most similar kind, so a copied report is not diluted
by original code, nor the other way round.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from integrity.corpus import Fingerprinted
from integrity.fragments import Fragment, Tile


@dataclass(frozen=True)
class PairScore:
    """The evidence for one pair of submissions (a < b by name)."""

    a: str
    b: str
    similarity: float  # in [0, 1]
    share_a: float  # share of a's counted tokens (of the best-matching kind) matched in b
    share_b: float
    longest: int  # tokens (words for prose) in the longest exact run
    fragments: tuple[Fragment, ...]
    unusual: float = 0.0  # how far above the assignment's typical pair, in robust spreads (see calibrate)


def counted_tokens(f: Fingerprinted, ignored: np.ndarray) -> np.ndarray:
    """Tokens that count: those not covered by any discounted k-gram."""
    return ~_cover(f.n_tokens, f.starts[ignored], f.spans[ignored])


def covered_tokens(n: int, starts: list[int], lengths: list[int]) -> np.ndarray:
    """Tokens inside any of the given ranges."""
    return _cover(n, np.asarray(starts, dtype=np.int64), np.asarray(lengths, dtype=np.int64))


def _cover(n: int, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    delta = np.zeros(n + 1, dtype=np.int32)
    np.add.at(delta, starts, 1)
    np.add.at(delta, starts + lengths, -1)
    return np.cumsum(delta[:-1]) > 0


LITERAL_WEIGHT = 1 / 3  # corroboration: honest solutions share messages more often than code


def winnowed_by_kind(f: Fingerprinted, ignored: np.ndarray) -> dict[bool, np.ndarray]:
    """The submission's counted winnowed fingerprints, unique and sorted, for code (False) and prose (True)."""
    sel = f.selected[~ignored[f.selected]]
    prose = f.is_prose[f.starts[sel]]
    return {kind: np.unique(f.hashes[sel[prose == kind]]) for kind in (False, True)}


def score(a: Fingerprinted, b: Fingerprinted, counted_a: np.ndarray, counted_b: np.ndarray,
          winnowed_a: dict[bool, np.ndarray], winnowed_b: dict[bool, np.ndarray],
          strings: tuple[np.ndarray, np.ndarray], subtrees: tuple[np.ndarray, np.ndarray],
          found: list[Tile]) -> tuple[float, float, float]:
    """(similarity, share of a matched, share of b matched) for the kind that matches most.

    `strings` and `subtrees` are both sides' counted string literals and subtree hashes:
    for code, when both sides have some, their resemblance is another view.
    """
    cov_a = covered_tokens(a.n_tokens, [t.start_a for t in found], [t.length for t in found]) & counted_a
    cov_b = covered_tokens(b.n_tokens, [t.start_b for t in found], [t.length for t in found]) & counted_b
    best = (0.0, 0.0, 0.0)
    for prose in (False, True):
        in_a, in_b = counted_a & (a.is_prose == prose), counted_b & (b.is_prose == prose)
        na, nb = int(in_a.sum()), int(in_b.sum())
        if na and nb:
            ma, mb = int((cov_a & in_a).sum()), int((cov_b & in_b).sum())
            views = [((ma + mb) / (na + nb), 1.0), (max(ma / na, mb / nb), 1.0),
                     (dice(winnowed_a[prose], winnowed_b[prose]), 1.0)]
            if not prose and len(strings[0]) and len(strings[1]):
                views.append((dice(*strings), LITERAL_WEIGHT))
            if not prose and len(subtrees[0]) and len(subtrees[1]):
                views.append((dice(*subtrees), 1.0))
            mean = sum(v * w for v, w in views) / sum(w for _, w in views)
            best = max(best, (mean, ma / na, mb / nb))
    return best


def dice(x: np.ndarray, y: np.ndarray) -> float:
    """2 |x & y| / (|x| + |y|) of two sets given as unique arrays (0 when both are empty)."""
    return 2 * len(np.intersect1d(x, y, assume_unique=True)) / max(1, len(x) + len(y))


MIN_SPREAD = 0.01  # similarity: below this the spread of a batch says nothing (mostly zeros)


def calibrate(similarities: np.ndarray, total_pairs: int) -> tuple[float, float]:
    """The typical similarity of a batch's pairs and its spread: (median, 1.4826 x MAD).

    Most pairs of an assignment are independent, so the median and the median absolute
    deviation of all pairs' similarities (the total_pairs - len(similarities) pairs with no
    evidence count as 0) describe the independent ones robustly, whatever the few copies
    score. A pair's `unusual` is (similarity - median) / spread: the same threshold on it
    means about the same on every assignment, however alike its honest solutions are.
    """
    values = np.asarray(similarities, dtype=float)
    zeros = max(0, total_pairs - len(values))
    median = _median_with(values, 0.0, zeros)
    spread = 1.4826 * _median_with(np.abs(values - median), median, zeros)
    return median, max(spread, MIN_SPREAD)


def unusual(similarity: float, typical: tuple[float, float]) -> float:
    """How many spreads a similarity lies above the batch's typical pair (see calibrate)."""
    median, spread = typical
    return round((similarity - median) / spread, 2)


def chance_ceiling(total_pairs: int) -> float:
    """The `unusual` that about one independent pair of a batch this size reaches by chance.

    If independent pairs spread normally about the batch's median, the largest of M of them
    lies near the 1 - 1/M quantile: 2.2 spreads for the 66 pairs of 12 students, 4.6 for the
    half million of 1,000. A pair above it is unlikely to be one more independent pair.
    """
    return NormalDist().inv_cdf(1 - 1 / max(2, total_pairs))


def _median_with(values: np.ndarray, extra: float, count: int) -> float:
    """The median of `values` together with `count` copies of `extra`, without building them."""
    n = len(values) + count
    if n == 0:
        return 0.0
    ordered = np.sort(values)
    below = int(np.searchsorted(ordered, extra, "left"))  # values sorted before the copies

    def nth(i: int) -> float:  # the i-th smallest of the combined multiset
        if i < below:
            return float(ordered[i])
        if i < below + count:
            return extra
        return float(ordered[i - count])

    return (nth((n - 1) // 2) + nth(n // 2)) / 2
