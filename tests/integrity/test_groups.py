"""Groups: components of pairs that are both substantial and beyond chance for the batch."""
import random
from pathlib import Path

from integrity.analysis import CLUSTER_THRESHOLD, analyse
from integrity.clusters import clusters
from integrity.ingest import load_batch
from tests.samples import sub

# Each honest student writes each of five functions in one of three common ways, as classes
# do when a task has a few natural solutions: any two share about half of their code.
VARIANTS = [
    ["def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n",
     "def total(xs):\n    return sum(x for x in xs)\n",
     "def total(xs):\n    s, i = 0, 0\n    while i < len(xs):\n        s = s + xs[i]\n        i += 1\n    return s\n"],
    ["def largest(xs):\n    best = xs[0]\n    for x in xs[1:]:\n        if x > best:\n            best = x\n    return best\n",
     "def largest(xs):\n    return sorted(xs)[-1]\n",
     "def largest(xs):\n    import functools\n    return functools.reduce(lambda a, b: a if a > b else b, xs)\n"],
    ["def evens(xs):\n    out = []\n    for x in xs:\n        if x % 2 == 0:\n            out.append(x)\n    return out\n",
     "def evens(xs):\n    return [x for x in xs if not x % 2]\n",
     "def evens(xs):\n    return list(filter(lambda v: v % 2 == 0, xs))\n"],
    ["def mean(xs):\n    if not xs:\n        raise ValueError('empty input list')\n    return total(xs) / len(xs)\n",
     "def mean(xs):\n    n = len(xs)\n    return total(xs) / n if n else 0.0\n",
     "def mean(xs):\n    try:\n        return total(xs) / len(xs)\n    except ZeroDivisionError:\n        return None\n"],
    ["def main():\n    data = [int(t) for t in input().split()]\n    print(mean(data), largest(data), evens(data))\n",
     "def main():\n    import sys\n    data = list(map(int, sys.stdin.read().split()))\n    for r in (mean(data), largest(data)):\n        print(r)\n    print(*evens(data))\n",
     "if __name__ == '__main__':\n    values = [3, 1, 4, 1, 5]\n    print('mean of values', mean(values))\n    print('largest value', largest(values), evens(values))\n"],
]


def test_alike_honest_solutions_are_not_chained_into_one_group():
    rng = random.Random(7)
    subs = [sub(f"s{i:02d}", {"m.py": "\n\n".join(rng.choice(v) for v in VARIANTS)}) for i in range(40)]
    result = analyse(subs)
    by_similarity_alone = clusters((p.a, p.b, p.similarity) for p in result.pairs
                                   if p.similarity >= CLUSTER_THRESHOLD)
    assert [len(g) for g in by_similarity_alone] == [40]  # a fixed threshold links the whole class
    assert all(len(g) <= 3 for g in result.clusters)


def test_the_demo_course_groups_are_its_planted_copies():
    folder = Path(__file__).resolve().parents[2] / "examples" / "demo_course" / "a1_benchmark"
    result = analyse(load_batch(folder / "submissions").submissions)
    assert result.clusters == [["alee", "bkumar", "egarcia"], ["dokafor", "hpetrova"]]
