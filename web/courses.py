"""Home (my courses), creating courses, a course's page, its roster and its assignments."""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for

from integrity.accounts import import_roster
from web.access import EVERYONE, STAFF, course_role, login_required, store
from web.forms import AssignmentForm, CourseForm, RosterForm

bp = Blueprint("courses", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("home.html", courses=store().user_courses(g.user.id), form=CourseForm())


@bp.route("/courses/new", methods=["POST"])
@login_required
def create():
    if not g.user.creator:
        abort(403)
    form = CourseForm()
    if not form.validate_on_submit():
        return render_template("home.html", courses=store().user_courses(g.user.id), form=form), 400
    if store().find_course(form.code.data):
        form.code.errors.append("a course with this code exists")
        return render_template("home.html", courses=store().user_courses(g.user.id), form=form), 400
    course_id = store().course(form.code.data, form.title.data or "", form.term.data or "")
    store().set_member(course_id, g.user.id, "instructor")
    flash(f"Course {form.code.data} created; you are its instructor.")
    return redirect(url_for("courses.course", code=form.code.data))


def _course_page(assignment_form=None, roster_form=None, roster=None, status=200):
    course = g.course
    staff = g.role in STAFF
    return render_template(
        "course.html", course=course,
        assignments=store().course_assignments(course["id"]) if staff else [],
        mine=[] if staff else store().student_assignments(course["id"], g.user.login),
        members=store().members(course["id"]) if staff else [],
        assignment_form=assignment_form or AssignmentForm(), roster_form=roster_form or RosterForm(),
        roster=roster), status


@bp.route("/courses/<code>")
@course_role(*EVERYONE)
def course(code):
    return _course_page()


@bp.route("/courses/<code>/assignments", methods=["POST"])
@course_role(*STAFF)
def create_assignment(code):
    form = AssignmentForm()
    if not form.validate_on_submit():
        return _course_page(assignment_form=form, status=400)
    if store().find_assignment(code, form.slug.data):
        form.slug.errors.append("this course has an assignment with this name")
        return _course_page(assignment_form=form, status=400)
    store().assignment(g.course["id"], form.slug.data, form.title.data or "", form.deadline.data or "")
    return redirect(url_for("assignments.upload", code=code, slug=form.slug.data))


@bp.route("/courses/<code>/roster", methods=["POST"])
@course_role("instructor")
def roster(code):
    form = RosterForm()
    if not form.validate_on_submit():
        return _course_page(roster_form=form, status=400)
    with tempfile.TemporaryDirectory(prefix="integrity-roster-") as tmp:
        path = Path(tmp) / "roster.csv"
        form.roster.data.save(path)
        try:
            result = import_roster(store(), code, path)
        except (ValueError, UnicodeDecodeError) as err:
            form.roster.errors.append(str(err) if isinstance(err, ValueError) else "the file is not UTF-8 text")
            return _course_page(roster_form=form, status=400)
    return _course_page(roster=result)
