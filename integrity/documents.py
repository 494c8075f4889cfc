"""Value types that ingest produces and every later stage consumes."""
from __future__ import annotations

from dataclasses import dataclass, field

CODE_LANGUAGES = ("python", "c", "cpp", "cuda", "java")


@dataclass(frozen=True)
class Document:
    """One readable file of a submission (a notebook yields a code and a prose document)."""

    path: str  # posix path inside the submission, unique within it
    kind: str  # "code" or "prose"
    language: str  # one of CODE_LANGUAGES, or "text" for prose
    text: str
    sha256: str  # of the bytes the text was read from


@dataclass(frozen=True)
class Submission:
    """One student's (or one reference's) work: its name and readable documents."""

    name: str
    documents: tuple[Document, ...]
    meta: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Problem:
    """A file that was not read, or read only in part, and why (one line for the TA)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Batch:
    """What ingest made of one source: submissions, problems (bad input), skipped files."""

    submissions: list[Submission] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
