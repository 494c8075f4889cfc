"""The SQLite store: idempotent saves, roles, runs with pairs and fragments, problems."""
from __future__ import annotations

import json

import pytest

from integrity.documents import Problem
from integrity.fragments import Fragment
from integrity.scoring import PairScore
from integrity.store import Store
from tests.samples import sub


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "t.db")


@pytest.fixture
def aid(store):
    return store.assignment(store.course("CS1"), "a1")


def count(store: Store, table: str) -> int:
    return store.db[table].count


# ----------------------------------------------------------------------------- courses, assignments, students

def test_course_assignment_and_student_are_created_once(store):
    c = store.course("CS1", "Intro")
    assert store.course("CS1") == c
    a = store.assignment(c, "a1", "First")
    assert store.assignment(c, "a1") == a
    assert store.assignment(store.course("CS2"), "a1") != a  # slugs are per course
    s = store.student(c, "alice")
    assert store.student(c, "alice", "Alice A.", "a@x.org") == s
    row = store.db["students"].get(s)
    assert (row["name"], row["email"]) == ("Alice A.", "a@x.org")
    # a known name is not overwritten by a later one
    store.student(c, "alice", "Someone Else")
    assert store.db["students"].get(s)["name"] == "Alice A."
    found = store.find_assignment("CS1", "a1")
    assert found["id"] == a and found["course"] == "CS1" and found["title"] == "First"
    assert store.find_assignment("CS1", "nope") is None
    assert store.find_assignment("NOPE", "a1") is None


def test_reopening_the_database_keeps_the_data(tmp_path):
    path = tmp_path / "t.db"
    first = Store(path)
    a = first.assignment(first.course("CS1"), "a1")
    first.save_submission(a, sub("alice", {"m.py": "x = 1\n"}))
    again = Store(path)
    assert [s.name for s in again.submissions(a)] == ["alice"]


# ----------------------------------------------------------------------------- submissions

def test_save_submission_is_idempotent(store, aid):
    s = sub("alice", {"m.py": "x = 1\n", "r.md": "Hello world.\n"}, late=True)
    assert store.save_submission(aid, s) == dict(added=2, changed=0, unchanged=0, removed=0)
    rows = (count(store, "submissions"), count(store, "documents"))
    assert store.save_submission(aid, s) == dict(added=0, changed=0, unchanged=2, removed=0)
    assert (count(store, "submissions"), count(store, "documents")) == rows
    (back,) = store.submissions(aid)
    assert back.name == "alice" and back.meta == {"late": True}
    assert {d.path: d.text for d in back.documents} == {"m.py": "x = 1\n", "r.md": "Hello world.\n"}
    assert [d.path for d in back.documents] == ["m.py", "r.md"]
    assert {d.path: (d.kind, d.language) for d in back.documents} == {"m.py": ("code", "python"),
                                                                     "r.md": ("prose", "text")}


def test_changed_document_replaces_the_old_version(store, aid):
    store.save_submission(aid, sub("alice", {"m.py": "x = 1\n", "n.py": "y = 2\n"}))
    counts = store.save_submission(aid, sub("alice", {"m.py": "x = 99\n", "n.py": "y = 2\n"}))
    assert counts == dict(added=0, changed=1, unchanged=1, removed=0)
    (back,) = store.submissions(aid)
    assert {d.path: d.text for d in back.documents} == {"m.py": "x = 99\n", "n.py": "y = 2\n"}
    assert count(store, "documents") == 2


def test_missing_document_is_removed_unless_kept(store, aid):
    store.save_submission(aid, sub("alice", {"m.py": "x = 1\n", "n.py": "y = 2\n", "o.py": "z = 3\n"}))
    counts = store.save_submission(aid, sub("alice", {"m.py": "x = 1\n"}), keep=["n.py"])
    assert counts == dict(added=0, changed=0, unchanged=1, removed=1)
    (back,) = store.submissions(aid)
    assert [d.path for d in back.documents] == ["m.py", "n.py"]


def test_roles_are_kept_apart(store, aid):
    store.save_submission(aid, sub("sol", {"m.py": "x = 1\n"}), role="student")
    store.save_submission(aid, sub("sol", {"m.py": "x = 2\n"}), role="reference")
    store.save_submission(aid, sub("template", {"m.py": "x = 3\n"}), role="template")
    assert [s.documents[0].text for s in store.submissions(aid)] == ["x = 1\n"]
    assert [s.documents[0].text for s in store.submissions(aid, "reference")] == ["x = 2\n"]
    assert [s.documents[0].text for s in store.submissions(aid, "template")] == ["x = 3\n"]
    ids = store.submission_ids(aid)
    assert set(ids) == {"sol", "reference:sol", "template:template"}
    assert len(set(ids.values())) == 3
    with pytest.raises(AssertionError):
        store.save_submission(aid, sub("x", {"m.py": "x\n"}), role="teacher")


def test_submissions_are_per_assignment_and_sorted(store, aid):
    other = store.assignment(store.course("CS1"), "a2")
    for name in ("zoe", "amy", "kim"):
        store.save_submission(aid, sub(name, {"m.py": f"# {name}\n"}))
    store.save_submission(other, sub("bob", {"m.py": "# bob\n"}))
    assert [s.name for s in store.submissions(aid)] == ["amy", "kim", "zoe"]
    assert [s.name for s in store.submissions(other)] == ["bob"]
    counts = {(a["slug"], a["submissions"]) for a in store.assignments()}
    assert counts == {("a1", 3), ("a2", 1)}


# ----------------------------------------------------------------------------- runs

def frag(a: tuple[int, int], b: tuple[int, int], n: int) -> Fragment:
    return Fragment("m.py", a, "m.py", b, n)


def test_run_round_trip_with_pairs_and_fragments(store, aid):
    for name in ("alice", "bob", "carol"):
        store.save_submission(aid, sub(name, {"m.py": f"# {name}\n"}))
    pairs = [PairScore("alice", "bob", 0.9, 0.8, 1.0, 40, (frag((1, 5), (2, 6), 30), frag((8, 9), (10, 11), 12))),
             PairScore("bob", "carol", 0.25, 0.2, 0.3, 12, (frag((3, 4), (3, 4), 12),))]
    run = store.start_run(aid, {"k_code": 12}, 3)
    assert store.latest_run(aid) is None  # not finished yet
    store.finish_run(run, aid, pairs, [["alice", "bob"]],
                     [{"submission": "alice", "hash": -5, "doc": "m.py", "first_line": 1, "last_line": 2}])
    latest = store.latest_run(aid)
    assert latest["id"] == run and latest["status"] == "done" and latest["pairs"] == 2
    assert json.loads(latest["clusters"]) == [["alice", "bob"]]
    assert json.loads(latest["params"]) == {"k_code": 12}
    assert store.pairs(run) == pairs
    assert store.pairs(run, limit=1) == pairs[:1]
    assert count(store, "fingerprints") == 1
    (row,) = store.db.execute("select hash, doc, first_line, last_line from fingerprints").fetchall()
    assert row == (-5, "m.py", 1, 2)


def test_a_database_of_an_earlier_schema_gains_the_later_columns(tmp_path):
    """A database written before a column was added still takes runs (what `run.py demo` reuses)."""
    path = tmp_path / "old.db"
    old = Store(path)
    old.db.execute("alter table fragments drop column paraphrase")  # as stores written before it
    old.db.conn.close()
    store = Store(path)
    aid = store.assignment(store.course("CS1"), "a1")
    for name in ("alice", "bob"):
        store.save_submission(aid, sub(name, {"m.py": f"# {name}\n"}))
    pairs = [PairScore("alice", "bob", 0.9, 0.8, 1.0, 40, (Fragment("m.py", (1, 5), "m.py", (2, 6), 12, True),))]
    run = store.start_run(aid, {}, 2)
    store.finish_run(run, aid, pairs, [], [])
    assert store.pairs(run) == pairs


def test_pairs_come_most_similar_first(store, aid):
    for name in ("a", "b", "c"):
        store.save_submission(aid, sub(name, {"m.py": f"# {name}\n"}))
    pairs = [PairScore("b", "c", 0.5, 0.5, 0.5, 12, ()), PairScore("a", "c", 0.7, 0.7, 0.7, 12, ()),
             PairScore("a", "b", 0.5, 0.5, 0.5, 12, ())]
    run = store.start_run(aid, {}, 3)
    store.finish_run(run, aid, pairs, [], [])
    assert [(p.a, p.b) for p in store.pairs(run)] == [("a", "c"), ("a", "b"), ("b", "c")]


def test_failed_run_is_not_the_latest(store, aid):
    store.save_submission(aid, sub("a", {"m.py": "#\n"}))
    done = store.start_run(aid, {}, 1)
    store.finish_run(done, aid, [], [], [])
    failed = store.start_run(aid, {}, 1)
    store.fail_run(failed, "ValueError: boom")
    assert store.latest_run(aid)["id"] == done
    row = store.db["runs"].get(failed)
    assert row["status"] == "failed: ValueError: boom" and row["finished_at"]


def test_pairs_with_references_keep_their_names(store, aid):
    store.save_submission(aid, sub("alice", {"m.py": "x = 1\n"}))
    store.save_submission(aid, sub("sol", {"m.py": "x = 1\n"}), role="reference")
    pair = PairScore("alice", "reference:sol", 1.0, 1.0, 1.0, 12, (frag((1, 1), (1, 1), 12),))
    run = store.start_run(aid, {}, 1)
    store.finish_run(run, aid, [pair], [], [])
    assert store.pairs(run) == [pair]


# ----------------------------------------------------------------------------- problems

def test_problems_are_those_of_the_latest_ingest_apart_from_skipped_files(store, aid):
    bad = [Problem("alice/x.py", "binary file"), Problem("bob/y.py", "cannot read file")]
    skipped = [Problem("alice/a.exe", "skipped: not a supported file type (.exe)")]
    store.record_ingest(aid, "batch1", "2 submissions", bad, skipped)
    assert store.problems(aid) == bad
    store.record_ingest(aid, "batch2", "2 submissions", bad[:1], skipped)
    assert store.problems(aid) == bad[:1]
    store.record_ingest(aid, "batch3", "2 submissions", [], [])
    assert store.problems(aid) == []
    other = store.assignment(store.course("CS1"), "a2")
    assert store.problems(other) == []
