"""Disclosures kept in the store: a student's form saved (validated, with its chat exports,
locked after the deadline unless staff reopen it), staff imports, and the cross-check of an
assignment's stored submissions, references and disclosures.

Every save is one transaction after every check has passed: an upload that cannot be
parsed, or any problem in the form, stores nothing. Transcripts are stored parsed, as their
turns, and cross-checked under `<student>/<file>` so that two students' files of the same
name stay apart.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from integrity.corpus import Params
from integrity.disclosure.crosscheck import crosscheck
from integrity.disclosure.folder import Disclosures, load_disclosures
from integrity.disclosure.form import check_form
from integrity.disclosure.model import InvalidDisclosure, Transcript, Turn, as_form, parse_disclosure
from integrity.disclosure.survey import import_survey
from integrity.disclosure.transcripts import TranscriptError, parse_transcript
from integrity.documents import Batch, Problem
from integrity.store import Store

NOTE_KEYS = ("tool", "prompt")  # how a staff AI reference was made, kept in its submission's meta


class Locked(Exception):
    """The deadline has passed and staff have not reopened the disclosure."""


@dataclass(frozen=True)
class Upload:
    """An uploaded chat export: its file name and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Imported:
    """What a survey import stored (students) and the messages of what it refused."""

    students: tuple[str, ...]
    errors: tuple[str, ...]


def deadline_of(text: str | None) -> datetime | None:
    """An assignment's deadline: ISO 8601 (a date alone is the end of that day, UTC); None if unset or unreadable."""
    try:
        value = datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    if len((text or "").strip()) == 10:  # a date alone
        value = datetime.combine(value.date(), time(23, 59, 59))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def is_open(assignment: Mapping, row: Mapping | None, at: datetime | None = None) -> bool:
    """Whether the student may still edit: before the deadline, or reopened by staff."""
    deadline = deadline_of(assignment.get("deadline"))
    return deadline is None or (at or datetime.now(UTC)) <= deadline or bool(row and row["reopened_at"])


def save_form(store: Store, assignment: Mapping, student: str, data: dict, uploads: Sequence[Upload] = (),
              at: datetime | None = None) -> int:
    """Store a student's own form (the contract's JSON, with `signature`); returns the event id.

    `data["transcripts"]` names the stored chat exports the student keeps; `uploads` are new
    ones. Raises Locked after the deadline, InvalidDisclosure with one message per field.
    """
    aid = assignment["id"]
    if not is_open(assignment, store.disclosure(aid, student), at):
        raise Locked(f"the deadline ({assignment['deadline']}) has passed")
    errors, parsed = [], {}
    for upload in uploads:
        try:
            parsed[upload.name] = parse_transcript(upload.name, upload.data)
        except TranscriptError as err:
            errors.append(f"upload: {err}")
    stored = {t["name"]: t for t in store.transcripts(aid, student)}
    kept = [n for n in data.get("transcripts") or [] if n in stored and n not in parsed]
    form = dict(data, student=student, transcripts=kept + sorted(parsed))
    errors += check_form(form)
    try:
        disclosure = parse_disclosure(form, student, lambda name: parsed.get(name) or transcript(stored[name]))
    except InvalidDisclosure as err:  # the form's own messages come first, one per field
        said = {e.split(":")[0] for e in errors}
        errors += [e for e in err.errors if e.split(":")[0] not in said]
    if errors:
        raise InvalidDisclosure(errors)
    return store.save_disclosure(aid, student, student, "saved", json.dumps(form), "", disclosure.used_ai,
                                 [(name, turns_json(t)) for name, t in parsed.items()])


def import_survey_csv(store: Store, assignment: Mapping, actor: str, text: str) -> Imported:
    """Store the disclosures of an LMS survey CSV (integrity.disclosure.survey) for the course's students."""
    found = import_survey(text)
    known = store.student_logins(assignment["course_id"])
    errors = list(found.errors)
    done = []
    for student, d in sorted(found.disclosures.items()):
        if student not in known:
            errors.append(f"{student}: no student of this course has this login; not imported")
            continue
        store.save_disclosure(assignment["id"], student, actor, "imported from a survey", json.dumps(as_form(d)),
                              "", d.used_ai)
        done.append(student)
    return Imported(tuple(done), tuple(errors))


def import_folder(store: Store, assignment_id: int, folder: str | Path, students: Iterable[str],
                  actor: str) -> list[str]:
    """Store a folder of disclosures as the crosscheck contract lays it out; returns its notes.

    A file that cannot be read is kept as it is, with its problems, so that it is flagged.
    """
    found = load_disclosures(folder, students)
    for student, d in sorted(found.read.items()):
        store.save_disclosure(assignment_id, student, actor, "imported", json.dumps(as_form(d)), "", d.used_ai,
                              [(t.source, turns_json(t)) for t in d.transcripts])
    for student, problems in sorted(found.malformed.items()):
        raw = (Path(folder) / f"{student}.json").read_text(encoding="utf-8", errors="replace")
        store.save_disclosure(assignment_id, student, actor, "imported", raw, json.dumps(problems))
    return found.notes


def reopen(store: Store, assignment_id: int, student: str, actor: str, reopened: bool = True) -> int:
    """Staff let a student edit after the deadline (or lock the disclosure again); returns the event id."""
    return store.set_reopened(assignment_id, student, actor, reopened)


def turns_json(t: Transcript) -> str:
    """A transcript's turns as stored."""
    return json.dumps([[turn.role, turn.text] for turn in t.turns], ensure_ascii=False)


def transcript(row: Mapping) -> Transcript:
    """A stored transcript, named `<student>/<file>`."""
    return Transcript(f"{row['student']}/{row['name']}", tuple(Turn(r, t) for r, t in json.loads(row["turns"])))


def stored_disclosures(store: Store, assignment_id: int, students: Iterable[str]) -> Disclosures:
    """The current disclosures of an assignment's students, read as crosscheck reads a folder."""
    students = set(students)
    stored = {(t["student"], t["name"]): t for t in store.transcripts(assignment_id)}
    out = Disclosures()
    for row in store.disclosures(assignment_id):
        student = row["student"]
        if row["form"] is None or student not in students:
            continue
        if row["problems"]:
            out.malformed[student] = json.loads(row["problems"])
            continue

        def lookup(name: str, student: str = student) -> Transcript:
            if (student, name) not in stored:
                raise ValueError(f"{name}: no such chat export stored")
            return transcript(stored[(student, name)])

        try:
            out.read[student] = parse_disclosure(json.loads(row["form"]), student, lookup)
        except InvalidDisclosure as err:
            out.malformed[student] = err.errors
    return out


def crosscheck_assignment(store: Store, assignment_id: int, params: Params | None = None) -> dict:
    """Cross-check an assignment's stored submissions, AI references and disclosures; store and return it."""
    subs = store.submissions(assignment_id)
    templates = store.submissions(assignment_id, "template")
    references = store.submissions(assignment_id, "reference")
    notes = {r.name: {k: str(r.meta[k]) for k in NOTE_KEYS if r.meta.get(k)} for r in references}
    unread = store.ingest_problems(assignment_id)
    batch = Batch(subs, *([Problem(p["path"].rsplit("!", 1)[-1], p["reason"]) for p in unread if p["skipped"] == s]
                          for s in (0, 1)))
    result = crosscheck(batch, stored_disclosures(store, assignment_id, (s.name for s in subs)),
                        templates[0] if templates else None, references, notes, params)
    store.save_crosscheck(assignment_id, json.dumps(result, ensure_ascii=False))
    return result


def has_disclosures(store: Store, assignment_id: int) -> bool:
    """Whether an assignment has anything to cross-check: a disclosure or an AI reference."""
    return bool(store.disclosures(assignment_id) or store.submissions(assignment_id, "reference"))
