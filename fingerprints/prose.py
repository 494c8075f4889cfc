"""Prose -> normalised word stream (case, punctuation and whitespace dropped, lines kept),
and that stream spelt out as characters, which is what prose is fingerprinted on: character
k-grams across word boundaries survive inflection, small spelling edits and word
substitutions that break every word n-gram they touch (as Dolos and copydetect do).
The text's sentences, by their wording, serve to align reworded passages (integrity/passages.py).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from fingerprints.tokens import TokenStream

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_DIGIT = re.compile(r"\d")
_NEWLINE = re.compile("\n")


def tokenize_prose(text: str) -> TokenStream:
    """Lower-cased words of `text` (apostrophes inside words kept), each with its line."""
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    symbols, lines = [], []
    for m in _WORD.finditer(text):
        symbols.append(m.group().lower().replace("’", "'"))
        lines.append(bisect.bisect_right(newlines, m.start()) + 1)
    return TokenStream.build(symbols, lines, lines)


def spell(words: TokenStream) -> TokenStream:
    """The characters of a word stream, a space after each word, each on its word's line."""
    symbols, lines = [], []
    for word, line in zip(words.symbols, words.first_lines.tolist()):
        symbols.extend(word)
        symbols.append(" ")
        lines.extend([line] * (len(word) + 1))
    return TokenStream.build(symbols, lines, lines)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text: its wording and its line range."""

    # its lower-cased words without digits, space-separated: figures and codes (500, 12.4,
    # A100, 4096x1024) differ from run to run while the wording carries what a sentence says
    words: str
    lines: tuple[int, int]  # 1-based, inclusive


# a sentence ends at . ! ? ; followed by whitespace, at a blank line, or at a Markdown heading,
# table row or fenced block (whose own words are left out: titles, tables and listings are not
# passages)
_SENTENCE_END = re.compile(r"^[ \t]*```.*?^[ \t]*```[^\n]*|(?<=[.!?;])\s+|\n\s*\n|^[ \t]*[#|][^\n]*",
                           re.MULTILINE | re.DOTALL)


@lru_cache(maxsize=4096)  # a report is split once however many pairs it takes part in
def sentences(text: str, min_words: int = 1) -> tuple[Sentence, ...]:
    """The sentences of `text` whose wording has at least `min_words` words, in order."""
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    out, start = [], 0
    for end, after in [m.span() for m in _SENTENCE_END.finditer(text)] + [(len(text), len(text))]:
        words = [w.lower().replace("’", "'") for w in _WORD.findall(text, start, end) if not _DIGIT.search(w)]
        if len(words) >= min_words:
            first = _WORD.search(text, start, end).start()
            last = start + len(text[start:end].rstrip()) - 1
            out.append(Sentence(" ".join(words), (bisect.bisect_right(newlines, first) + 1,
                                                  bisect.bisect_right(newlines, last) + 1)))
        start = after
    return tuple(out)
