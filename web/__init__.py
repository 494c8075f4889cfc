"""The review UI: a Flask app over the integrity store, one blueprint per area.

`create_app(db)` serves one SQLite database. Every view checks the signed-in user's role in
the course (web/access.py); views parse input, call integrity, and render templates.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect

from integrity.accounts import secret_key
from integrity.reviews import STATE_LABELS
from integrity.store import Store
from web import assignments, auth, courses, disclosures, pairs, submissions
from web.access import load_user
from web.jobs import Jobs

MAX_UPLOAD = 512 * 1024 * 1024  # a term's batch with notebooks and PDFs fits
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def create_app(db: str | Path, *, secure_cookies: bool = False, **config) -> Flask:
    """The app serving database `db`; `secure_cookies` for deployments behind HTTPS."""
    app = Flask(__name__)
    app.config.update(
        DB=str(db),
        SECRET_KEY=secret_key(Store(db)),  # generated once per database, never in the code
        SESSION_COOKIE_NAME="integrity_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=MAX_UPLOAD,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    app.config.update(config)
    app.jinja_env.autoescape = True
    app.jinja_env.globals.update(STATE_LABELS=STATE_LABELS)
    app.extensions["jobs"] = Jobs()
    CSRFProtect(app)
    for module in (auth, courses, assignments, pairs, submissions, disclosures):
        app.register_blueprint(module.bp)
    app.before_request(load_user)
    app.teardown_appcontext(_close_store)
    app.after_request(_headers)
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, _error)
    app.register_error_handler(CSRFError, _csrf_error)
    return app


def _close_store(_exc: BaseException | None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.db.conn.close()


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")  # private pages stay off shared disks
    return response


_MESSAGES = {400: "The request was not understood.", 403: "You do not have access to this page.",
             404: "There is nothing here.", 405: "That action is not allowed here.",
             413: "The upload is too large.", 429: "Too many attempts."}


def _error(err):
    code = getattr(err, "code", 500)
    detail = getattr(err, "description", "") if code in (400, 429) else ""
    return render_template("error.html", code=code, message=_MESSAGES.get(code, "Something went wrong."),
                           detail=detail), code


def _csrf_error(err: CSRFError):
    return render_template("error.html", code=400, message="The form had expired or was not sent from this site.",
                           detail="Reload the page and try again."), 400
