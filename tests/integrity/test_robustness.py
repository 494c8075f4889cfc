"""Each obfuscation a copier uses, pinned on a small hand-written pair (end to end through analyse)."""
import pytest

from integrity.analysis import analyse
from tests.fingerprints.test_inlining import JAVA_EXTRACTED, JAVA_INLINE
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


EXTRACTED = ORIGINAL.replace('''def variance(values):
    m = mean(values)
    acc = 0.0
    for v in values:
        acc += (v - m) ** 2
    return acc / (len(values) - 1)''', '''def squared_deviations(values, m):
    acc = 0.0
    for v in values:
        acc += (v - m) ** 2
    return acc


def variance(values):
    m = mean(values)
    return squared_deviations(values, m) / (len(values) - 1)''')
SWAPPED = ORIGINAL.replace('''    m = mean(values)
    s = variance(values) ** 0.5
    out = []''', '''    out = []
    s = variance(values) ** 0.5
    m = mean(values)''')


def test_an_extracted_helper_keeps_most_of_both_sides_matched():
    p = pair(ORIGINAL, EXTRACTED)
    assert p.similarity >= 0.8 and min(p.share_a, p.share_b) >= 0.85


def test_swapping_independent_statements_keeps_one_fragment():
    p = pair(ORIGINAL, SWAPPED)
    assert p.similarity >= 0.9 and len(p.fragments) == 1


C_SUM = '''\
#include <stdio.h>
int sum(const int *xs, int n) {
    int total = 0;
    for (int i = 0; i < n; i++) {
        total += xs[i];
    }
    return total;
}
int main(void) {
    int xs[] = {1, 2, 3, 4};
    printf("sum is %d\\n", sum(xs, 4));
    return 0;
}
'''
C_SUM_WHILE = C_SUM.replace('''    for (int i = 0; i < n; i++) {
        total += xs[i];
    }''', '''    int i = 0;
    while (i < n) {
        total += xs[i];
        i++;
    }''')


def test_c_for_rewritten_as_while_still_matches():
    result = analyse([sub("a", {"s.c": C_SUM}), sub("b", {"t.c": C_SUM_WHILE})])
    assert result.pairs[0].similarity >= 0.7


JAVA_AREA = '''\
public class Area {
    public static void main(String[] args) {
        java.util.Scanner input = new java.util.Scanner(System.in);
        double radius = input.nextDouble();
        double area = radius * radius * 3.14159;
        double perimeter = 2 * radius * 3.14159;
        System.out.println("The area is " + area);
        System.out.println("The perimeter is " + perimeter);
    }
}
'''
JAVA_HOISTED = '''\
public class Circle {
    private static double r, a;
    private static double p;

    public static void main(String[] args) {
        java.util.Scanner in = new java.util.Scanner(System.in);
        r = in.nextDouble();
        a = r * r * 3.14159;
        p = 2 * r * 3.14159;
        System.out.println("The area is " + a);
        System.out.println("The perimeter is " + p);
    }
}
'''


def test_java_locals_hoisted_into_fields_change_nothing():
    p = analyse([sub("a", {"Area.java": JAVA_AREA}), sub("b", {"Circle.java": JAVA_HOISTED})]).pairs[0]
    assert p.similarity == 1.0


REPORT = """# Scheduler report

The scheduler keeps one queue per priority level and always serves the highest non-empty queue first.
When a request arrives, it is appended to the queue that matches its declared priority.

To avoid starvation, every request that has waited longer than two seconds is promoted by one level.
We measured throughput with sixteen concurrent clients and found it rose by about twelve percent.

Latency at the ninety-ninth percentile fell from forty to twenty-eight milliseconds in the same runs.
"""
PARAPHRASED = """# Report

The scheduler always serves the highest non-empty queue first and keeps a single queue for each priority level.
An arriving request gets appended to whichever queue matches the priority it declared.

Every request waiting for more than two seconds is promoted one level, which avoids starvation.
With sixteen clients running concurrently we measured the throughput and saw it rise by roughly twelve percent.

In those runs the latency at the 99th percentile dropped from forty milliseconds to twenty-eight.
"""
OWN_REPORT = """# My scheduler

I used a single heap ordered by deadline, so the earliest deadline always runs next.
Ties are broken by arrival time, which keeps the order fair between equal deadlines.
The heap makes insertion logarithmic, and my tests with eight clients showed stable latency.
I did not implement preemption because the workload consists of short requests only.
"""


def report_pair(a: str, b: str):
    result = analyse([sub("a", {"report.md": a}), sub("b", {"report.md": b})])
    return result.pairs[0] if result.pairs else None


def test_every_paraphrased_sentence_is_located_as_a_fragment_or_a_passage():
    p = report_pair(REPORT, PARAPHRASED)
    located = {line for f in p.fragments for line in range(f.lines_a[0], f.lines_a[1] + 1)}
    assert located == {3, 4, 6, 7, 9}  # every sentence of the original; headings and blanks not
    reworded = [f for f in p.fragments if f.paraphrase]
    assert {(f.lines_a, f.lines_b) for f in reworded} >= {((4, 4), (4, 4)), ((6, 6), (6, 6))}


def test_reordered_paragraphs_match_wholly_in_their_new_places():
    head, *paragraphs = REPORT.split("\n\n")
    p = report_pair(REPORT, "\n\n".join([head] + paragraphs[::-1]))
    assert p.similarity >= 0.95 and min(p.share_a, p.share_b) >= 0.99
    assert {(f.lines_a, f.lines_b) for f in p.fragments} == {((3, 4), (9, 10)), ((6, 7), (6, 7)), ((9, 9), (3, 3))}


def test_a_paragraph_copied_into_original_text_is_located_and_nothing_else():
    copied = REPORT.split("\n\n")[2]
    p = report_pair(REPORT, OWN_REPORT + "\n" + copied + "\n")
    assert [(f.lines_a, f.lines_b, f.paraphrase) for f in p.fragments] == [((6, 7), (8, 9), False)]
    assert 0.3 <= p.share_b <= 0.5  # the copy is about a third of the receiving report


def test_independent_reports_on_the_same_topic_do_not_match():
    assert report_pair(REPORT, OWN_REPORT) is None


def test_a_block_extracted_into_a_helper_changes_nothing():
    p = analyse([sub("a", {"Table.java": JAVA_INLINE}), sub("b", {"Table.java": JAVA_EXTRACTED})]).pairs[0]
    assert p.similarity == 1.0
    # the helper's body shows as its own fragment, beside the loop it was taken from
    assert ((5, 7), (3, 5)) in {(f.lines_a, f.lines_b) for f in p.fragments}
