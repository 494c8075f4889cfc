"""The review UI at scale: server time of the dashboard and the pair view of a large assignment.

The assignment has 1,000 submissions and 20,000 stored pairs; its top pair joins two
2,000-line files with 49 fragments. Requests go through Flask's test client, so the figures
are the server's work (queries and rendering), not the network's or the browser's.
"""
from __future__ import annotations

import random
import re
import statistics
import time
from pathlib import Path

from bench.table import render
from integrity.accounts import create_user
from integrity.documents import Document, Submission
from integrity.fragments import Fragment
from integrity.scoring import PairScore
from integrity.store import PairQuery, Store

SUBMISSIONS, PAIRS, LINES = 1000, 20_000, 2000
LOGIN, PASSWORD = "bigta", "big-password"
DASHBOARD_QUERIES = ("", "?sort=a&dir=asc&page=7", "?q=s09&min=10&state=unreviewed", "?sort=state&page=400")
REPEATS = 5


def _program(seed: int) -> str:
    rnd = random.Random(seed)
    return "".join(f"def f{i}(x, y):\n    return x * {rnd.randint(1, 99)} + y  # step {i}\n"
                   for i in range(LINES // 2))


def build_large_assignment(path: Path) -> int:
    """A database with course BIG, assignment hw as described above, and TA `bigta`; the top pair's id."""
    store = Store(path)
    course = store.course("BIG")
    aid = store.assignment(course, "hw")
    names = [f"s{i:04d}" for i in range(SUBMISSIONS)]
    with store.db.conn:
        for i, name in enumerate(names):
            text = _program(i) if i < 2 else f"print({i})\n"
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
    store.set_member(course, create_user(store, LOGIN, PASSWORD).id, "ta")
    return store.pair_page(run, aid, PairQuery(per_page=1))[0][0]["id"]


def signed_in_client(path: Path):
    """A test client of the app on `path`, signed in as the large assignment's TA."""
    from web import create_app

    client = create_app(path, TESTING=True).test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    response = client.post("/login", data={"login": LOGIN, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, "bench: could not sign in"
    return client


def run(work: str) -> list[dict]:
    """Median server time of each page over REPEATS requests (after one warm-up request)."""
    path = Path(work) / "web-bench.db"
    top = build_large_assignment(path)
    client = signed_in_client(path)
    urls = [("dashboard " + (q or "(first page)"), f"/courses/BIG/hw/{q}") for q in DASHBOARD_QUERIES]
    urls.append((f"pair view, 2 x {LINES} lines", f"/courses/BIG/hw/pairs/{top}"))
    records = []
    for label, url in urls:
        client.get(url)
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            status = client.get(url).status_code
            times.append(time.perf_counter() - start)
        records.append(dict(page=label, status=status, median_s=statistics.median(times), max_s=max(times)))
    return records


def report(records: list[dict]) -> str:
    """The web table as text."""
    rows = [[r["page"], r["status"], f"{r['median_s'] * 1000:.0f}", f"{r['max_s'] * 1000:.0f}"] for r in records]
    return (f"WEB: server time per page of an assignment with {SUBMISSIONS} submissions and {PAIRS} pairs "
            f"(median and max of {REPEATS} requests)\n" + render(["page", "status", "median ms", "max ms"], rows)
            + "\n")
