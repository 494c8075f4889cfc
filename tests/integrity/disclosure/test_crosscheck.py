"""crosscheck on a small hand-written batch: each flag for the right students, and for no others.

    ann  sched.py    declared ChatGPT with a transcript that holds her code   -> explained
    ben  sched.py    ann's code renamed; "no AI"                           -> common source: ann's transcript
    cat  cache.py    the staff's AI reference, renamed; no disclosure      -> missing, undisclosed_ai
    dan  cache.py    cat's code; declared ChatGPT                          -> common source: the reference
    eve  queue.py    "no AI" yet gives prompts                             -> inconsistent; shared prompts with fay
    fay  normalise.py  declares files she did not hand in                  -> inconsistent; shared prompts with eve
    gil  log.py      a disclosure that is not JSON                         -> inconsistent (and on stderr)
    hal  matrix.py   "no AI", nothing else                                  -> no flag
"""
import json
from collections import defaultdict

import pytest

from integrity.disclosure.crosscheck import SHARED_PASSAGE, crosscheck
from integrity.disclosure.folder import load_disclosures
from integrity.disclosure.references import load_references
from integrity.ingest import load_batch
from tests.samples import (
    CACHE,
    QUEUE,
    SCHEDULER,
    SCHEDULER_COPY,
    SHARED_BLOCK,
    UNRELATED,
    write,
)

MATRIX = '''\
def matmul(a, b):
    n, m, p = len(a), len(b), len(b[0])
    c = [[0.0] * p for _ in range(n)]
    for i in range(n):
        for k in range(m):
            aik = a[i][k]
            for j in range(p):
                c[i][j] += aik * b[k][j]
    return c
'''
PROMPT = ("I need a queue class for my assignment where push inserts at the front of a list and pop removes "
          "from the end, raising IndexError when it is empty. Can you explain why this is slow for long queues?")


def form(used_ai, tools=(), transcripts=()):
    return json.dumps({"used_ai": used_ai, "tools": list(tools), "transcripts": list(transcripts),
                       "statement": "I confirm that this disclosure is complete."})


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    root = tmp_path_factory.mktemp("crosscheck")
    write(root / "subs", {"ann/sched.py": SCHEDULER, "ben/sched.py": SCHEDULER_COPY, "cat/cache.py": CACHE,
                          "dan/cache.py": CACHE.replace("size", "cap"), "eve/queue.py": QUEUE,
                          "fay/normalise.py": SHARED_BLOCK, "gil/log.py": UNRELATED, "hal/matrix.py": MATRIX})
    write(root / "refs", {"gpt_cache/cache.py": CACHE.replace("self.data", "self.store"),
                          "gpt_cache/ai.json": '{"tool": "ChatGPT", "prompt": "Write an LRU-ish cache"}'})
    chatgpt = {"name": "ChatGPT", "version": "GPT-4o", "purposes": ["writing code"]}
    write(root / "disclosures", {
        "ann.json": form(True, [chatgpt | {"files": ["sched.py"]}], ["chats/ann.md"]),
        "chats/ann.md": f"User: write a greedy scheduler\n\nAssistant: Here it is:\n\n```\n{SCHEDULER}```\n",
        "ben.json": form(False),
        "dan.json": form(True, [chatgpt | {"files": ["cache.py"]}]),
        "eve.json": form(False, [chatgpt | {"prompts": [PROMPT]}]),
        "fay.json": form(True, [chatgpt | {"files": ["normalise.py", "src/missing.py", "report.md#Discussion",
                                                    "the Discussion section"],
                                           "prompts": [PROMPT.replace("Can you", "Could you")]}]),
        "gil.json": '{"used_ai": false, "tools": [',
        "hal.json": form(False),
        "stray.json": "{}",
    })
    batch = load_batch(root / "subs")
    refs, notes, _ = load_references([root / "refs"])
    disclosures = load_disclosures(root / "disclosures", [s.name for s in batch.submissions])
    return crosscheck(batch, disclosures, None, refs, notes), disclosures


def flagged(result) -> dict[str, list]:
    out = defaultdict(list)
    for f in result[0]["flags"]:
        out[f["kind"]].append(f["students"])
    return out


def one(result, kind):
    flags = [f for f in result[0]["flags"] if f["kind"] == kind]
    assert len(flags) == 1
    return flags[0]


def test_each_flag_names_exactly_the_right_students(result):
    found = {kind: sorted(students) for kind, students in flagged(result).items()}
    assert found == {
        "shared_prompts": [["eve", "fay"]],
        "undisclosed_ai": [["cat"]],
        "common_ai_source": [["ann", "ben"], ["cat", "dan"]],
        "missing_disclosure": [["cat"]],
        "inconsistent_disclosure": [["eve"], ["fay"], ["gil"]],
    }


def test_shared_prompts_show_both_passages(result):
    flag = one(result, "shared_prompts")
    assert flag["score"] > 0.5
    (passage,) = flag["evidence"]
    assert passage["a"] == "eve" and passage["b"] == "fay"
    assert passage["file_a"] == passage["file_b"] == "ChatGPT prompt 1"
    assert passage["text_a"] == PROMPT and "Could you" in passage["text_b"]
    assert passage["tokens"] >= SHARED_PASSAGE  # words


def test_undisclosed_ai_names_the_reference_with_its_fragments(result):
    flag = one(result, "undisclosed_ai")
    assert flag["reference"] == "gpt_cache" and flag["declared"] == "nothing (no disclosure)"
    assert flag["note"] == {"tool": "ChatGPT", "prompt": "Write an LRU-ish cache"}
    assert flag["evidence"] and all(e["a"] == "cat" and e["b"] == "reference:gpt_cache" for e in flag["evidence"])
    assert all(e["file_a"] == "cache.py" == e["file_b"] and e["lines_a"][0] <= e["lines_a"][1]
               for e in flag["evidence"])


def test_common_source_says_which_source_and_who_disclosed_it(result):
    flags = {tuple(f["students"]): f for f in result[0]["flags"] if f["kind"] == "common_ai_source"}
    transcript = flags[("ann", "ben")]
    assert (transcript["reference"], transcript["source"]) == ("chats/ann.md", "transcript")
    assert transcript["disclosed"] == {"ann": True, "ben": False}
    assert {e["b"] for e in transcript["evidence"]} == {"ben", "transcript:chats/ann.md"}
    reference = flags[("cat", "dan")]
    assert (reference["reference"], reference["source"]) == ("gpt_cache", "reference")
    assert reference["disclosed"] == {"cat": False, "dan": True}


def test_inconsistencies_are_explained(result):
    detail = {f["students"][0]: f["detail"] for f in result[0]["flags"] if f["kind"] == "inconsistent_disclosure"}
    assert detail["eve"] == "says no AI tool was used, yet declares 1 tool(s), 1 prompt(s)"
    assert detail["fay"] == ("ChatGPT is declared for src/missing.py, which the submission does not have; "
                             "ChatGPT is declared for report.md#Discussion, which the submission does not have")
    assert detail["gil"].startswith("the disclosure cannot be read: not valid JSON")


def test_coverage_for_everyone_with_a_disclosure_file(result):
    coverage = result[0]["coverage"]
    assert sorted(coverage) == ["ann", "ben", "dan", "eve", "fay", "gil", "hal"]
    assert coverage["ann"]["explained"] > 0.9 and coverage["ann"]["unexplained"] < 0.1
    assert coverage["ben"]["explained"] == 0.0 and coverage["ben"]["unexplained"] < 0.5  # in ann's transcript
    assert coverage["hal"] == {"explained": 0.0, "unexplained": 1.0, "code": {"explained": 0.0, "unexplained": 1.0},
                               "unexplained_matches": []}


def test_shared_work_is_unexplained_only_outside_declared_ai_responses(result):
    coverage = result[0]["coverage"]
    # dan's cache matches cat's and the AI reference, and dan declared no transcript
    matches = coverage["dan"]["unexplained_matches"]
    assert {m["b"] for m in matches} == {"cat", "reference:gpt_cache"}
    assert all(m["a"] == "dan" and m["file_a"] == "cache.py" and m["text_a"] for m in matches)
    # ann and ben share the scheduler, which ann's declared transcript holds: explained for both
    assert coverage["ann"]["unexplained_matches"] == coverage["ben"]["unexplained_matches"] == []


def test_the_loader_reports_what_it_ignored(result):
    disclosures = result[1]
    assert "stray.json: ignored" in " ".join(disclosures.notes)
    assert set(disclosures.malformed) == {"gil"}
