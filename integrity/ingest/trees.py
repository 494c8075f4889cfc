"""Folders on disk -> the files of a submission, and those files -> one Submission."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from integrity.documents import Problem, Submission
from integrity.ingest import kinds, readers
from integrity.ingest.limits import Limits, size_text

IGNORED_NAMES = frozenset({"__MACOSX", "__pycache__"})


@dataclass(frozen=True)
class Place:
    """A file or folder on disk and the path the TA knows it by, e.g. ``batch.zip!alice/x.py``."""

    real: Path
    shown: str

    def child(self, name: str) -> Place:
        """The entry `name` inside this folder."""
        joiner = "" if not self.shown or self.shown.endswith("!") else "/"
        return Place(self.real / name, self.shown + joiner + name)


def is_ignored(name: str) -> bool:
    """Hidden files and folders and OS or tool litter, left out without a word."""
    return name.startswith(".") or name in IGNORED_NAMES


def entries(folder: Place) -> tuple[list[Place], list[Problem]]:
    """The visible entries of a folder, sorted by name; symbolic links are reported, not followed."""
    try:
        names = sorted(os.listdir(folder.real))
    except OSError as error:
        return [], [Problem(folder.shown, f"cannot read folder: {error.strerror or error}")]
    found, problems = [], []
    for name in names:
        if is_ignored(name):
            continue
        place = folder.child(name)
        if place.real.is_symlink():
            problems.append(Problem(place.shown, "symbolic link ignored"))
        elif place.real.is_dir() or place.real.is_file():
            found.append(place)
        else:
            problems.append(Problem(place.shown, "not a regular file or folder"))
    return found, problems


def files_under(folder: Place) -> tuple[list[tuple[Place, str]], list[Problem]]:
    """Every regular file below a folder, with its posix path relative to the folder."""
    files, problems = [], []
    pending = [(folder, "")]
    while pending:
        current, prefix = pending.pop()
        found, trouble = entries(current)
        problems += trouble
        for place in found:
            path = prefix + place.real.name
            if place.real.is_dir():
                pending.append((place, path + "/"))
            else:
                files.append((place, path))
    return sorted(files, key=lambda file: file[1]), problems


def read_submission(
    name: str, shown: str, files: list[tuple[Place, str]], limits: Limits, meta: dict | None = None
) -> tuple[Submission | None, list[Problem], list[Problem]]:
    """Read a submission's files: (the Submission or None if nothing was readable, problems, skipped)."""
    documents, problems, skipped = [], [], []
    cpp_headers = kinds.has_cpp_sources(path for _, path in files)
    taken: set[str] = set()
    for place, path in files:
        if not kinds.is_readable(path):
            ending = kinds.ending(path) or "no file ending"
            skipped.append(Problem(place.shown, f"skipped: not a supported file type ({ending})"))
            continue
        if path in taken:
            problems.append(Problem(place.shown, f"another file of this submission is also called {path}"))
            continue
        try:
            size = place.real.stat().st_size
            if size > limits.max_file_bytes:
                limit = size_text(limits.max_file_bytes)
                raise readers.Unreadable(f"file is {size_text(size)}, over the {limit} limit")
            if size == 0:
                skipped.append(Problem(place.shown, "skipped: empty file"))
                continue
            read = readers.read_file(path, place.real.read_bytes(), cpp_headers)
        except readers.Unreadable as error:
            problems.append(Problem(place.shown, str(error)))
            continue
        except OSError as error:
            problems.append(Problem(place.shown, f"cannot read file: {error.strerror or error}"))
            continue
        if not read:
            skipped.append(Problem(place.shown, "skipped: no text in the file"))
        taken.add(path)
        documents += read
    if not documents:
        return None, problems + [Problem(shown, "empty submission: no readable files")], skipped
    documents.sort(key=lambda document: document.path)
    return Submission(name, tuple(documents), dict(meta or {})), problems, skipped
