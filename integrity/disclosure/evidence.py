"""Matching fragments as evidence a person can inspect: both sides' names, files, lines and text."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from integrity.documents import Submission
from integrity.scoring import PairScore


class Passages:
    """The text of every compared document, to quote the lines a fragment covers."""

    def __init__(self, subs: Sequence[Submission], shown: Callable[[str], str]):
        self.shown = shown  # engine name -> the name a TA knows (a student, "reference:x", "transcript:y")
        self.lines = {(s.name, d.path): d.text.split("\n") for s in subs for d in s.documents}

    def quote(self, name: str, path: str, lines: tuple[int, int]) -> str:
        """Lines `lines` (1-based, inclusive) of one document."""
        return "\n".join(self.lines.get((name, path), [])[lines[0] - 1:lines[1]])

    def fragments(self, pair: PairScore, first: str | None = None) -> list[dict]:
        """The pair's fragments, `first` (an engine name) on side a when given."""
        flip = first is not None and first != pair.a
        a, b = (pair.b, pair.a) if flip else (pair.a, pair.b)
        out = []
        for f in pair.fragments:
            (fa, la), (fb, lb) = ((f.doc_b, f.lines_b), (f.doc_a, f.lines_a)) if flip else \
                ((f.doc_a, f.lines_a), (f.doc_b, f.lines_b))
            out.append({"a": self.shown(a), "file_a": fa, "lines_a": list(la),
                        "b": self.shown(b), "file_b": fb, "lines_b": list(lb), "tokens": f.tokens,
                        "text_a": self.quote(a, fa, la), "text_b": self.quote(b, fb, lb)})
        return out
