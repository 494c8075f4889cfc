"""The app over a private copy of the demo database, and signing in with the test client."""
from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from integrity.accounts import create_user
from integrity.demo import DEMO_PASSWORD
from integrity.store import PairQuery, Store
from tests.conftest import copy_db
from web import create_app

COURSE, A1 = "CS4790", "a1_benchmark"
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def token(client: FlaskClient) -> str:
    """A CSRF token for the client's session, read from the login form or, once signed in, the home page."""
    page = client.get("/login")
    if page.status_code == 302:
        page = client.get("/")
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, "no CSRF token"
    return found.group(1)


def sign_in(client: FlaskClient, login: str, password: str = DEMO_PASSWORD):
    return client.post("/login", data={"login": login, "password": password, "csrf_token": token(client)})


@pytest.fixture(scope="module")
def db(demo_db, tmp_path_factory):
    """A copy of the demo database for one test module, with a second course and its TA."""
    path = copy_db(demo_db, tmp_path_factory.mktemp("web") / "web.db")
    store = Store(path)
    other = store.course("OTHER101", "Another course")
    store.set_member(other, create_user(store, "otherta", DEMO_PASSWORD, "Other TA").id, "ta")
    store.db.conn.close()
    return path


@pytest.fixture(scope="module")
def app(db):
    return create_app(db, TESTING=True)


@pytest.fixture
def as_user(app):
    """as_user(login): a test client signed in as that demo account."""
    def make(login: str) -> FlaskClient:
        client = app.test_client()
        assert sign_in(client, login).status_code == 302
        return client
    return make


def pair_id(app, rank: int = 1, slug: str = A1) -> int:
    """The id of the pair at this rank in the assignment's latest run."""
    store = Store(app.config["DB"])
    a = store.find_assignment(COURSE, slug)
    run = store.latest_run(a["id"])
    rows, _ = store.pair_page(run["id"], a["id"], PairQuery(sort="rank", descending=False, page=rank, per_page=1))
    return rows[0]["id"]
