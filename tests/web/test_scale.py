"""A 1,000-submission assignment in the UI: the pair table pages on the server, and the pair view
of two 2,000-line files shows every line with every fragment. (Its timing is `python -m bench
--only web`.)"""
from __future__ import annotations

import pytest

from bench.web import DASHBOARD_QUERIES, LINES, build_large_assignment, signed_in_client


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("scale") / "big.db"
    top = build_large_assignment(path)
    return signed_in_client(path), top


@pytest.mark.parametrize("query", DASHBOARD_QUERIES)
def test_the_dashboard_of_a_thousand_submissions_sends_one_page_of_pairs(big, query):
    client, _ = big
    response = client.get(f"/courses/BIG/hw/{query}")
    assert response.status_code == 200
    assert 0 < response.get_data(as_text=True).count("<tr data-href") <= 50  # one page, not every pair


def test_the_pair_view_of_two_2000_line_files_shows_every_line_and_fragment(big):
    client, top = big
    page = client.get(f"/courses/BIG/hw/pairs/{top}").get_data(as_text=True)
    assert page.count('class="l') >= 2 * LINES and 'id="f49-a"' in page and 'id="f49-b"' in page
