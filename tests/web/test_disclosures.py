"""The disclosure form, the staff's disclosures page, survey import, reopening, flags, escaping."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from integrity.store import PairQuery, Store
from tests.conftest import DEMO
from tests.web.conftest import A1, COURSE, token

A3 = "a3_cuda_kernel"
FORM = f"/courses/{COURSE}/{A3}/disclosures/alee"
EVIL = "<script>alert(1)</script>"
JINJA = "{{ 7*7 }}"
SIGNED = {"confirm": "y", "signature": "Alice Lee"}
CHAT = b"User: how do I time a kernel?\n\nAssistant: Use cudaEvent_t start and stop events around the launch.\n"


@pytest.fixture(scope="module", autouse=True)
def open_a3(db):
    """a3 open for students whatever today's date (its demo deadline is relative to the build)."""
    store = Store(db)
    store.set_deadline(store.find_assignment(COURSE, A3)["id"], "2999-12-31")
    store.db.conn.close()


def store_of(app) -> Store:
    return Store(app.config["DB"])


def a3(app) -> dict:
    return store_of(app).find_assignment(COURSE, A3)


def tool(i=0, **fields) -> dict:
    defaults = {"name": "ChatGPT", "version": "GPT-4o", "purposes": ["debugging"], "files": "kernel.cu",
                "prompts-0": "Why does my softmax kernel return NaN for long rows?"}
    return {f"tools-{i}-{k}": v for k, v in (defaults | fields).items()}


def post(client, data: dict, files=None, url=FORM):
    body = {"csrf_token": token(client)} | data
    if files:
        body["upload"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(url, data=body, content_type="multipart/form-data")


def test_a_student_fills_submits_and_edits_the_form(app, as_user):
    alee = as_user("alee")
    page = alee.get(FORM).get_data(as_text=True)
    assert "Did you use any AI tool" in page and "ChatGPT" in page and "writing or editing the report" in page
    response = post(alee, {"used_ai": "yes"} | tool() | SIGNED)
    assert response.status_code == 302
    page = alee.get(FORM).get_data(as_text=True)
    assert "Your disclosure is saved" in page and "first submitted" in page
    assert "Why does my softmax kernel return NaN" in page
    response = post(alee, {"used_ai": "yes"} | tool(version="GPT-4o mini", purposes=["debugging", "tests"])
                    | tool(1, name="other", other="Phind", purposes=["design"], files="launch.py") | SIGNED)
    assert response.status_code == 302
    page = alee.get(FORM).get_data(as_text=True)
    assert "last saved" in page and "Phind" in page and "GPT-4o mini" in page
    history = store_of(app).disclosure_events(a3(app)["id"], "alee")
    assert [e["action"] for e in history] == ["saved", "saved"] and history[-1]["actor"] == "alee"


@pytest.mark.parametrize("data, field, message", [
    ({} | tool() | SIGNED, "used_ai", "answer whether you used any AI tool"),
    ({"used_ai": "yes"} | SIGNED, "tools", "name at least one tool"),
    ({"used_ai": "yes"} | tool(name="") | SIGNED, "tools-0-name", "missing (which tool"),
    ({"used_ai": "yes"} | tool(name="other") | SIGNED, "tools-0-name", "say which other tool"),
    ({"used_ai": "yes"} | tool(purposes=[]) | SIGNED, "tools-0-purposes", "tick at least one use"),
    ({"used_ai": "yes", "signature": "Alice Lee"} | tool(), "confirm", "tick the statement"),
    ({"used_ai": "yes", "confirm": "y"} | tool(), "signature", "type your full name"),
    ({"used_ai": "no"} | tool() | SIGNED, "used_ai", "you answered that you used no AI tool"),
])
def test_each_invalid_field_gets_its_message_and_nothing_is_stored(app, as_user, data, field, message):
    alee = as_user("alee")
    before = len(store_of(app).disclosure_events(a3(app)["id"], "alee"))
    response = post(alee, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    if field != "tools":  # the message sits right after its field
        after = page[page.index(f'name="{field}"'):]
        assert after.index(message) < after.index("field-error") + 200
    assert len(store_of(app).disclosure_events(a3(app)["id"], "alee")) == before


def test_no_ai_is_an_explicit_answer(app, as_user):
    kobrien = as_user("kobrien")
    url = FORM.replace("alee", "kobrien")
    assert post(kobrien, SIGNED, url=url).status_code == 400  # an empty form is not "no AI"
    assert post(kobrien, {"used_ai": "no"} | SIGNED, url=url).status_code == 302
    page = kobrien.get(url).get_data(as_text=True)
    assert "No AI used" in page and "Used no AI tool" in page


def test_add_another_prompt_without_script(as_user):
    alee = as_user("alee")
    page = post(alee, {"used_ai": "yes", "more": "prompt-0"} | tool()).get_data(as_text=True)
    assert 'name="tools-0-prompts-1"' in page and "Your disclosure is saved" not in page
    page = post(alee, {"used_ai": "yes", "more": "tool"} | tool()).get_data(as_text=True)
    assert 'name="tools-1-name"' in page


def test_a_chat_export_is_stored_parsed_and_a_bad_one_stores_nothing(app, as_user):
    alee = as_user("alee")
    aid = a3(app)["id"]
    good = post(alee, {"used_ai": "yes"} | tool() | SIGNED, files=[("chat.md", CHAT)])
    assert good.status_code == 302
    stored = store_of(app).transcripts(aid, "alee")
    assert [t["name"] for t in stored] == ["chat.md"]
    assert json.loads(stored[0]["turns"])[1] == ["assistant", "Use cudaEvent_t start and stop events around the launch."]
    page = alee.get(FORM).get_data(as_text=True)
    assert "Chat export <code>chat.md</code> · 2 turns" in page
    assert re.search(r'<input checked[^>]*name="keep" type="checkbox" value="chat.md"', page)
    events = len(store_of(app).disclosure_events(aid, "alee"))
    bad = post(alee, {"used_ai": "yes", "transcripts": "chat.md"} | tool(version="changed") | SIGNED,
               files=[("conversations.json", b'[{"mapping": {"a": ')])
    assert bad.status_code == 400 and "conversations.json: not valid JSON" in bad.get_data(as_text=True)
    assert len(store_of(app).disclosure_events(aid, "alee")) == events
    assert [t["name"] for t in store_of(app).transcripts(aid, "alee")] == ["chat.md"]
    assert "changed" not in store_of(app).disclosure(aid, "alee")["form"]


def test_locked_after_the_deadline_until_staff_reopen(app, as_user):
    store = store_of(app)
    aid = a3(app)["id"]
    store.set_deadline(aid, "2020-01-01T00:00:00+00:00")
    try:
        gtanaka, ta = as_user("gtanaka"), as_user("tzhou")
        url = FORM.replace("alee", "gtanaka")
        page = gtanaka.get(url).get_data(as_text=True)
        assert "this disclosure is locked" in page and 'name="used_ai"' not in page
        assert post(gtanaka, {"used_ai": "no"} | SIGNED, url=url).status_code == 403
        assert ta.post(f"{url}/reopen", data={"csrf_token": token(ta), "open": "yes"}).status_code == 302
        assert post(gtanaka, {"used_ai": "no"} | SIGNED, url=url).status_code == 302
        assert ta.post(f"{url}/reopen", data={"csrf_token": token(ta), "open": "no"}).status_code == 302
        assert post(gtanaka, {"used_ai": "no"} | SIGNED, url=url).status_code == 403
        actions = [e["action"] for e in store.disclosure_events(aid, "gtanaka")]
        assert actions[-3:] == ["reopened", "saved", "locked"]
    finally:
        store.set_deadline(aid, "2999-12-31")


def test_survey_import_stores_good_students_and_names_bad_rows(app, as_user):
    ta = as_user("tzhou")
    survey = ("student,used_ai,tool,version,purposes,files,prompts,statement\n"
              "hpetrova,yes,Claude,3.5,debugging;tests,kernel.cu,Why is this slow?,I confirm\n"
              "lrossi,no,,,,,,I confirm\n"
              "imensah,maybe,,,,,,\n"
              "nobody,no,,,,,,\n")
    response = ta.post(f"/courses/{COURSE}/{A3}/disclosures/import", content_type="multipart/form-data",
                       data={"csrf_token": token(ta), "survey": (io.BytesIO(survey.encode()), "survey.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Imported 2 disclosures: hpetrova, lrossi" in page
    assert "row 4 (imensah): used_ai: expected yes or no, found &#39;maybe&#39;" in page
    assert "nobody: no student of this course has this login" in page
    assert store_of(app).disclosure(a3(app)["id"], "imensah") is None
    assert store_of(app).disclosure_events(a3(app)["id"], "hpetrova")[-1]["action"] == "imported from a survey"


@pytest.mark.parametrize("slug", ["a1_benchmark", "a2_scheduler", "a3_cuda_kernel"])
def test_the_disclosures_page_shows_each_expected_flag_for_its_students_only(as_user, slug):
    page = as_user("tzhou").get(f"/courses/{COURSE}/{slug}/disclosures").get_data(as_text=True)
    shown = set(re.findall(r'data-kind="(\w+)" data-students="([\w ]+)"', page))
    with open(DEMO / slug / "disclosures" / "expected_flags.csv", newline="") as f:
        expected = {(r["kind"], r["students"].replace(";", " ")) for r in csv.DictReader(f)}
    if slug == A3:  # the tests above changed a3's disclosures since the demo's cross-check
        assert "changed after the last cross-check" in page
        return
    assert shown == expected
    assert "No \"AI detector\" score is used anywhere" in page.replace("&#34;", '"').replace("&quot;", '"')


def test_the_pair_view_shows_both_declarations_and_the_common_ai_source(app, as_user):
    store = store_of(app)
    a = store.find_assignment(COURSE, A1)
    run = store.latest_run(a["id"])
    rows, _ = store.pair_page(run["id"], a["id"], PairQuery(student="bkumar", min_similarity=0.99))
    top = next(r for r in rows if {r["a_name"], r["b_name"]} == {"alee", "bkumar"})
    page = as_user("tzhou").get(f"/courses/{COURSE}/{A1}/pairs/{top['id']}").get_data(as_text=True)
    panel = page[page.index('id="disclosure-panel"'):]
    assert "Common AI source:" in panel and "chatgpt_bench" in panel
    assert "alee disclosed it" in panel and "bkumar did not disclose it" in panel
    assert '<code class="file touched"' in panel and ">bench.py</code>" in panel


def test_the_report_lists_the_flags(as_user):
    report = as_user("tzhou").get(f"/courses/{COURSE}/{A1}/report.html").get_data(as_text=True)
    section = report[report.index('<section id="disclosures">'):]
    assert "Possible undisclosed AI use" in section and "bkumar, egarcia" in section
    assert "No &#34;AI detector&#34; score" in section or "No &quot;AI detector&quot; score" in section


def test_prompts_and_transcripts_are_shown_as_text_everywhere(app, as_user):
    jwang = as_user("jwang")
    url = FORM.replace("alee", "jwang")
    evil = f"{EVIL} {JINJA}"
    assert post(jwang, {"used_ai": "yes"} | tool(prompts_0=evil) | {"tools-0-prompts-0": evil, "tools-0-files": evil}
                | SIGNED, files=[("chat.md", f"User: {evil}\nAssistant: {evil}\n".encode())], url=url).status_code == 302
    ta = as_user("tzhou")
    assert ta.post(f"/courses/{COURSE}/{A3}/disclosures/crosscheck", data={"csrf_token": token(ta)}).status_code == 302
    app.extensions["jobs"].wait(a3(app)["id"], 60)
    store = store_of(app)
    run = store.latest_run(a3(app)["id"])
    rows, _ = store.pair_page(run["id"], a3(app)["id"], PairQuery(student="jwang"))
    pages = [jwang.get(url), ta.get(url), ta.get(f"/courses/{COURSE}/{A3}/disclosures"),
             ta.get(f"/courses/{COURSE}/{A3}/pairs/{rows[0]['id']}"), ta.get(f"/courses/{COURSE}/{A3}/report.html")]
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and EVIL not in html, response.request.path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and JINJA in html, response.request.path


def test_disclosure_history_cannot_be_rewritten(app):
    import sqlite3
    store = store_of(app)
    for sql in ("update disclosure_events set actor = 'someone else'", "delete from disclosure_events"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute(sql)


def test_the_disclosures_page_lists_shared_work_no_disclosure_explains(as_user):
    page = as_user("tzhou").get(f"/courses/{COURSE}/{A1}/disclosures").get_data(as_text=True)
    section = page[page.index('id="unexplained"'):page.index('id="flags"')]
    students = set(re.findall(r'data-student="(\w+)"', section))
    assert "dokafor" in students  # a copy of hpetrova's code, which no declared AI response holds
    assert "imensah" not in students and "cnguyen" not in students  # no match of 50% or more
