"""A student's disclosure in a real headless browser: fill, submit, edit (adding a prompt with the
page's script), 403 on another student's form and submission, and locked after the deadline."""
from __future__ import annotations

import pytest

from integrity.demo import DEMO_PASSWORD
from integrity.store import Store
from tests.browser.conftest import served
from tests.conftest import copy_db

COURSE = "CS4790"


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    """The demo database with a3 open and a1's deadline in the past."""
    path = copy_db(demo_db, tmp_path_factory.mktemp("browser") / "d.db")
    store = Store(path)
    store.set_deadline(store.find_assignment(COURSE, "a3_cuda_kernel")["id"], "2999-12-31")
    store.set_deadline(store.find_assignment(COURSE, "a1_benchmark")["id"], "2020-01-31T23:59:00+00:00")
    store.db.conn.close()
    with served(path) as url:
        yield url


def test_student_discloses_edits_and_is_kept_to_their_own(server, page):
    page.goto(f"{server}/login")
    page.fill("input[name=login]", "alee")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.click("text=CS4790")
    page.locator("tr", has_text="A3: A row-wise softmax kernel").locator("text=fill in").click()

    page.check("input[name=used_ai][value=yes]")
    page.select_option("select[name=tools-0-name]", "ChatGPT")
    page.fill("input[name=tools-0-version]", "GPT-4o, 2026-11")
    page.check("input[name=tools-0-purposes][value=debugging]")
    page.fill("input[name=tools-0-files]", "kernel.cu")
    page.fill("textarea[name=tools-0-prompts-0]", "Why does my softmax kernel return NaN for long rows?")
    page.check("input[name=confirm]")
    page.fill("input[name=signature]", "Alice Lee")
    page.click("#submit-disclosure")
    assert "Your disclosure is saved" in page.inner_text(".flash")
    assert "first submitted" in page.inner_text(".page-head")

    # edit: a second prompt added by the page's script, then saved
    page.click("button[data-add=prompt]")
    page.fill("textarea[name=tools-0-prompts-1]", "How do I use warp shuffles for the row maximum?")
    page.click("#submit-disclosure")
    assert "warp shuffles" in page.inner_text("section.card.pad")
    assert page.locator("#history li").count() == 2

    for url in (f"/courses/{COURSE}/a3_cuda_kernel/disclosures/bkumar",
                f"/courses/{COURSE}/a3_cuda_kernel/submissions/bkumar"):
        assert page.goto(server + url).status == 403

    page.goto(f"{server}/courses/{COURSE}/a1_benchmark/disclosures/alee")
    assert page.locator("#locked").is_visible() and page.locator("#disclosure-form").count() == 0
