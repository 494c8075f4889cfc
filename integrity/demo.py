"""The bundled demo course: ingest and analyse every assignment, write each report, and
give everyone on its roster an account with one published demo password."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Callable

from integrity.accounts import create_user
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
        store.assignment(course_id, a["slug"], a["title"], a.get("deadline", ""))
        templates = [folder / "template"] if (folder / "template").is_dir() else []
        ingest(store, folder / "submissions", course["code"], a["slug"], templates)
        row = store.find_assignment(course["code"], a["slug"])
        analyse_assignment(store, row["id"], progress=progress)
        path = out_dir / f"{a['slug']}.html"
        write_report(store, row, path)
        out.append((row, path))
    return out


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
