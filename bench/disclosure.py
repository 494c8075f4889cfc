"""The disclosure cross-check against its labelled scenarios: `run.py crosscheck` as checks call it.

Scenarios: ../shared/datasets/disclosure_dev (expected_flags.json: the flags, and hard
negatives that must raise none) and the demo course's three assignments
(disclosures/expected_flags.csv). A flag counts as found when its kind and students match;
no peer tool cross-checks disclosures, so there is no column to compare with.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time

from bench.shared import REPO, SHARED
from bench.table import render

KINDS = ("shared_prompts", "undisclosed_ai", "common_ai_source", "missing_disclosure", "inconsistent_disclosure")


def scenarios() -> list[tuple[str, str, set[tuple[str, tuple[str, ...]]], set[str]]]:
    """(name, folder, expected flags as (kind, students), students of hard negatives) per scenario."""
    out = []
    dev = os.path.join(SHARED, "datasets", "disclosure_dev")
    if os.path.isdir(dev):
        with open(os.path.join(dev, "expected_flags.json")) as f:
            truth = json.load(f)
        out.append(("disclosure_dev", dev, {(x["kind"], tuple(sorted(x["students"]))) for x in truth["flags"]},
                    {s for x in truth.get("hard_negatives", []) for s in x["students"]}))
    demo = os.path.join(REPO, "examples", "demo_course")
    for assignment in sorted(os.listdir(demo)):
        expected = os.path.join(demo, assignment, "disclosures", "expected_flags.csv")
        if os.path.exists(expected):
            with open(expected, newline="") as f:
                flags = {(r["kind"], tuple(sorted(r["students"].split(";")))) for r in csv.DictReader(f)}
            out.append((f"demo/{assignment}", os.path.join(demo, assignment), flags, set()))
    return out


def run(work: str) -> list[dict]:
    """Cross-check every scenario; per scenario and flag kind: expected, found, missed, extra."""
    records = []
    for name, folder, expected, hard in scenarios():
        out = os.path.join(work, name.replace("/", "_") + ".json")
        args = [sys.executable, os.path.join(REPO, "run.py"), "crosscheck", os.path.join(folder, "submissions"),
                "--disclosures", os.path.join(folder, "disclosures"), "--json", out]
        for option, sub in (("--template", "template"), ("--reference", "references")):
            if os.path.isdir(os.path.join(folder, sub)):
                args += [option, os.path.join(folder, sub)]
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        wall = time.perf_counter() - start
        with open(out) as f:
            got = {(x["kind"], tuple(x["students"])) for x in json.load(f)["flags"]}
        for kind in KINDS:
            want = {g for g in expected if g[0] == kind}
            have = {g for g in got if g[0] == kind}
            records.append(dict(scenario=name, kind=kind, expected=len(want), found=len(want & have),
                                missed=sorted(s for _, s in want - have), extra=sorted(s for _, s in have - want),
                                hard_negatives_flagged=sorted({s for _, ss in have - want for s in ss} & hard),
                                wall_s=wall))
    return records


def report(records: list[dict]) -> str:
    """The disclosure table as text."""
    rows = [[r["scenario"], r["kind"], r["expected"], r["found"], ";".join("+".join(s) for s in r["missed"]) or "-",
             ";".join("+".join(s) for s in r["extra"]) or "-"] for r in records]
    hard = sorted({s for r in records for s in r["hard_negatives_flagged"]})
    return ("DISCLOSURE cross-check (run.py crosscheck) against the labelled scenarios; a flag is found when its "
            "kind and students match\n" + render(["scenario", "flag", "expected", "found", "missed", "extra"], rows,
                                                   left=2)
            + f"\nhard negatives flagged: {', '.join(hard) or 'none'}\n")
