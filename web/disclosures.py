"""AI-use disclosures: a student's own form, the staff's page per assignment (flags with their
evidence, survey import, AI references), reopening a locked form, and cross-checking again."""
from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.utils import secure_filename
from wtforms.fields.choices import SelectChoice

from integrity.disclosure.crosscheck import EVIDENCE_NOTE, KINDS, LABELS
from integrity.disclosure.form import STATEMENT
from integrity.disclosure.model import TOOL_NAMES, InvalidDisclosure
from integrity.disclosure.overview import STATUS, assignment_overview, declaration
from integrity.disclosure.records import (
    Locked,
    Upload,
    crosscheck_assignment,
    import_survey_csv,
    reopen,
    save_form,
)
from integrity.disclosure.survey import COLUMNS, PROMPT_SEPARATOR
from integrity.pipeline import add_reference, analyse_assignment
from integrity.store import Store
from web.access import EVERYONE, STAFF, course_role, store
from web.forms import ActionForm, DisclosureForm, ReferenceForm, SurveyForm
from web.jobs import Progress, jobs, start_job
from web.staging import save_tree, staging_folder

bp = Blueprint("disclosures", __name__, url_prefix="/courses/<code>/<slug>")
_FIELD = re.compile(r"^(?P<field>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>\w+))?(?:\[\d+\])?$")
_SPLIT = re.compile(r"[,;\n]")


def _own(student: str) -> None:
    """Students reach only their own form; staff any student's of their course."""
    if g.role not in STAFF and student != g.user.login:
        abort(403)
    if g.role in STAFF and student not in store().student_logins(g.course["id"]) \
            and store().disclosure(g.assignment["id"], student) is None:
        abort(404)


# the student's form ---------------------------------------------------------------------------
@bp.route("/disclosures/<student>", methods=["GET", "POST"])
@course_role(*EVERYONE)
def form(code, slug, student):
    _own(student)
    d = declaration(store(), g.assignment, student)
    editing = g.role not in STAFF and d.open
    if request.method == "GET":
        return _form_page(d, _prefilled(d) if editing else None)
    if not editing:
        return _form_page(d, None, status=403)
    f = DisclosureForm()
    f.keep.choices = [SelectChoice(t.source, t.source) for t in d.transcripts]
    if not f.validate_on_submit():
        return _form_page(d, f, status=400)
    more = request.form.get("more", "")
    if more:  # "add another tool / prompt" without script: the same form with one more blank entry
        if more == "tool":
            f.tools.append_entry()
        elif more.startswith("prompt-") and more[7:].isdigit() and int(more[7:]) < len(f.tools):
            f.tools[int(more[7:])].prompts.append_entry()
        return _form_page(d, f)
    data, where = _data(f)
    uploads = [Upload(secure_filename(u.filename) or "chat.txt", u.read()) for u in f.upload.data or []
               if u and u.filename]
    try:
        save_form(store(), g.assignment, student, data, uploads)
    except Locked:
        return _form_page(declaration(store(), g.assignment, student), None, status=403)
    except InvalidDisclosure as err:
        _place_errors(f, err.errors, where)
        return _form_page(d, f, status=400)
    flash("Your disclosure is saved. You can change it until the deadline.")
    return redirect(url_for("disclosures.form", code=code, slug=slug, student=student))


def _form_page(d, f: DisclosureForm | None, status: int = 200):
    a = g.assignment
    return render_template(
        "disclosure.html", course=g.course, assignment=a, d=d, form=f, statement=STATEMENT, status_labels=STATUS,
        tool_names=TOOL_NAMES, action=ActionForm(), staff=g.role in STAFF,
        history=store().disclosure_events(a["id"], d.student)), status


def _prefilled(d) -> DisclosureForm:
    """The form showing the stored disclosure, with one blank prompt per tool."""
    tools = [{"name": t.name if t.name in TOOL_NAMES else "other", "other": "" if t.name in TOOL_NAMES else t.name,
              "version": t.version, "purposes": list(t.purposes), "files": ", ".join(t.files),
              "prompts": list(t.prompts) or [""]} for t in d.tools] or [{}]
    f = DisclosureForm(data={"used_ai": {"ai": "yes", "no_ai": "no"}.get(d.status), "tools": tools,
                             "keep": [t.source for t in d.transcripts], "confirm": bool(d.statement),
                             "signature": d.signature})
    f.keep.choices = [SelectChoice(t.source, t.source) for t in d.transcripts]
    return f


def _data(f: DisclosureForm) -> tuple[dict, list[int]]:
    """The JSON form of the posted fields (blank tool blocks left out) and, per tool given, its block."""
    tools, where = [], []
    for i, t in enumerate(entry.form for entry in f.tools):
        prompts = [p.data.strip() for p in t.prompts if (p.data or "").strip()]
        files = [x.strip() for x in _SPLIT.split(t.files.data or "") if x.strip()]
        other = (t.other.data or "").strip()
        name = other if other and t.name.data in ("", "other") else t.name.data or ""
        if name or (t.version.data or "").strip() or t.purposes.data or files or prompts:
            tools.append({"name": name, "version": (t.version.data or "").strip(), "purposes": t.purposes.data or [],
                          "files": files, "prompts": prompts})
            where.append(i)
    return {"used_ai": {"yes": True, "no": False}.get(f.used_ai.data), "tools": tools,
            "transcripts": f.keep.data or [], "statement": STATEMENT if f.confirm.data else "",
            "signature": (f.signature.data or "").strip()}, where


def _place_errors(f: DisclosureForm, errors: list[str], where: list[int]) -> None:
    """Each message beside its field ("tools[1].purposes: ..."); others at the top of the form."""
    f.form_errors = []
    for e in errors:
        path, _, message = e.partition(": ")
        m = _FIELD.match(path)
        field = None
        if m and m["field"] == "tools" and m["index"] is not None and int(m["index"]) < len(where):
            block = f.tools[where[int(m["index"])]]
            field = None if m["sub"] == "prompts" else getattr(block.form, m["sub"] or "name", None)
        elif m and m["field"] in ("used_ai", "signature", "upload"):
            field = getattr(f, m["field"])
        elif m and m["field"] == "statement":
            field = f.confirm
        elif m and m["field"] == "transcripts":
            field = f.upload
        if field is None:
            f.form_errors.append(e)
        else:
            field.errors = list(field.errors) + [message]


# staff ------------------------------------------------------------------------------------------
@bp.route("/disclosures")
@course_role(*STAFF)
def index(code, slug):
    return _index_page()


def _index_page(survey: SurveyForm | None = None, reference: ReferenceForm | None = None, imported=None,
                status: int = 200):
    a = g.assignment
    return render_template(
        "disclosures.html", course=g.course, assignment=a, overview=assignment_overview(store(), a),
        labels=LABELS, kinds=KINDS, evidence_note=EVIDENCE_NOTE, status_labels=STATUS, action=ActionForm(),
        survey=survey or SurveyForm(), reference=reference or ReferenceForm(), imported=imported,
        columns=COLUMNS, separator=PROMPT_SEPARATOR, job=jobs().status(a["id"]),
        references=store().submissions(a["id"], "reference")), status


@bp.route("/disclosures/import", methods=["POST"])
@course_role(*STAFF)
def import_survey(code, slug):
    form = SurveyForm()
    if not form.validate_on_submit():
        return _index_page(survey=form, status=400)
    try:
        text = form.survey.data.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        form.survey.errors = ["the file is not UTF-8 text"]
        return _index_page(survey=form, status=400)
    result = import_survey_csv(store(), g.assignment, g.user.login, text)
    return _index_page(imported=result, status=400 if result.errors and not result.students else 200)


@bp.route("/disclosures/<student>/reopen", methods=["POST"])
@course_role(*STAFF)
def reopen_form(code, slug, student):
    _own(student)
    if not ActionForm().validate_on_submit():
        abort(400)
    again = request.form.get("open") != "no"
    reopen(store(), g.assignment["id"], student, g.user.login, again)
    flash(f"{student} can edit their disclosure again until you lock it." if again
          else f"{student}'s disclosure is locked again.")
    return redirect(url_for("disclosures.form", code=code, slug=slug, student=student))


@bp.route("/disclosures/crosscheck", methods=["POST"])
@course_role(*STAFF)
def crosscheck(code, slug):
    if not ActionForm().validate_on_submit():
        abort(400)
    aid = g.assignment["id"]

    def work(worker: Store, progress: Progress) -> str:
        progress.stage("cross-checking disclosures")
        flags = crosscheck_assignment(worker, aid)["flags"]
        return f"disclosures cross-checked: {len(flags)} flag{'' if len(flags) == 1 else 's'}"

    start_job(aid, work, "An analysis of this assignment is already running.")
    return redirect(url_for("disclosures.index", code=code, slug=slug))


@bp.route("/references", methods=["POST"])
@course_role(*STAFF)
def add_ai_reference(code, slug):
    form = ReferenceForm()
    if not form.validate_on_submit():
        return _index_page(reference=form, status=400)
    tmp = staging_folder("reference")
    target = save_tree(form.files.data, tmp, form.name.data)  # FileRequired: there is one
    aid, name = g.assignment["id"], form.name.data
    note = {"tool": form.tool.data.strip(), "prompt": form.prompt.data.strip()}

    def work(worker: Store, progress: Progress) -> str:
        progress.stage("reading the reference")
        found = add_reference(worker, aid, target, note)
        analyse_assignment(worker, aid, progress=progress)
        unread = "; ".join(str(p) for p in found.problems)
        return f"AI reference {name} added" + (f" (not read: {unread})" if unread else "")

    start_job(aid, work, "An analysis of this assignment is already running; add the reference when it is done.",
              staged=tmp)
    return redirect(url_for("disclosures.index", code=code, slug=slug))
