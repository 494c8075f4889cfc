"""python -m bench: this project's accuracy and speed beside copydetect and Dolos, the disclosure
cross-check against its labelled scenarios, and the review UI's server time at scale, as plain-text
tables.

Runs in a temporary folder that is removed afterwards; only the peers' installation
(../shared/peers/setup.sh) is kept between runs.
"""
import argparse
import json
import os
import sys
import tempfile

from bench import accuracy, disclosure, environment, speed, web
from bench.shared import REPO, ensure_peers, tasks

TOOLS = ("project", "copydetect", "dolos")


def _list(kind, allowed=None):
    def parse(text):
        items = [kind(x) for x in text.split(",") if x]
        bad = [x for x in items if allowed and x not in allowed]
        if bad or not items:
            raise argparse.ArgumentTypeError(f"expected a comma list of {', '.join(allowed or ['numbers'])}")
        return items
    return parse


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=("accuracy", "speed", "disclosure", "web"), help="run one part (default all)")
    ap.add_argument("--sizes", type=_list(int), default=[100, 1000], help="corpus sizes N (default 100,1000)")
    ap.add_argument("--tools", type=_list(str, TOOLS), default=list(TOOLS), help="default project,copydetect,dolos")
    ap.add_argument("--suite", choices=sorted(tasks.SUITES), default="shared", help="accuracy suite (default shared)")
    ap.add_argument("--out", help="folder for bench.json, every figure of the run")
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if "project" in args.tools and not os.path.exists(os.path.join(REPO, "run.py")):
        sys.exit(f"bench: {REPO}/run.py not found; drop project from --tools to bench the peers only")
    # evaluate.run_project reads these: the project runs with the bench's own interpreter
    os.environ.update(PROJECT_PY=sys.executable, PROJECT_DIR=REPO)
    if args.only not in ("disclosure", "web"):
        ensure_peers([t for t in args.tools if t != "project"])
    results = dict(environment=environment.describe(args.tools))
    print(environment.report(results["environment"]), flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        if args.only in (None, "accuracy"):
            results["accuracy"] = accuracy.run(args.suite, args.tools, work)
            print(accuracy.report(results["accuracy"]), flush=True)
        if args.only in (None, "speed"):
            results["speed"] = speed.run(args.sizes, args.tools, work)
            print(speed.report(results["speed"]), flush=True)
        if args.only in (None, "disclosure"):
            results["disclosure"] = disclosure.run(work)
            print(disclosure.report(results["disclosure"]), flush=True)
        if args.only in (None, "web"):
            results["web"] = web.run(work)
            print(web.report(results["web"]), flush=True)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "bench.json"), "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
