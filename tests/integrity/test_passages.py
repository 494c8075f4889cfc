"""Paraphrased passages: reworded sentences paired one to one, outside fragments already shown."""
from integrity.fragments import Fragment
from integrity.passages import paraphrases
from tests.samples import sub

A = """Our cache evicts the least recently used entry when the memory budget is exceeded.
Each entry records the time of its last access in a monotonic counter.
We chose this policy because the access pattern of the benchmark has strong temporal locality.
"""
B = """Because the benchmark's access pattern shows strong temporal locality, we picked this policy.
When the memory budget is exceeded, our cache evicts the entry that was used least recently.
The weather was pleasant during the week in which the experiments were carried out.
"""


def test_reworded_sentences_are_paired_with_their_lines():
    found = paraphrases(sub("a", {"r.md": A}), sub("b", {"r.md": B}), ())
    assert [(f.lines_a, f.lines_b) for f in found] == [((1, 1), (2, 2)), ((3, 3), (1, 1))]
    assert all(f.paraphrase and f.doc_a == f.doc_b == "r.md" for f in found)
    assert found[0].tokens == 14  # the words of a's sentence


def test_each_sentence_is_used_once():
    doubled = B.splitlines()[1] + "\n" + B.splitlines()[1] + "\n"
    found = paraphrases(sub("a", {"r.md": A}), sub("b", {"r.md": doubled}), ())
    assert [(f.lines_a, f.lines_b) for f in found] == [((1, 1), (1, 1))]


def test_sentences_inside_shown_fragments_are_not_repeated():
    shown = (Fragment("r.md", (1, 1), "r.md", (2, 2), 80),)
    found = paraphrases(sub("a", {"r.md": A}), sub("b", {"r.md": B}), shown)
    assert [(f.lines_a, f.lines_b) for f in found] == [((3, 3), (1, 1))]


def test_code_and_unrelated_prose_give_no_passages():
    assert paraphrases(sub("a", {"r.md": A}), sub("b", {"r.md": "The weather was lovely all week long in town.\n"}),
                       ()) == ()
    assert paraphrases(sub("a", {"m.py": A}), sub("b", {"m.py": B}), ()) == ()
