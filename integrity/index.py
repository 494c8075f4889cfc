"""The inverted index: fingerprint -> submissions, discounts, and candidate pairs.

Only pairs that share a winnowed fingerprint are ever scored, so the cost follows the
number of similar pairs, not the square of the number of submissions.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from integrity.corpus import Fingerprinted, Params


@dataclass(frozen=True, eq=False)
class Index:
    """Discount masks per submission and the candidate pairs the index yields."""

    ignored: list[np.ndarray]  # per submission: bool per k-gram (template or common code)
    common: np.ndarray  # hashes discounted for being in too many submissions
    candidates: np.ndarray  # (m, 2) int64 submission indices, i < j


def common_hashes(fps: Sequence[Fingerprinted], params: Params) -> np.ndarray:
    """Hashes present in more than `max_share` of the submissions (none in small batches)."""
    n = len(fps)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    if n < params.min_for_common:
        return np.empty(0, dtype=np.uint64)
    values, counts = np.unique(np.concatenate([np.unique(f.hashes) for f in fps]), return_counts=True)
    return values[counts > params.max_share * n]


def posting_cap(n: int) -> int:
    """The most submissions one fingerprint may name and still propose candidate pairs.

    A fingerprint shared by very many submissions proposes quadratically many pairs and is
    weak evidence; real copies also share rarer fingerprints. Small batches are uncapped.
    """
    return max(50, n // 10)


def build_index(fps: Sequence[Fingerprinted], template: np.ndarray, params: Params,
                students: int | None = None) -> Index:
    """Discount template and common k-grams, then pair the submissions that share fingerprints.

    Only the first `students` submissions (default all) count towards common code; the rest
    (reference solutions) are indexed but do not make code common.
    """
    common = common_hashes(fps[:students], params)
    discounted = np.union1d(template, common)
    ignored = [np.isin(f.hashes, discounted) for f in fps]
    keys, owners = [], []
    for i, (f, ign) in enumerate(zip(fps, ignored)):
        sel = f.selected[~ign[f.selected]]
        h = np.unique(f.hashes[sel])
        keys.append(h)
        owners.append(np.full(len(h), i, dtype=np.int64))
    return Index(ignored, common, _pairs_sharing(keys, owners, posting_cap(len(fps))))


def _pairs_sharing(keys: list[np.ndarray], owners: list[np.ndarray], cap: int) -> np.ndarray:
    if not keys:
        return np.empty((0, 2), dtype=np.int64)
    h = np.concatenate(keys)
    s = np.concatenate(owners)
    order = np.argsort(h, kind="stable")
    h, s = h[order], s[order]
    bounds = np.flatnonzero(np.diff(h)) + 1
    starts = np.concatenate(([0], bounds))
    sizes = np.diff(np.concatenate((starts, [len(h)])))
    codes = []
    n = int(s.max()) + 1 if len(s) else 0
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= cap)]):
        groups = starts[sizes == size]
        members = s[groups[:, None] + np.arange(size)]  # (g, size), ascending within a group
        iu, ju = np.triu_indices(size, 1)
        codes.append((members[:, iu] * n + members[:, ju]).ravel())
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    uniq = np.unique(np.concatenate(codes))
    return np.stack((uniq // n, uniq % n), axis=1)
