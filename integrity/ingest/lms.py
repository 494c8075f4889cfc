"""What LMS exports encode in names and metadata: Canvas file names, Gradescope's submitters."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

GRADESCOPE_METADATA = "submission_metadata.yml"
_CANVAS_NAME = re.compile(r"^(?P<login>.+?)(?P<late>_LATE)?_(?P<user_id>\d+)_(?P<file_id>\d+)_(?P<name>.+)$")
_DUPLICATE_SUFFIX = re.compile(r"^(?P<stem>.+)-\d+(?P<ending>\.[^.]+)$")
_TOP_KEY = re.compile(r"^(?P<quote>['\"]?)(?P<key>[^\s'\"#][^:]*?)(?P=quote):\s*$")
_FIELD = re.compile(r"^(?P<item>-\s+)?:(?P<key>\w+):\s*(?P<value>.*)$")
_SUBMITTER_FIELDS = ("name", "sid", "email")


@dataclass(frozen=True)
class CanvasFile:
    """The parts of a Canvas export file name: ``<login>[_LATE]_<user id>_<file id>_<name>``."""

    login: str
    late: bool
    user_id: str
    name: str  # as uploaded, possibly with Canvas's `-1` duplicate suffix


def parse_canvas_name(filename: str) -> CanvasFile | None:
    """The parts of a Canvas export file name, or None if it is not named that way."""
    match = _CANVAS_NAME.match(filename)
    if not match:
        return None
    return CanvasFile(match["login"], bool(match["late"]), match["user_id"], match["name"])


def without_duplicate_suffix(name: str) -> str:
    """`report-1.pdf` -> `report.pdf`: Canvas renames a second upload of the same name that way."""
    match = _DUPLICATE_SUFFIX.match(name)
    return match["stem"] + match["ending"] if match else name


def parse_gradescope_metadata(text: str) -> dict[str, list[dict[str, str]]]:
    """Submitters (name, sid, email) per submission folder, from Gradescope's submission_metadata.yml.

    A line-based reading of the few fields needed, not a YAML parser (no YAML dependency).
    """
    submitters: dict[str, list[dict[str, str]]] = {}
    people: list[dict[str, str]] | None = None
    list_indent = None  # indentation of the `:submitters:` key while inside that list
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == "---":
            continue
        indent = len(line) - len(line.lstrip())
        top = _TOP_KEY.match(line)
        if top:
            people = submitters.setdefault(top["key"], [])
            list_indent = None
        elif people is None:
            continue
        elif stripped == ":submitters:":
            list_indent = indent
        elif list_indent is not None:
            if indent < list_indent or (indent == list_indent and not stripped.startswith("-")):
                list_indent = None
                continue
            field = _FIELD.match(stripped)
            if not field:
                continue
            if field["item"] or not people:
                people.append({})
            value = _unquote(field["value"])
            if field["key"] in _SUBMITTER_FIELDS and value:
                people[-1][field["key"]] = value
    return submitters


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return json.loads(value)
        except ValueError:
            return value[1:-1]
    return "" if value in ("~", "null") else value
