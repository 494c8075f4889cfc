"""One comparison run: fingerprint a batch, index it, score candidate pairs, find clusters."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from integrity.clusters import clusters
from integrity.corpus import Fingerprinted, Params, fingerprint, fingerprint_all
from integrity.documents import Submission
from integrity.fragments import tiles, to_fragments
from integrity.index import build_index
from integrity.scoring import PairScore, counted_tokens, similarity

REFERENCE = "reference:"
CLUSTER_THRESHOLD = 0.5  # pairs at least this similar connect their submissions into a group


@dataclass
class Analysis:
    """The result of comparing one batch: scored pairs (most similar first) and clusters."""

    pairs: list[PairScore]
    clusters: list[list[str]]
    discounted_common: int  # number of k-gram hashes discounted as common code
    fingerprinted: list[Fingerprinted]  # submissions then references, as compared


def template_hashes(template: Submission | None, params: Params) -> np.ndarray:
    """Every k-gram hash of the starter code (all of them, not only the winnowed ones)."""
    if template is None or not template.documents:
        return np.empty(0, dtype=np.uint64)
    return np.unique(fingerprint(template, params).hashes)


def analyse(subs: Sequence[Submission], template: Submission | None = None,
            params: Params = Params(), references: Sequence[Submission] = (),
            progress: Callable[[Iterable, int, str], Iterable] | None = None) -> Analysis:
    """Compare every submission with every other one that shares a fingerprint with it.

    References (staff solutions) are compared with every submission under the name
    "reference:<name>", but not with each other, and do not count towards common code.
    """
    def bar(it: Iterable, total: int, label: str) -> Iterable:
        return progress(it, total, label) if progress else it

    everything = list(subs) + [Submission(f"{REFERENCE}{r.name}", r.documents) for r in references]
    fps: list[Fingerprinted] = fingerprint_all(everything, params,
                                               lambda it: bar(it, len(everything), "fingerprint"))
    index = build_index(fps, template_hashes(template, params), params, students=len(subs))
    counted = [counted_tokens(f, ign) for f, ign in zip(fps, index.ignored)]
    pairs = []
    for i, j in bar(index.candidates.tolist(), len(index.candidates), "compare"):
        if i >= len(subs) and j >= len(subs):
            continue
        a, b = (i, j) if fps[i].name < fps[j].name else (j, i)
        fa, fb = fps[a], fps[b]
        found = tiles(fa, fb, ~index.ignored[a], ~index.ignored[b])
        if not found:
            continue
        sim, share_a, share_b = similarity(fa, fb, counted[a], counted[b], found)
        pairs.append(PairScore(fa.name, fb.name, round(sim, 6), round(share_a, 6), round(share_b, 6),
                               max(t.length for t in found), to_fragments(fa, fb, found)))
    pairs.sort(key=lambda p: (-p.similarity, p.a, p.b))
    groups = clusters((p.a, p.b) for p in pairs
                      if p.similarity >= CLUSTER_THRESHOLD and not p.a.startswith(REFERENCE))
    return Analysis(pairs, groups, len(index.common), fps)
