"""Pair scores."""
from __future__ import annotations

from dataclasses import dataclass

from integrity.fragments import Fragment


@dataclass(frozen=True)
class PairScore:
    """The evidence for one pair of submissions (a < b by name)."""

    a: str
    b: str
    similarity: float  # in [0, 1]
    share_a: float  # share of a's (non-discounted) tokens that are matched in b
    share_b: float
    longest: int  # tokens in the longest fragment
    fragments: tuple[Fragment, ...]
