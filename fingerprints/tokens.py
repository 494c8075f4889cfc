"""The token stream: normalised symbols with the source lines they came from."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class TokenStream:
    """Normalised tokens of one document, each with its first and last source line (1-based)."""

    symbols: tuple[str, ...]
    first_lines: np.ndarray  # int32, one per token
    last_lines: np.ndarray  # int32, one per token
    # the text of the document's string literals, normalised (see fingerprints.code.literal_text)
    strings: frozenset[str] = frozenset()
    # (start, end) byte of each token's syntax node (code only): a node's tokens are it and
    # the tokens after it that start before its end, a contiguous range (fingerprints.structure)
    extents: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.symbols)

    @classmethod
    def build(cls, symbols: list[str], first: list[int], last: list[int], base: int = 1,
              strings: frozenset[str] = frozenset(), extents: list[tuple[int, int]] | None = None,
              ) -> "TokenStream":
        """A stream from parallel lists of symbols and line numbers counted from `base`."""
        shift = 1 - base
        return cls(tuple(symbols), np.asarray(first, dtype=np.int32) + shift,
                   np.asarray(last, dtype=np.int32) + shift, strings,
                   None if extents is None else np.asarray(extents, dtype=np.int64).reshape(-1, 2))
