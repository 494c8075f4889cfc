"""A folder of disclosures, as the crosscheck contract lays it out.

`<submission name>.json` is that student's disclosure; the transcripts it names are paths
relative to the folder (they may sit beside the disclosures). Any other file is ignored,
with a note when it is a .json file that no disclosure names (a misnamed disclosure?).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from integrity.disclosure.model import (
    Disclosure,
    InvalidDisclosure,
    Transcript,
    parse_disclosure,
)
from integrity.disclosure.transcripts import (
    MAX_BYTES,
    TranscriptError,
    parse_transcript,
)
from integrity.ingest.readers import Unreadable, decode_text


@dataclass
class Disclosures:
    """What a folder holds: readable disclosures, unreadable ones with their problems, and notes."""

    read: dict[str, Disclosure] = field(default_factory=dict)
    malformed: dict[str, list[str]] = field(default_factory=dict)  # student -> problems, each naming the field
    notes: list[str] = field(default_factory=list)  # for standard error: files ignored, names that disagree


def load_disclosures(folder: str | Path, students: Iterable[str]) -> Disclosures:
    """Read the disclosure of each of `students` that has one in `folder`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"not a folder of disclosures: {folder}")
    students = set(students)
    out = Disclosures()
    named: set[str] = set()
    for path in sorted(folder.glob("*.json")):
        student = path.stem
        if student not in students:
            continue
        try:
            data = json.loads(decode_text(_bytes(path)))
            out.read[student] = parse_disclosure(data, student, lambda p: _transcript(folder, p, named))
        except (OSError, Unreadable, InvalidDisclosure) as err:
            out.malformed[student] = getattr(err, "errors", None) or [str(err)]
        except json.JSONDecodeError as err:
            out.malformed[student] = [f"not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"]
        else:
            declared = data.get("student")
            if isinstance(declared, str) and declared.strip() not in ("", student):
                out.notes.append(f"{path.name}: names student {declared.strip()!r}; read as {student}'s "
                                 f"(the file's name decides)")
    for path in sorted(folder.glob("*.json")):
        if path.stem not in students and path.name not in named:
            out.notes.append(f"{path.name}: ignored, no submission is called {path.stem!r} "
                             f"and no disclosure names it as a transcript")
    return out


def _transcript(folder: Path, relative: str, named: set[str]) -> Transcript:
    """A declared transcript, which must lie inside the folder of disclosures."""
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts:
        raise ValueError(f"{relative}: transcripts are named relative to the folder of disclosures, inside it")
    path = folder / pure
    if not path.is_file():
        raise ValueError(f"{relative}: no such file beside the disclosures")
    named.add(pure.as_posix())
    try:
        return parse_transcript(pure.as_posix(), _bytes(path))
    except OSError as err:
        raise TranscriptError(relative, f"cannot read file: {err.strerror or err}") from None


def _bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_BYTES:
        raise Unreadable(f"{path.name}: file is over the {MAX_BYTES // 2**20} MiB limit")
    return path.read_bytes()
