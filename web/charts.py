"""The score histogram, as bars for an inline SVG the template draws (no script, no library)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 600, 150  # SVG user units; the drawing scales to its box


@dataclass(frozen=True)
class Bar:
    """One bin: where it is drawn and what it holds (similarity from lo to hi percent)."""

    x: float
    y: float
    width: float
    height: float
    count: int
    lo: int
    hi: int
    level: str  # "low", "mid", "high", as the pair table colours similarity


def histogram_bars(counts: Sequence[int]) -> list[Bar]:
    """Bars for the bin counts over [0, 1]; heights on a log scale, so that the few pairs high up
    stay visible beside the thousands of unrelated pairs at the bottom."""
    top = math.log1p(max(counts, default=0)) or 1.0
    step = WIDTH / max(1, len(counts))
    bars = []
    for i, n in enumerate(counts):
        h = (HEIGHT - 4) * math.log1p(n) / top
        lo, hi = round(100 * i / len(counts)), round(100 * (i + 1) / len(counts))
        bars.append(Bar(i * step + 1, HEIGHT - h, step - 2, h, n, lo, hi, level(lo / 100)))
    return bars


def level(similarity: float) -> str:
    """The colour band of a similarity."""
    return "high" if similarity >= 0.7 else "mid" if similarity >= 0.4 else "low"
