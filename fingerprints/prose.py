"""Prose -> normalised word stream: case, punctuation and whitespace dropped, lines kept."""
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
