"""One comparison run: fingerprint a batch, index it, score candidate pairs, find clusters."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from integrity.clusters import clusters
from integrity.corpus import Fingerprinted, Params, fingerprint, tokenise_all
from integrity.documents import Submission
from integrity.fragments import merge, run_tokens, tiles, to_fragments, usable_kgrams
from integrity.index import build_index
from integrity.passages import paraphrases
from integrity.scoring import (PairScore, calibrate, chance_ceiling, counted_tokens, score, unusual,
                               winnowed_by_kind)

REFERENCE = "reference:"
# a pair links its submissions into a group when it is both substantial (this similar) and
# beyond what chance gives the batch's independent pairs (scoring.chance_ceiling): where
# honest solutions are alike, a fixed similarity alone would chain most of a class together
CLUSTER_THRESHOLD = 0.5
REFINE_MIN = 2000  # every candidate pair of a batch of up to about 60 is aligned exactly
REFINE_PER_SUBMISSION = 5  # ... and beyond that, five per submission


@dataclass(frozen=True, eq=False)
class Estimates:
    """The candidate pairs that were not aligned, kept as arrays (there may be millions)."""

    names: list[str]  # of the submissions, by index
    pairs: np.ndarray  # (m, 2) submission indices
    similarity: np.ndarray  # estimated similarity of each pair

    def __len__(self) -> int:
        return len(self.similarity)

    def __iter__(self) -> Iterator[tuple[str, str, float]]:
        """(a, b, similarity) with a < b, one pair at a time."""
        for (i, j), s in zip(self.pairs.tolist(), self.similarity.tolist()):
            a, b = sorted((self.names[i], self.names[j]))
            yield a, b, s


@dataclass
class Analysis:
    """The result of comparing one batch: scored pairs (most similar first) and clusters.

    Estimated pairs rank below every exact pair: their similarity is capped at the lowest
    exact one.
    """

    pairs: list[PairScore]  # aligned exactly, with fragments
    estimates: Estimates  # the other candidate pairs, with their estimated similarity
    clusters: list[list[str]]
    discounted_common: int  # number of k-gram hashes discounted as common code
    fingerprinted: list[Fingerprinted]  # submissions then references, as compared
    params: Params  # as used, with the batch's code thresholds filled in
    typical: tuple[float, float]  # the batch's typical pair similarity and its spread (calibrate)


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
    toks = tokenise_all(everything, lambda it: bar(it, len(everything), "tokenise"))
    params = params.for_batch([t.code_tokens() for t in toks[:len(subs)]])
    fps: list[Fingerprinted] = [fingerprint(t, params) for t in toks]
    starter = fingerprint(template, params) if template and template.documents else None
    index = build_index(fps, starter, params, students=len(subs))
    cand = index.candidates[(index.candidates[:, 0] < len(subs)) | (index.candidates[:, 1] < len(subs))]
    estimate = 2 * cand[:, 2] / np.maximum(1, index.fingerprints[cand[:, 0]] + index.fingerprints[cand[:, 1]])
    order = np.argsort(-estimate, kind="stable")
    budget = refine_budget(len(everything))
    exact, rest = order[:budget], order[budget:]
    counted = [counted_tokens(f, ign) for f, ign in zip(fps, index.ignored)]
    usable = [usable_kgrams(f, ign) for f, ign in zip(fps, index.ignored)]
    winnowed = [winnowed_by_kind(f, ign) for f, ign in zip(fps, index.ignored)]
    pairs = []
    for i, j in bar(cand[exact, :2].tolist(), len(exact), "compare"):
        a, b = (i, j) if fps[i].name < fps[j].name else (j, i)
        fa, fb = fps[a], fps[b]
        found = tiles(fa, fb, usable[a], usable[b])
        sim, share_a, share_b = score(fa, fb, counted[a], counted[b], winnowed[a], winnowed[b],
                                      (index.strings[a], index.strings[b]),
                                      (index.subtrees[a], index.subtrees[b]), found)
        shown = to_fragments(fa, fb, merge(fa, fb, found, params))
        pairs.append(PairScore(fa.name, fb.name, round(sim, 6), round(share_a, 6), round(share_b, 6),
                               max((run_tokens(fa, t.start_a, t.start_a + t.length, t.length) for t in found),
                                   default=0),
                               shown + paraphrases(everything[a], everything[b], shown)))
    floor = min((p.similarity for p in pairs), default=1.0)
    estimates = Estimates([f.name for f in fps], cand[rest, :2], np.minimum(estimate[rest], floor).round(6))
    between_students = (cand[:, 0] < len(subs)) & (cand[:, 1] < len(subs))
    aligned = np.array([p.similarity for p in pairs])  # in the order of `exact`
    student_pairs = len(subs) * (len(subs) - 1) // 2
    typical = calibrate(np.concatenate((aligned[between_students[exact]],
                                        estimates.similarity[between_students[rest]])), student_pairs)
    pairs = sorted((replace(p, unusual=unusual(p.similarity, typical)) for p in pairs),
                   key=lambda p: (-p.similarity, p.a, p.b))
    # as for common code, a batch of fewer than min_for_common says too little about chance
    ceiling = chance_ceiling(student_pairs) if len(subs) >= params.min_for_common else 0.0
    groups = clusters((p.a, p.b, p.similarity) for p in pairs
                      if p.similarity >= CLUSTER_THRESHOLD and p.unusual >= ceiling
                      and not (p.a.startswith(REFERENCE) or p.b.startswith(REFERENCE)))
    return Analysis(pairs, estimates, groups, len(index.common), fps, params, typical)


def refine_budget(n: int) -> int:
    """How many candidate pairs are aligned exactly; the rest keep their fingerprint estimate.

    Aligning a pair costs a fraction of a millisecond; candidates are ranked by the
    resemblance of their winnowed fingerprints, so only pairs far down the list are left
    estimated.
    """
    return max(REFINE_MIN, REFINE_PER_SUBMISSION * n)
