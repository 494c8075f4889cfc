"""Stored disclosures as the pages show them: one student's declaration, an assignment's
overview (who disclosed what, flags, coverage) and the context of a pair of submissions.

Flags come from the assignment's latest stored cross-check (records.crosscheck_assignment);
`stale` says when a disclosure or the submissions changed after it.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from integrity.disclosure.crosscheck import has_file
from integrity.disclosure.model import InvalidDisclosure, Tool, Transcript, Turn, parse_disclosure
from integrity.disclosure.records import is_open
from integrity.fragments import Fragment
from integrity.store import Store

STATUS = {"missing": "No disclosure", "no_ai": "No AI used", "ai": "AI declared", "unreadable": "Unreadable"}


@dataclass(frozen=True)
class Declaration:
    """A student's current disclosure as stored (status "missing" when there is none)."""

    student: str
    status: str  # a STATUS key
    tools: tuple[Tool, ...] = ()
    transcripts: tuple[Transcript, ...] = ()  # by the file name the student gave
    statement: str = ""
    signature: str = ""
    problems: tuple[str, ...] = ()  # why an imported file cannot be read
    raw: str = ""  # that file's text
    first_saved_at: str | None = None
    saved_at: str | None = None
    saved_by: str | None = None
    reopened_by: str | None = None
    open: bool = True  # the student may edit it now

    def files(self) -> list[str]:
        """Every file or section the tools were declared for, once each."""
        return list(dict.fromkeys(f for t in self.tools for f in t.files))


@dataclass(frozen=True)
class StudentLine:
    """One student on the assignment's disclosures page."""

    declaration: Declaration
    submitted: bool
    flags: tuple[str, ...]  # the kinds of flag naming the student
    coverage: Mapping | None  # explained / unexplained shares, when cross-checked


@dataclass(frozen=True)
class Overview:
    """An assignment's disclosures: every student, every flag of the latest cross-check."""

    lines: tuple[StudentLine, ...]
    flags: tuple[dict, ...]
    checked_at: str | None  # None: never cross-checked
    stale: bool


@dataclass(frozen=True)
class PairSide:
    """One side of a pair: a student's declaration, or a staff AI reference's note."""

    name: str
    declaration: Declaration | None
    note: Mapping[str, str]  # tool and prompt of an AI reference
    touched: frozenset[str]  # declared files that the pair's fragments fall in


@dataclass(frozen=True)
class PairContext:
    """What the disclosures say about a pair, and the flags that name either side."""

    a: PairSide
    b: PairSide
    flags: tuple[dict, ...]
    checked: bool


def declaration(store: Store, assignment: Mapping, student: str) -> Declaration:
    """One student's current disclosure."""
    return _declaration(assignment, student, store.disclosure(assignment["id"], student),
                        store.transcripts(assignment["id"], student))


def _declaration(assignment: Mapping, student: str, row: Mapping | None, transcripts: Iterable[Mapping]) -> Declaration:
    if row is None:
        return Declaration(student, "missing", open=is_open(assignment, None))
    when = {k: row[k] for k in ("first_saved_at", "saved_at", "saved_by", "reopened_by")}
    when["open"] = is_open(assignment, row)
    if row["form"] is None:
        return Declaration(student, "missing", **when)
    if row["problems"]:
        return Declaration(student, "unreadable", problems=tuple(json.loads(row["problems"])), raw=row["form"], **when)
    stored = {t["name"]: t for t in transcripts}

    def lookup(name: str) -> Transcript:
        if name not in stored:
            raise ValueError(f"{name}: no such chat export stored")
        return Transcript(name, tuple(Turn(r, t) for r, t in json.loads(stored[name]["turns"])))

    form = json.loads(row["form"])
    try:
        d = parse_disclosure(form, student, lookup)
    except InvalidDisclosure as err:
        return Declaration(student, "unreadable", problems=tuple(err.errors), raw=row["form"], **when)
    return Declaration(student, "ai" if d.used_ai else "no_ai", d.tools, d.transcripts, d.statement,
                       str(form.get("signature") or ""), **when)


def assignment_overview(store: Store, assignment: Mapping) -> Overview:
    """Every student with a submission or a disclosure, and the latest cross-check's flags."""
    aid = assignment["id"]
    rows = {r["student"]: r for r in store.disclosures(aid)}
    transcripts: dict[str, list] = {}
    for t in store.transcripts(aid):
        transcripts.setdefault(t["student"], []).append(t)
    submitted = {s["name"] for s in store.submission_list(aid) if s["role"] == "student"}
    checked = store.crosscheck(aid)
    result = json.loads(checked["result"]) if checked else {"flags": [], "coverage": {}}
    kinds: dict[str, list[str]] = {}
    for f in result["flags"]:
        for s in f["students"]:
            kinds.setdefault(s, []).append(f["kind"])
    students = sorted(submitted | {s for s, r in rows.items() if r["form"] is not None})
    lines = tuple(StudentLine(_declaration(assignment, s, rows.get(s), transcripts.get(s, [])), s in submitted,
                              tuple(dict.fromkeys(kinds.get(s, []))), result["coverage"].get(s))
                  for s in students)
    latest = max([r["saved_at"] or "" for r in rows.values()]
                 + [s["updated_at"] or "" for s in store.submission_list(aid)], default="")
    return Overview(lines, tuple(result["flags"]), checked["at"] if checked else None,
                    bool(checked) and latest > checked["at"])


def pair_context(store: Store, assignment: Mapping, a: str, b: str, fragments: Iterable[Fragment]) -> PairContext:
    """Both sides' declarations (declared files the fragments touch marked) and the flags naming either."""
    fragments = list(fragments)
    sides = []
    for name, docs in ((a, {f.doc_a for f in fragments}), (b, {f.doc_b for f in fragments})):
        _, _, ref = name.partition(":")
        if ref:  # "reference:<name>" or "template:<name>"
            found = store.submission(assignment["id"], name)
            note = {k: str(v) for k, v in (found[1].meta if found else {}).items() if k in ("tool", "prompt")}
            sides.append(PairSide(name, None, note, frozenset()))
            continue
        d = declaration(store, assignment, name)
        touched = frozenset(f for f in d.files() if _names_file(f) and has_file(docs, f))
        sides.append(PairSide(name, d, {}, touched))
    checked = store.crosscheck(assignment["id"])
    flags = json.loads(checked["result"])["flags"] if checked else []
    both = sorted((a, b))
    mine = tuple(f for f in flags if f["students"] == both or (len(f["students"]) == 1 and f["students"][0] in both))
    return PairContext(sides[0], sides[1], mine, checked is not None)


def _names_file(declared: str) -> bool:
    """A declared entry that names a file (`bench.py`, `report.md#Results`), not a section in words."""
    name = declared.split("#")[0].strip()
    return bool(name) and (bool(PurePosixPath(name).suffix) or "/" in name)
