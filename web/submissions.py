"""One submission's files (staff, or the student whose work it is) and their downloads."""
from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template
from werkzeug.utils import secure_filename

from web.access import EVERYONE, STAFF, course_role, store
from web.sourceview import document_tabs

bp = Blueprint("submissions", __name__, url_prefix="/courses/<code>/<slug>")


def _visible(name: str):
    """The submission if the user may see it: staff any, a student only their own."""
    found = store().submission(g.assignment["id"], name)
    if found is None:
        abort(404 if g.role in STAFF else 403)  # students learn nothing about others' names
    sid, sub, login = found
    if g.role not in STAFF and login != g.user.login:
        abort(403)
    return sid, sub


@bp.route("/submissions")
@course_role(*STAFF)
def index(code, slug):
    a = g.assignment
    return render_template("submissions.html", course=g.course, assignment=a,
                           submissions=store().submission_list(a["id"]), ingest=store().latest_ingest(a["id"]),
                           problems=store().ingest_problems(a["id"]))


@bp.route("/submissions/<name>")
@course_role(*EVERYONE)
def show(code, slug, name):
    _, sub = _visible(name)
    return render_template("submission.html", course=g.course, assignment=g.assignment, submission=sub,
                           tabs=document_tabs(sub.documents))


@bp.route("/submissions/<name>/files/<path:doc>")
@course_role(*EVERYONE)
def download(code, slug, name, doc):
    _, sub = _visible(name)
    found = next((d for d in sub.documents if d.path == doc), None)
    if found is None:
        abort(404)
    filename = secure_filename(f"{name}-{doc}") or "file"
    return Response(found.text.encode("utf-8", "replace"), mimetype="text/plain",
                    headers={"Content-Disposition": f'attachment; filename="{filename}.txt"'})
