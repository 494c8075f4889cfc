"""One batch from a source on disk to stored, scored pairs."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from integrity.analysis import Analysis, analyse
from integrity.corpus import Params, fingerprint
from integrity.disclosure.records import crosscheck_assignment, has_disclosures
from integrity.disclosure.references import NOTE, read_note
from integrity.documents import Batch, Problem, Submission
from integrity.index import common_hashes
from integrity.ingest import Limits, load_batch, load_tree
from integrity.report import render_report
from integrity.store import Store

Progress = Callable[[Iterable, int, str], Iterable]


@dataclass
class IngestSummary:
    """What one ingest did, for the terminal and the UI."""

    submissions: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.submissions} submissions: {self.added} documents added, {self.changed} changed, "
                f"{self.unchanged} unchanged, {self.removed} removed; {len(self.problems)} problems, "
                f"{len(self.skipped)} files skipped")


def read_trees(paths: Sequence[str | Path], limits: Limits = Limits(),
               notes: bool = False) -> tuple[list[Submission], Batch]:
    """Each folder, zip or file as one submission (templates, references); problems collected.

    With `notes` (AI references), a folder's ai.json, noting the tool and prompt that made
    it, goes into the submission's meta rather than the skipped files.
    """
    out = Batch()
    subs = []
    for p in paths:
        sub, problems, skipped = load_tree(p, limits=limits)
        if notes:
            skipped = [s for s in skipped if Path(s.path).name != NOTE]
            try:
                note = read_note(p) if Path(p).is_dir() else {}
            except ValueError as err:
                problems, note = problems + [Problem(f"{Path(p).name}/{NOTE}", str(err))], {}
            if sub and note:
                sub = replace(sub, meta={**sub.meta, **note})
        out.problems += problems
        out.skipped += skipped
        if sub:
            subs.append(sub)
    return subs, out


def merged(subs: Sequence[Submission], name: str) -> Submission | None:
    """Several trees as one submission (documents prefixed by their tree's name when several)."""
    if not subs:
        return None
    if len(subs) == 1:
        return Submission(name, subs[0].documents)
    docs = tuple(replace(d, path=f"{s.name}/{d.path}") for s in subs for d in s.documents)
    return Submission(name, docs)


def ingest(store: Store, source: str | Path, course: str, assignment: str,
           templates: Sequence[str | Path] = (), references: Sequence[str | Path] = (),
           limits: Limits = Limits()) -> IngestSummary:
    """Read a batch (folder, zip or LMS export) with its starter code and references into the store."""
    course_id = store.course(course)
    assignment_id = store.assignment(course_id, assignment)
    batch = load_batch(source, limits)
    tpl_subs, tpl_batch = read_trees(templates, limits)
    ref_subs, ref_batch = read_trees(references, limits, notes=True)
    summary = IngestSummary(problems=batch.problems + tpl_batch.problems + ref_batch.problems,
                            skipped=batch.skipped + tpl_batch.skipped + ref_batch.skipped)
    unreadable = {p.path for p in summary.problems}
    for sub in batch.submissions:
        meta = sub.meta or {}
        student = store.student(course_id, sub.name, meta.get("name", ""), meta.get("email", ""))
        counts = store.save_submission(assignment_id, sub, "student", student,
                                       keep=_relative(unreadable, sub.name))
        summary.submissions += 1
        for k, v in counts.items():
            setattr(summary, k, getattr(summary, k) + v)
    template = merged(tpl_subs, "template")
    if template:
        store.save_submission(assignment_id, template, "template")
    for ref in ref_subs:
        store.save_submission(assignment_id, ref, "reference")
    store.record_ingest(assignment_id, str(source), str(summary), summary.problems, summary.skipped)
    return summary


def _relative(paths: set[str], name: str) -> set[str]:
    """Problem paths (`alice/x.py`, `batch.zip!alice/x.py`) as paths inside submission `name`."""
    inner = (p.rsplit("!", 1)[-1] for p in paths)
    return {p.split("/", 1)[1] for p in inner if "/" in p and p.split("/", 1)[0] == name}


def add_reference(store: Store, assignment_id: int, path: str | Path, note: dict) -> Batch:
    """Store one AI reference solution (a folder, zip or file) with the tool and prompt that made it;
    returns what could not be read (nothing is stored when nothing was readable)."""
    subs, found = read_trees([path], notes=True)
    for sub in subs:
        store.save_submission(assignment_id, replace(sub, meta={**sub.meta, **note}), "reference")
    return found


def analyse_assignment(store: Store, assignment_id: int, params: Params = Params(),
                       progress: Progress | None = None) -> int:
    """Compare the stored submissions of an assignment; store and return the run's id.

    An assignment with disclosures or AI references is then cross-checked with them too.
    """
    subs = store.submissions(assignment_id, "student")
    templates = store.submissions(assignment_id, "template")
    references = store.submissions(assignment_id, "reference")
    run_id = store.start_run(assignment_id, asdict(params), len(subs))
    try:
        template = templates[0] if templates else None
        result = analyse(subs, template, params, references, progress)
        store.finish_run(run_id, assignment_id, result.pairs, result.clusters,
                         _fingerprint_rows(result, _discounted(result, template, len(subs))))
    except Exception as err:  # the run is marked failed, then the error goes on to the caller
        store.fail_run(run_id, f"{type(err).__name__}: {err}")
        raise
    if has_disclosures(store, assignment_id):
        if progress:
            list(progress((), 0, "cross-checking disclosures"))
        crosscheck_assignment(store, assignment_id, params)
    return run_id


def _discounted(result: Analysis, template: Submission | None, students: int) -> np.ndarray:
    """The k-gram hashes the index discounted: the template's and those common to the students'."""
    common = common_hashes([f.hashes for f in result.fingerprinted[:students]], result.params)
    if template is None or not template.documents:
        return common
    return np.union1d(fingerprint(template, result.params).hashes, common)


def _fingerprint_rows(result: Analysis, discounted: np.ndarray) -> Iterable[dict]:
    """The winnowed fingerprints of each submission, as store rows (hashes as signed 64-bit),
    flagged when they are template or common code (the pair view shows those lines as such)."""
    for f in result.fingerprinted:
        sel = f.selected
        signed = f.hashes[sel].view(np.int64)
        flags = np.isin(f.hashes[sel], discounted)
        starts = f.starts[sel]
        for h, s, flag in zip(signed.tolist(), starts.tolist(), flags.tolist()):
            yield {"submission": f.name, "hash": h, "doc": f.paths[f.doc_of_token[s]],
                   "first_line": int(f.first_lines[s]), "last_line": int(f.last_lines[s]), "discounted": flag}


def write_report(store: Store, assignment: dict, out: Path, top: int = 100) -> None:
    """Write the self-contained HTML report of an assignment's latest run (which must exist)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report_html(store, assignment, top), encoding="utf-8")


def report_html(store: Store, assignment: dict, top: int = 100) -> str:
    """The self-contained HTML report of an assignment's latest run (which must exist)."""
    run = store.latest_run(assignment["id"])
    pairs = store.pairs(run["id"], limit=top)
    names = {n for p in pairs for n in (p.a, p.b)}
    subs = [s for s in store.submissions(assignment["id"]) if s.name in names]
    refs = [replace(s, name=f"reference:{s.name}") for s in store.submissions(assignment["id"], "reference")]
    checked = store.crosscheck(assignment["id"])
    return render_report(f"{assignment['course']} / {assignment['title']}", subs + refs, pairs,
                         json.loads(run["clusters"]), store.problems(assignment["id"]),
                         subtitle=f"run {run['id']}, {run['finished_at']}, {run['submissions']} submissions",
                         max_pairs=top, disclosures=json.loads(checked["result"]) if checked else None,
                         disclosures_at=checked["at"] if checked else "")
