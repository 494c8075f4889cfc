"""k-gram hashing and winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003).

Every run of at least k tokens shared by two streams gives them a shared k-gram hash (k is
the noise threshold); winnowing keeps the minimum hash of every window of w consecutive
k-grams, so every shared run of at least w + k - 1 tokens (the guarantee threshold) shares
at least one selected fingerprint, while only about 2 / (w + 1) of the hashes are kept.
"""
from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_BASE = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime, an odd multiplier mod 2**64


@lru_cache(maxsize=None)
def symbol_id(symbol: str) -> int:
    """A stable 32-bit id of a token symbol (the same in every process and run)."""
    return zlib.crc32(symbol.encode("utf-8"))


def symbol_ids(symbols: tuple[str, ...] | list[str]) -> np.ndarray:
    """The ids of a token sequence as uint64."""
    return np.fromiter((symbol_id(s) for s in symbols), dtype=np.uint64, count=len(symbols))


def kgram_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    """The hash of every k-gram of `ids` (len(ids) - k + 1 of them; none if shorter than k)."""
    n = len(ids) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = np.zeros(n, dtype=np.uint64)
        for j in range(k):  # polynomial hash, wrapping mod 2**64; k is small, n is large
            h = h * _BASE + ids[j:j + n]
        # final avalanche (splitmix64) so that winnowing's minimum is not biased by the last token
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h


def winnow(hashes: np.ndarray, w: int) -> np.ndarray:
    """Positions of the fingerprints selected by winnowing with window w (sorted, unique).

    In each window the rightmost minimal hash is chosen, as in the paper; a sequence shorter
    than one window keeps its minimum.
    """
    n = len(hashes)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    if n <= w:
        return np.array([n - 1 - int(np.argmin(hashes[::-1]))], dtype=np.int64)
    windows = sliding_window_view(hashes, w)
    rightmost = w - 1 - np.argmin(windows[:, ::-1], axis=1)
    return np.unique(rightmost + np.arange(len(windows)))
