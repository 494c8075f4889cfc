"""Fingerprinted submissions: every document tokenised, k-gram hashed and winnowed.

Tokenising is the costly step (a tree-sitter parse and a walk per document), so it is spread
over processes when a batch is large.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from fingerprints import tokenize
from fingerprints.winnow import kgram_hashes, symbol_ids, winnow
from integrity.documents import Submission


@dataclass(frozen=True)
class Params:
    """Fingerprinting and comparison parameters (defaults measured on the shared data sets)."""

    k_code: int = 12  # noise threshold in code tokens: shorter shared runs are ignored
    w_code: int = 8  # winnowing window: runs of k + w - 1 tokens are guaranteed to be indexed
    k_prose: int = 3  # noise threshold in words
    w_prose: int = 2
    max_share: float = 0.9  # fingerprints in more than this share of submissions are discounted
    min_for_common: int = 10  # ... when there are at least this many submissions

    def k(self, kind: str) -> int:
        """The noise threshold for a document kind."""
        return self.k_prose if kind == "prose" else self.k_code

    def w(self, kind: str) -> int:
        """The winnowing window for a document kind."""
        return self.w_prose if kind == "prose" else self.w_code


@dataclass(frozen=True, eq=False)
class Fingerprinted:
    """One submission's tokens and k-grams, in one global token numbering across documents."""

    name: str
    paths: tuple[str, ...]  # per document
    kinds: tuple[str, ...]  # per document
    doc_of_token: np.ndarray  # int32 per token
    first_lines: np.ndarray  # int32 per token
    last_lines: np.ndarray  # int32 per token
    is_prose: np.ndarray  # bool per token
    starts: np.ndarray  # int64 per k-gram: its first token
    spans: np.ndarray  # int64 per k-gram: its length in tokens (k of its document's kind)
    hashes: np.ndarray  # uint64 per k-gram
    selected: np.ndarray  # indices of the winnowed k-grams

    @property
    def n_tokens(self) -> int:
        return len(self.doc_of_token)


def fingerprint(sub: Submission, params: Params) -> Fingerprinted:
    """Tokenise, hash and winnow every document of a submission."""
    paths, kinds, docs, firsts, lasts, prose = [], [], [], [], [], []
    starts, spans, hashes, selected = [], [], [], []
    offset = 0
    for i, doc in enumerate(sub.documents):
        stream = tokenize(doc.text, doc.language)
        k, w = params.k(doc.kind), params.w(doc.kind)
        h = kgram_hashes(symbol_ids(stream.symbols), k)
        selected.append(winnow(h, w) + sum(len(x) for x in hashes))
        paths.append(doc.path); kinds.append(doc.kind)
        n = len(stream)
        docs.append(np.full(n, i, dtype=np.int32))
        firsts.append(stream.first_lines); lasts.append(stream.last_lines)
        prose.append(np.full(n, doc.kind == "prose"))
        starts.append(np.arange(len(h), dtype=np.int64) + offset)
        spans.append(np.full(len(h), k, dtype=np.int64))
        hashes.append(h)
        offset += n

    def cat(parts, dtype):
        return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype=dtype)

    return Fingerprinted(
        name=sub.name, paths=tuple(paths), kinds=tuple(kinds),
        doc_of_token=cat(docs, np.int32), first_lines=cat(firsts, np.int32),
        last_lines=cat(lasts, np.int32), is_prose=cat(prose, bool),
        starts=cat(starts, np.int64), spans=cat(spans, np.int64),
        hashes=cat(hashes, np.uint64), selected=cat(selected, np.int64),
    )


def _fingerprint_job(args):
    return fingerprint(*args)


def fingerprint_all(subs: Sequence[Submission], params: Params,
                    progress: Callable[[Iterable], Iterable] = iter) -> list[Fingerprinted]:
    """Fingerprint many submissions, in worker processes when there are enough to pay off."""
    jobs = [(s, params) for s in subs]
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < 40 or workers < 2:
        return [fingerprint(s, params) for s in progress(subs)]
    with ProcessPoolExecutor(workers) as pool:
        return list(progress(pool.map(_fingerprint_job, jobs, chunksize=8)))
