"""Fingerprinted submissions: every document tokenised, k-gram hashed and winnowed.

Tokenising is the costly step (a tree-sitter parse and a walk per document), so it is spread
over processes when a batch is large; hashing and winnowing are vectorised and cheap, and
run afterwards, once the noise threshold for the batch is known.
"""
from __future__ import annotations

import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Callable, Iterable, Sequence

import numpy as np

from fingerprints import tokenize
from fingerprints.structure import subtree_hashes
from fingerprints.winnow import kgram_hashes, symbol_ids, winnow
from integrity.documents import Submission


@dataclass(frozen=True)
class Params:
    """Fingerprinting and comparison parameters (defaults measured on the shared data sets)."""

    k_code: int | None = None  # noise threshold in code tokens; None: from the batch (auto_k)
    w_code: int | None = None  # winnowing window; None: about 2k/3
    k_prose: int = 11  # noise threshold in characters (about two words)
    w_prose: int = 7
    max_share: float = 0.9  # fingerprints in more than this share of submissions are discounted
    min_for_common: int = 10  # ... when there are at least this many submissions

    def k(self, kind: str) -> int:
        """The noise threshold for a document kind."""
        return self.k_prose if kind == "prose" else self.k_code

    def w(self, kind: str) -> int:
        """The winnowing window for a document kind."""
        return self.w_prose if kind == "prose" else self.w_code

    def for_batch(self, code_tokens: Sequence[int]) -> "Params":
        """These parameters with the code thresholds fixed for a batch of this many tokens each."""
        k = self.k_code or auto_k(float(np.median(code_tokens)) if len(code_tokens) else 0.0)
        return replace(self, k_code=k, w_code=self.w_code or max(3, round(2 * k / 3)))


def auto_k(median_tokens: float) -> int:
    """The code noise threshold for submissions of this typical length.

    Chance matches of a k-gram fall exponentially with k while a program has linearly many
    k-grams, so keeping chance matches per program constant needs k to grow with log n:
    k = 2 log2(n) - 6, between 5 and 16 (fitted on the shared data sets: 5-7 for
    40-150-token exercises, 12-14 for 500-1000-token programs).
    """
    return int(min(16, max(5, round(2 * math.log2(max(median_tokens, 1.0)) - 6))))


@dataclass(frozen=True, eq=False)
class Tokenised:
    """One submission's normalised tokens, in one global numbering across its documents."""

    name: str
    paths: tuple[str, ...]  # per document
    kinds: tuple[str, ...]  # per document
    ids: np.ndarray  # uint64 symbol id per token
    doc_of_token: np.ndarray  # int32 per token
    first_lines: np.ndarray  # int32 per token
    last_lines: np.ndarray  # int32 per token
    strings: np.ndarray  # uint64 ids of the code's string-literal texts, unique and sorted
    extents: np.ndarray  # (n, 2) byte extent of each code token's syntax node (-1 for prose)

    @property
    def n_tokens(self) -> int:
        return len(self.doc_of_token)

    @cached_property
    def is_prose(self) -> np.ndarray:
        """bool per token: does it belong to a prose document (computed once)."""
        prose = np.array([k == "prose" for k in self.kinds], dtype=bool)
        return prose[self.doc_of_token] if len(prose) else np.zeros(0, dtype=bool)

    @cached_property
    def line_backs(self) -> np.ndarray:
        """Tokens after which the next token of the same document starts on an earlier line (where
        an inlined procedure's body begins or ends: fingerprints/inlining.py), sorted."""
        return np.flatnonzero((np.diff(self.first_lines) < 0) & (np.diff(self.doc_of_token) == 0))

    def code_tokens(self) -> int:
        """How many of the tokens are code."""
        return int((~self.is_prose).sum())


@dataclass(frozen=True, eq=False)
class Fingerprinted(Tokenised):
    """A tokenised submission with its k-grams and winnowed fingerprints."""

    starts: np.ndarray = None  # int64 per k-gram: its first token
    spans: np.ndarray = None  # int64 per k-gram: its length in tokens (k of its document's kind)
    hashes: np.ndarray = None  # uint64 per k-gram
    selected: np.ndarray = None  # indices of the winnowed k-grams
    subtrees: np.ndarray = None  # unique hashes of the code's subtrees of k tokens or more


def _cat(parts: list[np.ndarray], dtype) -> np.ndarray:
    """The parts end to end as one array of dtype (empty if there are none)."""
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype=dtype)


def tokenise(sub: Submission) -> Tokenised:
    """Tokenise every document of a submission."""
    streams = [tokenize(d.text, d.language) for d in sub.documents]

    return Tokenised(
        name=sub.name, paths=tuple(d.path for d in sub.documents), kinds=tuple(d.kind for d in sub.documents),
        ids=_cat([symbol_ids(s.symbols) for s in streams], np.uint64),
        doc_of_token=_cat([np.full(len(s), i, dtype=np.int32) for i, s in enumerate(streams)], np.int32),
        first_lines=_cat([s.first_lines for s in streams], np.int32),
        last_lines=_cat([s.last_lines for s in streams], np.int32),
        strings=np.unique(symbol_ids(sorted(set().union(*(s.strings for s in streams))))),
        extents=_cat([s.extents if s.extents is not None else np.full((len(s), 2), -1) for s in streams],
                    np.int64).reshape(-1, 2),
    )


def fingerprint(tok: Tokenised | Submission, params: Params) -> Fingerprinted:
    """Hash and winnow every document of a tokenised submission (a Submission is tokenised first)."""
    if isinstance(tok, Submission):
        tok = tokenise(tok)
        params = params.for_batch([tok.code_tokens()])
    bounds = np.concatenate(([0], np.flatnonzero(np.diff(tok.doc_of_token)) + 1, [tok.n_tokens]))
    docs = tok.doc_of_token[bounds[:-1]] if tok.n_tokens else []
    starts, spans, hashes, selected, subtrees = [], [], [], [], []
    count = 0
    for doc, lo, hi in zip(docs, bounds[:-1], bounds[1:]):
        kind = tok.kinds[doc]
        k, w = params.k(kind), params.w(kind)
        if kind == "code":
            subtrees.append(subtree_hashes(tok.ids[lo:hi], tok.extents[lo:hi], k))
        h = kgram_hashes(tok.ids[lo:hi], k)
        selected.append(winnow(h, w) + count)
        starts.append(np.arange(len(h), dtype=np.int64) + lo)
        spans.append(np.full(len(h), k, dtype=np.int64))
        hashes.append(h)
        count += len(h)

    return Fingerprinted(**{f: getattr(tok, f) for f in Tokenised.__dataclass_fields__},
                         starts=_cat(starts, np.int64), spans=_cat(spans, np.int64),
                         hashes=_cat(hashes, np.uint64), selected=_cat(selected, np.int64),
                         subtrees=np.unique(_cat(subtrees, np.uint64)))


def tokenise_all(subs: Sequence[Submission],
                 progress: Callable[[Iterable], Iterable] = iter) -> list[Tokenised]:
    """Tokenise many submissions, in worker processes when there are enough to pay off."""
    workers = min(os.cpu_count() or 1, 8)
    if len(subs) < 40 or workers < 2:
        return [tokenise(s) for s in progress(subs)]
    with ProcessPoolExecutor(workers) as pool:
        return list(progress(pool.map(tokenise, subs, chunksize=8)))
