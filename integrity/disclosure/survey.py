"""Disclosures collected elsewhere: an LMS survey exported as CSV, one row per student and tool.

Columns (names matched case-insensitively, a few LMS spellings accepted): student, used_ai
(yes/no, true/false, 1/0), tool, version, purposes and files (separated by ";"), prompts
(separated by a line holding only "---"), statement. A student who used no AI has one
row with used_ai "no" and no tool. Rows are validated like the JSON form; a student with
any bad row is not imported at all, and every bad row gets one message naming the row.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from integrity.disclosure.model import Disclosure, parse_tool

COLUMNS = {
    "student": ("student", "login", "username", "user", "sis login id"),
    "used_ai": ("used_ai", "used ai tools", "ai used"),
    "tool": ("tool", "ai tool", "tool name"),
    "version": ("version", "tool version", "model"),
    "purposes": ("purposes", "purpose", "used for"),
    "files": ("files", "files or sections"),
    "prompts": ("prompts", "prompt"),
    "statement": ("statement", "honour statement", "honor statement"),
}
YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")
PROMPT_SEPARATOR = "---"


@dataclass
class SurveyImport:
    """Disclosures by student, and one message per bad row or missing column."""

    disclosures: dict[str, Disclosure] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def import_survey(text: str) -> SurveyImport:
    """Read a survey CSV (as text) into Disclosures; students with bad rows are left out."""
    reader = csv.DictReader(io.StringIO(text))
    header = {_key(h): h for h in reader.fieldnames or []}
    columns = {name: next((header[_key(a)] for a in aliases if _key(a) in header), None) for name, aliases in COLUMNS.items()}
    out = SurveyImport()
    missing = [name for name in ("student", "used_ai") if columns[name] is None]
    if missing:
        out.errors.append(f"the CSV has no {' or '.join(missing)} column (found: {', '.join(header.values())})")
        return out
    rows: dict[str, list[tuple[int, dict]]] = {}
    for number, row in enumerate(reader, 2):  # as a spreadsheet numbers rows: the header is row 1
        cells = {name: (row.get(col) or "").strip() if col else "" for name, col in columns.items()}
        if not cells["student"]:
            out.errors.append(f"row {number}: student: missing")
            continue
        rows.setdefault(cells["student"], []).append((number, cells))
    for student, student_rows in rows.items():
        disclosure, errors = _student(student, student_rows)
        out.errors += errors
        if disclosure:
            out.disclosures[student] = disclosure
    return out


def _student(student: str, rows: list[tuple[int, dict]]) -> tuple[Disclosure | None, list[str]]:
    """One student's rows as one Disclosure, or the rows' errors."""
    errors, tools, answers = [], [], set()
    for number, cells in rows:
        where = f"row {number} ({student})"
        row_errors: list[str] = []
        answer = cells["used_ai"].lower()
        if answer in YES or answer in NO:
            answers.add(answer in YES)
        else:
            row_errors.append(f"used_ai: expected yes or no, found {cells['used_ai']!r}")
        if cells["tool"]:
            form = {"name": cells["tool"], "version": cells["version"],
                    "purposes": _split(cells["purposes"], ";"), "files": _split(cells["files"], ";"),
                    "prompts": _prompts(cells["prompts"])}
            tools.append(parse_tool(form, "tool", row_errors))
        elif any(cells[c] for c in ("version", "purposes", "files", "prompts")):
            row_errors.append("tool: missing, though the row gives its version, purposes, files or prompts")
        errors += [f"{where}: {e}" for e in row_errors]
    if len(answers) > 1:
        errors.append(f"rows {', '.join(str(n) for n, _ in rows)} ({student}): used_ai is yes on some rows and no "
                      f"on others")
    if errors:
        return None, errors
    statement = next((c["statement"] for _, c in rows if c["statement"]), "")
    return Disclosure(student, answers.pop(), tuple(tools), (), statement), []


def _split(cell: str, separator: str) -> list[str]:
    return [part.strip() for part in cell.split(separator) if part.strip()]


def _prompts(cell: str) -> list[str]:
    """Prompts separated by a line holding only PROMPT_SEPARATOR."""
    blocks, current = [], []
    for line in cell.split("\n"):
        if line.strip() == PROMPT_SEPARATOR:
            blocks.append(current)
            current = []
        else:
            current.append(line)
    blocks.append(current)
    return [text for block in blocks if (text := "\n".join(block).strip())]


def _key(name: str) -> str:
    """A column name as compared: lower case, underscores as spaces, single spaces."""
    return " ".join(name.strip().lower().replace("_", " ").split()) if name else ""
