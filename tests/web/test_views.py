"""The pages' behaviour: dashboard and pair table, pair view, reviews, exports, 404s, bad input."""
from __future__ import annotations

import csv
import re
import io
import zipfile

import pytest

from integrity.store import Store
from tests.conftest import DEMO
from tests.web.conftest import A1, COURSE, pair_id, sign_in, token

BASE = f"/courses/{COURSE}/{A1}"


@pytest.fixture
def ta(as_user):
    return as_user("tzhou")


def test_dashboard_shows_histogram_clusters_counts_and_ranked_pairs(ta):
    page = ta.get(f"{BASE}/").get_data(as_text=True)
    assert page.count('class="hbar') == 20  # one bar per 5% bin
    assert "Groups of three or more" in page and ">egarcia</a>" in page
    assert "unreviewed pair" in page
    rows = page.split("<tbody>")[1]
    assert rows.index(">alee</a>") < rows.index(">dokafor</a>")  # ranked by similarity


def test_pair_table_filters_sorts_and_pages_on_the_server(ta):
    page = ta.get(f"{BASE}/?min=50").get_data(as_text=True)
    assert "4 pairs" in page  # the four planted copies of a1 are at least 50% similar
    page = ta.get(f"{BASE}/?q=HPETROVA&min=50").get_data(as_text=True)
    assert "1 pair<" in page and "dokafor" in page
    page = ta.get(f"{BASE}/?kind=prose").get_data(as_text=True)
    assert "text · prose" in page and "python</td>" not in page
    first = ta.get(f"{BASE}/?sort=similarity&dir=asc").get_data(as_text=True).split("<tbody>")[1]
    assert "100%" not in first.split("</tr>")[0]
    page2 = ta.get(f"{BASE}/?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in page2


def test_bad_table_arguments_fall_back_to_defaults(ta):
    response = ta.get(f"{BASE}/?page=x&min=abc&state=nope&sort=drop+table&dir=sideways")
    assert response.status_code == 200 and "Page 1 of 2" in response.get_data(as_text=True)


def test_pair_view_highlights_the_same_fragments_on_both_sides(app, ta):
    page = ta.get(f"{BASE}/pairs/{pair_id(app)}").get_data(as_text=True)
    assert 'id="f1-a"' in page and 'id="f1-b"' in page  # each fragment anchored on both sides
    assert page.count('class="l m c0 frag-1"') > 0 and 'class="frag-link"' in page
    assert '<span class="tk">import </span>' in page  # Pygments highlighting
    assert "report.md" in page and 'class="doc prose hidden"' in page  # a tab per document
    assert 'class="l d"' in page  # starter code shown as discounted


def test_review_is_saved_shown_and_recorded_with_who_and_when(app, ta):
    pid = pair_id(app, rank=2)
    form = {"state": "suspicious", "note": "same helper, same typo", "csrf_token": token(ta), "then": "stay"}
    assert ta.post(f"{BASE}/pairs/{pid}/review", data=form).status_code == 302
    form.update(state="escalated", note="copied report too")
    response = ta.post(f"{BASE}/pairs/{pid}/review", data=form | {"then": "next"})
    assert response.status_code == 302 and f"{BASE}/next?after={pid}" in response.headers["Location"]
    page = ta.get(f"{BASE}/pairs/{pid}").get_data(as_text=True)
    assert "copied report too" in page and "was suspicious" in page and "tzhou" in page
    table = ta.get(f"{BASE}/?state=escalated").get_data(as_text=True)
    assert "1 pair<" in table and "state-escalated" in table
    store = Store(app.config["DB"])
    pair = store.pair(pid)
    events = store.review_events(store.run(pair["run_id"])["assignment_id"], pair["a_name"], pair["b_name"])
    assert [(e["old_state"], e["new_state"], e["actor"]) for e in events] == [
        ("unreviewed", "suspicious", "tzhou"), ("suspicious", "escalated", "tzhou")]
    assert all(e["at"] for e in events)


def test_reviews_survive_reanalysis(app, ta):
    before = pair_id(app, rank=3)
    form = {"state": "not_suspicious", "note": "", "csrf_token": token(ta), "then": "stay"}
    ta.post(f"{BASE}/pairs/{before}/review", data=form)
    ta.post(f"{BASE}/analyse", data={"csrf_token": token(ta)})
    aid = Store(app.config["DB"]).find_assignment(COURSE, A1)["id"]
    assert app.extensions["jobs"].wait(aid, 60).state == "done"
    after = pair_id(app, rank=3)
    assert after != before
    assert "Not suspicious" in ta.get(f"{BASE}/pairs/{after}").get_data(as_text=True).split("</h1>")[0]


def test_next_unreviewed_skips_reviewed_pairs(app, ta):
    first = pair_id(app, rank=1)
    ta.post(f"{BASE}/pairs/{first}/review", data={"state": "suspicious", "csrf_token": token(ta), "then": "stay"})
    location = ta.get(f"{BASE}/next").headers["Location"]
    store = Store(app.config["DB"])
    ranks = [store.pair(pair_id(app, rank))["state"] for rank in range(1, 8)]
    expected = pair_id(app, ranks.index("unreviewed") + 1)
    assert ranks[0] == "suspicious" and location.endswith(f"/pairs/{expected}")
    after = ta.get(f"{BASE}/next?after={expected}").headers["Location"]
    assert not after.endswith(f"/pairs/{expected}") and not after.endswith(f"/pairs/{first}")


@pytest.mark.parametrize("form, message", [
    ({"state": "guilty"}, "Not a valid choice"),
    ({"state": "suspicious", "note": "x" * 4001}, "4000"),
    ({}, "choose a decision"),
])
def test_bad_review_input_is_refused_and_changes_nothing(app, ta, form, message):
    pid = pair_id(app, rank=5)
    response = ta.post(f"{BASE}/pairs/{pid}/review", data=form | {"csrf_token": token(ta)})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert Store(app.config["DB"]).pair(pid)["state"] == "unreviewed"


def test_forms_without_a_csrf_token_are_refused(app, ta):
    pid = pair_id(app, rank=6)
    response = ta.post(f"{BASE}/pairs/{pid}/review", data={"state": "suspicious"})
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert Store(app.config["DB"]).pair(pid)["state"] == "unreviewed"
    assert ta.post("/login", data={"login": "tzhou", "password": "demo-password"}).status_code == 400


@pytest.mark.parametrize("url", [
    "/courses/NOPE", f"/courses/{COURSE}/nope/", f"{BASE}/pairs/999999", f"{BASE}/submissions/nobody",
    f"{BASE}/submissions/alee/files/missing.py", "/no/such/page",
])
def test_unknown_things_are_404(ta, url):
    assert ta.get(url).status_code == 404


def test_a_pair_of_another_assignment_is_404(app, ta):
    assert ta.get(f"/courses/{COURSE}/a2_scheduler/pairs/{pair_id(app)}").status_code == 404


def test_students_get_403_not_404_for_others_names(as_user):
    assert as_user("alee").get(f"{BASE}/submissions/nobody").status_code == 403


def test_exports_report_and_csv_with_review_states(app, ta):
    ta.post(f"{BASE}/pairs/{pair_id(app, rank=4)}/review",
            data={"state": "suspicious", "note": "=HYPERLINK(1)", "csrf_token": token(ta), "then": "stay"})
    report = ta.get(f"{BASE}/report.html")
    assert report.headers["Content-Disposition"].startswith("attachment") and b"Ranked pairs" in report.data
    rows = list(csv.DictReader(io.StringIO(ta.get(f"{BASE}/pairs.csv").get_data(as_text=True))))
    assert len(rows) == 78 and rows[0]["rank"] == "1"  # 66 pairs of students, 12 with the AI reference
    fourth = rows[3]
    assert fourth["state"] == "suspicious" and fourth["reviewed_by"] == "tzhou"
    assert fourth["note"] == "'=HYPERLINK(1)"  # a spreadsheet will not run it


def test_create_assignment_upload_and_background_analysis(app, ta, tmp_path):
    bad = ta.post(f"/courses/{COURSE}/assignments", data={"slug": "../etc", "csrf_token": token(ta)})
    assert bad.status_code == 400 and "letters, digits" in bad.get_data(as_text=True)
    created = ta.post(f"/courses/{COURSE}/assignments", data={"slug": "a2_again", "title": "A2 again",
                                                              "csrf_token": token(ta)})
    assert created.headers["Location"].endswith("/a2_again/upload")
    again = f"/courses/{COURSE}/a2_again"
    wrong = ta.post(f"{again}/upload", data={"csrf_token": token(ta), "batch": (io.BytesIO(b"x"), "batch.txt")},
                    content_type="multipart/form-data")
    assert wrong.status_code == 400 and "a .zip file" in wrong.get_data(as_text=True)
    batch = io.BytesIO()
    with zipfile.ZipFile(batch, "w") as z:
        for f in sorted((DEMO / "a2_scheduler" / "submissions").rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(DEMO / "a2_scheduler" / "submissions").as_posix())
        z.writestr("zz_broken/broken.ipynb", "{not json")
    template = [(io.BytesIO(f.read_bytes()), f.name) for f in (DEMO / "a2_scheduler" / "template").iterdir()]
    response = ta.post(f"{again}/upload", content_type="multipart/form-data", data={
        "csrf_token": token(ta), "batch": (io.BytesIO(batch.getvalue()), "batch.zip"), "template": template})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{again}/")
    aid = Store(app.config["DB"]).find_assignment(COURSE, "a2_again")["id"]
    assert app.extensions["jobs"].wait(aid, 60).state == "done", app.extensions["jobs"].status(aid)
    status = ta.get(f"{again}/status").get_json()
    assert status["state"] == "done" and "submissions" in status["message"]
    page = ta.get(f"{again}/").get_data(as_text=True)
    assert "dokafor</a>" in page and "jwang</a>" in page and "file problem" in page
    problems = ta.get(f"{again}/submissions").get_data(as_text=True)
    assert "broken.ipynb" in problems


def test_roster_import_gives_roles_and_one_time_passwords(app, as_user, tmp_path):
    instructor = as_user("rbanerjee")
    roster = b"login,name,email,role\nnewta,New TA,n@x.edu,ta\nzstudent,Zoe S,z@x.edu,student\nbad,,,\n"
    response = instructor.post(f"/courses/{COURSE}/roster", content_type="multipart/form-data",
                               data={"csrf_token": token(instructor), "roster": (io.BytesIO(roster), "r.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 new accounts" in page and "line 4" in page
    password = page.split("<td>newta</td><td><code>")[1].split("</code>")[0]
    client = app.test_client()
    assert sign_in(client, "newta", password).status_code == 302
    assert client.get(f"{BASE}/").status_code == 200
    bad = instructor.post(f"/courses/{COURSE}/roster", content_type="multipart/form-data",
                          data={"csrf_token": token(instructor), "roster": (io.BytesIO(b"who,what\nx,y\n"), "r.csv")})
    assert bad.status_code == 400 and "missing login, role" in bad.get_data(as_text=True)


def test_instructors_create_courses_and_become_their_instructor(as_user):
    instructor = as_user("rbanerjee")
    response = instructor.post("/courses/new", data={"code": "CS5000", "title": "<b>Systems</b>",
                                                     "csrf_token": token(instructor)})
    assert response.headers["Location"].endswith("/courses/CS5000")
    page = instructor.get("/").get_data(as_text=True)
    assert "&lt;b&gt;Systems&lt;/b&gt;" in page and "CS5000" in page
    assert instructor.post("/courses/new", data={"code": "CS5000", "csrf_token": token(instructor)}).status_code == 400


def test_the_pair_table_separates_student_pairs_from_ai_reference_matches(ta):
    def names(query: str) -> list[str]:
        rows = ta.get(f"{BASE}/?{query}").get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]
        return re.findall(r'<td class="who"><a [^>]*>([^<]+)</a>', rows)
    students, references = names("between=students"), names("between=references")
    assert students and not any(n.startswith("reference:") for n in students)
    pairs = list(zip(references[::2], references[1::2]))
    assert pairs and all([n.startswith("reference:") for n in pair].count(True) == 1 for pair in pairs)
