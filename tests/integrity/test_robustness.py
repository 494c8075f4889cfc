"""Each obfuscation a copier uses, pinned on a small hand-written pair (end to end through analyse)."""
import pytest

from integrity.analysis import analyse
from tests.samples import sub

ORIGINAL = '''\
def mean(values):
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def variance(values):
    m = mean(values)
    acc = 0.0
    for v in values:
        acc += (v - m) ** 2
    return acc / (len(values) - 1)


def zscores(values):
    m = mean(values)
    s = variance(values) ** 0.5
    out = []
    for v in values:
        out.append((v - m) / s)
    return out


def report(values):
    for z in zscores(values):
        print("z =", round(z, 3))
'''

RENAMED_RECOMMENTED = '''\
# statistics helpers for the lab
def average(xs):
    """Arithmetic mean."""
    s = 0.0
    for x in xs:
        s += x  # accumulate
    return s / len(xs)


def spread(xs):
    mu = average(xs)
    total = 0.0
    for x in xs:
        total += (x - mu) ** 2
    return total / (len(xs) - 1)


def standardise(xs):
    mu = average(xs)
    sd = spread(xs) ** 0.5
    result = []
    for x in xs:
        result.append((x - mu) / sd)
    return result


def show(xs):
    for score in standardise(xs):
        print("z =", round(score, 3))
'''

DEAD_CODE = ORIGINAL.replace("    total = 0.0\n", "    total = 0.0\n    debug = False\n").replace(
    "    acc = 0.0\n", "    acc = 0.0\n    print('computing variance')\n")
REORDERED = "\n\n".join(reversed(ORIGINAL.strip().split("\n\n\n"))) + "\n"
FOR_TO_WHILE = ORIGINAL.replace("    for v in values:\n        total += v\n",
                                "    i = 0\n    while i < len(values):\n        total += values[i]\n        i += 1\n")
LITERALS = ORIGINAL.replace("0.0", "0").replace("3))", "4))").replace("- 1)", "- 1.0)")

INDEPENDENT = '''\
class Stack:
    def __init__(self):
        self.items = []

    def push(self, x):
        self.items.append(x)

    def pop(self):
        if not self.items:
            raise IndexError("empty")
        return self.items.pop()

    def peek(self):
        return self.items[-1] if self.items else None
'''


def pair(a: str, b: str):
    result = analyse([sub("a", {"m.py": a}), sub("b", {"m.py": b})])
    return result.pairs[0] if result.pairs else None


@pytest.mark.parametrize("copy", [RENAMED_RECOMMENTED, LITERALS], ids=["rename+comments", "literals"])
def test_renaming_comments_and_literals_change_nothing(copy):
    p = pair(ORIGINAL, copy)
    assert p.similarity >= 0.95 and p.share_a == p.share_b == 1.0


def test_dead_code_keeps_the_match_and_one_fragment():
    p = pair(ORIGINAL, DEAD_CODE)
    assert p.similarity >= 0.8 and p.share_a >= 0.9  # the original is almost wholly found in the copy
    assert len(p.fragments) == 1  # the insertions do not split the evidence


def test_reordered_functions_still_match_every_function():
    p = pair(ORIGINAL, REORDERED)
    assert p.similarity >= 0.9 and len(p.fragments) >= 4


def test_a_for_loop_rewritten_as_while_leaves_the_rest_matched():
    p = pair(ORIGINAL, FOR_TO_WHILE)
    assert p.similarity >= 0.8


def test_an_independent_program_is_not_a_copy():
    p = pair(ORIGINAL, INDEPENDENT)
    assert p is None or p.similarity < 0.2
