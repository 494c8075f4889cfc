"""Aligned matching fragments between two submissions.

Matching k-grams are paired across the two sides, consecutive pairs on one diagonal are
chained into maximal runs, and the runs are tiled greedily, longest first, so that every
token belongs to at most one fragment on each side (as in greedy string tiling); scores
count the tiles' tokens. For showing, tiles that follow each other in the same order on
both sides, separated by at most the noise threshold, are merged into one fragment (as
JPlag's match merging): an inserted statement, a dead variable or a changed expression
splits a copied run into tiles with a short gap, and a gap of k tokens or fewer can hold
no evidence either way.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fingerprints.winnow import symbol_id
from integrity.corpus import Fingerprinted, Params

MAX_REPEATS = 16  # a k-gram repeated more often than this on a side is too generic to align
MIN_PROSE_FRAGMENT = 40  # characters (about 8 words): shorter prose matches count, unshown


@dataclass(frozen=True)
class Fragment:
    """A maximal run of matching tokens: line ranges (1-based, inclusive) on both sides."""

    doc_a: str
    lines_a: tuple[int, int]
    doc_b: str
    lines_b: tuple[int, int]
    tokens: int  # matched tokens in the run, words for prose (of a's sentence for a paraphrase)
    paraphrase: bool = False  # a sentence reworded rather than copied (see passages.py)


@dataclass(frozen=True)
class Tile:
    """A fragment in token positions: a[start_a:start_a+length] matches b[start_b:...]."""

    start_a: int
    start_b: int
    length: int


@dataclass(frozen=True)
class Match:
    """Merged tiles: a[start_a:end_a] corresponds to b[start_b:end_b], `tokens` of them exactly."""

    start_a: int
    end_a: int
    start_b: int
    end_b: int
    tokens: int


def merge(a: Fingerprinted, b: Fingerprinted, found: list[Tile], params: Params) -> list[Match]:
    """Tiles in the same order on both sides, in one document each, at most k apart: one match.

    A tile is first cut where the source lines of either side go back (an inlined procedure's
    body, read at its call: fingerprints/inlining.py), and tiles are not merged across such a
    place, so that each match shows one place on each side.
    """
    out: list[Match] = []
    for t in sorted(_in_line_order(a, b, found), key=lambda t: t.start_a):
        last = out[-1] if out else None
        gap = params.k(a.kinds[a.doc_of_token[t.start_a]])
        if (last and 0 <= t.start_a - last.end_a <= gap and 0 <= t.start_b - last.end_b <= gap
                and a.doc_of_token[t.start_a] == a.doc_of_token[last.start_a]
                and b.doc_of_token[t.start_b] == b.doc_of_token[last.start_b]
                and a.first_lines[t.start_a] >= a.first_lines[last.end_a - 1]
                and b.first_lines[t.start_b] >= b.first_lines[last.end_b - 1]):
            out[-1] = Match(last.start_a, t.start_a + t.length, last.start_b, t.start_b + t.length,
                            last.tokens + t.length)
        else:
            out.append(Match(t.start_a, t.start_a + t.length, t.start_b, t.start_b + t.length, t.length))
    return out


def _in_line_order(a: Fingerprinted, b: Fingerprinted, found: list[Tile]) -> list[Tile]:
    """The tiles, each cut after every token whose next token starts on an earlier line, on either side."""
    if not len(a.line_backs) and not len(b.line_backs):  # nothing was inlined on either side
        return found
    out = []
    for t in found:
        cuts = sorted({0, t.length, *_inside(a.line_backs, t.start_a, t.length),
                       *_inside(b.line_backs, t.start_b, t.length)})
        out += [Tile(t.start_a + lo, t.start_b + lo, hi - lo) for lo, hi in zip(cuts, cuts[1:])]
    return out


def _inside(backs: np.ndarray, start: int, length: int) -> list[int]:
    """Offsets into a run of `length` tokens from `start` just after each of `backs` inside it."""
    lo, hi = np.searchsorted(backs, [start, start + length - 1])
    return (backs[lo:hi] - start + 1).tolist()


def usable_kgrams(f: Fingerprinted, ignored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The k-grams of f that may match (not discounted), as (hashes, indices) sorted by hash."""
    idx = np.flatnonzero(~ignored)
    order = np.argsort(f.hashes[idx], kind="stable")
    return f.hashes[idx][order], idx[order]


def tiles(a: Fingerprinted, b: Fingerprinted, usable_a: tuple[np.ndarray, np.ndarray],
          usable_b: tuple[np.ndarray, np.ndarray]) -> list[Tile]:
    """Non-overlapping maximal matches between a and b, built from their usable k-grams."""
    ha, ia = usable_a
    hb, ib = usable_b
    if not len(ia) or not len(ib):
        return []
    lo = np.searchsorted(hb, ha, "left")
    hi = np.searchsorted(hb, ha, "right")
    counts = hi - lo
    keep = (counts > 0) & (counts <= MAX_REPEATS)
    if not keep.any():
        return []
    ia, lo, counts = ia[keep], lo[keep], counts[keep]
    pa = np.repeat(ia, counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    pb = ib[np.repeat(lo, counts) + offsets]
    sa, sb = a.starts[pa], b.starts[pb]
    span = a.spans[pa]
    diag = sa - sb
    order = np.lexsort((sa, diag))
    sa, sb, diag, span = sa[order], sb[order], diag[order], span[order]
    # a run is a stretch of tokens matched on one diagonal: k-grams that overlap on it belong
    # to one run, even where discounted k-grams between them were left out (k-grams never
    # cross documents, so neither does a run)
    breaks = np.flatnonzero((np.diff(diag) != 0) | (sa[1:] >= sa[:-1] + span[:-1])) + 1
    first = np.concatenate(([0], breaks))
    last = np.concatenate((breaks - 1, [len(sa) - 1]))
    run_a, run_b = sa[first], sb[first]
    run_len = sa[last] - sa[first] + span[last]
    return _tile(run_a, run_b, run_len, a.n_tokens, b.n_tokens, int(span.min()))


def _tile(run_a, run_b, run_len, n_a: int, n_b: int, min_len: int) -> list[Tile]:
    taken_a = np.zeros(n_a, dtype=bool)
    taken_b = np.zeros(n_b, dtype=bool)
    out = []
    for r in np.argsort(-run_len, kind="stable"):
        a0, b0, n = int(run_a[r]), int(run_b[r]), int(run_len[r])
        free = ~(taken_a[a0:a0 + n] | taken_b[b0:b0 + n])
        if free.all():
            best = (0, n)
        else:
            best = _longest_true(free)
            if best[1] < min_len:
                continue
        s, length = best
        taken_a[a0 + s:a0 + s + length] = True
        taken_b[b0 + s:b0 + s + length] = True
        out.append(Tile(a0 + s, b0 + s, length))
    return out


def _longest_true(mask: np.ndarray) -> tuple[int, int]:
    """(start, length) of the longest run of True in mask."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    if not len(edges):
        return 0, 0
    starts, ends = edges[::2], edges[1::2]
    i = int(np.argmax(ends - starts))
    return int(starts[i]), int(ends[i] - starts[i])


def to_fragments(a: Fingerprinted, b: Fingerprinted, matches: list[Match]) -> tuple[Fragment, ...]:
    """Matches worth showing as line ranges on both sides, in the order they appear in a.

    Prose is matched on short character runs, so that light edits still leave matches; a
    prose fragment is shown trimmed to whole words, and only if MIN_PROSE_FRAGMENT
    characters or more remain.
    """
    out = []
    for m in matches:
        if a.kinds[a.doc_of_token[m.start_a]] == "prose":
            m = _whole_words(a, m)
            if m.end_a - m.start_a < MIN_PROSE_FRAGMENT:
                continue
        out.append(Fragment(
            a.paths[a.doc_of_token[m.start_a]], (int(a.first_lines[m.start_a]), int(a.last_lines[m.end_a - 1])),
            b.paths[b.doc_of_token[m.start_b]], (int(b.first_lines[m.start_b]), int(b.last_lines[m.end_b - 1])),
            run_tokens(a, m.start_a, m.end_a, m.tokens)))
    return tuple(out)


def run_tokens(f: Fingerprinted, start: int, end: int, matched: int) -> int:
    """The tokens a reader counts in f[start:end], of which `matched` matched: for prose, whose
    characters are fingerprinted, its words (each ends with a space); for code, `matched`."""
    if f.kinds[f.doc_of_token[start]] != "prose":
        return matched
    return int((f.ids[start:end] == _SPACE).sum())


def _whole_words(a: Fingerprinted, m: Match) -> Match:
    """A prose match without the partial words at its ends (tokens are characters, " " ends a word)."""
    spaces = np.flatnonzero(a.ids[m.start_a:m.end_a] == _SPACE)
    if not len(spaces):
        return Match(m.start_a, m.start_a, m.start_b, m.start_b, 0)
    at_word_start = m.start_a == 0 or a.ids[m.start_a - 1] == _SPACE
    first = 0 if at_word_start else int(spaces[0]) + 1
    last = int(spaces[-1]) + 1
    cut = (m.end_a - m.start_a) - last
    return Match(m.start_a + first, m.start_a + last, m.start_b + first, m.end_b - cut,
                 max(0, m.tokens - first - cut))


_SPACE = np.uint64(symbol_id(" "))
