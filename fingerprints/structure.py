"""Hashed normalised subtrees: order-insensitive structural evidence.

In a pre-order token stream a syntax node's tokens are a contiguous range: the node's own
token and those after it that start before the node ends. Hashing every such range of at least `min_size`
tokens gives a set per document that moving functions, methods or statements around
leaves unchanged, and that an inserted statement disturbs only for the nodes enclosing it
(as in Baxter et al.'s AST clone detection).
"""
from __future__ import annotations

import numpy as np

_BASE = 0x100000001B3  # the k-gram hash's multiplier (fingerprints.winnow), odd, so invertible mod 2**64
_INVERSE = pow(_BASE, -1, 2**64)


def subtree_ranges(extents: np.ndarray) -> np.ndarray:
    """(start, end) token range of the node of every token, from the nodes' byte extents."""
    starts = extents[:, 0]
    ends = np.searchsorted(starts, extents[:, 1], "left")
    return np.stack((np.arange(len(extents), dtype=np.int64), np.maximum(ends, np.arange(1, len(extents) + 1))),
                    axis=1)


def subtree_hashes(ids: np.ndarray, extents: np.ndarray, min_size: int) -> np.ndarray:
    """The unique hashes of every subtree of at least `min_size` tokens."""
    ranges = subtree_ranges(extents)
    ranges = ranges[ranges[:, 1] - ranges[:, 0] >= min_size]
    if not len(ranges):
        return np.empty(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        n = len(ids)
        one = np.ones(1, dtype=np.uint64)
        powers = np.concatenate((one, np.cumprod(np.full(n, _BASE, dtype=np.uint64))))  # B**i, wrapping
        inverse = np.concatenate((one, np.cumprod(np.full(n, _INVERSE, dtype=np.uint64))))
        prefix = np.concatenate((one - one, np.cumsum(ids.astype(np.uint64) * inverse[:n], dtype=np.uint64)))
        start, end = ranges[:, 0], ranges[:, 1]
        # sum of ids[j] * B**(end-1-j) over the range = B**(end-1) * (prefix[end] - prefix[start])
        h = powers[end - 1] * (prefix[end] - prefix[start]) + (end - start).astype(np.uint64)
        h ^= h >> np.uint64(31)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(29)
    return np.unique(h)
