"""The command line: the stateless `compare` contract and the stored ingest/analyse/pairs/report workflow."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

import integrity.analysis as analysis
from integrity.cli import main
from tests.samples import CACHE, SCHEDULER, SCHEDULER_COPY, write

MATRIX = '''\
def matmul(a, b):
    n, m, p = len(a), len(b), len(b[0])
    c = [[0.0] * p for _ in range(n)]
    for i in range(n):
        for k in range(m):
            aik = a[i][k]
            for j in range(p):
                c[i][j] += aik * b[k][j]
    return c


try:
    print(matmul([[1]], [[2]]))
except IndexError as err:
    print("bad shapes", err)
'''

BAD = b"\x00\x01\x02 definitely not text \x00"


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture
def batch(tmp_path) -> Path:
    return write(tmp_path / "subs", {
        "bob/sched.py": SCHEDULER_COPY,
        "alice/sched.py": SCHEDULER,
        "carol/cache.py": CACHE,
        "dave/cache.py": CACHE.replace("size", "cap"),  # dave copied carol...
        "dave/broken.py": BAD,  # ... and also handed in a file that cannot be read
        "erin/mat.py": MATRIX,
    })


# ----------------------------------------------------------------------------- compare

def test_compare_writes_the_contract_csv(batch, tmp_path, capsys):
    out = tmp_path / "pairs.csv"
    assert main(["compare", str(batch), "--csv", str(out)]) == 0
    header, rows = read_csv(out)
    assert header[:3] == ["a", "b", "similarity"]
    assert rows, "the copies must be listed"
    for r in rows:
        assert r["a"] < r["b"]
        assert 0.0 <= float(r["similarity"]) <= 1.0
    assert len({(r["a"], r["b"]) for r in rows}) == len(rows)
    sims = [float(r["similarity"]) for r in rows]
    assert sims == sorted(sims, reverse=True)
    pairs = [(r["a"], r["b"]) for r in rows]
    # the two copies lead; the bad file did not stop dave's good one from being compared
    assert set(pairs[:2]) == {("alice", "bob"), ("carol", "dave")}
    assert min(sims[:2]) > 0.9
    err = capsys.readouterr().err
    assert "dave/broken.py" in err and "binary" in err
    assert "alice/sched.py" not in err


def test_compare_reports_every_bad_file_and_goes_on(tmp_path, capsys):
    subs = write(tmp_path / "subs", {"alice/a.py": SCHEDULER, "bob/b.py": SCHEDULER,
                                     "carol/c.py": BAD, "carol/d.py": BAD})
    out = tmp_path / "out.csv"
    assert main(["compare", str(subs), "--csv", str(out)]) == 0
    err = capsys.readouterr().err
    assert "carol/c.py" in err and "carol/d.py" in err
    _, rows = read_csv(out)
    assert [(r["a"], r["b"]) for r in rows] == [("alice", "bob")]
    assert float(rows[0]["similarity"]) == 1.0


def test_compare_with_no_evidence_writes_only_the_header(tmp_path):
    subs = write(tmp_path / "subs", {"alice.py": SCHEDULER, "bob.py": CACHE, "carol.py": MATRIX})
    out = tmp_path / "out.csv"
    assert main(["compare", str(subs), "--csv", str(out), "--k-code", "12"]) == 0
    header, rows = read_csv(out)
    assert header[:3] == ["a", "b", "similarity"] and rows == []


def test_compare_one_file_per_submission_names_them_by_file(tmp_path):
    subs = write(tmp_path / "subs", {"zed.py": SCHEDULER, "amy.py": SCHEDULER_COPY, "kim.py": CACHE})
    out = tmp_path / "out.csv"
    assert main(["compare", str(subs), "--csv", str(out), "--k-code", "12"]) == 0
    _, rows = read_csv(out)
    assert [(r["a"], r["b"]) for r in rows] == [("amy.py", "zed.py")]


def test_compare_template_discounts_starter_code(tmp_path):
    # alice and bob both hand in the starter code unchanged plus their own work
    subs = write(tmp_path / "subs", {"alice/sched.py": SCHEDULER, "alice/own.py": CACHE,
                                     "bob/sched.py": SCHEDULER, "bob/own.py": MATRIX})
    template = write(tmp_path / "template", {"sched.py": SCHEDULER})
    without, with_template = tmp_path / "without.csv", tmp_path / "with.csv"
    assert main(["compare", str(subs), "--csv", str(without), "--k-code", "12"]) == 0
    assert main(["compare", str(subs), "--template", str(template), "--csv", str(with_template),
                 "--k-code", "12"]) == 0
    assert [(r["a"], r["b"]) for r in read_csv(without)[1]] == [("alice", "bob")]
    assert read_csv(with_template)[1] == []


def test_compare_references_are_named(tmp_path):
    subs = write(tmp_path / "subs", {"alice/s.py": SCHEDULER, "bob/c.py": CACHE})
    ref = write(tmp_path / "gpt", {"s.py": SCHEDULER_COPY})
    out = tmp_path / "out.csv"
    assert main(["compare", str(subs), "--reference", str(ref), "--csv", str(out), "--k-code", "12"]) == 0
    _, rows = read_csv(out)
    assert [(r["a"], r["b"]) for r in rows] == [("alice", "reference:gpt")]


def test_compare_lists_estimated_pairs_after_the_aligned_ones(tmp_path, monkeypatch):
    # only the top candidates are aligned; the rest keep an estimate that ranks below every aligned pair
    monkeypatch.setattr(analysis, "REFINE_MIN", 3)
    monkeypatch.setattr(analysis, "REFINE_PER_SUBMISSION", 0)
    files = {f"s{i}/sched.py": SCHEDULER + "\n" + ("x = 1\n" * i) for i in range(6)}
    subs = write(tmp_path / "subs", files)
    out = tmp_path / "out.csv"
    assert main(["compare", str(subs), "--csv", str(out), "--k-code", "12"]) == 0
    header, rows = read_csv(out)
    assert len(rows) == 15  # every pair has evidence
    assert all(r["a"] < r["b"] for r in rows)
    assert len({(r["a"], r["b"]) for r in rows}) == 15
    sims = [float(r["similarity"]) for r in rows]
    assert sims == sorted(sims, reverse=True)
    if "exact" in header:  # more columns are welcome, not required
        exact = [r for r in rows if r["exact"] == "1"]
        estimated = [r for r in rows if r["exact"] == "0"]
        assert len(exact) == 3 and len(estimated) == 12
        assert rows[:3] == exact
        assert max(float(r["similarity"]) for r in estimated) <= min(float(r["similarity"]) for r in exact)


def test_compare_requires_csv(batch):
    with pytest.raises(SystemExit) as exc:
        main(["compare", str(batch)])
    assert exc.value.code == 2


# ----------------------------------------------------------------------------- the stored workflow

def test_ingest_analyse_pairs_report_round_trip(batch, tmp_path, capsys):
    db = str(tmp_path / "t.db")
    target = ["--course", "CS1", "--assignment", "a1", "--db", db]
    assert main(["ingest", str(batch), *target]) == 0
    captured = capsys.readouterr()
    assert "CS1/a1: 5 submissions" in captured.out
    assert "dave/broken.py" in captured.err

    assert main(["analyse", *target]) == 0
    out = capsys.readouterr().out
    assert "5 submissions" in out and "pairs with evidence" in out

    assert main(["pairs", *target, "--top", "2"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["rank", "a", "b"]
    assert len(table) == 3
    top = {tuple(line.split()[1:3]) for line in table[1:]}
    assert top == {("alice", "bob"), ("carol", "dave")}

    report = tmp_path / "out" / "report.html"
    assert main(["report", *target, "--out", str(report)]) == 0
    assert str(report) in capsys.readouterr().out
    html = report.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    for name in ("alice", "bob", "carol", "dave"):
        assert name in html


def test_reingest_through_the_cli_changes_nothing(batch, tmp_path, capsys):
    db = str(tmp_path / "t.db")
    target = ["--course", "CS1", "--assignment", "a1", "--db", db]
    main(["ingest", str(batch), *target])
    capsys.readouterr()
    main(["ingest", str(batch), *target])
    out = capsys.readouterr().out
    assert "0 documents added, 0 changed, 5 unchanged, 0 removed" in out


def test_analysing_an_unknown_assignment_explains_itself(tmp_path):
    db = str(tmp_path / "t.db")
    with pytest.raises(SystemExit) as exc:
        main(["analyse", "--course", "CS1", "--assignment", "nope", "--db", db])
    message = str(exc.value.code)
    assert "no assignment 'nope'" in message and "CS1" in message and "ingest" in message


def test_pairs_before_any_analysis_explains_itself(batch, tmp_path, capsys):
    db = str(tmp_path / "t.db")
    target = ["--course", "CS1", "--assignment", "a1", "--db", db]
    main(["ingest", str(batch), *target])
    for command in (["pairs"], ["report", "--out", str(tmp_path / "r.html")]):
        with pytest.raises(SystemExit) as exc:
            main([*command, *target])
        message = str(exc.value.code)
        assert "has not been analysed yet" in message and "analyse" in message
    assert not (tmp_path / "r.html").exists()


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["compare", "ingest"])
def test_a_missing_folder_is_a_one_line_error(command, tmp_path):
    missing = str(tmp_path / "no-such-folder")
    argv = {"compare": ["compare", missing, "--csv", str(tmp_path / "o.csv")],
            "ingest": ["ingest", missing, "--course", "CS1", "--assignment", "a1", "--db", str(tmp_path / "t.db")]}
    with pytest.raises(SystemExit) as exc:
        main(argv[command])
    assert "no-such-folder" in str(exc.value.code)
