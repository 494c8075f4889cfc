"""Every route for every role: the status each gets, checked on the server (table-driven)."""
from __future__ import annotations

import pytest

from integrity.store import Store
from tests.web.conftest import A1, COURSE, pair_id, sign_in, token

ROLES = ("anonymous", "alee", "bkumar", "tzhou", "otherta", "rbanerjee")  # alee owns the submission below
STAFF_ONLY = {"anonymous": 302, "alee": 403, "bkumar": 403, "tzhou": 200, "otherta": 403, "rbanerjee": 200}
BASE = f"/courses/{COURSE}/{A1}"


def expect(**changes) -> dict:
    return {**STAFF_ONLY, **changes}


# (endpoint, method, url, expected status per role); POSTs carry a valid CSRF token but no
# fields, so an allowed user gets 400 (bad form) and nothing changes, except where noted
ROUTES = [
    ("auth.login", "GET", "/login", dict.fromkeys(ROLES, 302) | {"anonymous": 200}),
    ("auth.logout", "POST", "/logout", dict.fromkeys(ROLES, 302)),
    ("courses.home", "GET", "/", dict.fromkeys(ROLES, 200) | {"anonymous": 302}),
    ("courses.create", "POST", "/courses/new", expect(tzhou=403, rbanerjee=400)),
    ("courses.course", "GET", f"/courses/{COURSE}", expect(alee=200, bkumar=200)),
    ("courses.create_assignment", "POST", f"/courses/{COURSE}/assignments", expect(tzhou=400, rbanerjee=400)),
    ("courses.roster", "POST", f"/courses/{COURSE}/roster", expect(tzhou=403, rbanerjee=400)),
    ("assignments.dashboard", "GET", f"{BASE}/", STAFF_ONLY),
    ("assignments.status", "GET", f"{BASE}/status", expect(anonymous=401)),
    ("assignments.upload", "GET", f"{BASE}/upload", STAFF_ONLY),
    ("assignments.upload", "POST", f"{BASE}/upload", expect(tzhou=400, rbanerjee=400)),
    ("assignments.analyse", "POST", f"{BASE}/analyse", expect(tzhou=302, rbanerjee=302)),  # starts a run
    ("assignments.next_pair", "GET", f"{BASE}/next", expect(tzhou=302, rbanerjee=302)),
    ("assignments.report", "GET", f"{BASE}/report.html", STAFF_ONLY),
    ("assignments.export_csv", "GET", f"{BASE}/pairs.csv", STAFF_ONLY),
    ("pairs.show", "GET", f"{BASE}/pairs/{{pair}}", STAFF_ONLY),
    ("pairs.review", "POST", f"{BASE}/pairs/{{pair}}/review", expect(tzhou=400, rbanerjee=400)),
    ("submissions.index", "GET", f"{BASE}/submissions", STAFF_ONLY),
    ("submissions.show", "GET", f"{BASE}/submissions/alee", expect(alee=200)),
    ("submissions.download", "GET", f"{BASE}/submissions/alee/files/bench.py", expect(alee=200)),
    ("disclosures.index", "GET", f"{BASE}/disclosures", STAFF_ONLY),
    ("disclosures.form", "GET", f"{BASE}/disclosures/alee", expect(alee=200)),  # bkumar: another student's
    ("disclosures.form", "GET", f"{BASE}/disclosures/bkumar", expect(bkumar=200)),
    # a1's deadline has passed: nobody may change alee's form (staff read it, never edit it)
    ("disclosures.form", "POST", f"{BASE}/disclosures/alee", expect(tzhou=403, rbanerjee=403)),
    ("disclosures.reopen_form", "POST", f"{BASE}/disclosures/alee/reopen", expect(tzhou=302, rbanerjee=302)),
    ("disclosures.import_survey", "POST", f"{BASE}/disclosures/import", expect(tzhou=400, rbanerjee=400)),
    ("disclosures.crosscheck", "POST", f"{BASE}/disclosures/crosscheck", expect(tzhou=302, rbanerjee=302)),
    ("disclosures.add_ai_reference", "POST", f"{BASE}/references", expect(tzhou=400, rbanerjee=400)),
    ("static", "GET", "/static/app.css", dict.fromkeys(ROLES, 200)),
]


@pytest.fixture(scope="module")
def clients(app):
    out = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            assert sign_in(client, role).status_code == 302
        out[role] = client
    return out


def test_the_table_covers_every_route(app):
    assert {r.endpoint for r in app.url_map.iter_rules()} == {endpoint for endpoint, *_ in ROUTES}


@pytest.mark.parametrize("endpoint, method, url, expected", ROUTES, ids=[f"{m} {u}" for _, m, u, _ in ROUTES])
def test_route_status_for_every_role(app, clients, endpoint, method, url, expected):
    url = url.replace("{pair}", str(pair_id(app)))
    for role in ROLES:
        client = clients[role]
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token(client)})
            if role != "anonymous" and endpoint == "auth.logout":
                assert sign_in(client, role).status_code == 302  # back in for the next routes
        assert response.status_code == expected[role], f"{role}: {method} {url} -> {response.status_code}"
    if endpoint in ("assignments.analyse", "disclosures.crosscheck"):  # let the job it started finish
        assert app.extensions["jobs"].wait(Store(app.config["DB"]).find_assignment(COURSE, A1)["id"], 60).state == "done"


def test_students_see_only_their_own_submission_listed(clients):
    page = clients["alee"].get(f"/courses/{COURSE}").get_data(as_text=True)
    assert f"{BASE}/submissions/alee" in page and "bkumar" not in page


def test_signed_out_visitors_are_sent_to_login_and_back(app):
    client = app.test_client()
    response = client.get(f"{BASE}/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    form = {"login": "tzhou", "password": "demo-password", "csrf_token": token(client), "next": f"{BASE}/"}
    assert client.post("/login", data=form).headers["Location"] == f"{BASE}/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_login_never_redirects_off_site(app, target):
    client = app.test_client()
    form = {"login": "tzhou", "password": "demo-password", "csrf_token": token(client), "next": target}
    assert client.post("/login", data=form).headers["Location"] == "/"


def test_session_cookie_is_httponly_and_lax(app):
    client = app.test_client()
    cookie = sign_in(client, "tzhou").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookies_can_be_required(db):
    from web import create_app
    client = create_app(db, TESTING=True, secure_cookies=True).test_client()
    assert "Secure" in sign_in(client, "tzhou").headers["Set-Cookie"]


def test_pages_forbid_scripts_from_elsewhere(clients):
    policy = clients["tzhou"].get(f"{BASE}/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
