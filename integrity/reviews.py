"""Reviewing pairs: the states a TA gives a pair, and the table of pairs with their reviews.

A review belongs to the pair's names within the assignment, not to one run's pair row, so
it outlives re-analysis. Every change is appended to the pair's review events (who, when,
from which state to which, with the note); the current review is the latest event.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from integrity.store import REVIEW_STATES, Store

STATE_LABELS = {"unreviewed": "Unreviewed", "not_suspicious": "Not suspicious", "suspicious": "Suspicious",
                "escalated": "Escalated"}
MAX_NOTE = 4000
STANDING_OUT = 3.0  # pairs this many robust spreads above the typical pair are "to review"


def review_pair(store: Store, pair: dict, actor: str, state: str, note: str) -> int:
    """Record a review of a stored pair (from Store.pair) by `actor`; returns the event id."""
    if state not in REVIEW_STATES:
        raise ValueError(f"unknown review state {state!r}")
    if len(note) > MAX_NOTE:
        raise ValueError(f"notes have at most {MAX_NOTE} characters")
    run = store.run(pair["run_id"])
    return store.record_review(run["assignment_id"], pair["a_name"], pair["b_name"], actor, state, note.strip())


CSV_COLUMNS = ("rank", "a", "b", "similarity", "unusual", "share_a", "share_b", "longest", "fragments",
               "kind", "language", "state", "note", "reviewed_by", "reviewed_at")


def pairs_csv(store: Store, run_id: int, assignment_id: int) -> Iterator[str]:
    """A run's pairs in rank order with their review state, as CSV text in chunks."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(CSV_COLUMNS)
    for r in store.pair_rows(run_id, assignment_id):
        out.writerow([r["rank"], r["a_name"], r["b_name"], f"{r['similarity']:.6f}", f"{r['unusual']:.2f}",
                      f"{r['share_a']:.6f}", f"{r['share_b']:.6f}", r["longest"], r["fragments"],
                      r["kind"] or "", r["language"] or "", r["state"], _cell(r["note"] or ""),
                      r["actor"] or "", r["reviewed_at"] or ""])
        if buf.tell() > 64_000:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
