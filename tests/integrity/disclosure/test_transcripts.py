"""Chat-export parsers on realistic samples (samples/), including malformed ones."""
from pathlib import Path

import pytest

from integrity.disclosure.model import ASSISTANT, USER
from integrity.disclosure.transcripts import TranscriptError, parse_transcript

SAMPLES = Path(__file__).parent / "samples"


def parse(name: str):
    return parse_transcript(name, (SAMPLES / name).read_bytes())


def test_chatgpt_export_follows_the_displayed_branch_of_every_conversation():
    t = parse("chatgpt_conversations.json")
    assert t.source == "chatgpt_conversations.json"
    assert t.prompts() == ["How do I time a numpy matmul properly?", "What about the p99 with 30 repeats?",
                           "Explain warmup iterations."]
    responses = t.responses()
    assert not any("OLD BRANCH" in r for r in responses), "a regenerated-away answer is not shown"
    assert "time.perf_counter" in responses[0]
    assert responses[1] == "```\nprint(sum(range(10)))\n```"  # the code it ran, as a code block
    assert responses[2:] == ["Thirty samples are too few for a stable p99.",
                             "Warmup runs fill caches and trigger lazy initialisation."]
    assert [turn.role for turn in t.turns] == [USER, ASSISTANT, ASSISTANT, USER, ASSISTANT, USER, ASSISTANT]


def test_claude_export_reads_text_blocks_and_pasted_attachments_but_not_thinking():
    t = parse("claude_export.json")
    assert t.prompts() == ["Why does my heap compare Request objects?\n\nheapq.heappush(q, (p, r))",
                           "Thanks, that fixed it."]
    assert t.responses() == [("Two equal keys make heapq compare the requests.\n"
                             "Add a counter:\n\n```python\nheapq.heappush(q, (p, next(seq), r))\n```")]


def test_markdown_turns_by_headings_and_bold_markers_never_inside_code():
    t = parse("transcript.md")
    assert [turn.role for turn in t.turns] == [USER, ASSISTANT, USER, ASSISTANT]
    assert t.prompts() == ["My kernel returns NaN for wide rows.", "It was the launch. Thanks!"]
    assert "// User: this line is code, not a new turn" in t.responses()[0]
    assert t.responses()[1] == "Glad it works."


def test_plain_text_copied_from_the_chat_page():
    t = parse("copied.txt")
    assert t.prompts() == ["what does iteration-level batching mean?", "and static batching?"]
    assert t.responses() == ["New requests join the running batch at every decoding step.",
                             "The whole batch finishes before the next one starts."]


@pytest.mark.parametrize(("name", "reason"), [
    ("truncated.json", "not valid JSON"),
    ("wrong_shape.json", "not a ChatGPT export"),
    ("claude_no_sender.json", "conversation 1 ('Scheduler help'), message 2: sender is None"),
    ("chatgpt_lost_node.json", "current_node 'nowhere' is not in the mapping"),
    ("chatgpt_empty.json", "holds no messages"),
    ("no_markers.md", "no turns marked"),
])
def test_malformed_exports_raise_an_error_naming_the_file_and_the_reason(name, reason):
    with pytest.raises(TranscriptError) as err:
        parse(name)
    assert str(err.value).startswith(f"{name}: ")
    assert reason in str(err.value)


def test_a_parent_loop_and_binary_bytes_are_refused():
    loop = b'[{"mapping": {"a": {"parent": "b", "message": null}, "b": {"parent": "a", "message": null}},' \
           b' "current_node": "a"}]'
    with pytest.raises(TranscriptError, match="loop"):
        parse_transcript("loop.json", loop)
    with pytest.raises(TranscriptError, match="binary"):
        parse_transcript("chat.txt", b"\x00\x01User: hi")


def test_a_json_object_that_is_neither_export_is_refused():
    with pytest.raises(TranscriptError, match="not a ChatGPT export"):
        parse_transcript("x.json", b'[{"messages": []}]')
