"""Submitted text is shown as text everywhere; passwords, throttling and the account commands."""
from __future__ import annotations

import io

import pytest

from integrity.accounts import (
    MAX_FAILURES_PER_LOGIN,
    Throttled,
    authenticate,
    create_user,
)
from integrity.cli import main
from integrity.pipeline import analyse_assignment, ingest
from integrity.store import PairQuery, Store
from tests.web.conftest import sign_in, token
from web import create_app

EVIL = "<script>alert(1)</script>"
JINJA = "{{ 7*7 }}"
CODE = f'''def total(values):
    """{EVIL} {JINJA}"""
    result = 0
    for v in values:
        if v > 0:
            result += v * 2
        else:
            result -= v
    print("{EVIL}", "{JINJA}")
    return result


def mean(values):
    return total(values) / max(1, len(values))
'''
PROSE = (f"# Report\n\nWe measured the {EVIL} throughput of the kernel {JINJA} across many batch sizes, "
         "and the latency grew linearly with the batch size until the cache was full.\n")


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    """A course whose two submissions carry markup and template syntax in code and prose."""
    folder = tmp_path_factory.mktemp("evil")
    for name in ("mallory", "trent"):
        (folder / "batch" / name).mkdir(parents=True)
        (folder / "batch" / name / "calc.py").write_text(CODE)
        (folder / "batch" / name / "report.md").write_text(PROSE)
    store = Store(folder / "evil.db")
    ingest(store, folder / "batch", "SEC1", "hw1")
    analyse_assignment(store, store.find_assignment("SEC1", "hw1")["id"])
    ta = create_user(store, "sec-ta", "ta-password", "Sec TA")
    store.set_member(store.find_course("SEC1")["id"], ta.id, "ta")
    app = create_app(folder / "evil.db", TESTING=True)
    client = app.test_client()
    assert sign_in(client, "sec-ta", "ta-password").status_code == 302
    return app, client


def assert_shown_as_text(page: str) -> None:
    assert EVIL not in page and "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert JINJA in page  # template syntax is shown, not evaluated


def test_pair_view_shows_markup_in_code_and_prose_as_text(evil):
    app, client = evil
    page = client.get(f"/courses/SEC1/hw1/pairs/{pair_id_of(app)}").get_data(as_text=True)
    assert 'class="doc code' in page and 'class="doc prose' in page
    assert_shown_as_text(page)


def test_submission_view_shows_markup_as_text(evil):
    _, client = evil
    assert_shown_as_text(client.get("/courses/SEC1/hw1/submissions/mallory").get_data(as_text=True))


def test_notes_are_shown_as_text(evil):
    app, client = evil
    pid = pair_id_of(app)
    client.post(f"/courses/SEC1/hw1/pairs/{pid}/review",
                data={"state": "suspicious", "note": f"{EVIL} {JINJA}", "csrf_token": token(client), "then": "stay"})
    assert_shown_as_text(client.get(f"/courses/SEC1/hw1/pairs/{pid}").get_data(as_text=True))
    assert_shown_as_text(client.get("/courses/SEC1/hw1/").get_data(as_text=True))


def test_downloads_are_plain_text_attachments(evil):
    _, client = evil
    response = client.get("/courses/SEC1/hw1/submissions/mallory/files/calc.py")
    assert response.mimetype == "text/plain" and response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def pair_id_of(app) -> int:
    store = Store(app.config["DB"])
    a = store.find_assignment("SEC1", "hw1")
    return store.pair_page(store.latest_run(a["id"])["id"], a["id"], PairQuery())[0][0]["id"]


# accounts ----------------------------------------------------------------------------------------
def test_passwords_are_stored_as_scrypt_hashes(tmp_path):
    store = Store(tmp_path / "a.db")
    create_user(store, "ann", "correct horse")
    stored = store.user("ann")["password"]
    assert stored.startswith("scrypt:") and "correct horse" not in stored
    assert authenticate(store, "ann", "correct horse").login == "ann"
    assert authenticate(store, "ann", "wrong") is None
    with pytest.raises(ValueError):
        create_user(store, "bob", "short")


def test_repeated_failures_throttle_the_login_even_with_the_right_password(tmp_path):
    store = Store(tmp_path / "t.db")
    create_user(store, "ann", "correct horse")
    for _ in range(MAX_FAILURES_PER_LOGIN):
        assert authenticate(store, "ann", "guess") is None
    with pytest.raises(Throttled):
        authenticate(store, "ann", "correct horse")
    assert authenticate(store, "someone-else", "x") is None  # other logins are not affected


def test_the_login_page_answers_429_when_throttled(tmp_path):
    store = Store(tmp_path / "w.db")
    create_user(store, "ann", "correct horse")
    client = create_app(tmp_path / "w.db", TESTING=True).test_client()
    codes = [sign_in(client, "ann", "guess").status_code for _ in range(MAX_FAILURES_PER_LOGIN)]
    assert codes == [401] * MAX_FAILURES_PER_LOGIN
    response = sign_in(client, "ann", "correct horse")
    assert response.status_code == 429 and "Too many failed logins" in response.get_data(as_text=True)


def test_the_secret_key_is_generated_once_per_database(tmp_path):
    first = create_app(tmp_path / "k.db").secret_key
    assert len(first) == 64 and create_app(tmp_path / "k.db").secret_key == first
    assert create_app(tmp_path / "other.db").secret_key != first


def test_create_instructor_and_import_roster_commands(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "c.db")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert main(["create-instructor", "prof", "--name", "Prof", "--course", "CS1", "--db", db]) == 0
    roster = tmp_path / "roster.csv"
    roster.write_text("login,name,email,role\nta1,T A,t@x.edu,ta\nstu1,S One,s@x.edu,student\n")
    assert main(["import-roster", "CS1", str(roster), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "2 accounts added" in out and "ta1" in out and "stu1" in out
    store = Store(db)
    course = store.find_course("CS1")["id"]
    assert store.user("prof")["creator"] == 1 and authenticate(store, "prof", "a long password")
    assert [(m["login"], m["role"]) for m in store.members(course)] == [("prof", "instructor"), ("ta1", "ta"),
                                                                         ("stu1", "student")]


def test_review_events_cannot_be_rewritten(evil):
    app, _ = evil
    store = Store(app.config["DB"])
    with pytest.raises(Exception, match="append-only"):
        store.db.execute("update review_events set new_state = 'not_suspicious'")
    with pytest.raises(Exception, match="append-only"):
        store.db.execute("delete from review_events")
