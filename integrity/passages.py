"""Paraphrased passages: sentences of two prose documents that say the same in other words.

Copied runs of characters (fragments.py) survive light edits, but a sentence reworded with
synonyms and reordered clauses leaves only short runs that no fragment shows. Here every
sentence of one side is compared with every sentence of the other by rapidfuzz's token-sort
ratio (edit similarity of the sorted words, so word order does not matter), and sentences
are paired one to one, most similar first. A pair is a passage when its ratio reaches
PARAPHRASE_RATIO and neither sentence is already inside a shown fragment. (A sentence copied
word for word but too short to be shown as a fragment is shown here, not marked as reworded.)

Passages locate evidence for the reader; they do not change the pair's score, which adding
them did not improve on the shared data sets.
"""
from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from fingerprints.prose import Sentence, sentences
from integrity.documents import Document, Submission
from integrity.fragments import Fragment

MIN_WORDS = 6  # shorter sentences ("The results are shown below.") match by chance
# Among sentences of Clough's independent answers to the same question, 1% reach a
# token-sort ratio of 68 with their closest sentence in the other answer, 0.1% reach 72;
# 65% of the sentences of its copied answers (light to heavy revision) reach 68.
PARAPHRASE_RATIO = 70


def paraphrases(a: Submission, b: Submission, shown: tuple[Fragment, ...]) -> tuple[Fragment, ...]:
    """Reworded sentence pairs between the prose documents of a and b, outside `shown`."""
    out = []
    for da in a.documents:
        for db in b.documents:
            if da.kind == db.kind == "prose":
                out.extend(_aligned(da, db, shown))
    return tuple(out)


def _aligned(a: Document, b: Document, shown: tuple[Fragment, ...]) -> list[Fragment]:
    sa = [s for s in sentences(a.text, MIN_WORDS) if not _inside(s, a.path, shown, "a")]
    sb = [s for s in sentences(b.text, MIN_WORDS) if not _inside(s, b.path, shown, "b")]
    if not sa or not sb:
        return []
    ratios = process.cdist([s.words for s in sa], [s.words for s in sb], scorer=fuzz.token_sort_ratio,
                           score_cutoff=PARAPHRASE_RATIO, dtype=np.uint8)
    used_a, used_b, out = set(), set(), []
    for flat in np.argsort(-ratios.astype(np.int16), axis=None, kind="stable"):
        i, j = divmod(int(flat), len(sb))
        if ratios[i, j] < PARAPHRASE_RATIO:
            break
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append(Fragment(a.path, sa[i].lines, b.path, sb[j].lines, sa[i].words.count(" ") + 1,
                                paraphrase=sa[i].words != sb[j].words))
    return sorted(out, key=lambda f: f.lines_a)


def _inside(s: Sentence, path: str, shown: tuple[Fragment, ...], side: str) -> bool:
    """Is the sentence within the lines of a fragment already shown on that side?"""
    for f in shown:
        doc, (first, last) = (f.doc_a, f.lines_a) if side == "a" else (f.doc_b, f.lines_b)
        if doc == path and first <= s.lines[0] and s.lines[1] <= last:
            return True
    return False
