"""The bundled demo course: ingest every assignment with its AI references and disclosures,
analyse and cross-check it, write each report, and give everyone on its roster an account
with one published demo password.

A deadline in course.json is ISO 8601, or "+N days" from the time the demo is built: the
last assignment's is relative, so that the demo always has a disclosure form open for
students whenever it is built, and the earlier ones are fixed dates in the past (locked).
"""
from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Callable

from integrity.accounts import create_user
from integrity.disclosure.records import import_folder
from integrity.pipeline import analyse_assignment, ingest, write_report
from integrity.store import Store

DEMO_PASSWORD = "demo-password"  # published in the README: the demo database is not private


def build_demo(store: Store, course_dir: Path, out_dir: Path,
               progress: Callable | None = None) -> list[tuple[dict, Path]]:
    """Load the demo course (course.json, roster.csv, one folder per assignment) and analyse it.

    Returns each assignment's row with the path of its HTML report. Running it again
    re-ingests idempotently and adds a new analysis run.
    """
    course = json.loads((course_dir / "course.json").read_text(encoding="utf-8"))
    course_id = store.course(course["code"], course["title"], course.get("term", ""))
    with open(course_dir / "roster.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["role"] == "student":
                store.student(course_id, row["login"], row["name"], row["email"])
    out = []
    for a in course["assignments"]:
        folder = course_dir / a["slug"]
        store.assignment(course_id, a["slug"], a["title"], deadline(a.get("deadline", "")))
        templates = [folder / "template"] if (folder / "template").is_dir() else []
        references = sorted((folder / "references").iterdir()) if (folder / "references").is_dir() else []
        ingest(store, folder / "submissions", course["code"], a["slug"], templates, references)
        row = store.find_assignment(course["code"], a["slug"])
        if (folder / "disclosures").is_dir():
            students = [s.name for s in store.submissions(row["id"])]
            import_folder(store, row["id"], folder / "disclosures", students, "demo import")
        analyse_assignment(store, row["id"], progress=progress)
        path = out_dir / f"{a['slug']}.html"
        write_report(store, row, path)
        out.append((row, path))
    return out


def deadline(text: str, built: datetime | None = None) -> str:
    """A deadline as stored (ISO 8601): "+N days" counts from `built` (now), to the end of that day, UTC."""
    relative = re.fullmatch(r"\+(\d+) days?", text.strip())
    if not relative:
        return text
    day = (built or datetime.now(UTC)) + timedelta(days=int(relative[1]))
    return day.replace(hour=23, minute=59, second=0, microsecond=0).isoformat()


def demo_accounts(store: Store, course_dir: Path) -> list[dict]:
    """An account per roster row (password DEMO_PASSWORD) with its course role; the roster rows.

    The instructor may also create courses.
    """
    course = json.loads((course_dir / "course.json").read_text(encoding="utf-8"))
    course_id = store.course(course["code"], course["title"], course.get("term", ""))
    with open(course_dir / "roster.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        user = create_user(store, row["login"], DEMO_PASSWORD, row["name"], row["email"],
                           creator=row["role"] == "instructor")
        store.set_member(course_id, user.id, row["role"])
    return rows
