"""AI reference solutions from the disclosures page: listed with how they were made, and added
(stored with their note, then compared with every submission in the background)."""
from __future__ import annotations

import io

from integrity.store import Store
from tests.conftest import DEMO
from tests.web.conftest import COURSE, token

A1, A3 = "a1_benchmark", "a3_cuda_kernel"


def test_the_page_lists_each_reference_with_its_tool_and_prompt(as_user):
    page = as_user("tzhou").get(f"/courses/{COURSE}/{A1}/disclosures").get_data(as_text=True)
    listed = page[page.index('<ul class="references">'):]
    listed = listed[:listed.index("</ul>")]
    assert "<code>chatgpt_bench</code>" in listed and "made with ChatGPT" in listed


def test_an_added_reference_is_stored_with_its_note_and_compared(app, as_user):
    ta = as_user("tzhou")
    kernel = (DEMO / A3 / "submissions" / "egarcia" / "kernel.cu").read_bytes()
    form = {"csrf_token": token(ta), "name": "claude_softmax", "tool": "Claude, 2026-11",
            "prompt": "Write a row-wise softmax kernel in CUDA", "files": (io.BytesIO(kernel), "kernel.cu")}
    response = ta.post(f"/courses/{COURSE}/{A3}/references", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    store = Store(app.config["DB"])
    a3 = store.find_assignment(COURSE, A3)
    assert app.extensions["jobs"].wait(a3["id"], 60).state == "done"
    [reference] = [r for r in store.submissions(a3["id"], "reference") if r.name == "claude_softmax"]
    assert reference.meta["tool"] == "Claude, 2026-11" and [d.path for d in reference.documents] == ["kernel.cu"]
    pairs = store.pairs(store.latest_run(a3["id"])["id"])
    assert any({p.a, p.b} == {"egarcia", "reference:claude_softmax"} and p.similarity > 0.5 for p in pairs)
    page = ta.get(f"/courses/{COURSE}/{A3}/disclosures").get_data(as_text=True)
    assert "<code>claude_softmax</code>" in page and "made with Claude, 2026-11" in page


def test_a_reference_without_files_or_note_is_refused(as_user):
    ta = as_user("tzhou")
    response = ta.post(f"/courses/{COURSE}/{A3}/references", data={"csrf_token": token(ta), "name": "x"})
    assert response.status_code == 400
