"""Folders of AI reference solutions: staff ask AI tools to solve the assignment and keep the answers.

Each `--reference` folder holds one sub-folder or file per reference, named by it. A
reference's sub-folder may note how it was made in `ai.json`: {"tool": ..., "prompt": ...}.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from integrity.documents import Batch, Problem, Submission
from integrity.ingest import load_batch

NOTE = "ai.json"


def load_references(folders: Sequence[str | Path]) -> tuple[list[Submission], dict[str, dict], Batch]:
    """(references, each one's note of tool and prompt, problems and skipped files).

    A reference name found in two folders keeps the first folder's reference.
    """
    refs: dict[str, Submission] = {}
    notes: dict[str, dict] = {}
    found = Batch()
    for folder in folders:
        batch = load_batch(folder)
        found.problems += batch.problems
        found.skipped += [p for p in batch.skipped if Path(p.path).name != NOTE]
        for ref in batch.submissions:
            if ref.name in refs:
                found.problems.append(Problem(f"{folder}/{ref.name}", "another reference has this name"))
                continue
            refs[ref.name] = ref
            try:
                if note := read_note(Path(folder) / ref.name):
                    notes[ref.name] = note
            except ValueError as err:
                found.problems.append(Problem(f"{folder}/{ref.name}/{NOTE}", str(err)))
    return list(refs.values()), notes, found


def read_note(tree: str | Path) -> dict:
    """The tool and prompt that made the reference in folder `tree` ({} without an ai.json); ValueError
    naming the problem when the note cannot be read."""
    note = Path(tree) / NOTE
    if not note.is_file():
        return {}
    try:
        data = json.loads(note.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"note not read: {err}") from None
    if not isinstance(data, dict):
        raise ValueError("note not read: expected a JSON object with 'tool' and 'prompt'")
    return {k: str(data[k]) for k in ("tool", "prompt") if data.get(k)}
