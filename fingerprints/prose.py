"""Prose -> normalised word stream (case, punctuation and whitespace dropped, lines kept),
and that stream spelt out as characters, which is what prose is fingerprinted on: character
k-grams across word boundaries survive inflection, small spelling edits and word
substitutions that break every word n-gram they touch (as Dolos and copydetect do).
"""
from __future__ import annotations

import bisect
import re

from fingerprints.tokens import TokenStream

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def tokenize_prose(text: str) -> TokenStream:
    """Lower-cased words of `text` (apostrophes inside words kept), each with its line."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
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
