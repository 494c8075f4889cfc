"""Submissions as the pages show them: one tab per document, highlighted by the report's
Pygments code (integrity/report.py), fragments marked in matching colours on both sides of
a pair and template or common code marked as discounted."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup

from integrity.documents import Document
from integrity.fragments import Fragment
from integrity.report import PALETTE_SIZE, highlight_lines, mark_lines


@dataclass(frozen=True)
class DocTab:
    """One document of a submission, rendered."""

    index: int
    path: str
    kind: str  # "code" or "prose"
    language: str
    line_count: int
    html: Markup  # one div per line
    fragments: int  # how many of the pair's fragments touch it


@dataclass(frozen=True)
class FragmentLink:
    """One fragment as the list beside a pair shows it; tab_a/tab_b are -1 when the document is missing."""

    number: int
    colour: int
    doc_a: str
    lines_a: str
    tab_a: int
    doc_b: str
    lines_b: str
    tab_b: int
    tokens: int
    unit: str  # what `tokens` counts: "tok" of code, "words" of prose
    paraphrase: bool  # a reworded sentence rather than a copied run (integrity/passages.py)


@dataclass(frozen=True)
class PairSides:
    """Both sides of a pair: their tabs (the first tab with a fragment opens first) and the fragments."""

    tabs_a: tuple[DocTab, ...]
    tabs_b: tuple[DocTab, ...]
    open_a: int
    open_b: int
    fragments: tuple[FragmentLink, ...]


def document_tabs(docs: Sequence[Document], side: str = "a", spans: Sequence[tuple[str, tuple[int, int]]] = (),
                  discounted: dict[str, set[int]] | None = None) -> tuple[DocTab, ...]:
    """A tab per document; `spans` are the fragments' (document, lines) on this side, in order."""
    discounted = discounted or {}
    tabs = []
    for index, doc in enumerate(docs):
        marks = [(i, lines) for i, (path, lines) in enumerate(spans) if path == doc.path]
        lines = highlight_lines(doc)
        tabs.append(DocTab(index, doc.path, doc.kind, doc.language, len(lines),
                           mark_lines("f", side, lines, marks, _bridged(discounted.get(doc.path, set()))),
                           len(marks)))
    return tuple(tabs)


def _bridged(lines: set[int], gap: int = 2) -> frozenset[int]:
    """Discounted lines with short gaps filled: only winnowed fingerprints are stored, so a
    continuation line inside starter code may have none of its own."""
    out = set(lines)
    ordered = sorted(lines)
    for lo, hi in pairwise(ordered):
        if 1 < hi - lo <= gap + 1:
            out.update(range(lo + 1, hi))
    return frozenset(out)


def pair_sides(docs_a: Sequence[Document], docs_b: Sequence[Document], fragments: Sequence[Fragment],
               discounted_a: dict[str, set[int]], discounted_b: dict[str, set[int]]) -> PairSides:
    """Both submissions of a pair as tabs, with the fragment list that links them."""
    tabs_a = document_tabs(docs_a, "a", [(f.doc_a, f.lines_a) for f in fragments], discounted_a)
    tabs_b = document_tabs(docs_b, "b", [(f.doc_b, f.lines_b) for f in fragments], discounted_b)
    where_a = {t.path: t.index for t in tabs_a}
    where_b = {t.path: t.index for t in tabs_b}
    prose = {t.path for t in tabs_a if t.kind == "prose"}
    links = tuple(FragmentLink(i + 1, i % PALETTE_SIZE, f.doc_a, _lines(f.lines_a), where_a.get(f.doc_a, -1),
                               f.doc_b, _lines(f.lines_b), where_b.get(f.doc_b, -1), f.tokens,
                               "words" if f.doc_a in prose else "tok", f.paraphrase)
                  for i, f in enumerate(fragments))
    return PairSides(tabs_a, tabs_b, _first(links, "tab_a"), _first(links, "tab_b"), links)


def _first(links: Sequence[FragmentLink], side: str) -> int:
    return next((getattr(f, side) for f in links if getattr(f, side) >= 0), 0)


def _lines(lines: tuple[int, int]) -> str:
    lo, hi = sorted(lines)
    return f"{lo}" if lo == hi else f"{lo}\u2013{hi}"
