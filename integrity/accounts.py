"""Users, course roles, passwords and login throttling.

Passwords are stored only as werkzeug's salted scrypt hashes. Repeated failed logins for
one login name, or from one address, are refused for a while, whether or not the login
exists (so throttling reveals nothing about which accounts exist).
"""
from __future__ import annotations

import csv
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from integrity.store import COURSE_ROLES, Store

MAX_FAILURES_PER_LOGIN = 5
MAX_FAILURES_PER_ADDRESS = 20
THROTTLE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 8
_DUMMY_HASH = generate_password_hash(secrets.token_hex(8))  # equal work for unknown logins


class Throttled(Exception):
    """Too many recent failed logins for this login name or address."""


@dataclass(frozen=True)
class User:
    """A signed-in person (the password hash stays in the store)."""

    id: int
    login: str
    name: str
    email: str
    creator: bool  # may create courses (the first instructor, and those they trust)


def hash_password(password: str) -> str:
    """A salted hash with werkzeug's current key-derivation function (scrypt)."""
    return generate_password_hash(password)


def create_user(store: Store, login: str, password: str, name: str = "", email: str = "",
                creator: bool = False) -> User:
    """Create an account, or reset the password and details of an existing one."""
    login = login.strip()
    if not login:
        raise ValueError("a login is needed")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"passwords have at least {MIN_PASSWORD} characters")
    row = store.user(login)
    if row:
        store.update_user(row["id"], password=hash_password(password), name=name or row["name"],
                          email=email or row["email"], creator=int(creator or row["creator"]))
    else:
        store.add_user(login, name or login, email, hash_password(password), creator)
    return _user(store.user(login))


def user_by_id(store: Store, user_id: int) -> User | None:
    """The account with this id, or None."""
    row = store.user_by_id(user_id)
    return _user(row) if row else None


def authenticate(store: Store, login: str, password: str, address: str = "") -> User | None:
    """The user if the password is right; None if not. Raises Throttled after too many failures."""
    keys = [(f"login:{login.strip().lower()}", MAX_FAILURES_PER_LOGIN)]
    if address:
        keys.append((f"address:{address}", MAX_FAILURES_PER_ADDRESS))
    since = (datetime.now(UTC) - THROTTLE_WINDOW).isoformat(timespec="seconds")
    if any(store.login_failures(key, since) >= limit for key, limit in keys):
        raise Throttled(f"too many failed logins; try again in {THROTTLE_WINDOW.seconds // 60} minutes")
    row = store.user(login.strip())
    if row and row["password"] and check_password_hash(row["password"], password):
        store.clear_login_failures(keys[0][0])
        return _user(row)
    if not (row and row["password"]):
        check_password_hash(_DUMMY_HASH, password)
    for key, _ in keys:
        store.record_login_failure(key)
    return None


def secret_key(store: Store) -> str:
    """The database's session-signing key, generated the first time."""
    return store.setting("secret_key", secrets.token_hex(32))


@dataclass(frozen=True)
class RosterResult:
    """What a roster import did; `passwords` holds the initial passwords of new accounts."""

    added: int
    updated: int
    passwords: tuple[tuple[str, str], ...]  # (login, initial password)
    errors: tuple[str, ...]


def import_roster(store: Store, course_code: str, path: str | Path) -> RosterResult:
    """Add a course's people from a CSV (login,name,email,role; role instructor, ta or student).

    New accounts get a random initial password (returned, to be handed out once); existing
    accounts keep theirs and get the role. Students are also entered as the course's
    students, so their submissions (named by login) are theirs.
    """
    course = store.find_course(course_code)
    if course is None:
        raise ValueError(f"no course {course_code!r}")
    added = updated = 0
    passwords, errors = [], []
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"login", "role"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"the roster needs the columns login,name,email,role (missing {', '.join(sorted(missing))})")
        for line, row in enumerate(reader, 2):
            login = (row.get("login") or "").strip()
            role = (row.get("role") or "").strip().lower()
            name, email = (row.get("name") or "").strip(), (row.get("email") or "").strip()
            if not login or role not in COURSE_ROLES:
                errors.append(f"line {line}: needs a login and a role ({', '.join(COURSE_ROLES)})")
                continue
            user = store.user(login)
            if user:
                updated += 1
                user_id = user["id"]
            else:
                password = secrets.token_urlsafe(9)
                user_id = store.add_user(login, name or login, email, hash_password(password))
                passwords.append((login, password))
                added += 1
            store.set_member(course["id"], user_id, role)
            if role == "student":
                store.student(course["id"], login, name, email)
    return RosterResult(added, updated, tuple(passwords), tuple(errors))


def _user(row: dict) -> User:
    return User(row["id"], row["login"], row["name"], row["email"], bool(row["creator"]))
