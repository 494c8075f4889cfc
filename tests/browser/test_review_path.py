"""The TA's path in a real headless browser (Debian's chromium driven by Playwright): open the
demo course, open the top pair, see highlighted fragments on both sides, mark it, see the mark."""
from __future__ import annotations

import pytest

from integrity.demo import DEMO_PASSWORD
from tests.browser.conftest import served
from tests.conftest import copy_db


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    """The app over a copy of the demo database."""
    with served(copy_db(demo_db, tmp_path_factory.mktemp("browser") / "b.db")) as url:
        yield url


def test_ta_reviews_the_top_pair(server, page):
    page.goto(f"{server}/")
    assert "/login" in page.url
    page.fill("input[name=login]", "tzhou")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")

    page.click("text=CS4790")
    page.click("text=A1: Benchmarking a numpy workload")
    rows = page.locator("table.pairs tbody tr")
    assert rows.count() > 10
    top = rows.first
    names = [top.locator("td.who").nth(i).inner_text() for i in range(2)]
    assert names == ["alee", "bkumar"]  # the planted copy ranks first
    top.locator("td.who a").first.click()

    page.wait_for_selector("#pane-a .l.m")
    for side in ("a", "b"):  # fragment 1 highlighted on both sides, in the same colour, visible
        mark = page.locator(f"#pane-{side} .l.frag-1").first
        assert mark.is_visible()
        assert "c0" in mark.get_attribute("class")
    colour_a = page.locator("#pane-a .l.frag-1").first.evaluate("e => getComputedStyle(e).backgroundColor")
    colour_b = page.locator("#pane-b .l.frag-1").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour_a == colour_b != "rgba(0, 0, 0, 0)"

    # the fragment list jumps to a fragment in another file on both sides (switching tabs)
    last = page.locator(".frag-link").last
    last.click()
    ref = last.get_attribute("data-f")
    for side in ("a", "b"):
        assert page.locator(f"#{ref}-{side}").is_visible()

    # mark it with the keyboard and a note, save, and see the state on the page and in the table
    page.keyboard.press("2")
    page.fill("textarea[name=note]", "identical benchmark harness")
    page.locator("#review-form button[value=stay]").click()
    page.wait_for_load_state()
    assert page.locator("#pair-state").inner_text() == "Suspicious"
    assert "identical benchmark harness" in page.locator(".history").inner_text()

    page.keyboard.press("n")  # the next unreviewed pair
    page.wait_for_url("**/pairs/*")
    assert page.locator("#pair-state").inner_text() == "Unreviewed"

    page.click("text=← Pairs")
    first_row = page.locator("table.pairs tbody tr").first
    assert first_row.locator(".state").inner_text() == "Suspicious"
