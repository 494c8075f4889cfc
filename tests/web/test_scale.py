"""The quality bars at scale: a 1,000-submission assignment's dashboard pages on the server, and
the pair view of two 2,000-line files renders in under a second."""
from __future__ import annotations

import random
import time

import pytest

from integrity.accounts import create_user
from integrity.documents import Document, Submission
from integrity.fragments import Fragment
from integrity.scoring import PairScore
from integrity.store import PairQuery, Store
from tests.web.conftest import sign_in
from web import create_app

SUBMISSIONS, PAIRS, LINES = 1000, 20_000, 2000


def program(seed: int) -> str:
    rnd = random.Random(seed)
    return "".join(f"def f{i}(x, y):\n    return x * {rnd.randint(1, 99)} + y  # step {i}\n"
                   for i in range(LINES // 2))


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("scale") / "big.db"
    store = Store(path)
    course = store.course("BIG")
    aid = store.assignment(course, "hw")
    names = [f"s{i:04d}" for i in range(SUBMISSIONS)]
    with store.db.conn:
        for i, name in enumerate(names):
            text = program(i) if i < 2 else f"print({i})\n"
            store.save_submission(aid, Submission(name, (Document("main.py", "code", "python", text, str(i)),)))
    rnd = random.Random(0)
    pairs = [PairScore("s0000", "s0001", 0.99, 0.9, 0.9, 400,
                       tuple(Fragment("main.py", (lo, lo + 30), "main.py", (lo, lo + 30), 120)
                             for lo in range(1, LINES - 40, 40)), 9.0)]
    seen = {("s0000", "s0001")}
    while len(pairs) < PAIRS:
        a, b = sorted(rnd.sample(names, 2))
        if (a, b) not in seen:
            seen.add((a, b))
            pairs.append(PairScore(a, b, round(rnd.random() * 0.6, 6), 0.2, 0.2, 20,
                                   (Fragment("main.py", (1, 1), "main.py", (1, 1), 5),), 0.0))
    pairs.sort(key=lambda p: -p.similarity)
    run = store.start_run(aid, {}, SUBMISSIONS)
    store.finish_run(run, aid, pairs, [], [])
    ta = create_user(store, "bigta", "big-password")
    store.set_member(course, ta.id, "ta")
    client = create_app(path, TESTING=True).test_client()
    assert sign_in(client, "bigta", "big-password").status_code == 302
    return client, store.pair_page(run, aid, PairQuery(per_page=1))[0][0]["id"]


def timed(client, url: str) -> tuple[float, str]:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200
    return time.perf_counter() - start, response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["", "?sort=a&dir=asc&page=7", "?q=s09&min=10&state=unreviewed",
                                   "?sort=state&page=400"])
def test_dashboard_of_a_thousand_submissions_stays_fast(big, query):
    client, _ = big
    seconds, page = timed(client, f"/courses/BIG/hw/{query}")
    assert seconds < 1.0, f"dashboard {query!r} took {seconds:.2f}s"
    assert page.count("<tr data-href") <= 50  # one page, not every pair


def test_pair_view_of_two_2000_line_files_renders_in_under_a_second(big):
    client, top = big
    seconds, page = timed(client, f"/courses/BIG/hw/pairs/{top}")
    assert page.count('class="l') >= 2 * LINES and 'id="f49-b"' in page
    assert seconds < 1.0, f"pair view took {seconds:.2f}s"
