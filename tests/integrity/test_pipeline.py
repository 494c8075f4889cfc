"""One batch from a folder on disk to stored, scored pairs: idempotent ingest, analysis runs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import integrity.pipeline as pipeline
from integrity.analysis import analyse
from integrity.corpus import Params
from integrity.pipeline import analyse_assignment, ingest
from integrity.store import Store
from tests.samples import CACHE, SCHEDULER, SCHEDULER_COPY, write

PARAMS = Params(k_code=12, w_code=8)

REPORT = "We used a heap of worker loads.\n"
OTHER_REPORT = "A cache with first in first out eviction.\n"


@pytest.fixture
def batch(tmp_path) -> Path:
    return write(tmp_path / "subs", {
        "alice/sched.py": SCHEDULER, "alice/report.md": REPORT,
        "bob/sched.py": SCHEDULER_COPY, "bob/report.md": REPORT,
        "carol/cache.py": CACHE, "carol/report.md": OTHER_REPORT,
    })


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "integrity.db")


def table_counts(store: Store) -> dict[str, int]:
    """Rows per table, except the ingest history (one row per ingest, by design)."""
    return {t: store.db[t].count for t in store.db.table_names() if t != "ingests"}


def assignment_id(store: Store) -> int:
    return store.find_assignment("CS1", "a1")["id"]


def texts(store: Store, name: str) -> dict[str, str]:
    (s,) = [s for s in store.submissions(assignment_id(store)) if s.name == name]
    return {d.path: d.text for d in s.documents}


# ----------------------------------------------------------------------------- ingest

def test_ingest_stores_every_submission(store, batch):
    summary = ingest(store, batch, "CS1", "a1")
    assert (summary.submissions, summary.added, summary.changed, summary.unchanged, summary.removed) == (3, 6, 0, 0, 0)
    assert summary.problems == []
    assert [s.name for s in store.submissions(assignment_id(store))] == ["alice", "bob", "carol"]
    assert texts(store, "bob") == {"sched.py": SCHEDULER_COPY, "report.md": REPORT}
    assert "3 submissions: 6 documents added" in str(summary)


def test_reingesting_the_same_folder_is_idempotent(store, batch):
    ingest(store, batch, "CS1", "a1")
    before = table_counts(store)
    summary = ingest(store, batch, "CS1", "a1")
    assert (summary.submissions, summary.added, summary.changed, summary.unchanged, summary.removed) == (3, 0, 0, 6, 0)
    assert table_counts(store) == before
    assert texts(store, "alice") == {"sched.py": SCHEDULER, "report.md": REPORT}


def test_a_changed_file_replaces_the_stored_version(store, batch):
    ingest(store, batch, "CS1", "a1")
    before = table_counts(store)
    (batch / "alice" / "sched.py").write_text(SCHEDULER + "\nprint(schedule({}, 2))\n", encoding="utf-8")
    summary = ingest(store, batch, "CS1", "a1")
    assert (summary.added, summary.changed, summary.unchanged, summary.removed) == (0, 1, 5, 0)
    assert texts(store, "alice")["sched.py"].endswith("print(schedule({}, 2))\n")
    assert table_counts(store) == before


def test_a_deleted_file_is_removed(store, batch):
    ingest(store, batch, "CS1", "a1")
    (batch / "carol" / "report.md").unlink()
    summary = ingest(store, batch, "CS1", "a1")
    assert (summary.removed, summary.unchanged) == (1, 5)
    assert texts(store, "carol") == {"cache.py": CACHE}


def test_a_file_that_becomes_unreadable_keeps_its_stored_version(store, batch):
    ingest(store, batch, "CS1", "a1")
    (batch / "alice" / "sched.py").write_bytes(b"\x00\x01binary\x00junk" * 10)
    summary = ingest(store, batch, "CS1", "a1")
    assert [p.path for p in summary.problems] == ["alice/sched.py"]
    assert "binary" in summary.problems[0].reason
    assert (summary.added, summary.changed, summary.removed) == (0, 0, 0)
    assert texts(store, "alice") == {"sched.py": SCHEDULER, "report.md": REPORT}
    assert [p.path for p in store.problems(assignment_id(store))] == ["alice/sched.py"]


def test_a_fixed_file_is_no_longer_a_problem(store, batch):
    good = (batch / "alice" / "sched.py").read_bytes()
    (batch / "alice" / "sched.py").write_bytes(b"\x00binary\x00")
    ingest(store, batch, "CS1", "a1")
    assert [p.path for p in store.problems(assignment_id(store))] == ["alice/sched.py"]
    (batch / "alice" / "sched.py").write_bytes(good)
    summary = ingest(store, batch, "CS1", "a1")
    assert summary.problems == []
    assert store.problems(assignment_id(store)) == []


def test_template_and_references_are_stored_with_their_roles(store, batch, tmp_path):
    template = write(tmp_path / "template", {"sched.py": "import heapq\n"})
    ref = write(tmp_path / "refs" / "gpt", {"sched.py": SCHEDULER})
    ingest(store, batch, "CS1", "a1", templates=[template], references=[ref])
    aid = assignment_id(store)
    assert [s.name for s in store.submissions(aid, "template")] == ["template"]
    assert [s.name for s in store.submissions(aid, "reference")] == ["gpt"]
    assert [s.name for s in store.submissions(aid)] == ["alice", "bob", "carol"]


# ----------------------------------------------------------------------------- analysis runs

def test_analyse_assignment_stores_the_run_with_pairs_and_fragments(store, batch):
    ingest(store, batch, "CS1", "a1")
    aid = assignment_id(store)
    run_id = analyse_assignment(store, aid, PARAMS)
    run = store.latest_run(aid)
    assert run["id"] == run_id and run["status"] == "done" and run["submissions"] == 3
    stored = store.pairs(run_id)
    expected = analyse(store.submissions(aid), params=PARAMS).pairs
    assert stored == expected
    assert run["pairs"] == len(stored)
    top = stored[0]
    assert (top.a, top.b) == ("alice", "bob")
    assert top.fragments and all(f.doc_a == f.doc_b for f in top.fragments)
    assert {f.doc_a for f in top.fragments} >= {"sched.py"}
    assert ["alice", "bob"] in json.loads(run["clusters"])
    assert not any("carol" in (p.a, p.b) and p.similarity > 0.5 for p in stored)
    # winnowed fingerprints are stored for every submission, with their documents and lines
    rows = store.db.execute("select s.name, f.doc, f.first_line, f.last_line from fingerprints f "
                            "join submissions s on s.id = f.submission_id where f.run_id = ?", [run_id]).fetchall()
    assert {r[0] for r in rows} == {"alice", "bob", "carol"}
    assert all(1 <= first <= last for _, _, first, last in rows)


def test_a_second_run_is_added_not_merged(store, batch):
    ingest(store, batch, "CS1", "a1")
    aid = assignment_id(store)
    first = analyse_assignment(store, aid, PARAMS)
    second = analyse_assignment(store, aid, PARAMS)
    assert second != first and store.latest_run(aid)["id"] == second
    assert store.pairs(first) == store.pairs(second)


def test_analysis_uses_the_stored_template(store, tmp_path):
    shared = SCHEDULER
    subs = write(tmp_path / "subs", {"alice/s.py": shared + "\n\n" + CACHE, "bob/s.py": shared})
    template = write(tmp_path / "template", {"s.py": shared})
    ingest(store, subs, "CS1", "a1")
    aid = assignment_id(store)
    assert store.pairs(analyse_assignment(store, aid, PARAMS))
    ingest(store, subs, "CS1", "a1", templates=[template])
    assert store.pairs(analyse_assignment(store, aid, PARAMS)) == []


def test_references_are_analysed_against_students(store, batch, tmp_path):
    ref = write(tmp_path / "refs" / "gpt", {"sched.py": SCHEDULER})
    ingest(store, batch, "CS1", "a1", references=[ref])
    aid = assignment_id(store)
    run_id = analyse_assignment(store, aid, PARAMS)
    names = {(p.a, p.b) for p in store.pairs(run_id)}
    assert ("alice", "bob") in names
    # alice and bob each match the reference (its stored name, see test_store for the prefix)
    assert sum(1 for a, b in names if "gpt" in b) == 2


def test_a_failing_analysis_marks_the_run_failed(store, batch, monkeypatch):
    ingest(store, batch, "CS1", "a1")
    aid = assignment_id(store)
    good = analyse_assignment(store, aid, PARAMS)

    def boom(*args, **kwargs):
        raise RuntimeError("tree-sitter exploded")

    monkeypatch.setattr(pipeline, "analyse", boom)
    with pytest.raises(RuntimeError, match="exploded"):
        analyse_assignment(store, aid, PARAMS)
    runs = list(store.db["runs"].rows)
    assert len(runs) == 2
    failed = runs[-1]
    assert failed["status"] == "failed: RuntimeError: tree-sitter exploded"
    assert failed["finished_at"]
    assert store.latest_run(aid)["id"] == good
    assert store.db.execute("select count(*) from pairs where run_id = ?", [failed["id"]]).fetchone()[0] == 0
