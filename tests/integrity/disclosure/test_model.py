"""The disclosure form: validation names every bad field; vocabularies normalise spelling."""
import pytest

from integrity.disclosure.model import (
    InvalidDisclosure,
    Transcript,
    Turn,
    parse_disclosure,
)

CHAT = Transcript("chat.md", (Turn("user", "Write a timer"), Turn("assistant", "Use perf_counter")))


def read(data, transcripts=None):
    def transcript(path):
        if path not in (transcripts or {}):
            raise ValueError(f"{path}: no such file beside the disclosures")
        return transcripts[path]
    return parse_disclosure(data, "s1234", transcript)


def test_the_contract_example_reads_with_canonical_vocabulary():
    d = read({"student": "s1234", "used_ai": True,
              "tools": [{"name": "chatgpt", "version": "GPT-4o, 2026-10",
                         "purposes": ["Design", "writing code", "debugging", "cooking"],
                         "files": ["bench.py"], "prompts": ["Write a function that ...", "Why does ... fail?"]}],
              "transcripts": ["chat.md"], "statement": "I confirm that this disclosure is complete."},
             {"chat.md": CHAT})
    assert d.used_ai and d.student == "s1234"
    tool = d.tools[0]
    assert tool.name == "ChatGPT" and tool.version == "GPT-4o, 2026-10"
    assert tool.purposes == ("design", "writing code", "debugging", "cooking")  # other wording kept as written
    assert d.prompts() == ["Write a function that ...", "Why does ... fail?", "Write a timer"]
    assert d.transcripts == (CHAT,)


def test_no_ai_is_an_explicit_answer():
    d = read({"used_ai": False})
    assert d.used_ai is False and d.tools == () and d.transcripts == () and d.statement == ""


def test_every_problem_is_named_by_its_field():
    with pytest.raises(InvalidDisclosure) as err:
        read({"used_ai": "yes", "tools": [{"version": 4, "purposes": "design", "prompts": ["ok", 7]}, "ChatGPT"],
              "transcripts": ["gone.json", ""], "statement": ["signed"]})
    assert err.value.errors == [
        "used_ai: expected true or false, found text",
        "tools[0].name: missing (which tool, e.g. ChatGPT, Claude, Gemini or other)",
        "tools[0].version: expected text, found a number",
        "tools[0].purposes: expected a list, found text",
        "tools[0].prompts[1]: expected text, found a number",
        "tools[1]: expected an object, found text",
        "transcripts[0]: gone.json: no such file beside the disclosures",
        "transcripts[1]: expected a file name, found nothing",
        "statement: expected text, found a list",
    ]


@pytest.mark.parametrize(("data", "message"), [
    ({}, "used_ai: missing (true or false)"),
    ([], "expected a JSON object, found a list"),
])
def test_an_empty_form_or_another_shape_is_not_an_answer(data, message):
    with pytest.raises(InvalidDisclosure) as err:
        read(data)
    assert err.value.errors == [message]
