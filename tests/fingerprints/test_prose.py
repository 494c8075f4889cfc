"""Prose tokenisation: case, punctuation and whitespace vanish; words keep their lines."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fingerprints import tokenize_prose
from fingerprints.prose import sentences

PARAGRAPH = """The scheduler assigns each job to the least-loaded worker.
It doesn't preempt running jobs; instead, it waits.

Results: throughput rose by 12%, latency fell."""


def test_words_are_lowercased_and_punctuation_dropped():
    s = tokenize_prose(PARAGRAPH)
    assert s.symbols == ("the", "scheduler", "assigns", "each", "job", "to", "the", "least", "loaded",
                         "worker", "it", "doesn't", "preempt", "running", "jobs", "instead", "it", "waits",
                         "results", "throughput", "rose", "by", "12", "latency", "fell")


def test_line_numbers_follow_the_text():
    s = tokenize_prose(PARAGRAPH)
    lines = dict(zip(s.symbols, s.first_lines.tolist()))
    assert lines["scheduler"] == 1 and lines["worker"] == 1
    assert lines["preempt"] == 2 and lines["waits"] == 2
    assert lines["results"] == 4 and lines["fell"] == 4  # line 3 is blank
    assert (s.first_lines == s.last_lines).all()
    assert s.first_lines.dtype == np.int32


def test_case_punctuation_and_whitespace_invariance():
    original = tokenize_prose(PARAGRAPH).symbols
    shouted = PARAGRAPH.upper()
    squashed = " ".join(PARAGRAPH.split())
    repunctuated = PARAGRAPH.replace(";", " --").replace(",", "").replace(".", "!!").replace(":", " -")
    spaced = PARAGRAPH.replace(" ", " \t  ").replace("\n", "\n\n\n")
    for variant in (shouted, squashed, repunctuated, spaced):
        assert tokenize_prose(variant).symbols == original


def test_a_changed_word_changes_the_stream():
    assert tokenize_prose(PARAGRAPH.replace("worker", "machine")).symbols != tokenize_prose(PARAGRAPH).symbols


def test_apostrophes_inside_words_kept_and_typographic_ones_unified():
    assert tokenize_prose("don’t DON'T students' 'quoted'").symbols == ("don't", "don't", "students", "quoted")


def test_underscores_and_hyphens_split_words_and_unicode_letters_stay():
    assert tokenize_prose("snake_case co-operate Café Ñandú").symbols == (
        "snake", "case", "co", "operate", "café", "ñandú")


def test_empty_and_blank_text():
    for text in ("", "   \n\t\n", "... !!! ---"):
        s = tokenize_prose(text)
        assert len(s) == 0 and len(s.first_lines) == 0 and len(s.last_lines) == 0


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
SEPARATOR = st.text(alphabet=" \t\n,.;:!?()[]\"-/", min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(WORD, SEPARATOR, st.booleans()), min_size=1, max_size=30), SEPARATOR)
def test_any_layout_of_the_same_words_gives_the_same_words_on_the_right_lines(parts, lead):
    text = lead
    expected_lines = []
    for word, sep, upper in parts:
        expected_lines.append(text.count("\n") + 1)
        text += (word.upper() if upper else word) + sep
    s = tokenize_prose(text)
    assert s.symbols == tuple(w for w, _, _ in parts)
    assert s.first_lines.tolist() == expected_lines
    assert s.last_lines.tolist() == expected_lines


def test_spelt_stream_is_the_words_characters_on_their_lines():
    from fingerprints.prose import spell
    words = tokenize_prose("Hi there,\nWORLD!")
    chars = spell(words)
    assert "".join(chars.symbols) == "hi there world "
    assert chars.first_lines.tolist() == [1] * 9 + [2] * 6
    assert (chars.first_lines == chars.last_lines).all()
    assert len(spell(tokenize_prose(""))) == 0


TEXT = """# Method

The scheduler assigns each job to a worker. It never preempts;
instead it waits for the
current job to finish!

Short one.
## Results
Throughput rose by twelve percent? Yes."""


def test_sentences_end_at_punctuation_blank_lines_and_headings_with_their_lines():
    assert [(s.words, s.lines) for s in sentences(TEXT)] == [
        ("the scheduler assigns each job to a worker", (3, 3)),
        ("it never preempts", (3, 3)),
        ("instead it waits for the current job to finish", (4, 5)),
        ("short one", (7, 7)),
        ("throughput rose by twelve percent", (9, 9)),
        ("yes", (9, 9)),
    ]


def test_sentences_shorter_than_the_minimum_are_left_out():
    assert [s.words for s in sentences(TEXT, min_words=5)] == [
        "the scheduler assigns each job to a worker", "instead it waits for the current job to finish",
        "throughput rose by twelve percent"]


def test_tables_listings_and_figures_are_not_wording():
    text = ("We ran 500 requests on an A100 with seed 1.\n"
            "| rate | policy | mean |\n|---|---|---|\n| 1.0 | fcfs | 2.85 |\n"
            "```\nrate policy mean\n1.0 fcfs 2.85\n```\n"
            "The queue grew without bound past rate 2.0.")
    assert [(s.words, s.lines) for s in sentences(text)] == [
        ("we ran requests on an with seed", (1, 1)),
        ("the queue grew without bound past rate", (9, 9)),
    ]
