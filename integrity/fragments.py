"""Aligned matching fragments between two submissions."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fragment:
    """A maximal run of matching tokens: line ranges (1-based, inclusive) on both sides."""

    doc_a: str
    lines_a: tuple[int, int]
    doc_b: str
    lines_b: tuple[int, int]
    tokens: int  # matched tokens in the run
