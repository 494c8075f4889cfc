"""The SQLite store: the one module that knows the schema, through sqlite-utils.

Courses have assignments; an assignment has submissions (students', its starter template
and staff reference solutions), each with documents; an analysis run stores its
parameters, winnowed fingerprints, scored pairs with fragments, and clusters.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import sqlite_utils

from integrity.documents import Document, Problem, Submission
from integrity.fragments import Fragment
from integrity.scoring import PairScore

DEFAULT_DB = "integrity.db"
ROLES = ("student", "template", "reference")
# How pairs name a submission: students by name, others as "<role>:<name>" (never clashing).
_NAME = "(case {s}.role when 'student' then {s}.name else {s}.role || ':' || {s}.name end)"


def now() -> str:
    """The current time, UTC, ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """One SQLite database file holding every course's data."""

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.db = sqlite_utils.Database(path)
        self.db.execute("PRAGMA foreign_keys = ON")
        # write-ahead log: readers (the web UI) never block the writer, and a commit needs no
        # sync of the main file, so storing thousands of rows one transaction each stays fast
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self._create()

    def _create(self) -> None:
        t = self.db.table
        if "courses" in self.db.table_names():
            return
        t("courses").create({"id": int, "code": str, "title": str, "term": str}, pk="id")
        t("courses").create_index(["code"], unique=True)
        t("assignments").create({"id": int, "course_id": int, "slug": str, "title": str,
                                 "deadline": str}, pk="id", foreign_keys=[("course_id", "courses")])
        t("assignments").create_index(["course_id", "slug"], unique=True)
        t("students").create({"id": int, "course_id": int, "login": str, "name": str, "email": str},
                             pk="id", foreign_keys=[("course_id", "courses")])
        t("students").create_index(["course_id", "login"], unique=True)
        t("submissions").create({"id": int, "assignment_id": int, "student_id": int, "name": str,
                                 "role": str, "meta": str, "updated_at": str}, pk="id",
                                foreign_keys=[("assignment_id", "assignments"), ("student_id", "students")])
        t("submissions").create_index(["assignment_id", "role", "name"], unique=True)
        t("documents").create({"id": int, "submission_id": int, "path": str, "kind": str,
                               "language": str, "sha256": str, "text": str, "updated_at": str},
                              pk="id", foreign_keys=[("submission_id", "submissions")])
        t("documents").create_index(["submission_id", "path"], unique=True)
        t("ingests").create({"id": int, "assignment_id": int, "source": str, "at": str, "summary": str},
                            pk="id", foreign_keys=[("assignment_id", "assignments")])
        t("ingest_problems").create({"id": int, "ingest_id": int, "path": str, "reason": str, "skipped": int},
                                    pk="id", foreign_keys=[("ingest_id", "ingests")])
        t("runs").create({"id": int, "assignment_id": int, "started_at": str, "finished_at": str,
                          "status": str, "params": str, "submissions": int, "pairs": int,
                          "clusters": str}, pk="id", foreign_keys=[("assignment_id", "assignments")])
        t("fingerprints").create({"run_id": int, "submission_id": int, "hash": int, "doc": str,
                                  "first_line": int, "last_line": int},
                                 foreign_keys=[("run_id", "runs"), ("submission_id", "submissions")])
        t("fingerprints").create_index(["run_id", "hash"])
        t("pairs").create({"id": int, "run_id": int, "a_id": int, "b_id": int, "similarity": float,
                           "unusual": float, "share_a": float, "share_b": float, "longest": int,
                           "fragments": int},
                          pk="id", foreign_keys=[("run_id", "runs"), ("a_id", "submissions"),
                                                 ("b_id", "submissions")])
        t("pairs").create_index(["run_id", "similarity"])
        t("fragments").create({"id": int, "pair_id": int, "doc_a": str, "a_first": int, "a_last": int,
                               "doc_b": str, "b_first": int, "b_last": int, "tokens": int},
                              pk="id", foreign_keys=[("pair_id", "pairs")])
        t("fragments").create_index(["pair_id"])

    # courses, assignments, students --------------------------------------------------------
    def course(self, code: str, title: str = "", term: str = "") -> int:
        """The id of the course with this code, created if missing."""
        row = self._one("select id from courses where code = ?", [code])
        if row:
            return row["id"]
        return self.db["courses"].insert({"code": code, "title": title or code, "term": term}).last_pk

    def assignment(self, course_id: int, slug: str, title: str = "", deadline: str = "") -> int:
        """The id of the course's assignment with this slug, created if missing."""
        row = self._one("select id from assignments where course_id = ? and slug = ?", [course_id, slug])
        if row:
            return row["id"]
        return self.db["assignments"].insert({"course_id": course_id, "slug": slug,
                                              "title": title or slug, "deadline": deadline}).last_pk

    def find_assignment(self, course_code: str, slug: str) -> dict | None:
        """The assignment row with its course code, or None."""
        return self._one("select a.*, c.code as course from assignments a join courses c "
                         "on c.id = a.course_id where c.code = ? and a.slug = ?", [course_code, slug])

    def assignments(self) -> list[dict]:
        """Every assignment with its course code and submission count."""
        return self._all("select a.*, c.code as course, (select count(*) from submissions s where "
                         "s.assignment_id = a.id and s.role = 'student') as submissions from assignments a "
                         "join courses c on c.id = a.course_id order by c.code, a.slug")

    def student(self, course_id: int, login: str, name: str = "", email: str = "") -> int:
        """The id of the course's student with this login, created (or completed) as needed."""
        row = self._one("select * from students where course_id = ? and login = ?", [course_id, login])
        if row:
            if (name and not row["name"]) or (email and not row["email"]):
                self.db["students"].update(row["id"], {"name": row["name"] or name,
                                                       "email": row["email"] or email})
            return row["id"]
        return self.db["students"].insert({"course_id": course_id, "login": login, "name": name,
                                           "email": email}).last_pk

    # submissions and documents -------------------------------------------------------------
    def save_submission(self, assignment_id: int, sub: Submission, role: str = "student",
                        student_id: int | None = None, keep: Iterable[str] = ()) -> dict[str, int]:
        """Store a submission's documents idempotently; returns counts added/changed/unchanged/removed.

        Documents are matched by path: an unchanged hash is left alone, a changed one replaced,
        and a document missing from the new version removed unless its path is in `keep`
        (files that could not be read this time, so that bad input never loses stored data).
        """
        assert role in ROLES
        stamp = now()
        with self.db.conn:
            row = self._one("select id from submissions where assignment_id = ? and role = ? and name = ?",
                            [assignment_id, role, sub.name])
            record = {"assignment_id": assignment_id, "student_id": student_id, "name": sub.name,
                      "role": role, "meta": json.dumps(sub.meta, default=str), "updated_at": stamp}
            if row:
                sid = row["id"]
                self.db["submissions"].update(sid, record)
            else:
                sid = self.db["submissions"].insert(record).last_pk
            old = {r["path"]: r for r in self._all("select id, path, sha256 from documents "
                                                    "where submission_id = ?", [sid])}
            counts = dict(added=0, changed=0, unchanged=0, removed=0)
            for doc in sub.documents:
                prev = old.pop(doc.path, None)
                if prev and prev["sha256"] == doc.sha256:
                    counts["unchanged"] += 1
                    continue
                values = dict(asdict(doc), submission_id=sid, updated_at=stamp)
                if prev:
                    self.db["documents"].update(prev["id"], values)
                    counts["changed"] += 1
                else:
                    self.db["documents"].insert(values)
                    counts["added"] += 1
            keep = set(keep)
            for path, prev in old.items():
                if path not in keep:
                    self.db["documents"].delete(prev["id"])
                    counts["removed"] += 1
        return counts

    def submissions(self, assignment_id: int, role: str = "student") -> list[Submission]:
        """The assignment's submissions of one role, with their documents, sorted by name."""
        subs = self._all("select id, name, meta from submissions where assignment_id = ? and role = ? "
                         "order by name", [assignment_id, role])
        docs: dict[int, list[Document]] = {s["id"]: [] for s in subs}
        for d in self._all("select d.* from documents d join submissions s on s.id = d.submission_id "
                           "where s.assignment_id = ? and s.role = ? order by d.path", [assignment_id, role]):
            docs[d["submission_id"]].append(Document(d["path"], d["kind"], d["language"], d["text"],
                                                     d["sha256"]))
        return [Submission(s["name"], tuple(docs[s["id"]]), json.loads(s["meta"] or "{}")) for s in subs]

    def submission_ids(self, assignment_id: int) -> dict[str, int]:
        """Submission name -> id for an assignment; references are named "reference:<name>"."""
        return {r["name"]: r["id"] for r in self._all(
            f"select id, {_NAME.format(s='s')} as name from submissions s where assignment_id = ?",
            [assignment_id])}

    def record_ingest(self, assignment_id: int, source: str, summary: str, problems: Iterable[Problem],
                      skipped: Iterable[Problem]) -> int:
        """Remember one ingest: its source, summary, and what it could not read or did not read."""
        with self.db.conn:
            ingest = self.db["ingests"].insert({"assignment_id": assignment_id, "source": source, "at": now(),
                                                "summary": summary}).last_pk
            self.db["ingest_problems"].insert_all(
                [{"ingest_id": ingest, "path": p.path, "reason": p.reason, "skipped": int(flag)}
                 for flag, group in ((False, problems), (True, skipped)) for p in group])
        return ingest

    def problems(self, assignment_id: int) -> list[Problem]:
        """The problems of the assignment's latest ingest (so a fixed file drops out)."""
        return [Problem(r["path"], r["reason"]) for r in self._all(
            "select path, reason from ingest_problems where skipped = 0 and ingest_id = "
            "(select max(id) from ingests where assignment_id = ?) order by path", [assignment_id])]

    # runs, pairs, fragments ----------------------------------------------------------------
    def start_run(self, assignment_id: int, params: dict, submissions: int) -> int:
        """Open a run record; finish_run completes it."""
        return self.db["runs"].insert({"assignment_id": assignment_id, "started_at": now(),
                                       "status": "running", "params": json.dumps(params),
                                       "submissions": submissions, "pairs": 0, "clusters": "[]"}).last_pk

    def finish_run(self, run_id: int, assignment_id: int, pairs: list[PairScore],
                   clusters: list[list[str]], fingerprints: Iterable[dict]) -> None:
        """Store a run's pairs, fragments, clusters and fingerprints, and mark it done.

        Fingerprint rows name their submission ("submission") and give hash, doc and lines;
        they replace those of the assignment's earlier runs.
        """
        ids = self.submission_ids(assignment_id)
        first = (self._one("select max(id) as n from pairs")["n"] or 0) + 1
        insert = self.db.conn.executemany  # plain executemany: sqlite-utils' per-chunk work dominated here
        with self.db.conn:
            # only the latest run's fingerprints are kept: they are the assignment's index
            self.db.execute("delete from fingerprints where run_id in (select id from runs where "
                            "assignment_id = ? and id != ?)", [assignment_id, run_id])
            insert("insert into fingerprints (run_id, submission_id, hash, doc, first_line, last_line) "
                   "values (?, ?, ?, ?, ?, ?)",
                   ((run_id, ids[f["submission"]], f["hash"], f["doc"], f["first_line"], f["last_line"])
                    for f in fingerprints))
            insert("insert into pairs (id, run_id, a_id, b_id, similarity, unusual, share_a, share_b, longest, "
                   "fragments) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   ((pid, run_id, ids[p.a], ids[p.b], p.similarity, p.unusual, p.share_a, p.share_b, p.longest,
                     len(p.fragments)) for pid, p in enumerate(pairs, first)))
            insert("insert into fragments (pair_id, doc_a, a_first, a_last, doc_b, b_first, b_last, tokens) "
                   "values (?, ?, ?, ?, ?, ?, ?, ?)",
                   ((pid, f.doc_a, *f.lines_a, f.doc_b, *f.lines_b, f.tokens)
                    for pid, p in enumerate(pairs, first) for f in p.fragments))
            self.db["runs"].update(run_id, {"status": "done", "finished_at": now(), "pairs": len(pairs),
                                            "clusters": json.dumps(clusters)})

    def fail_run(self, run_id: int, reason: str) -> None:
        """Mark a run as failed, with the reason."""
        self.db["runs"].update(run_id, {"status": f"failed: {reason}", "finished_at": now()})

    def latest_run(self, assignment_id: int) -> dict | None:
        """The newest finished run of an assignment."""
        return self._one("select * from runs where assignment_id = ? and status = 'done' "
                         "order by id desc limit 1", [assignment_id])

    def pairs(self, run_id: int, limit: int | None = None) -> list[PairScore]:
        """A run's pairs, most similar first."""
        rows = self._all(f"select p.*, {_NAME.format(s='a')} as a, {_NAME.format(s='b')} as b from pairs p "
                         "join submissions a on a.id = p.a_id join submissions b on b.id = p.b_id "
                         "where p.run_id = ? order by p.similarity desc, a, b" + (" limit ?" if limit else ""),
                         [run_id] + ([limit] if limit else []))
        frags: dict[int, list[Fragment]] = {r["id"]: [] for r in rows}
        if rows:
            marks = ",".join("?" * len(rows))
            for f in self._all(f"select * from fragments where pair_id in ({marks}) order by pair_id, id",
                               list(frags)):
                frags[f["pair_id"]].append(Fragment(f["doc_a"], (f["a_first"], f["a_last"]), f["doc_b"],
                                                    (f["b_first"], f["b_last"]), f["tokens"]))
        return [PairScore(r["a"], r["b"], r["similarity"], r["share_a"], r["share_b"], r["longest"],
                          tuple(frags[r["id"]]), r["unusual"]) for r in rows]

    # helpers -------------------------------------------------------------------------------
    def _all(self, sql: str, params: list | None = None) -> list[dict]:
        cur = self.db.execute(sql, params or [])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def _one(self, sql: str, params: list | None = None) -> dict | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None
