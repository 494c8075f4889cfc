"""Who is signed in, and what they may see: every view goes through one of these checks.

Course pages take the course code (and assignment slug) from the URL; the user's role in
that course decides. Anonymous visitors are sent to the login page (JSON endpoints get
401); members without the role get 403; unknown courses, assignments and pairs 404.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, g, jsonify, redirect, request, session, url_for

from integrity.accounts import User, user_by_id
from integrity.store import Store

STAFF = ("instructor", "ta")
EVERYONE = ("instructor", "ta", "student")


def store() -> Store:
    """The request's store (one SQLite connection per request, closed at teardown)."""
    if "store" not in g:
        g.store = Store(current_app.config["DB"])
    return g.store


def load_user() -> None:
    """Before each request: the signed-in user as g.user (None when signed out)."""
    user_id = session.get("user_id")
    g.user = user_by_id(store(), user_id) if isinstance(user_id, int) else None


def sign_in(user: User) -> None:
    """Start a fresh session for the user (a new session, so a planted one is not reused)."""
    session.clear()
    session["user_id"] = user.id
    session.permanent = True


def _anonymous(api: bool):
    if api:
        return jsonify(error="sign in first"), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def login_required(view: Callable) -> Callable:
    """The view needs a signed-in user."""
    @wraps(view)
    def inner(**kwargs):
        if g.user is None:
            return _anonymous(False)
        return view(**kwargs)
    return inner


def course_role(*roles: str, api: bool = False) -> Callable:
    """The view needs one of `roles` in the URL's course; sets g.course, g.role (and g.assignment
    when the URL names one)."""
    def wrap(view: Callable) -> Callable:
        @wraps(view)
        def inner(code: str, **kwargs):
            if g.user is None:
                return _anonymous(api)
            course = store().find_course(code)
            if course is None:
                abort(404)
            role = store().member_role(course["id"], g.user.id)
            if role not in roles:
                abort(403)
            g.course, g.role = course, role
            if "slug" in kwargs:
                g.assignment = store().find_assignment(code, kwargs["slug"])
                if g.assignment is None:
                    abort(404)
            return view(code=code, **kwargs)
        return inner
    return wrap


def is_staff() -> bool:
    """Is the user staff (instructor or TA) of the current course."""
    return g.get("role") in STAFF
