"""Groups of submissions connected by high-similarity pairs."""
from __future__ import annotations

from typing import Iterable


def clusters(edges: Iterable[tuple[str, str, float]]) -> list[list[str]]:
    """Connected components of the weighted edges (a, b, similarity), members sorted.

    Ranked by evidence: the strongest link inside the group first, then the larger group.
    """
    parent: dict[str, str] = {}
    strongest: dict[str, float] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, weight in edges:
        ra, rb = root(a), root(b)
        top = max(weight, strongest.pop(ra, weight), strongest.pop(rb, weight))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
        strongest[root(a)] = top
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(root(x), []).append(x)
    return [sorted(members) for r, members in
            sorted(groups.items(), key=lambda g: (-strongest[g[0]], -len(g[1]), sorted(g[1])))]
