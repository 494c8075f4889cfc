"""The commands behind run.py. Each parses its arguments, calls integrity, and prints."""
from __future__ import annotations

import argparse
import csv
import getpass
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable

from tqdm import tqdm

from integrity.analysis import analyse
from integrity.corpus import Params
from integrity.ingest import load_batch
from integrity.accounts import create_user, import_roster
from integrity.demo import DEMO_PASSWORD, build_demo, demo_accounts
from integrity.disclosure.crosscheck import crosscheck
from integrity.disclosure.folder import load_disclosures
from integrity.disclosure.references import load_references
from integrity.pipeline import analyse_assignment, ingest, merged, read_trees, write_report
from integrity.scoring import PairScore, unusual
from integrity.store import DEFAULT_DB, Store

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo_course"


def progress(it: Iterable, total: int, label: str) -> Iterable:
    """A terminal progress bar on standard error (quiet when it is not a terminal)."""
    return tqdm(it, total=total, desc=label, unit="", leave=False, disable=None, file=sys.stderr)


def warn(message: str) -> None:
    print(message, file=sys.stderr)


# compare: the stateless contract used by benchmarks ------------------------------------------
def cmd_compare(args: argparse.Namespace) -> int:
    batch = load_batch(args.submissions)
    templates, tpl_batch = read_trees(args.template or [])
    references, ref_batch = read_trees(args.reference or [])
    for p in batch.problems + tpl_batch.problems + ref_batch.problems:
        warn(f"problem: {p}")
    for p in batch.skipped + tpl_batch.skipped + ref_batch.skipped:
        warn(str(p))
    result = analyse(batch.submissions, merged(templates, "template"), _params(args), references, progress)
    with open(args.csv, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["a", "b", "similarity", "unusual", "share_a", "share_b", "longest", "fragments", "exact"])
        for p in result.pairs:
            out.writerow([p.a, p.b, f"{p.similarity:.6f}", p.unusual, f"{p.share_a:.6f}", f"{p.share_b:.6f}",
                          p.longest, len(p.fragments), 1])
        out.writerows([a, b, f"{s:.6f}", unusual(s, result.typical), "", "", "", "", 0]
                      for a, b, s in result.estimates)
    warn(f"{len(batch.submissions)} submissions, {len(result.pairs) + len(result.estimates)} pairs with "
         f"evidence ({len(result.pairs)} aligned) -> {args.csv}")
    return 0


# crosscheck: the stateless disclosure contract ------------------------------------------------
def cmd_crosscheck(args: argparse.Namespace) -> int:
    batch = load_batch(args.submissions)
    templates, tpl_batch = read_trees(args.template or [])
    references, notes, ref_batch = load_references(args.reference or [])
    disclosures = load_disclosures(args.disclosures, (s.name for s in batch.submissions))
    for p in batch.problems + tpl_batch.problems + ref_batch.problems:
        warn(f"problem: {p}")
    for p in batch.skipped + tpl_batch.skipped + ref_batch.skipped:
        warn(str(p))
    for student, errors in sorted(disclosures.malformed.items()):
        warn(f"problem: disclosure of {student}: " + "; ".join(errors))
    for note in disclosures.notes:
        warn(note)
    result = crosscheck(batch, disclosures, merged(templates, "template"), references, notes, _params(args))
    Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    kinds = Counter(f["kind"] for f in result["flags"])
    warn(f"{len(batch.submissions)} submissions, {len(disclosures.read) + len(disclosures.malformed)} disclosures, "
         f"{len(references)} AI references: " + (", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no flags")
         + f" -> {args.json}")
    return 0


# the stored workflow ---------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    store = Store(args.db)
    summary = ingest(store, args.source, args.course, args.assignment, args.template or [],
                     args.reference or [])
    for p in summary.problems:
        warn(f"problem: {p}")
    print(f"{args.course}/{args.assignment}: {summary}")
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    store = Store(args.db)
    assignment = _assignment(store, args)
    run_id = analyse_assignment(store, assignment["id"], _params(args), progress)
    run = store.latest_run(assignment["id"])
    print(f"run {run_id}: {run['submissions']} submissions, {run['pairs']} pairs with evidence, "
          f"{len(json.loads(run['clusters']))} groups")
    return 0


def cmd_pairs(args: argparse.Namespace) -> int:
    store = Store(args.db)
    run = _latest_run(store, _assignment(store, args))
    print_pairs(store.pairs(run["id"], limit=args.top), args.top)
    return 0


def print_pairs(pairs: list[PairScore], top: int) -> None:
    """The most similar pairs as a table for the terminal."""
    print(f"{'rank':>4}  {'a':<18} {'b':<18} {'similarity':>10} {'unusual':>8} {'a matched':>9} "
          f"{'b matched':>9} {'longest':>7} {'fragments':>9}")
    for rank, p in enumerate(pairs[:top], 1):
        print(f"{rank:>4}  {p.a[:18]:<18} {p.b[:18]:<18} {p.similarity:>10.1%} {p.unusual:>+7.1f}σ "
              f"{p.share_a:>9.1%} {p.share_b:>9.1%} {p.longest:>7} {len(p.fragments):>9}")


def cmd_report(args: argparse.Namespace) -> int:
    store = Store(args.db)
    assignment = _assignment(store, args)
    _latest_run(store, assignment)  # a clear message when there is nothing to report yet
    write_report(store, assignment, Path(args.out), args.top)
    print(f"report written to {args.out}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    store = Store(args.db)
    reports = build_demo(store, DEMO, Path(args.out), progress)
    for assignment, path in reports:
        run = _latest_run(store, assignment)
        print(f"\n{assignment['course']} / {assignment['slug']}: top pairs (report: {path})")
        print_pairs(store.pairs(run["id"], limit=5), 5)
    people = demo_accounts(store, DEMO)
    print(f"\ndemo accounts (password for all: {DEMO_PASSWORD}):")
    for role in ("instructor", "ta", "student"):
        logins = [r["login"] for r in people if r["role"] == role]
        print(f"  {role + ':':<12} {', '.join(logins[:3])}{', ...' if len(logins) > 3 else ''}")
    if args.no_serve:
        return 0
    return cmd_serve(args)


# the review UI -----------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    # the entry point serves the UI; integrity's modules never import web
    from werkzeug.serving import run_simple

    from web import create_app

    app = create_app(args.db, secure_cookies=args.secure_cookies)
    print(f"\nreview UI for {args.db} at http://{args.host}:{args.port}/ (Ctrl+C stops it)", flush=True)
    run_simple(args.host, args.port, app, threaded=True)
    return 0


def cmd_create_instructor(args: argparse.Namespace) -> int:
    store = Store(args.db)
    password = _new_password()
    user = create_user(store, args.login, password, args.name or "", args.email or "", creator=True)
    if args.course:
        store.set_member(store.course(args.course), user.id, "instructor")
    print(f"{user.login} can sign in and create courses" + (f"; instructor of {args.course}" if args.course else ""))
    return 0


def cmd_import_roster(args: argparse.Namespace) -> int:
    store = Store(args.db)
    result = import_roster(store, args.course, args.roster)
    for error in result.errors:
        warn(error)
    print(f"{args.course}: {result.added} accounts added, {result.updated} existing accounts given their role")
    if result.passwords:
        print("initial passwords of the new accounts (hand them out privately):")
        for login, password in result.passwords:
            print(f"  {login:<20} {password}")
    return 0


def _new_password() -> str:
    """A password typed twice at a terminal, or one line from standard input otherwise."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise SystemExit("error: the passwords differ")
    return first


# helpers ---------------------------------------------------------------------------------------
def _params(args: argparse.Namespace) -> Params:
    return Params(**{k: v for k, v in vars(args).items() if k in Params.__dataclass_fields__ and v is not None})


def _assignment(store: Store, args: argparse.Namespace) -> dict:
    found = store.find_assignment(args.course, args.assignment)
    if not found:
        raise SystemExit(f"error: no assignment {args.assignment!r} in course {args.course!r} "
                         f"(ingest it first: python run.py ingest SOURCE --course ... --assignment ...)")
    return found


def _latest_run(store: Store, assignment: dict) -> dict:
    run = store.latest_run(assignment["id"])
    if not run:
        raise SystemExit(f"error: {assignment['course']}/{assignment['slug']} has not been analysed yet "
                         f"(python run.py analyse --course {assignment['course']} "
                         f"--assignment {assignment['slug']})")
    return run


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    top = argparse.ArgumentParser(
        prog="run.py", description="Similarity and AI-use disclosure checker for course submissions.",
        epilog="Typical week: ingest a batch, analyse it, list the top pairs or write the HTML report. "
               "Try `python run.py demo` first.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str, stored: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        if stored:
            p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite database file (default {DEFAULT_DB})")
        return p

    def tuning(p: argparse.ArgumentParser) -> None:
        g = p.add_argument_group("fingerprinting (defaults are the measured best)")
        for name in ("k_code", "w_code", "k_prose", "w_prose"):
            g.add_argument("--" + name.replace("_", "-"), dest=name, type=int, metavar="N")
        g.add_argument("--max-share", dest="max_share", type=float, metavar="F",
                       help="discount code found in more than this share of the submissions")

    def target(p: argparse.ArgumentParser) -> None:
        p.add_argument("--course", required=True, help="course code, e.g. CS4790")
        p.add_argument("--assignment", required=True, help="assignment name, e.g. a1_benchmark")

    p = command("compare", cmd_compare, "Compare a folder of submissions (stateless) and write a CSV of pairs.",
                stored=False)
    p.add_argument("submissions", metavar="SUBMISSIONS_DIR",
                   help="one sub-folder or one file per submission (or a zip / LMS export of that)")
    p.add_argument("--template", action="append", metavar="DIR", help="starter code to discount (repeatable)")
    p.add_argument("--reference", action="append", metavar="DIR", help="reference solutions (repeatable)")
    p.add_argument("--csv", required=True, metavar="OUT.csv", help="where to write the pairs")
    tuning(p)

    p = command("crosscheck", cmd_crosscheck, "Cross-check AI-use disclosures with a folder of submissions "
                "(stateless) and write the flags as JSON.", stored=False)
    p.add_argument("submissions", metavar="SUBMISSIONS_DIR",
                   help="one sub-folder or one file per submission (or a zip / LMS export of that)")
    p.add_argument("--disclosures", required=True, metavar="DISCLOSURES_DIR",
                   help="one <submission name>.json per student who disclosed, with the transcripts it names")
    p.add_argument("--template", action="append", metavar="DIR", help="starter code to discount (repeatable)")
    p.add_argument("--reference", action="append", metavar="DIR",
                   help="a folder of AI reference solutions, one sub-folder or file each (repeatable)")
    p.add_argument("--json", required=True, metavar="OUT.json", help="where to write the flags and coverage")
    tuning(p)

    p = command("ingest", cmd_ingest, "Read a batch (folder, zip, LMS or Gradescope export) into the database.")
    p.add_argument("source", help="folder or .zip of submissions")
    target(p)
    p.add_argument("--template", action="append", metavar="DIR", help="starter code handed out (repeatable)")
    p.add_argument("--reference", action="append", metavar="DIR", help="staff reference solutions (repeatable)")

    p = command("analyse", cmd_analyse, "Compare the stored submissions of an assignment.")
    target(p)
    tuning(p)

    p = command("pairs", cmd_pairs, "List the most similar pairs of an assignment's latest analysis.")
    target(p)
    p.add_argument("--top", type=int, default=20, help="how many pairs (default 20)")

    p = command("report", cmd_report, "Write the self-contained HTML report of an assignment.")
    target(p)
    p.add_argument("--out", required=True, metavar="FILE.html")
    p.add_argument("--top", type=int, default=100, help="pairs shown side by side (default 100)")

    def serving(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        p.add_argument("--port", type=int, default=5000, help="port (default 5000)")
        p.add_argument("--secure-cookies", action="store_true",
                       help="send the session cookie over HTTPS only (behind a TLS proxy)")

    p = command("demo", cmd_demo, "Build the demo course's database, analyse it, write its reports and "
                                  "serve the review UI with demo accounts.")
    p.add_argument("--out", default="demo-reports", metavar="DIR", help="where the HTML reports go")
    p.add_argument("--no-serve", action="store_true", help="do not start the web UI afterwards")
    serving(p)

    p = command("serve", cmd_serve, "Serve the review UI (courses, dashboards, pair views, reviews).")
    serving(p)

    p = command("create-instructor", cmd_create_instructor,
                "Create an account that can create courses (the password is asked for, or read from stdin).")
    p.add_argument("login")
    p.add_argument("--name", help="full name")
    p.add_argument("--email")
    p.add_argument("--course", metavar="CODE", help="also make them instructor of this course (created if missing)")

    p = command("import-roster", cmd_import_roster,
                "Add a course's people from a CSV (login,name,email,role: instructor, ta or student).")
    p.add_argument("course", metavar="COURSE", help="course code")
    p.add_argument("roster", metavar="ROSTER.csv")
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, NotADirectoryError, ValueError) as err:  # a mistyped path or argument
        raise SystemExit(f"error: {err}") from None
