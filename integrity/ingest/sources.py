"""Sources of submissions: a folder or zip, laid out per submission, as a Canvas or a Gradescope export."""
from __future__ import annotations

import contextlib
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from integrity.documents import Batch, Problem, Submission
from integrity.ingest import kinds, lms
from integrity.ingest.archive import ArchiveRefused, extract_zip
from integrity.ingest.limits import Limits
from integrity.ingest.trees import Place, entries, files_under, read_submission

ZIP = ".zip"
_NOT_CANVAS = "not named like the rest of the Canvas export (<login>_<id>_<id>_<name>)"


@dataclass
class _Found:
    """A submission found in a source, not yet read."""

    name: str
    fallback: str  # the name used when another submission also wants `name`
    shown: str
    parts: list[tuple[Place, str]]  # folders, zips or files, a file with its path in the submission
    meta: dict = field(default_factory=dict)


def load_batch(path: str | Path, limits: Limits = Limits()) -> Batch:
    """Every submission in a folder or a .zip, whatever its layout; bad input becomes Problems."""
    path = Path(path)
    if path.is_dir():
        return _batch(Place(path, ""), limits)
    if not path.is_file() or kinds.ending(path.name) != ZIP:
        raise ValueError(f"expected a folder or a .zip file: {path}")
    problems: list[Problem] = []
    with _unpacked(Place(path, path.name), limits, problems) as root:
        batch = _batch(root, limits) if root else Batch()
    batch.problems = sorted(problems + batch.problems, key=_order)
    return batch


def load_tree(
    path: str | Path, name: str | None = None, limits: Limits = Limits()
) -> tuple[Submission | None, list[Problem], list[Problem]]:
    """All readable documents under one folder, zip or file as one Submission (template, reference).

    The name defaults to the folder's or file's name (a zip's without `.zip`).
    Returns (the Submission or None if nothing was readable, problems, skipped).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)
    default = path.stem if path.is_file() and kinds.ending(path.name) == ZIP else path.name
    found = _Found(name or default, name or default, path.name, [(Place(path, path.name), path.name)])
    return _read(found, limits)


def _batch(folder: Place, limits: Limits) -> Batch:
    found_entries, problems = entries(folder)
    if (folder.real / lms.GRADESCOPE_METADATA).is_file():
        found, trouble = _gradescope(folder, found_entries)
    elif _looks_like_canvas(found_entries):
        found, trouble = _canvas(found_entries)
    else:
        found, trouble = _one_per_entry(found_entries), []
    batch = Batch(problems=problems + trouble)
    wanted = Counter(item.name for item in found)
    for item in found:
        if wanted[item.name] > 1:
            item.name = item.fallback
        submission, item_problems, item_skipped = _read(item, limits)
        if submission:
            batch.submissions.append(submission)
        batch.problems += item_problems
        batch.skipped += item_skipped
    batch.submissions.sort(key=lambda submission: submission.name)
    batch.problems.sort(key=_order)
    batch.skipped.sort(key=_order)
    return batch


def _one_per_entry(found_entries: list[Place]) -> list[_Found]:
    """One sub-folder or file per submission, named by it; `alice.zip` is submission `alice`."""
    found = []
    for place in found_entries:
        name = place.real.name
        if place.real.is_file() and kinds.ending(name) == ZIP:
            found.append(_Found(name[: -len(ZIP)], name, place.shown, [(place, "")]))
        else:
            found.append(_Found(name, name, place.shown, [(place, name)]))
    return found


def _looks_like_canvas(found_entries: list[Place]) -> bool:
    """Whether most top-level entries are files named the Canvas way."""
    named = [place for place in found_entries if place.real.is_file() and lms.parse_canvas_name(place.real.name)]
    return 2 * len(named) > len(found_entries)


def _canvas(found_entries: list[Place]) -> tuple[list[_Found], list[Problem]]:
    """A flat Canvas export: every file named `<login>[_LATE]_<id>_<id>_<name>`, grouped by login."""
    by_login: dict[str, _Found] = {}
    problems = []
    for place in found_entries:
        parsed = lms.parse_canvas_name(place.real.name) if place.real.is_file() else None
        if parsed is None:
            problems.append(Problem(place.shown, _NOT_CANVAS))
            continue
        meta = {"source": "canvas", "login": parsed.login, "late": False}
        item = by_login.setdefault(parsed.login, _Found(parsed.login, parsed.login, parsed.login, [], meta))
        item.meta["user_id"] = parsed.user_id
        item.meta["late"] |= parsed.late
        item.parts.append((place, parsed.name))
    for item in by_login.values():
        item.parts = _strip_duplicate_suffixes(item.parts)
    return list(by_login.values()), problems


def _strip_duplicate_suffixes(parts: list[tuple[Place, str]]) -> list[tuple[Place, str]]:
    """`hw-1.py` becomes `hw.py` unless that would clash with another of the student's files."""
    uploaded = {path for _, path in parts}
    plain = Counter(lms.without_duplicate_suffix(path) for path in uploaded)
    renamed = []
    for place, path in parts:
        stripped = lms.without_duplicate_suffix(path)
        clash = stripped != path and (stripped in uploaded or plain[stripped] > 1)
        renamed.append((place, path if clash else stripped))
    return renamed


def _gradescope(folder: Place, found_entries: list[Place]) -> tuple[list[_Found], list[Problem]]:
    """A Gradescope export: `submission_<id>` per submission, submitters in submission_metadata.yml."""
    metadata_file = folder.child(lms.GRADESCOPE_METADATA)
    try:
        metadata = lms.parse_gradescope_metadata(metadata_file.real.read_text("utf-8", errors="replace"))
        problems = []
    except OSError as error:
        metadata, problems = {}, [Problem(metadata_file.shown, f"cannot read file: {error.strerror or error}")]
    found = []
    for place in found_entries:
        entry = place.real.name
        if entry == lms.GRADESCOPE_METADATA:
            continue
        submitters = metadata.get(entry) or metadata.get(Path(entry).stem) or []
        first = submitters[0] if submitters else {}
        name = first.get("email", "").split("@")[0] or first.get("sid") or entry
        meta = {"source": "gradescope", "folder": entry, "submitters": submitters}
        found.append(_Found(name, entry, place.shown, [(place, "" if place.real.is_dir() else entry)], meta))
    return found, problems


def _read(found: _Found, limits: Limits) -> tuple[Submission | None, list[Problem], list[Problem]]:
    """Read the files of a found submission, unpacking its zips into temporary folders meanwhile."""
    problems: list[Problem] = []
    files: list[tuple[Place, str]] = []
    with contextlib.ExitStack() as stack:
        for place, path in found.parts:
            if place.real.is_file() and kinds.ending(place.real.name) == ZIP:
                root = stack.enter_context(_unpacked(place, limits, problems))
                if root is None:
                    continue
                place = root
            if place.real.is_dir():
                under, trouble = files_under(place)
                files += under
                problems += trouble
            else:
                files.append((place, path))
        if not files and problems:
            return None, problems, []  # already explained: a refused archive, an unreadable folder
        submission, trouble, skipped = read_submission(found.name, found.shown, files, limits, found.meta)
    return submission, problems + trouble, skipped


@contextlib.contextmanager
def _unpacked(archive: Place, limits: Limits, problems: list[Problem]) -> Iterator[Place | None]:
    """The zip unpacked into a temporary folder (a single top folder descended into), or None if refused."""
    with tempfile.TemporaryDirectory(prefix="integrity-ingest-") as tmp:
        try:
            problems += extract_zip(archive.real, Path(tmp), limits, archive.shown)
        except ArchiveRefused as error:
            problems.append(Problem(archive.shown, str(error)))
            yield None
            return
        root = Place(Path(tmp), archive.shown + "!")
        inside, _ = entries(root)
        yield inside[0] if len(inside) == 1 and inside[0].real.is_dir() else root


def _order(problem: Problem) -> tuple[str, str]:
    return problem.path, problem.reason
