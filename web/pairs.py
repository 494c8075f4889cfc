"""One pair side by side, with its fragments, its review and the review's history."""
from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from integrity.disclosure.crosscheck import LABELS
from integrity.disclosure.overview import STATUS, pair_context
from integrity.reviews import review_pair
from web.access import STAFF, course_role, store
from web.charts import level
from web.forms import ReviewForm
from web.sourceview import pair_sides

bp = Blueprint("pairs", __name__, url_prefix="/courses/<code>/<slug>/pairs")


def _pair(pair_id: int) -> dict:
    pair = store().pair(pair_id)
    if pair is None or store().run(pair["run_id"])["assignment_id"] != g.assignment["id"]:
        abort(404)
    return pair


def _page(pair: dict, form: ReviewForm, status: int = 200):
    a = g.assignment
    s = store()
    sid_a, sub_a, _ = s.submission(a["id"], pair["a_name"])
    sid_b, sub_b, _ = s.submission(a["id"], pair["b_name"])
    fragments = s.pair_fragments(pair["id"])
    sides = pair_sides(sub_a.documents, sub_b.documents, fragments,
                       s.discounted_lines(pair["run_id"], sid_a), s.discounted_lines(pair["run_id"], sid_b))
    latest = s.latest_run(a["id"])
    return render_template(
        "pair.html", course=g.course, assignment=a, pair=pair, sides=sides, form=form, level=level,
        history=s.review_events(a["id"], pair["a_name"], pair["b_name"]),
        outdated=latest is None or latest["id"] != pair["run_id"],
        following=s.neighbour_pair(pair["run_id"], a["id"], pair["id"], unreviewed=False),
        context=pair_context(s, a, pair["a_name"], pair["b_name"], fragments), labels=LABELS,
        status_labels=STATUS), status


@bp.route("/<int:pair_id>")
@course_role(*STAFF)
def show(code, slug, pair_id):
    pair = _pair(pair_id)
    review = store().review(g.assignment["id"], pair["a_name"], pair["b_name"])
    form = ReviewForm(data={"state": review["state"], "note": review["note"]} if review else None)
    return _page(pair, form)


@bp.route("/<int:pair_id>/review", methods=["POST"])
@course_role(*STAFF)
def review(code, slug, pair_id):
    pair = _pair(pair_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _page(pair, form, 400)
    review_pair(store(), pair, g.user.login, form.state.data, form.note.data or "")
    if request.form.get("then") == "next":
        return redirect(url_for("assignments.next_pair", code=code, slug=slug, after=pair_id))
    return redirect(url_for("pairs.show", code=code, slug=slug, pair_id=pair_id))
