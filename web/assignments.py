"""An assignment: its dashboard (histogram, pair table, clusters, review counts), uploading a
batch, analysing it in the background, and the exports."""
from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.utils import secure_filename

from integrity.pipeline import analyse_assignment, ingest, report_html
from integrity.reviews import STANDING_OUT, pairs_csv
from integrity.store import PAIR_SORTS, REVIEW_STATES, PairQuery, Store
from web.access import STAFF, course_role, store
from web.charts import histogram_bars, level
from web.forms import ActionForm, UploadForm
from web.jobs import Progress, jobs, start_job
from web.staging import save, save_tree, staging_folder

bp = Blueprint("assignments", __name__, url_prefix="/courses/<code>/<slug>")
PER_PAGE = 50
MIN_CHOICES = (0, 10, 30, 50, 70, 90)


def pair_query(args) -> PairQuery:
    """The pair table's query from the URL; values it does not know fall back to the defaults."""
    def number(key: str, default: int, lo: int, hi: int) -> int:
        try:
            return min(hi, max(lo, int(args.get(key, default))))
        except ValueError:
            return default
    state = args.get("state", "")
    sort = args.get("sort", "similarity")
    return PairQuery(min_similarity=number("min", 0, 0, 100) / 100, language=args.get("language", "")[:40],
                     kind=args.get("kind", "")[:40],
                     state=state if state in ("unreviewed",) + REVIEW_STATES else "",
                     student=args.get("q", "").strip()[:100],
                     between=between if (between := args.get("between", "")) in ("students", "references") else "",
                     sort=sort if sort in PAIR_SORTS else "similarity",
                     descending=args.get("dir", "desc") != "asc", page=number("page", 1, 1, 10**6),
                     per_page=PER_PAGE)


@bp.route("/")
@course_role(*STAFF)
def dashboard(code, slug):
    a = g.assignment
    run = store().latest_run(a["id"])
    query = pair_query(request.args)
    args = {k: v for k, v in request.args.items() if k != "page"}

    def table_url(**changes) -> str:
        """This page with the table's query changed (a new sort or filter starts at page 1)."""
        return url_for("assignments.dashboard", code=code, slug=slug, **{**args, **changes})

    context = {"course": g.course, "assignment": a, "run": run, "query": query, "job": jobs().status(a["id"]),
               "attempt": store().latest_attempt(a["id"]), "action": ActionForm(), "min_choices": MIN_CHOICES,
               "problems": len(store().problems(a["id"])), "level": level, "standing_out": STANDING_OUT,
               "table_url": table_url}
    if run:
        rows, total = store().pair_page(run["id"], a["id"], query)
        clusters = [c for c in json.loads(run["clusters"]) if len(c) >= 3]
        context.update(rows=rows, total=total, pages=max(1, -(-total // PER_PAGE)), clusters=clusters,
                       bars=histogram_bars(store().histogram(run["id"])), facets=store().pair_facets(run["id"]),
                       counts=store().review_counts(run["id"], a["id"], STANDING_OUT))
    return render_template("assignment.html", **context)


@bp.route("/status")
@course_role(*STAFF, api=True)
def status(code, slug):
    job = jobs().status(g.assignment["id"])
    return jsonify(job.as_dict() if job else {"state": "idle"})


@bp.route("/upload", methods=["GET", "POST"])
@course_role(*STAFF)
def upload(code, slug):
    a = g.assignment
    form = UploadForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("upload.html", course=g.course, assignment=a, form=form,
                               job=jobs().status(a["id"])), status
    tmp = staging_folder("upload")
    batch = save(form.batch.data, tmp / "batch")
    template = save_tree(form.template.data, tmp, "template")
    templates = [template] if template else []
    # one reference solution per file or zip
    references = [save(f, tmp / "references") for f in form.references.data or [] if f and f.filename]

    def work(worker: Store, progress: Progress) -> str:
        progress.stage("ingest")
        summary = ingest(worker, batch, code, slug, templates, references)
        analyse_assignment(worker, a["id"], progress=progress)
        return str(summary)

    start_job(a["id"], work, "An analysis of this assignment is already running; upload again when it is done.",
              staged=tmp)
    return redirect(url_for("assignments.dashboard", code=code, slug=slug))


@bp.route("/analyse", methods=["POST"])
@course_role(*STAFF)
def analyse(code, slug):
    a = g.assignment
    if not ActionForm().validate_on_submit():
        abort(400)

    def work(worker: Store, progress: Progress) -> str:
        run_id = analyse_assignment(worker, a["id"], progress=progress)
        return f"run {run_id}: {worker.run(run_id)['pairs']} pairs"

    start_job(a["id"], work, "An analysis of this assignment is already running.")
    return redirect(url_for("assignments.dashboard", code=code, slug=slug))


@bp.route("/next")
@course_role(*STAFF)
def next_pair(code, slug):
    """The next unreviewed pair in rank order after ?after= (from the top without it)."""
    a = g.assignment
    run = store().latest_run(a["id"])
    if run is None:
        abort(404)
    after = request.args.get("after", "0")
    pair_id = store().neighbour_pair(run["id"], a["id"], int(after) if after.isdigit() else 0)
    if pair_id is None:
        flash("Every pair has been reviewed.")
        return redirect(url_for("assignments.dashboard", code=code, slug=slug))
    return redirect(url_for("pairs.show", code=code, slug=slug, pair_id=pair_id))


def _latest_run_or_404() -> dict:
    run = store().latest_run(g.assignment["id"])
    if run is None:
        abort(404)
    return run


@bp.route("/report.html")
@course_role(*STAFF)
def report(code, slug):
    _latest_run_or_404()
    html = report_html(store(), g.assignment)
    return Response(html, mimetype="text/html", headers={
        "Content-Disposition": f'attachment; filename="{secure_filename(f"{code}-{slug}")}-report.html"'})


@bp.route("/pairs.csv")
@course_role(*STAFF)
def export_csv(code, slug):
    run = _latest_run_or_404()
    db, assignment_id = current_app.config["DB"], g.assignment["id"]

    def chunks():  # streamed after the request's store is closed: the stream has its own
        reader = Store(db)
        try:
            yield from pairs_csv(reader, run["id"], assignment_id)
        finally:
            reader.db.conn.close()

    return Response(chunks(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{secure_filename(f"{code}-{slug}")}-pairs.csv"'})
