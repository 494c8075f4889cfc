"""Single-use procedures put back where they are called.

Extracting a block into a helper, or inlining one, is the cheapest refactoring a copier can
make (Faidhi-Robinson level 4, JPlag's refactoring attacks), and it moves code far from
where it was. A procedure that is defined once and called exactly once, by a statement that
is only that call and not from inside itself, is a block moved out of line. Its body's
tokens are emitted in place of the call's, and its definition's tokens are dropped.

The moved tokens keep their source lines. Their byte extents are mapped into the call's
extent, on a grid finer than bytes, by a map that keeps order and nesting. So every node
around the call also encloses the body, as fingerprints/structure.py expects.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import tree_sitter

# grid points per byte: room for a body thousands of times longer than its call, while the
# grid of a 2 MiB file times any byte offset stays within int64
SCALE = 1 << 20


@dataclass(frozen=True)
class Procedures:
    """How one language defines and calls procedures (node types and the fields to their names)."""

    definition: str  # e.g. "method_declaration"; its body is its "body" field
    name: tuple[str, ...]  # field path from a definition to its name
    call: str  # e.g. "method_invocation"; only a plain call counts (see _single_use)
    callee: tuple[str, ...]  # field path from a call to the called name


def inline_single_use(nodes: list[tree_sitter.Node], spec: Procedures, identifiers: frozenset[str],
                      extents: np.ndarray) -> tuple[list[int], np.ndarray] | None:
    """(order, extents) of the tokens with single-use procedures inlined, or None if there are none.

    `nodes` are the document's definition and call nodes (met while tokenising), `extents`
    the tokens' byte extents in document order. The result gives the token indices in their
    new order, and each kept token's extent on the SCALE grid.
    """
    plan = _single_use(nodes, spec, identifiers)
    if not plan:
        return None
    starts = extents[:, 0]

    def tokens(node: tree_sitter.Node) -> tuple[int, int]:
        return (int(np.searchsorted(starts, node.start_byte, "left")),
                int(np.searchsorted(starts, node.end_byte, "left")))

    dropped = dict(tokens(d) for d, _, _ in plan)  # first token -> end, of each inlined definition
    at_call = {tokens(s)[0]: (tokens(s)[1], s, b) for _, s, b in plan}
    events = sorted(set(dropped) | set(at_call))
    # runs of tokens kept in order, each with its byte -> grid map: c0 + (x - b0) * num // den
    runs: list[tuple[int, int, tuple[int, int, int, int]]] = []
    active: set[int] = set()

    def emit(lo: int, hi: int, grid: tuple[int, int, int, int]) -> None:
        i = lo
        while i < hi:
            k = bisect.bisect_left(events, i)  # the next place where a definition or a call starts
            j = min(hi, events[k]) if k < len(events) else hi
            if j > i:
                runs.append((i, j, grid))
                i = j
            elif i in dropped:
                i = max(dropped[i], i + 1)
            elif i in at_call and i not in active:
                end, statement, body = at_call[i]
                c0, b0, num, den = grid
                call0 = c0 + (statement.start_byte - b0) * num // den
                call1 = c0 + (statement.end_byte - b0) * num // den
                active.add(i)
                emit(*tokens(body), (call0, body.start_byte, call1 - call0, max(1, body.end_byte - body.start_byte)))
                active.discard(i)
                i = max(end, i + 1)
            else:  # a call already being inlined further up (mutual recursion): left as it is
                runs.append((i, i + 1, grid))
                i += 1

    emit(0, len(extents), (0, 0, SCALE, 1))
    order = np.concatenate([np.arange(lo, hi) for lo, hi, _ in runs]) if runs else np.empty(0, dtype=np.int64)
    moved = [c0 + (extents[lo:hi] - b0) * num // den for lo, hi, (c0, b0, num, den) in runs]
    return order.tolist(), (np.concatenate(moved) if moved else np.empty((0, 2))).astype(np.int64)


def _single_use(nodes: list[tree_sitter.Node], spec: Procedures,
                identifiers: frozenset[str]) -> list[tuple[tree_sitter.Node, tree_sitter.Node, tree_sitter.Node]]:
    """(definition, call statement, body) of every procedure defined once and called once as a statement."""
    definitions, calls = defaultdict(list), defaultdict(list)
    for node in nodes:
        if node.type == spec.definition and (name := _field(node, spec.name)) is not None:
            definitions[name.text].append(node)
        # a plain call is its callee's name and its arguments, nothing else: not x.f(), not
        # f<T>(), not a CUDA kernel launch f<<<grid, block>>>() (which crosses to the device)
        elif (node.type == spec.call and node.named_child_count == 2
              and (name := _field(node, spec.callee)) is not None and name.type in identifiers):
            calls[name.text].append(node)
    plan = []
    for name, found in definitions.items():
        if len(found) != 1 or len(calls.get(name, ())) != 1:
            continue
        definition, call = found[0], calls[name][0]
        statement, body = call.parent, definition.child_by_field_name("body")
        if (body is not None and statement is not None and statement.type == "expression_statement"
                and statement.named_child_count == 1
                and not definition.start_byte <= call.start_byte < definition.end_byte):
            plan.append((definition, statement, body))
    return plan


def _field(node: tree_sitter.Node, path: tuple[str, ...]) -> tree_sitter.Node | None:
    for name in path:
        node = node.child_by_field_name(name) if node is not None else None
    return node
