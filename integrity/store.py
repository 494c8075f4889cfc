"""The SQLite store: the one module that knows the schema, through sqlite-utils.

Courses have assignments; an assignment has submissions (students', its starter template
and staff reference solutions), each with documents; an analysis run stores its
parameters, winnowed fingerprints, scored pairs with fragments, and clusters. Users are
members of courses in a role; reviews of pairs are kept by the pair's names (so they
outlive re-analysis) with an append-only history of review events. Students' AI-use
disclosures are kept the same way: the current form per assignment and student, an
append-only history of its saves, the chat exports it declares (parsed), and the latest
cross-check of an assignment's disclosures with its submissions.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

import sqlite_utils

from integrity.documents import Document, Problem, Submission
from integrity.fragments import Fragment
from integrity.scoring import PairScore

DEFAULT_DB = "integrity.db"
ROLES = ("student", "template", "reference")
COURSE_ROLES = ("instructor", "ta", "student")
REVIEW_STATES = ("not_suspicious", "suspicious", "escalated")  # no review row: "unreviewed"
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
        self._extend()

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

    def _extend(self) -> None:
        """Tables and columns added after the first schema: accounts, reviews, pair facets."""
        t = self.db.table
        if "users" not in self.db.table_names():
            with self.db.conn:
                t("users").create({"id": int, "login": str, "name": str, "email": str, "password": str,
                                   "creator": int, "created_at": str}, pk="id")
                t("users").create_index(["login"], unique=True)
                t("members").create({"id": int, "course_id": int, "user_id": int, "role": str}, pk="id",
                                    foreign_keys=[("course_id", "courses"), ("user_id", "users")])
                t("members").create_index(["course_id", "user_id"], unique=True)
                t("members").create_index(["user_id"])
                t("login_failures").create({"id": int, "key": str, "at": str}, pk="id")
                t("login_failures").create_index(["key", "at"])
                t("settings").create({"key": str, "value": str}, pk="key")
                # the current review of a pair, beside the append-only history it is derived from
                t("reviews").create({"assignment_id": int, "a": str, "b": str, "state": str, "note": str,
                                     "actor": str, "at": str, "event_id": int},
                                    pk=("assignment_id", "a", "b"), foreign_keys=[("assignment_id", "assignments")])
                t("reviews").create_index(["assignment_id", "state"])
                t("review_events").create({"id": int, "assignment_id": int, "a": str, "b": str, "actor": str,
                                           "at": str, "old_state": str, "new_state": str, "note": str}, pk="id",
                                          foreign_keys=[("assignment_id", "assignments")])
                t("review_events").create_index(["assignment_id", "a", "b"])
                for action in ("update", "delete"):
                    self.db.execute(f"create trigger review_events_no_{action} before {action} on review_events "
                                    "begin select raise(abort, 'review events are append-only'); end")
        if "disclosures" not in self.db.table_names():
            with self.db.conn:
                # the current disclosure of a student for an assignment: the JSON form (or, for an
                # imported file that cannot be read, its raw text with the problems), derived from
                # the append-only events beside it; `reopened_at` set while staff allow edits after the deadline
                t("disclosures").create({"assignment_id": int, "student": str, "form": str, "problems": str,
                                         "used_ai": int, "first_saved_at": str, "saved_by": str, "saved_at": str,
                                         "reopened_by": str, "reopened_at": str, "event_id": int},
                                        pk=("assignment_id", "student"),
                                        foreign_keys=[("assignment_id", "assignments")])
                t("disclosure_events").create({"id": int, "assignment_id": int, "student": str, "actor": str,
                                               "at": str, "action": str, "form": str, "problems": str}, pk="id",
                                              foreign_keys=[("assignment_id", "assignments")])
                t("disclosure_events").create_index(["assignment_id", "student"])
                for action in ("update", "delete"):
                    self.db.execute(f"create trigger disclosure_events_no_{action} before {action} on "
                                    "disclosure_events begin select raise(abort, 'disclosure events are "
                                    "append-only'); end")
                t("transcripts").create({"id": int, "assignment_id": int, "student": str, "name": str,
                                         "turns": str, "uploaded_by": str, "uploaded_at": str}, pk="id",
                                        foreign_keys=[("assignment_id", "assignments")])
                t("transcripts").create_index(["assignment_id", "student", "name"], unique=True)
                t("crosschecks").create({"assignment_id": int, "at": str, "result": str}, pk="assignment_id",
                                        foreign_keys=[("assignment_id", "assignments")])
        if "kind" not in t("pairs").columns_dict:
            t("pairs").add_column("kind", str)
            t("pairs").add_column("language", str)
        if "paraphrase" not in t("fragments").columns_dict:
            t("fragments").add_column("paraphrase", int, not_null_default=0)
        if "discounted" not in t("fingerprints").columns_dict:
            t("fingerprints").add_column("discounted", int, not_null_default=0)
            t("fingerprints").create_index(["run_id", "submission_id"])

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

    def find_course(self, code: str) -> dict | None:
        """The course row with this code, or None."""
        return self._one("select * from courses where code = ?", [code])

    def course_assignments(self, course_id: int) -> list[dict]:
        """The course's assignments with submission counts and their latest run (id, status, pairs)."""
        return self._all("select a.*, (select count(*) from submissions s where s.assignment_id = a.id and "
                         "s.role = 'student') as submissions, r.id as run_id, r.status as run_status, "
                         "r.pairs as pairs, r.finished_at as analysed_at from assignments a left join runs r "
                         "on r.id = (select max(id) from runs where assignment_id = a.id) "
                         "where a.course_id = ? order by a.slug", [course_id])

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

    def submission(self, assignment_id: int, name: str) -> tuple[int, Submission, str | None] | None:
        """A submission by its pair name (students by name, others "<role>:<name>"): id, contents
        and its student's login (None for templates and references)."""
        row = self._one(f"select s.id, s.name, s.meta, st.login from submissions s left join students st "
                        f"on st.id = s.student_id where s.assignment_id = ? and {_NAME.format(s='s')} = ?",
                        [assignment_id, name])
        if not row:
            return None
        docs = tuple(Document(d["path"], d["kind"], d["language"], d["text"], d["sha256"]) for d in self._all(
            "select * from documents where submission_id = ? order by path", [row["id"]]))
        return row["id"], Submission(name, docs, json.loads(row["meta"] or "{}")), row["login"]

    def submission_list(self, assignment_id: int) -> list[dict]:
        """The assignment's submissions (name as pairs name them, role, documents, updated_at)."""
        return self._all(f"select s.id, {_NAME.format(s='s')} as name, s.role, s.updated_at, (select count(*) "
                         "from documents d where d.submission_id = s.id) as documents from submissions s "
                         "where s.assignment_id = ? order by s.role != 'student', s.role, s.name", [assignment_id])

    def student_assignments(self, course_id: int, login: str) -> list[dict]:
        """Every assignment of a course with one student's submission (name, updated_at; None when
        not received) and disclosure (disclosed_at; None when not given)."""
        return self._all("select a.slug, a.title, a.deadline, s.name, s.updated_at, d.saved_at as disclosed_at "
                         "from assignments a left join students st on st.course_id = a.course_id and "
                         "st.login = ? left join submissions s on s.assignment_id = a.id and s.role = 'student' "
                         "and s.student_id = st.id left join disclosures d on d.assignment_id = a.id and "
                         "d.student = ? and d.form is not null where a.course_id = ? order by a.slug",
                         [login, login, course_id])

    def student_logins(self, course_id: int) -> set[str]:
        """The logins of a course's students."""
        return {r["login"] for r in self._all("select login from students where course_id = ?", [course_id])}

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

    def ingest_problems(self, assignment_id: int) -> list[dict]:
        """Every problem and skipped file of the assignment's latest ingest, by path."""
        return self._all("select path, reason, skipped from ingest_problems where ingest_id = "
                         "(select max(id) from ingests where assignment_id = ?) order by skipped, path",
                         [assignment_id])

    def latest_ingest(self, assignment_id: int) -> dict | None:
        """The assignment's latest ingest (source, at, summary), or None."""
        return self._one("select * from ingests where assignment_id = ? order by id desc limit 1",
                         [assignment_id])

    # runs, pairs, fragments ----------------------------------------------------------------
    def start_run(self, assignment_id: int, params: dict, submissions: int) -> int:
        """Open a run record; finish_run completes it."""
        return self.db["runs"].insert({"assignment_id": assignment_id, "started_at": now(),
                                       "status": "running", "params": json.dumps(params),
                                       "submissions": submissions, "pairs": 0, "clusters": "[]"}).last_pk

    def finish_run(self, run_id: int, assignment_id: int, pairs: list[PairScore],
                   clusters: list[list[str]], fingerprints: Iterable[dict]) -> None:
        """Store a run's pairs, fragments, clusters and fingerprints, and mark it done.

        Fingerprint rows name their submission ("submission") and give hash, doc and lines, and
        optionally whether they are discounted (template or common code); they replace those
        of the assignment's earlier runs. Each pair is labelled with the document kind and
        language that most of its fragments' tokens are in (for filtering the pair table).
        """
        ids = self.submission_ids(assignment_id)
        facets = {(r["submission_id"], r["path"]): (r["kind"], r["language"]) for r in self._all(
            "select d.submission_id, d.path, d.kind, d.language from documents d join submissions s "
            "on s.id = d.submission_id where s.assignment_id = ?", [assignment_id])}

        def facet(p: PairScore) -> tuple[str | None, str | None]:
            weight = Counter()
            for f in p.fragments:
                weight[facets.get((ids[p.a], f.doc_a), (None, None))] += f.tokens
            return weight.most_common(1)[0][0] if weight else (None, None)

        first = (self._one("select max(id) as n from pairs")["n"] or 0) + 1
        insert = self.db.conn.executemany  # plain executemany: sqlite-utils' per-chunk work dominated here
        with self.db.conn:
            # only the latest run's fingerprints are kept: they are the assignment's index
            self.db.execute("delete from fingerprints where run_id in (select id from runs where "
                            "assignment_id = ? and id != ?)", [assignment_id, run_id])
            insert("insert into fingerprints (run_id, submission_id, hash, doc, first_line, last_line, "
                   "discounted) values (?, ?, ?, ?, ?, ?, ?)",
                   ((run_id, ids[f["submission"]], f["hash"], f["doc"], f["first_line"], f["last_line"],
                     int(f.get("discounted", 0))) for f in fingerprints))
            insert("insert into pairs (id, run_id, a_id, b_id, similarity, unusual, share_a, share_b, longest, "
                   "fragments, kind, language) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   ((pid, run_id, ids[p.a], ids[p.b], p.similarity, p.unusual, p.share_a, p.share_b, p.longest,
                     len(p.fragments), *facet(p)) for pid, p in enumerate(pairs, first)))
            insert("insert into fragments (pair_id, doc_a, a_first, a_last, doc_b, b_first, b_last, tokens, "
                   "paraphrase) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   ((pid, f.doc_a, *f.lines_a, f.doc_b, *f.lines_b, f.tokens, int(f.paraphrase))
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
                frags[f["pair_id"]].append(_fragment(f))
        return [PairScore(r["a"], r["b"], r["similarity"], r["share_a"], r["share_b"], r["longest"],
                          tuple(frags[r["id"]]), r["unusual"]) for r in rows]

    def run(self, run_id: int) -> dict | None:
        """One run row, or None."""
        return self._one("select * from runs where id = ?", [run_id])

    def latest_attempt(self, assignment_id: int) -> dict | None:
        """The newest run of an assignment, whatever its status (running, done, failed: ...)."""
        return self._one("select * from runs where assignment_id = ? order by id desc limit 1", [assignment_id])

    def pair_facets(self, run_id: int) -> dict[str, list[str]]:
        """The document kinds and languages the run's pairs are labelled with, for filter menus."""
        return {col: [r[col] for r in self._all(f"select distinct {col} from pairs where run_id = ? and "
                                               f"{col} is not null order by {col}", [run_id])]
                for col in ("kind", "language")}

    def pair_page(self, run_id: int, assignment_id: int, query: "PairQuery") -> tuple[list[dict], int]:
        """One page of a run's pairs, filtered and sorted in SQL, with review states; and the count."""
        where, params = _pair_filter(query)
        total = self._one(f"select count(*) as n {_PAIRS_FROM} and {where}",
                          [assignment_id, run_id] + params)["n"]
        column = PAIR_SORTS.get(query.sort, PAIR_SORTS["similarity"])
        order = f"{column} {'desc' if query.descending else 'asc'}, p.id"
        rows = self._all(f"select {_PAIR_COLUMNS} {_PAIRS_FROM} and {where} order by {order} limit ? offset ?",
                         [run_id, assignment_id, run_id] + params
                         + [query.per_page, (max(1, query.page) - 1) * query.per_page])
        return rows, total

    def pair_rows(self, run_id: int, assignment_id: int) -> Iterator[dict]:
        """Every pair of a run in rank order, with its review, one row at a time (for export)."""
        cur = self.db.execute(f"select {_PAIR_COLUMNS} {_PAIRS_FROM} order by p.id",
                              [run_id, assignment_id, run_id])
        cols = [c[0] for c in cur.description]
        for row in cur:
            yield dict(zip(cols, row))

    def pair(self, pair_id: int) -> dict | None:
        """One pair with its names, rank, run, assignment and review state."""
        row = self._one("select p.run_id, r.assignment_id from pairs p join runs r on r.id = p.run_id "
                        "where p.id = ?", [pair_id])
        if not row:
            return None
        return self._one(f"select {_PAIR_COLUMNS}, p.run_id, p.a_id, p.b_id {_PAIRS_FROM} and p.id = ?",
                         [row["run_id"], row["assignment_id"], row["run_id"], pair_id])

    def pair_fragments(self, pair_id: int) -> list[Fragment]:
        """A pair's fragments, in stored order."""
        return [_fragment(f) for f in self._all("select * from fragments where pair_id = ? order by id",
                                                [pair_id])]

    def neighbour_pair(self, run_id: int, assignment_id: int, pair_id: int, unreviewed: bool = True) -> int | None:
        """The next pair in rank order after pair_id (wrapping round), unreviewed ones only by default."""
        cond = "and rv.state is null" if unreviewed else ""
        for bound in ("p.id > ?", "p.id < ?"):
            row = self._one(f"select p.id {_PAIRS_FROM} and {bound} {cond} order by p.id limit 1",
                            [assignment_id, run_id, pair_id])
            if row:
                return row["id"]
        return None

    def histogram(self, run_id: int, bins: int = 20) -> list[int]:
        """How many of the run's pairs fall in each of `bins` equal similarity bins over [0, 1]."""
        counts = [0] * bins
        for r in self._all(f"select min(max(cast(similarity * {bins} as int), 0), {bins - 1}) as bin, "
                           "count(*) as n from pairs where run_id = ? group by bin", [run_id]):
            counts[r["bin"]] = r["n"]
        return counts

    def review_counts(self, run_id: int, assignment_id: int, unusual: float) -> dict[str, int]:
        """Pairs per review state ("unreviewed" too), and "left": unreviewed pairs at least `unusual`."""
        counts = dict.fromkeys(("unreviewed",) + REVIEW_STATES, 0)
        for r in self._all(f"select coalesce(rv.state, 'unreviewed') as state, count(*) as n {_PAIRS_FROM} "
                           "group by state", [assignment_id, run_id]):
            counts[r["state"]] = r["n"]
        counts["left"] = self._one(f"select count(*) as n {_PAIRS_FROM} and rv.state is null and p.unusual >= ?",
                                   [assignment_id, run_id, unusual])["n"]
        return counts

    def discounted_lines(self, run_id: int, submission_id: int) -> dict[str, set[int]]:
        """Lines of each document covered by the run's discounted (template or common) fingerprints."""
        out: dict[str, set[int]] = defaultdict(set)
        for r in self._all("select doc, first_line, last_line from fingerprints where run_id = ? and "
                           "submission_id = ? and discounted = 1", [run_id, submission_id]):
            out[r["doc"]].update(range(r["first_line"], r["last_line"] + 1))
        return dict(out)

    # reviews -----------------------------------------------------------------------------------
    def review(self, assignment_id: int, a: str, b: str) -> dict | None:
        """The current review of a pair (state, note, actor, at), or None if unreviewed."""
        return self._one("select * from reviews where assignment_id = ? and a = ? and b = ?", [assignment_id, a, b])

    def record_review(self, assignment_id: int, a: str, b: str, actor: str, state: str, note: str) -> int:
        """Append a review event for the pair and make it the pair's current review; returns its id."""
        assert state in REVIEW_STATES
        with self.db.conn:
            old = self.review(assignment_id, a, b)
            stamp = now()
            event = self.db["review_events"].insert({
                "assignment_id": assignment_id, "a": a, "b": b, "actor": actor, "at": stamp,
                "old_state": old["state"] if old else "unreviewed", "new_state": state, "note": note}).last_pk
            self.db["reviews"].upsert({"assignment_id": assignment_id, "a": a, "b": b, "state": state,
                                       "note": note, "actor": actor, "at": stamp, "event_id": event},
                                      pk=("assignment_id", "a", "b"))
        return event

    def review_events(self, assignment_id: int, a: str, b: str) -> list[dict]:
        """The history of a pair's reviews, oldest first."""
        return self._all("select * from review_events where assignment_id = ? and a = ? and b = ? order by id",
                         [assignment_id, a, b])

    # disclosures --------------------------------------------------------------------------------
    def disclosure(self, assignment_id: int, student: str) -> dict | None:
        """A student's current disclosure row (form None when only reopened), or None."""
        return self._one("select * from disclosures where assignment_id = ? and student = ?",
                         [assignment_id, student])

    def disclosures(self, assignment_id: int) -> list[dict]:
        """Every current disclosure row of an assignment, by student."""
        return self._all("select * from disclosures where assignment_id = ? order by student", [assignment_id])

    def save_disclosure(self, assignment_id: int, student: str, actor: str, action: str, form: str,
                        problems: str = "", used_ai: bool = False,
                        transcripts: Iterable[tuple[str, str]] = ()) -> int:
        """Append a save of a student's disclosure and make it the current one, in one transaction.

        `transcripts` are (name, turns as JSON) stored with it, replacing any of the same name;
        none is deleted (the current form names those that count). Returns the event's id.
        """
        stamp = now()
        with self.db.conn:
            old = self.disclosure(assignment_id, student)
            event = self.db["disclosure_events"].insert({
                "assignment_id": assignment_id, "student": student, "actor": actor, "at": stamp,
                "action": action, "form": form, "problems": problems}).last_pk
            for name, turns in transcripts:
                self.db.execute("insert into transcripts (assignment_id, student, name, turns, uploaded_by, "
                                "uploaded_at) values (?, ?, ?, ?, ?, ?) on conflict (assignment_id, student, name) "
                                "do update set turns = excluded.turns, uploaded_by = excluded.uploaded_by, "
                                "uploaded_at = excluded.uploaded_at", [assignment_id, student, name, turns, actor,
                                                                      stamp])
            self.db["disclosures"].upsert({
                "assignment_id": assignment_id, "student": student, "form": form, "problems": problems,
                "used_ai": int(used_ai), "first_saved_at": (old or {}).get("first_saved_at") or stamp,
                "saved_by": actor, "saved_at": stamp, "event_id": event,
                "reopened_by": (old or {}).get("reopened_by"), "reopened_at": (old or {}).get("reopened_at")},
                pk=("assignment_id", "student"))
        return event

    def set_reopened(self, assignment_id: int, student: str, actor: str, reopened: bool) -> int:
        """Staff allow (or stop allowing) a student to edit their disclosure after the deadline."""
        stamp = now()
        with self.db.conn:
            old = self.disclosure(assignment_id, student)
            event = self.db["disclosure_events"].insert({
                "assignment_id": assignment_id, "student": student, "actor": actor, "at": stamp,
                "action": "reopened" if reopened else "locked", "form": None, "problems": ""}).last_pk
            values = {"reopened_by": actor if reopened else None, "reopened_at": stamp if reopened else None}
            if old:
                self.db["disclosures"].update((assignment_id, student), values)
            else:
                self.db["disclosures"].insert({"assignment_id": assignment_id, "student": student, "form": None,
                                               "problems": "", "used_ai": 0, "event_id": event} | values)
        return event

    def disclosure_events(self, assignment_id: int, student: str) -> list[dict]:
        """The history of a student's disclosure (saves, imports, reopenings), oldest first."""
        return self._all("select * from disclosure_events where assignment_id = ? and student = ? order by id",
                         [assignment_id, student])

    def transcripts(self, assignment_id: int, student: str | None = None) -> list[dict]:
        """The stored chat exports of an assignment (or of one student): student, name, turns (JSON)."""
        return self._all("select * from transcripts where assignment_id = ? and (? is null or student = ?) "
                         "order by student, name", [assignment_id, student, student])

    def save_crosscheck(self, assignment_id: int, result: str) -> None:
        """Keep the assignment's latest cross-check result (JSON), replacing the one before."""
        with self.db.conn:
            self.db["crosschecks"].upsert({"assignment_id": assignment_id, "at": now(), "result": result},
                                          pk="assignment_id")

    def crosscheck(self, assignment_id: int) -> dict | None:
        """The assignment's latest cross-check (at, result JSON), or None."""
        return self._one("select * from crosschecks where assignment_id = ?", [assignment_id])

    def set_deadline(self, assignment_id: int, deadline: str) -> None:
        """Change an assignment's deadline (ISO 8601 text, "" for none)."""
        with self.db.conn:
            self.db["assignments"].update(assignment_id, {"deadline": deadline})

    # users, members, login throttling, settings ------------------------------------------------
    def add_user(self, login: str, name: str, email: str, password: str, creator: bool = False) -> int:
        """Create a user (password: a hash, or "" for none yet); returns the id."""
        return self.db["users"].insert({"login": login, "name": name, "email": email, "password": password,
                                        "creator": int(creator), "created_at": now()}).last_pk

    def update_user(self, user_id: int, **values) -> None:
        """Change a user's name, email, password hash or creator flag."""
        self.db["users"].update(user_id, values)

    def user(self, login: str) -> dict | None:
        """The user with this login, or None."""
        return self._one("select * from users where login = ?", [login])

    def user_by_id(self, user_id: int) -> dict | None:
        """The user with this id, or None."""
        return self._one("select * from users where id = ?", [user_id])

    def set_member(self, course_id: int, user_id: int, role: str) -> None:
        """Give a user a role in a course (replacing any earlier role there)."""
        assert role in COURSE_ROLES
        with self.db.conn:
            self.db.execute("insert into members (course_id, user_id, role) values (?, ?, ?) "
                            "on conflict (course_id, user_id) do update set role = excluded.role", [course_id, user_id, role])

    def member_role(self, course_id: int, user_id: int) -> str | None:
        """The user's role in the course, or None."""
        row = self._one("select role from members where course_id = ? and user_id = ?", [course_id, user_id])
        return row["role"] if row else None

    def user_courses(self, user_id: int) -> list[dict]:
        """The courses a user is a member of, with their role."""
        return self._all("select c.*, m.role from members m join courses c on c.id = m.course_id "
                         "where m.user_id = ? order by c.code", [user_id])

    def members(self, course_id: int) -> list[dict]:
        """A course's members: login, name, email, role (staff first)."""
        return self._all("select u.id, u.login, u.name, u.email, m.role from members m join users u on "
                         "u.id = m.user_id where m.course_id = ? order by m.role = 'student', m.role, u.login",
                         [course_id])

    def record_login_failure(self, key: str) -> None:
        """Remember one failed login for a throttling key (a login or an address)."""
        with self.db.conn:
            self.db["login_failures"].insert({"key": key, "at": now()})

    def login_failures(self, key: str, since: str) -> int:
        """Failed logins for the key since the given time."""
        return self._one("select count(*) as n from login_failures where key = ? and at >= ?", [key, since])["n"]

    def clear_login_failures(self, key: str) -> None:
        """Forget a key's failed logins (after a successful one)."""
        with self.db.conn:
            self.db.execute("delete from login_failures where key = ?", [key])

    def setting(self, key: str, default: str) -> str:
        """A stored setting, created with `default` the first time it is asked for."""
        with self.db.conn:
            self.db.execute("insert or ignore into settings (key, value) values (?, ?)", [key, default])
        return self._one("select value from settings where key = ?", [key])["value"]

    # helpers -------------------------------------------------------------------------------
    def _all(self, sql: str, params: list | None = None) -> list[dict]:
        cur = self.db.execute(sql, params or [])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def _one(self, sql: str, params: list | None = None) -> dict | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None


@dataclass(frozen=True)
class PairQuery:
    """What the pair table asks for: filters, sort column and direction, one page."""

    min_similarity: float = 0.0
    language: str = ""
    kind: str = ""
    state: str = ""  # a REVIEW_STATES value or "unreviewed"; "" for any
    student: str = ""  # part of either side's name, any case
    between: str = ""  # "students" (two students), "references" (a student and an AI reference), "" any
    sort: str = "similarity"
    descending: bool = True
    page: int = 1
    per_page: int = 50


PAIR_SORTS = {"rank": "p.id", "similarity": "p.similarity", "unusual": "p.unusual", "a": "a_name",
              "b": "b_name", "matched": "max(p.share_a, p.share_b)", "longest": "p.longest",
              "fragments": "p.fragments", "state": "state"}
# Parameters: assignment id (for the reviews join), run id.
_PAIRS_FROM = (f"from pairs p join submissions sa on sa.id = p.a_id join submissions sb on sb.id = p.b_id "
               f"left join reviews rv on rv.assignment_id = ? and rv.a = {_NAME.format(s='sa')} "
               f"and rv.b = {_NAME.format(s='sb')} where p.run_id = ?")
# Parameters: run id (for the rank).
_PAIR_COLUMNS = (f"p.id, p.id - (select min(id) from pairs where run_id = ?) + 1 as rank, "
                 f"{_NAME.format(s='sa')} as a_name, {_NAME.format(s='sb')} as b_name, p.similarity, "
                 f"p.unusual, p.share_a, p.share_b, p.longest, p.fragments, p.kind, p.language, "
                 f"coalesce(rv.state, 'unreviewed') as state, rv.note, rv.actor, rv.at as reviewed_at")


def _pair_filter(q: PairQuery) -> tuple[str, list]:
    """The SQL condition (after the run's) and its parameters for a pair query."""
    where, params = ["1"], []
    if q.min_similarity > 0:
        where.append("p.similarity >= ?")
        params.append(q.min_similarity)
    for column, value in (("p.language", q.language), ("p.kind", q.kind)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if q.state:
        where.append("coalesce(rv.state, 'unreviewed') = ?")
        params.append(q.state)
    if q.student:
        where.append("(instr(lower(sa.name), ?) > 0 or instr(lower(sb.name), ?) > 0)")
        params += [q.student.lower()] * 2
    if q.between:
        reference = "'reference' in (sa.role, sb.role)"
        where.append(reference if q.between == "references" else f"not {reference}")
    return " and ".join(where), params


def _fragment(row: dict) -> Fragment:
    """A fragment from its stored row."""
    return Fragment(row["doc_a"], (row["a_first"], row["a_last"]), row["doc_b"], (row["b_first"], row["b_last"]),
                    row["tokens"], bool(row["paraphrase"]))
