"""Cross-reference what students declared about AI use with what their work matches.

Every flag rests on a comparison by the engine (analysis.analyse), never on a detector's
guess: the evidence is the matching fragments, with files, line ranges and text. The
students' declared material is compared like student work (material.py): each declared
transcript's AI responses and each staff AI reference are references of the batch, and
the students' prompts are a batch of their own.

A submission *matches* another, a reference or a transcript when their similarity is at
least MATCH, the engine's own line for grouping two students (analysis.CLUSTER_THRESHOLD).
On the demo course no two independent solutions reach 0.35 while whole copies score 0.6
to 1; an AI reference is a solution to the same task, so an honest student resembles it
about as much as a classmate, and the same line serves. Partial copies below it still
show in the pair list.

Flags (DESIGN.md, "Second contract"):

- shared_prompts: two students' prompts (pasted in the form or the user turns of their
  transcripts) share a passage of SHARED_PASSAGE words or more (about 100 characters):
  a whole sentence, longer than the stock phrases anyone writes ("write a python function
  that takes", 35 characters). Text handed out with the template is discounted, so two
  students pasting the assignment's statement do not match.
- undisclosed_ai: a submission matches an AI reference and its author declared no AI use,
  did not disclose, or handed in a disclosure that cannot be read.
- common_ai_source: two students who match each other both match the same AI reference
  or the same declared transcript; `disclosed` says who declared it (for a reference, who
  declared any AI use; for a transcript, who declared that transcript).
- missing_disclosure: a submission without a disclosure file.
- inconsistent_disclosure: a file that cannot be read; "no AI" with tools, prompts or
  transcripts; tools declared for files the submission does not have.

Coverage, for each student with a disclosure file, as shares of the submission less its
starter code (code in tokens, the report in words, each as the engine normalises them):

- explained: found in the AI responses of the student's own declared transcripts: code
  the student said an AI tool wrote, and showed it;
- unexplained: found in no declared AI response, the student's or anyone's. Prompts are
  not declared material here: they are the student's words or code shown to the tool,
  which says nothing about where that code came from.
- The rest (1 - explained - unexplained) is in another student's declared transcript.
`code` and `report` give the same shares for each part alone, and `unexplained_matches`
lists the fragments by which the submission matches another student or an AI reference
(similarity MATCH or more) that lie mostly outside every declared AI response: the shared
work that no disclosure explains.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np

from fingerprints.winnow import symbol_id
from integrity.analysis import CLUSTER_THRESHOLD, REFERENCE, analyse
from integrity.corpus import Fingerprinted, Params, fingerprint
from integrity.disclosure.evidence import Passages
from integrity.disclosure.folder import Disclosures
from integrity.disclosure.material import (
    main_language,
    prompts_submission,
    prose,
    responses_submission,
)
from integrity.disclosure.model import Disclosure
from integrity.documents import Batch, Submission
from integrity.scoring import PairScore, covered_tokens

MATCH = CLUSTER_THRESHOLD
SHARED_PASSAGE = 16  # words of normalised prompt text
KINDS = ("shared_prompts", "undisclosed_ai", "common_ai_source", "missing_disclosure", "inconsistent_disclosure")
_AI, _TRANSCRIPT = "ai:", "transcript:"
# what each flag means, for the pages and the report: a comparison to inspect, never a verdict
LABELS = {
    "shared_prompts": ("Shared prompts", "two students' prompts share a whole passage; compare them side by side"),
    "undisclosed_ai": ("Possible undisclosed AI use", "the submission matches an AI reference solution the staff "
                       "made, and its author declared no AI use (or nothing readable)"),
    "common_ai_source": ("Common AI source", "two students who match each other both match the same AI "
                         "reference or declared transcript; says who disclosed it"),
    "missing_disclosure": ("Missing disclosure", "no disclosure was handed in for this submission"),
    "inconsistent_disclosure": ("Inconsistent disclosure", "the disclosure contradicts itself or the submission, "
                                "or cannot be read"),
}
EVIDENCE_NOTE = ("Every flag rests on a comparison a person can inspect: the matching passages of the students' "
                 "work, their declared prompts and AI responses, and the staff's AI reference solutions, side by "
                 "side. No \"AI detector\" score is used anywhere, and a flag is not a verdict: it says where to look.")


@dataclass(frozen=True)
class Source:
    """AI-written material a submission may match: a staff reference or a declared transcript."""

    name: str  # as the engine knows it: "reference:ai:<name>" or "reference:transcript:<path>"
    label: str  # the reference's name or the transcript's path
    kind: str  # "reference" or "transcript"
    declared_by: frozenset[str]  # students whose disclosure names the transcript
    note: Mapping[str, str]  # how a reference was made: tool, prompt

    @property
    def shown(self) -> str:
        return f"{self.kind}:{self.label}"


def crosscheck(batch: Batch, disclosures: Disclosures, template: Submission | None = None,
               references: Sequence[Submission] = (), notes: Mapping[str, Mapping[str, str]] | None = None,
               params: Params | None = None) -> dict:
    """The contract's result, {"flags": [...], "coverage": {...}}, for one batch and its disclosures."""
    params = params or Params()
    subs = {s.name: s for s in batch.submissions}
    sources = _sources(subs, disclosures.read, references, notes or {})
    result = analyse(batch.submissions, template, params,
                     [Submission(s.name[len(REFERENCE):], sub.documents) for s, sub in sources])
    found = Found(result.pairs, [s for s, _ in sources])
    passages = Passages(batch.submissions + [Submission(s.name, sub.documents) for s, sub in sources], found.shown)
    flags = (shared_prompts(disclosures.read, template, params)
             + undisclosed_ai(found, passages, sorted(subs), disclosures)
             + common_ai_source(found, passages, disclosures.read)
             + [_flag("missing_disclosure", [s]) for s in sorted(subs)
                if s not in disclosures.read and s not in disclosures.malformed]
             + inconsistent(batch, disclosures))
    flags.sort(key=lambda f: (KINDS.index(f["kind"]), -f.get("score", 0.0), f["students"]))
    disclosed = sorted(set(disclosures.read) | set(disclosures.malformed))
    return {"flags": flags,
            "coverage": coverage(result.fingerprinted, found, passages, disclosed, template, result.params)}


def _sources(subs: Mapping[str, Submission], read: Mapping[str, Disclosure], references: Sequence[Submission],
             notes: Mapping[str, Mapping[str, str]]) -> list[tuple[Source, Submission]]:
    """Each AI reference and each declared transcript (once, however many students name it) with its AI text."""
    out = [(Source(f"{REFERENCE}{_AI}{r.name}", r.name, "reference", frozenset(), notes.get(r.name, {})), r)
           for r in references]
    owners: dict[str, list[str]] = {}
    transcripts = {}
    for student, d in sorted(read.items()):
        for t in d.transcripts:
            owners.setdefault(t.source, []).append(student)
            transcripts.setdefault(t.source, t)
    for path, t in sorted(transcripts.items()):
        sub = responses_submission(path, t, main_language(subs.get(owners[path][0])))
        if sub:
            out.append((Source(f"{REFERENCE}{_TRANSCRIPT}{path}", path, "transcript", frozenset(owners[path]), {}),
                        sub))
    return out


class Found:
    """The aligned pairs of a batch compared with its references, looked up by either side."""

    def __init__(self, pairs: Iterable[PairScore], sources: Sequence[Source]):
        self.pairs = list(pairs)
        self.by_names = {frozenset((p.a, p.b)): p for p in self.pairs}
        self.sources = {s.name: s for s in sources}

    def pair(self, x: str, y: str) -> PairScore | None:
        return self.by_names.get(frozenset((x, y)))

    def matches(self, x: str, y: str) -> bool:
        p = self.pair(x, y)
        return p is not None and p.similarity >= MATCH

    def similarity(self, x: str, y: str) -> float:
        p = self.pair(x, y)
        return p.similarity if p else 0.0

    def shown(self, name: str) -> str:
        """A student's name, or a source as "reference:<name>" or "transcript:<path>"."""
        return self.sources[name].shown if name in self.sources else name


def shared_prompts(read: Mapping[str, Disclosure], template: Submission | None, params: Params) -> list[dict]:
    """Pairs of students whose prompts share a passage of SHARED_PASSAGE words or more."""
    prompts = [p for s, d in sorted(read.items()) if (p := prompts_submission(s, d))]
    if len(prompts) < 2:
        return []
    passages = Passages(prompts, str)
    # students paste the handout into prompts: the template's text, comments and docstrings
    # included, is discounted as prose
    handout = template and Submission(template.name, tuple(prose(d.path, d.text) for d in template.documents))
    return [_flag("shared_prompts", [p.a, p.b], p.similarity, passages.fragments(p))
            for p in analyse(prompts, handout, params).pairs
            if max((f.tokens for f in p.fragments), default=0) >= SHARED_PASSAGE]


def undisclosed_ai(found: Found, passages: Passages, students: Iterable[str], disclosures: Disclosures) -> list[dict]:
    """Students who match an AI reference and declared no AI use (or nothing readable)."""
    references = [s for s in found.sources.values() if s.kind == "reference"]
    flags = []
    for student in students:
        d = disclosures.read.get(student)
        if d and d.used_ai:
            continue
        hits = sorted((r for r in references if found.matches(student, r.name)),
                      key=lambda r: (-found.similarity(student, r.name), r.label))
        if hits:
            declared = ("no AI use" if d else "an unreadable disclosure" if student in disclosures.malformed
                        else "nothing (no disclosure)")
            flags.append(_flag(
                "undisclosed_ai", [student], found.similarity(student, hits[0].name),
                [f for r in hits for f in passages.fragments(found.pair(student, r.name), student)],
                reference=hits[0].label, declared=declared, note=dict(hits[0].note),
                references={r.label: found.similarity(student, r.name) for r in hits}))
    return flags


def common_ai_source(found: Found, passages: Passages, read: Mapping[str, Disclosure]) -> list[dict]:
    """Pairs of students who match each other and both match the same AI reference or transcript."""
    def disclosed(student: str, source: Source) -> bool:
        if source.kind == "transcript":
            return student in source.declared_by
        return student in read and read[student].used_ai

    flags = []
    for p in found.pairs:
        if p.a in found.sources or p.b in found.sources or p.similarity < MATCH:
            continue
        common = sorted((s for s in found.sources.values() if found.matches(p.a, s.name) and found.matches(p.b, s.name)),
                        key=lambda s: (-min(found.similarity(p.a, s.name), found.similarity(p.b, s.name)), s.label))
        if not common:
            continue
        best = common[0]
        flags.append(_flag(
            "common_ai_source", [p.a, p.b], min(found.similarity(p.a, best.name), found.similarity(p.b, best.name)),
            passages.fragments(p) + passages.fragments(found.pair(p.a, best.name), p.a)
            + passages.fragments(found.pair(p.b, best.name), p.b),
            reference=best.label, source=best.kind, similarity=p.similarity,
            disclosed={s: disclosed(s, best) for s in (p.a, p.b)},
            sources=[{"reference": s.label, "source": s.kind,
                      "similarity": {x: found.similarity(x, s.name) for x in (p.a, p.b)},
                      "disclosed": {x: disclosed(x, s) for x in (p.a, p.b)}} for s in common]))
    return flags


def inconsistent(batch: Batch, disclosures: Disclosures) -> list[dict]:
    """Disclosures that cannot be read, contradict themselves, or name files the submission lacks."""
    flags = [_flag("inconsistent_disclosure", [s], evidence=[{"problem": e} for e in errors],
                   detail="the disclosure cannot be read: " + "; ".join(errors))
             for s, errors in sorted(disclosures.malformed.items())]
    files = submission_files(batch)
    for student, d in sorted(disclosures.read.items()):
        problems = []
        if not d.used_ai and (d.tools or d.transcripts):
            problems.append({"problem": f"says no AI tool was used, yet declares {_declared(d)}",
                             "tools": [t.name for t in d.tools], "prompts": d.prompts(),
                             "transcripts": [t.source for t in d.transcripts]})
        for t in d.tools:
            problems += [{"problem": f"{t.name} is declared for {name}, which the submission does not have",
                          "tool": t.name, "file": name, "submission_files": sorted(files.get(student, ()))}
                         for name in t.files if not has_file(files.get(student, set()), name)]
        if problems:
            flags.append(_flag("inconsistent_disclosure", [student], evidence=problems,
                               detail="; ".join(p["problem"] for p in problems)))
    return flags


def submission_files(batch: Batch) -> dict[str, set[str]]:
    """Every file of each submission, read or not (a declared `results.csv` exists though unread)."""
    files = {s.name: {d.path.split("#")[0] for d in s.documents} for s in batch.submissions}
    for p in batch.problems + batch.skipped:
        name, _, rest = p.path.partition("/")
        if name in files and rest:
            files[name].add(rest)
    return files


def has_file(files: set[str], declared: str) -> bool:
    """Whether a declared file is in the submission: by path, by name, or as a folder of it.

    Entries without a file ending or folder ("Discussion section") name report sections and
    are not checked; "report.md#Discussion" is checked as report.md.
    """
    name = declared.split("#")[0].strip().removeprefix("./").rstrip("/")
    if not name or not (PurePosixPath(name).suffix or "/" in declared):
        return True
    return any(f == name or f.endswith("/" + name) or f.startswith(name + "/") for f in files)


def _declared(d: Disclosure) -> str:
    parts = [f"{len(d.tools)} tool(s)" if d.tools else "", f"{len(d.prompts())} prompt(s)" if d.prompts() else "",
             f"{len(d.transcripts)} transcript(s)" if d.transcripts else ""]
    return ", ".join(p for p in parts if p)


def coverage(fingerprinted: Sequence[Fingerprinted], found: Found, passages: Passages, students: Iterable[str],
             template: Submission | None, params: Params) -> dict[str, dict]:
    """Explained and unexplained shares of each student's submission, and its unexplained matches
    (see the module's docstring)."""
    fps = {f.name: f for f in fingerprinted}
    starter = fingerprint(template, params) if template and template.documents else None
    transcripts = [s for s in found.sources.values() if s.kind == "transcript"]
    space = symbol_id(" ")
    out = {}
    for student in students:
        f = fps.get(student)
        if f is None:
            continue
        # a prose word counts once (its closing space), so the report weighs in words, not characters
        unit = ~f.is_prose | (f.ids == space)
        counted = unit & ~_template_tokens(f, starter)
        own = _matched(f, [found.pair(student, s.name) for s in transcripts if student in s.declared_by])
        declared = _matched(f, [found.pair(student, s.name) for s in transcripts])
        shares = {"explained": own, "unexplained": ~declared}
        out[student] = {k: _share(v, counted) for k, v in shares.items()}
        for part, mask in (("code", ~f.is_prose), ("report", f.is_prose)):
            if (counted & mask).any():
                out[student][part] = {k: _share(v, counted & mask) for k, v in shares.items()}
        out[student]["unexplained_matches"] = unexplained_matches(f, found, passages, declared)
    return out


def unexplained_matches(f: Fingerprinted, found: Found, passages: Passages, declared: np.ndarray) -> list[dict]:
    """The fragments by which f matches another student or an AI reference (similarity MATCH or
    more) that mostly lie outside every declared AI response: shared work no disclosure explains."""
    out = []
    for p in found.pairs:
        other = p.b if p.a == f.name else p.a if p.b == f.name else None
        if other is None or p.similarity < MATCH or (other in found.sources
                                                     and found.sources[other].kind == "transcript"):
            continue
        for frag, evidence in zip(p.fragments, passages.fragments(p, f.name)):
            inside = _lines(f, *((frag.doc_a, frag.lines_a) if p.a == f.name else (frag.doc_b, frag.lines_b)))
            if inside.any() and (inside & declared).sum() * 2 < inside.sum():
                out.append(evidence)
    return out


def _template_tokens(f: Fingerprinted, starter: Fingerprinted | None) -> np.ndarray:
    """Tokens under a k-gram of the starter code."""
    if starter is None:
        return np.zeros(f.n_tokens, dtype=bool)
    hit = np.isin(f.hashes, starter.hashes)
    return covered_tokens(f.n_tokens, f.starts[hit], f.spans[hit])


def _matched(f: Fingerprinted, pairs: Iterable[PairScore | None]) -> np.ndarray:
    """Tokens of `f` inside the line ranges of the pairs' fragments on its side."""
    mask = np.zeros(f.n_tokens, dtype=bool)
    for p in pairs:
        for frag in p.fragments if p else ():
            mask |= _lines(f, *((frag.doc_a, frag.lines_a) if p.a == f.name else (frag.doc_b, frag.lines_b)))
    return mask


def _lines(f: Fingerprinted, path: str, lines: tuple[int, int]) -> np.ndarray:
    """Tokens of `f` within lines (first, last) of its document `path`."""
    lo, hi = lines
    return (f.doc_of_token == f.paths.index(path)) & (f.first_lines >= lo) & (f.last_lines <= hi)


def _share(mask: np.ndarray, counted: np.ndarray) -> float:
    total = int(counted.sum())
    return round(int((mask & counted).sum()) / total, 4) if total else 0.0


def _flag(kind: str, students: list[str], score: float | None = None, evidence: list | None = None,
          **more) -> dict:
    """A flag as the contract writes it; `score` only where one applies."""
    flag = {"kind": kind, "students": sorted(students)}
    if score is not None:
        flag["score"] = round(score, 4)
    return flag | more | {"evidence": evidence or []}
