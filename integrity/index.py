"""The inverted index: fingerprint -> submissions, discounts, and candidate pairs.

Only pairs that share a winnowed fingerprint are ever scored, so the cost follows the
postings of shared fingerprints, not the square of the number of submissions.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import sparse

from integrity.corpus import Fingerprinted, Params


@dataclass(frozen=True, eq=False)
class Index:
    """Discount masks per submission and the candidate pairs the index yields."""

    ignored: list[np.ndarray]  # per submission: bool per k-gram (template or common code)
    strings: list[np.ndarray]  # per submission: its string literals less template and common ones
    subtrees: list[np.ndarray]  # per submission: its code subtree hashes less template and common ones
    common: np.ndarray  # hashes discounted for being in too many submissions
    candidates: np.ndarray  # (m, 3) int64: submission indices i < j, shared fingerprints
    fingerprints: np.ndarray  # per submission: its indexed (non-discounted) fingerprints


def common_hashes(sets: Sequence[np.ndarray], params: Params) -> np.ndarray:
    """Values present in more than `max_share` of the submissions' sets (none in small batches)."""
    n = len(sets)
    if n == 0 or n < params.min_for_common:
        return np.empty(0, dtype=np.uint64)
    values, counts = np.unique(np.concatenate([np.unique(s) for s in sets]), return_counts=True)
    return values[counts > params.max_share * n]


def build_index(fps: Sequence[Fingerprinted], template: Fingerprinted | None, params: Params,
                students: int | None = None) -> Index:
    """Discount template and common k-grams, then pair the submissions that share fingerprints.

    Only the first `students` submissions (default all) count towards common code; the rest
    (reference solutions) are indexed but do not make code common. String literals are
    discounted the same way.
    """
    none = np.empty(0, dtype=np.uint64)
    common = common_hashes([f.hashes for f in fps[:students]], params)
    discounted = np.union1d(template.hashes if template is not None else none, common)
    common_strings = np.union1d(template.strings if template is not None else none,
                                common_hashes([f.strings for f in fps[:students]], params))
    strings = [np.setdiff1d(f.strings, common_strings, assume_unique=True) for f in fps]
    common_subtrees = np.union1d(template.subtrees if template is not None else none,
                                 common_hashes([f.subtrees for f in fps[:students]], params))
    subtrees = [np.setdiff1d(f.subtrees, common_subtrees, assume_unique=True) for f in fps]
    ignored = [np.isin(f.hashes, discounted) for f in fps]
    keys = [np.unique(f.hashes[f.selected[~ign[f.selected]]]) for f, ign in zip(fps, ignored)]
    return Index(ignored, strings, subtrees, common, shared_fingerprints(keys),
                 np.array([len(k) for k in keys], dtype=np.int64))


def shared_fingerprints(keys: list[np.ndarray]) -> np.ndarray:
    """(i, j, shared) for every pair i < j of fingerprint sets that intersect.

    The sets form a sparse submissions x fingerprints matrix X; X @ X.T counts the shared
    fingerprints of every pair through the postings, so its cost is the sum over
    fingerprints of their document frequency squared, not the square of the batch size.
    """
    if not keys:
        return np.empty((0, 3), dtype=np.int64)
    values, columns = np.unique(np.concatenate(keys), return_inverse=True)
    rows = np.repeat(np.arange(len(keys)), [len(k) for k in keys])
    x = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, columns)),
                          shape=(len(keys), len(values)))
    product = sparse.triu(x @ x.T, k=1).tocoo()
    return np.stack((product.row, product.col, product.data), axis=1).astype(np.int64)
