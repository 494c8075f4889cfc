"""End to end: `run.py compare` on the bundled demo course, judged by its ground truth."""
import csv
from pathlib import Path

import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from integrity.cli import main

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_course"
ASSIGNMENTS = ["a1_benchmark", "a2_scheduler", "a3_cuda_kernel"]


def truth(assignment: str) -> dict[tuple[str, str], dict]:
    with open(DEMO / assignment / "pairs.csv", newline="") as f:
        return {(r["a"], r["b"]): r for r in csv.DictReader(f)}


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def scored(request, tmp_path_factory):
    assignment = request.param
    out = tmp_path_factory.mktemp(assignment) / "pairs.csv"
    folder = DEMO / assignment
    assert main(["compare", str(folder / "submissions"), "--template", str(folder / "template"),
                 "--csv", str(out)]) == 0
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    return assignment, {(r["a"], r["b"]): float(r["similarity"]) for r in rows}, rows


def test_output_follows_the_contract(scored):
    _, scores, rows = scored
    assert rows and {"a", "b", "similarity"} <= set(rows[0])
    assert all(r["a"] < r["b"] and 0.0 <= float(r["similarity"]) <= 1.0 for r in rows)
    assert len(scores) == len(rows)  # one row per pair


def test_copies_rank_above_independent_solutions(scored):
    assignment, scores, _ = scored
    labels = truth(assignment)
    y = [int(r["label"]) for r in labels.values()]
    s = [scores.get(k, 0.0) for k in labels]
    assert roc_auc_score(y, s) >= 0.97
    assert average_precision_score(y, s) >= 0.9


def test_whole_code_copies_beat_every_independent_pair(scored):
    """Copies of the code that are not partial outrank every independent pair, look-alikes included."""
    assignment, scores, _ = scored
    labels = truth(assignment)
    negatives = [scores.get(k, 0.0) for k, r in labels.items() if r["label"] == "0"]
    whole = {k: scores.get(k, 0.0) for k, r in labels.items()
             if r["label"] == "1" and r["part"] in ("code", "both") and "partial" not in r["obfuscation"]}
    assert whole
    assert min(whole.values()) > max(negatives), (whole, max(negatives))
