"""The inverted index: template and common-code discounting, candidate pairs, references."""
from __future__ import annotations

import dataclasses
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fingerprints import tokenize_code
from fingerprints.winnow import kgram_hashes, symbol_ids
from integrity.analysis import REFERENCE, analyse
from integrity.corpus import Fingerprinted, Params, fingerprint
from integrity.documents import Submission
from integrity.index import build_index, common_hashes
from tests.samples import SHARED_BLOCK, sub

# ----------------------------------------------------------------------------- fixtures

# the noise threshold is pinned: the fixtures below are built around k = 12
PARAMS = Params(k_code=12, w_code=8)

AUG = ["+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="]
OPS = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"]
# first statements whose first tokens all differ, so that no two students' own code starts alike
LEADS = ["assert data", "del data", "raise data", "import data", "global data", "print(data)",
         "data = 1", "data += 1", "while data:\n    pass", "if data:\n    pass",
         "try:\n    pass\nfinally:\n    pass", "with data:\n    pass", "pass"]


def own_code(i: int, n: int = 12) -> str:
    """Python that shares no 12-token run with own_code(j) for j != i (0 <= i < 13).

    Every statement is an augmented assignment with the operator AUG[i], which no other
    student uses, and any 12 consecutive tokens of the body contain one.
    """
    aug = AUG[i]
    lines = [LEADS[i], "", "", f"def solve_{i}(data, k):"]
    for j in range(n):
        op, op2 = OPS[(i + j) % 13], OPS[(2 * i + 3 * j + 1) % 13]
        lines.append([f"    acc{j} {aug} data[{j}] {op} k",
                      f"    acc{j} {aug} len(data) {op} {j}",
                      f"    acc{j} {aug} (k {op} data[{j}]) {op2} 2"][j % 3])
    lines.append("    return acc0")
    return "\n".join(lines) + "\n"


TEMPLATE = '''\
import json


def load_config(path):
    with open(path) as handle:
        config = json.load(handle)
    if "seed" not in config:
        config["seed"] = 0
    for key, value in config.items():
        print(key, value)
    return config


'''

def kgrams(s: Submission, k: int = PARAMS.k_code) -> set[int]:
    """Every k-gram hash of a submission, computed from the kernel (not through the index)."""
    out: set[int] = set()
    for d in s.documents:
        out |= set(kgram_hashes(symbol_ids(tokenize_code(d.text, d.language).symbols), k).tolist())
    return out


def pair_names(analysis) -> set[tuple[str, str]]:
    return {(p.a, p.b) for p in analysis.pairs}


def test_own_code_fixture_is_pairwise_disjoint():
    sets = [kgrams(sub(f"s{i}", {"own.py": own_code(i)})) for i in range(13)]
    assert all(len(s) > 60 for s in sets)
    for x, y in combinations(sets, 2):
        assert not x & y


# ----------------------------------------------------------------------------- template

def test_pair_sharing_only_the_template_is_not_reported():
    template = sub("template", {"main.py": TEMPLATE})
    a = sub("alice", {"main.py": TEMPLATE + own_code(0)})
    b = sub("bob", {"main.py": TEMPLATE + own_code(1)})
    # precondition: all they share is template k-grams
    assert kgrams(a) & kgrams(b)
    assert kgrams(a) & kgrams(b) <= kgrams(template)

    assert analyse([a, b], params=PARAMS).pairs, "without the template the shared starter code is evidence"
    assert analyse([a, b], template, params=PARAMS).pairs == []


def test_pair_sharing_more_than_the_template_is_found_on_the_extra_code():
    template = sub("template", {"main.py": TEMPLATE})
    a = sub("alice", {"main.py": TEMPLATE + own_code(0)})
    b = sub("bob", {"main.py": TEMPLATE + own_code(1)})
    c = sub("carol", {"main.py": TEMPLATE + SHARED_BLOCK + "\n\n" + own_code(2)})
    d = sub("dave", {"main.py": TEMPLATE + SHARED_BLOCK + "\n\n" + own_code(3)})
    result = analyse([a, b, c, d], template, params=PARAMS)
    assert pair_names(result) == {("carol", "dave")}
    (pair,) = result.pairs
    # one fragment: the shared block, plus at most k - 1 tokens of the template before it
    # (k-grams straddling the template's end are not template k-grams)
    (fragment,) = pair.fragments
    start = TEMPLATE.count("\n") + 1
    end = start + SHARED_BLOCK.count("\n") - 1
    block_tokens = len(tokenize_code(SHARED_BLOCK, "python"))
    assert block_tokens <= fragment.tokens <= block_tokens + PARAMS.k_code - 1
    assert fragment.lines_a[0] <= start and fragment.lines_a[1] == end
    assert fragment.lines_b == fragment.lines_a
    # template tokens do not count: the block is all of carol's counted code that dave has
    own = len(tokenize_code(own_code(2), "python"))
    assert pair.share_a == pytest.approx(block_tokens / (block_tokens + own), abs=0.02)


def test_template_in_its_own_file_is_discounted():
    template = sub("template", {"utils.py": SHARED_BLOCK})
    a = sub("alice", {"utils.py": SHARED_BLOCK, "main.py": own_code(4)})
    b = sub("bob", {"utils.py": SHARED_BLOCK, "main.py": own_code(5)})
    assert pair_names(analyse([a, b], params=PARAMS)) == {("alice", "bob")}
    assert analyse([a, b], template, params=PARAMS).pairs == []


def test_template_kgrams_are_marked_ignored():
    params = PARAMS
    template = sub("template", {"main.py": TEMPLATE})
    a = sub("alice", {"main.py": TEMPLATE + own_code(0)})
    fa = fingerprint(a, params)
    starter = fingerprint(template, params)
    tpl = np.unique(starter.hashes)
    index = build_index([fa], starter, params)
    assert (index.ignored[0] == np.isin(fa.hashes, tpl)).all()
    # the template's k-grams are a prefix of alice's file
    n_template_kgrams = len(fingerprint(template, params).hashes)
    assert index.ignored[0][:n_template_kgrams].all()
    assert not index.ignored[0][n_template_kgrams + params.k_code:].any()


# ----------------------------------------------------------------------------- common code

def common_batch(n: int, share_block: int | None = None) -> list[Submission]:
    """n submissions with their own code; the first `share_block` (default all) also hold SHARED_BLOCK."""
    share_block = n if share_block is None else share_block
    return [sub(f"s{i:02d}", {"own.py": own_code(i), **({"shared.py": SHARED_BLOCK} if i < share_block else {})})
            for i in range(n)]


def test_code_in_nearly_every_submission_is_discounted():
    subs = common_batch(12)
    result = analyse(subs, params=PARAMS)
    assert result.pairs == []
    assert result.discounted_common >= len(kgrams(sub("x", {"shared.py": SHARED_BLOCK})))


def test_without_the_common_discount_every_pair_is_found():
    subs = common_batch(12)
    result = analyse(subs, params=dataclasses.replace(PARAMS, max_share=1.0))
    assert pair_names(result) == set(combinations([s.name for s in subs], 2))
    assert result.discounted_common == 0
    assert all(p.similarity > 0 for p in result.pairs)


def test_a_real_copy_among_common_code_is_still_found():
    subs = common_batch(12)
    subs[7] = sub("s07", {"own.py": own_code(7), "shared.py": SHARED_BLOCK, "copied.py": own_code(3)})
    result = analyse(subs, params=PARAMS)
    assert pair_names(result) == {("s03", "s07")}


def test_small_batches_are_not_discounted():
    subs = common_batch(PARAMS.min_for_common - 1)
    assert len(analyse(subs, params=PARAMS).pairs) == len(list(combinations(subs, 2)))
    assert analyse(subs, params=PARAMS).discounted_common == 0


def test_common_means_more_than_max_share():
    # 10 submissions; the block in 9 of them is exactly 0.9 of the batch: not "more than" 0.9
    params = dataclasses.replace(PARAMS, max_share=0.9, min_for_common=10)
    nine = analyse(common_batch(10, share_block=9), params=params)
    assert len(nine.pairs) == 36 and nine.discounted_common == 0
    ten = analyse(common_batch(10, share_block=10), params=params)
    assert ten.pairs == [] and ten.discounted_common > 0


def test_common_hashes_counts_each_submission_once():
    params = dataclasses.replace(PARAMS, max_share=0.5, min_for_common=2)
    # a hash repeated many times inside one submission is not common
    fps = [synthetic(i, [1, 1, 1, 1, 2]) for i in range(1)] + [synthetic(1, [3]), synthetic(2, [4])]
    assert common_hashes([f.hashes for f in fps], params).tolist() == []
    fps = [synthetic(0, [1, 5]), synthetic(1, [1, 6]), synthetic(2, [7])]
    assert common_hashes([f.hashes for f in fps], params).tolist() == [1]


# ----------------------------------------------------------------------------- candidates

def synthetic(i: int, hashes: list[int], selected: list[int] | None = None) -> Fingerprinted:
    """A fingerprinted submission with given k-gram hashes (all selected unless said)."""
    h = np.asarray(hashes, dtype=np.uint64)
    sel = np.arange(len(h), dtype=np.int64) if selected is None else np.asarray(selected, dtype=np.int64)
    n = len(h)
    return make_fingerprinted(name=f"s{i}", paths=("f.py",), kinds=("code",), ids=np.zeros(n, dtype=np.uint64),
                              doc_of_token=np.zeros(n, dtype=np.int32), first_lines=np.ones(n, dtype=np.int32),
                              last_lines=np.ones(n, dtype=np.int32), is_prose=np.zeros(n, dtype=bool),
                              starts=np.arange(n, dtype=np.int64), spans=np.ones(n, dtype=np.int64),
                              hashes=h, selected=sel)


def make_fingerprinted(**values) -> Fingerprinted:
    """A Fingerprinted from whichever of these fields the type has (derived ones are properties)."""
    names = {f.name for f in dataclasses.fields(Fingerprinted)}
    values.setdefault("strings", np.empty(0, dtype=np.uint64))
    values.setdefault("subtrees", np.empty(0, dtype=np.uint64))
    values.setdefault("extents", np.full((len(values["ids"]), 2), -1, dtype=np.int64))
    return Fingerprinted(**{k: v for k, v in values.items() if k in names})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 30), st.booleans()), max_size=12), min_size=0, max_size=8),
       st.lists(st.integers(0, 30), max_size=5))
def test_candidates_are_exactly_the_pairs_sharing_a_selected_fingerprint(subs, template):
    fps = [synthetic(i, [h for h, _ in s], [j for j, (_, keep) in enumerate(s) if keep])
           for i, s in enumerate(subs)]
    index = build_index(fps, synthetic(-1, template), PARAMS)  # fewer than min_for_common: nothing is common
    fingerprints = [{h for h, keep in s if keep and h not in template} for s in subs]
    expected = {(i, j): len(fingerprints[i] & fingerprints[j])
                for i, j in combinations(range(len(subs)), 2) if fingerprints[i] & fingerprints[j]}
    got = {(i, j): shared for i, j, shared in index.candidates.tolist()}
    assert got == expected
    assert len(got) == len(index.candidates)  # no pair twice
    assert all(i < j for i, j in got)
    assert index.fingerprints.tolist() == [len(f) for f in fingerprints]


def test_unselected_shared_hashes_propose_no_pair():
    fps = [synthetic(0, [10, 11, 12], selected=[0]), synthetic(1, [20, 11, 12], selected=[0])]
    assert len(build_index(fps, None, PARAMS).candidates) == 0


def test_index_of_nothing():
    assert len(build_index([], None, PARAMS).candidates) == 0
    assert analyse([], params=PARAMS).pairs == []


def test_a_fingerprint_shared_by_everyone_pairs_everyone_when_not_common():
    n = 60
    params = dataclasses.replace(PARAMS, max_share=1.0)  # nothing is common
    everyone = [synthetic(i, [999] + ([5] if i in (3, 40) else [])) for i in range(n)]
    cand = build_index(everyone, None, params).candidates
    assert len(cand) == n * (n - 1) // 2
    shared = {(i, j): c for i, j, c in cand.tolist()}
    assert shared[(3, 40)] == 2 and shared[(0, 1)] == 1
    # with the default share it is common and only the real pair is left
    cand = build_index(everyone, None, PARAMS).candidates
    assert cand.tolist() == [[3, 40, 1]]


# ----------------------------------------------------------------------------- references

def test_references_are_not_paired_with_each_other():
    alice = sub("alice", {"main.py": own_code(0)})
    bob = sub("bob", {"main.py": own_code(1)})
    ref1 = sub("sol1", {"sol.py": SHARED_BLOCK})
    ref2 = sub("sol2", {"sol.py": SHARED_BLOCK})
    assert analyse([alice, bob], references=[ref1, ref2], params=PARAMS).pairs == []
    # as students, the same two would be a pair
    assert pair_names(analyse([alice, bob, ref1, ref2], params=PARAMS)) == {("sol1", "sol2")}


def test_a_student_matching_a_reference_is_paired_with_it():
    alice = sub("alice", {"main.py": own_code(0) + "\n\n" + SHARED_BLOCK})
    bob = sub("bob", {"main.py": own_code(1)})
    ref = sub("sol", {"sol.py": SHARED_BLOCK})
    result = analyse([alice, bob], references=[ref], params=PARAMS)
    assert pair_names(result) == {("alice", f"{REFERENCE}sol")}
    assert result.pairs[0].share_b == 1.0


def test_references_do_not_make_code_common():
    params = dataclasses.replace(PARAMS, max_share=0.5, min_for_common=4)
    students = [sub("s0", {"own.py": own_code(0), "x.py": SHARED_BLOCK}),
                sub("s1", {"own.py": own_code(1), "x.py": SHARED_BLOCK}),
                sub("s2", {"own.py": own_code(2)}), sub("s3", {"own.py": own_code(3)})]
    refs = [sub(f"r{i}", {"x.py": SHARED_BLOCK}) for i in range(3)]
    result = analyse(students, params=params, references=refs)
    # 2 of 4 students is not more than half: not common, so the copy is found
    assert ("s0", "s1") in pair_names(result)
    assert result.discounted_common == 0
    # counted as students, the 3 references would have made the block common (5 of 7)
    as_students = analyse(students + refs, params=params)
    assert ("s0", "s1") not in pair_names(as_students)
    assert as_students.discounted_common > 0


def test_build_index_counts_only_the_first_students_towards_common():
    params = dataclasses.replace(PARAMS, max_share=0.5, min_for_common=2)
    fps = [synthetic(0, [1]), synthetic(1, [2]), synthetic(2, [1]), synthetic(3, [1])]
    assert build_index(fps, None, params, students=2).common.tolist() == []
    assert build_index(fps, None, params).common.tolist() == [1]


def test_discounts_hold_with_the_batch_adaptive_default_parameters():
    # the same guarantees with the noise threshold chosen from the batch, as users run it
    template = sub("template", {"main.py": TEMPLATE})
    only_template = [sub(f"s{i}", {"main.py": TEMPLATE + own_code(i)}) for i in range(4)]
    assert analyse(only_template, template).pairs == []
    assert analyse(common_batch(12)).pairs == []
    copied = common_batch(12)
    copied[5] = sub("s05", {"own.py": own_code(5), "shared.py": SHARED_BLOCK, "copied.py": own_code(9)})
    assert pair_names(analyse(copied)) == {("s05", "s09")}
