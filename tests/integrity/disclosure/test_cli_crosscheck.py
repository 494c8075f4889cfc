"""`run.py crosscheck` end to end: the demo course's planted disclosures, and the contract's edges."""
import csv
import json
from pathlib import Path

import pytest

from integrity.cli import main
from tests.samples import CACHE, SCHEDULER, write

DEMO = Path(__file__).resolve().parents[3] / "examples" / "demo_course"
ASSIGNMENTS = ["a1_benchmark", "a2_scheduler", "a3_cuda_kernel"]
KINDS = {"shared_prompts", "undisclosed_ai", "common_ai_source", "missing_disclosure", "inconsistent_disclosure"}


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def checked(request, tmp_path_factory):
    folder = DEMO / request.param
    out = tmp_path_factory.mktemp(request.param) / "flags.json"
    args = ["crosscheck", str(folder / "submissions"), "--disclosures", str(folder / "disclosures"),
            "--template", str(folder / "template"), "--json", str(out)]
    if (folder / "references").is_dir():
        args += ["--reference", str(folder / "references")]
    assert main(args) == 0
    with open(folder / "disclosures" / "expected_flags.csv", newline="") as f:
        expected = list(csv.DictReader(f))
    return request.param, json.loads(out.read_text()), expected


def test_the_planted_flags_and_no_others(checked):
    _, result, expected = checked
    assert {(f["kind"], tuple(f["students"])) for f in result["flags"]} == \
        {(e["kind"], tuple(e["students"].split(";"))) for e in expected}
    references = {(f["kind"], tuple(f["students"])): f.get("reference") for f in result["flags"]}
    for e in expected:
        if e["reference"]:
            assert references[(e["kind"], tuple(e["students"].split(";")))] == e["reference"]


def test_every_flag_follows_the_contract(checked):
    _, result, _ = checked
    assert set(result) == {"flags", "coverage"}
    for f in result["flags"]:
        assert f["kind"] in KINDS and f["students"] == sorted(f["students"]) and isinstance(f["evidence"], list)
        if f["kind"] in ("shared_prompts", "undisclosed_ai", "common_ai_source"):
            assert 0 < f["score"] <= 1 and f["evidence"]
            assert all({"file_a", "lines_a", "file_b", "lines_b"} <= set(e) for e in f["evidence"])
        if f["kind"] == "inconsistent_disclosure":
            assert f["detail"]


def test_coverage_explains_code_found_in_the_students_own_transcript(checked):
    assignment, result, _ = checked
    coverage = result["coverage"]
    disclosed = {p.stem for p in (DEMO / assignment / "disclosures").glob("*.json")} & {
        p.name for p in (DEMO / assignment / "submissions").iterdir()}
    assert set(coverage) == disclosed
    own = {"a1_benchmark": "alee", "a2_scheduler": "jwang"}.get(assignment)
    for student, c in coverage.items():
        assert 0 <= c["explained"] <= 1 - c["unexplained"] + 1e-9
        if student == own:
            assert c["code"]["explained"] > 0.75
        elif assignment != "a3_cuda_kernel" and student not in ("imensah", "jwang"):
            assert c["explained"] == 0.0  # no transcript of their own


def test_a_malformed_disclosure_is_reported_flagged_and_the_run_goes_on(tmp_path, capsys):
    subs = write(tmp_path / "subs", {"alice/sched.py": SCHEDULER, "bob/cache.py": CACHE})
    disclosures = write(tmp_path / "disclosures", {"alice.json": "{not json", "bob.json": '{"used_ai": false}'})
    out = tmp_path / "out.json"
    assert main(["crosscheck", str(subs), "--disclosures", str(disclosures), "--json", str(out)]) == 0
    assert "problem: disclosure of alice: not valid JSON" in capsys.readouterr().err
    result = json.loads(out.read_text())
    assert [(f["kind"], f["students"]) for f in result["flags"]] == [("inconsistent_disclosure", ["alice"])]
    assert sorted(result["coverage"]) == ["alice", "bob"]


def test_a_missing_disclosures_folder_is_an_error(tmp_path):
    subs = write(tmp_path / "subs", {"alice/sched.py": SCHEDULER})
    with pytest.raises(SystemExit, match="not a folder of disclosures"):
        main(["crosscheck", str(subs), "--disclosures", str(tmp_path / "nowhere"), "--json", str(tmp_path / "o.json")])
