"""Speed and memory on synthetic Python corpora of N submissions (../shared/peers/gen_corpus.py).

The project runs through its command-line contract, measured like the peers are by
run_peers.py: wall time and the peak RSS that os.wait4 reports for the child, which is
the largest single process of its tree.
"""
import csv
import json
import os
import subprocess
import sys

from bench.shared import PEERS, REPO, evaluate, run_peers
from bench.table import num, render

SEED = 7
TIMEOUT_S = 3600


def run(sizes, tools, workdir):
    """One record per (N, tool): status, wall time, peak memory, speed against Dolos, AUC/AP."""
    records = []
    for n in sizes:
        corpus = os.path.join(workdir, f"corpus-{n}")
        subprocess.run([sys.executable, os.path.join(PEERS, "gen_corpus.py"), str(n), str(SEED), corpus],
                       check=True, stdout=subprocess.DEVNULL)
        subs = os.path.join(corpus, "subs")
        found = {}
        if "project" in tools:
            found["project"] = _project(subs, os.path.join(corpus, "project"))
        peers = [t for t in tools if t != "project"]
        if peers:
            found.update(_peers(subs, os.path.join(corpus, "peers"), peers))
        truth = _truth(corpus)
        stems = {f: os.path.splitext(f)[0] for f in os.listdir(subs)}
        dolos = found.get("dolos", {})
        for tool, rec in found.items():
            csv_path = rec.pop("csv", None)
            m = _accuracy(truth, evaluate.read_scores(csv_path, stems)) if csv_path and truth else {}
            ok = rec["status"] == "ok" and dolos.get("status") == "ok"
            records.append(dict(n=n, tool=tool, **rec, vs_dolos=dolos["wall_s"] / rec["wall_s"] if ok else None,
                                auc=m.get("auc"), ap=m.get("ap")))
            print(f"speed N={n} {tool}: {rec['status']} {num(rec.get('wall_s'), '.1f')} s", file=sys.stderr, flush=True)
    return records


def _project(subs, out):
    """Time `run.py compare` over the corpus."""
    os.makedirs(out)
    out_csv, log = os.path.join(out, "project.csv"), os.path.join(out, "project.log")
    rc, wall, rss, timed_out = run_peers.run_measured(
        [sys.executable, "run.py", "compare", subs, "--csv", out_csv], REPO, TIMEOUT_S, log)
    status = "timeout" if timed_out else "ok" if rc == 0 and os.path.exists(out_csv) else "failed"
    rec = dict(status=status, wall_s=wall, peak_mb=rss)
    if status == "ok":
        rec["csv"] = out_csv
    else:
        rec["error"] = run_peers.tail(log, 1500)
    return rec


def _peers(subs, out, peers):
    """Time the peers with run_peers.py, which records their wall time and peak memory in timing.json."""
    subprocess.run([sys.executable, os.path.join(PEERS, "run_peers.py"), subs, "python", out,
                    "--peers", ",".join(peers), "--timeout", str(TIMEOUT_S)], check=True)
    with open(os.path.join(out, "timing.json")) as f:
        timing = json.load(f)
    found = {}
    for p in peers:
        t = timing.get(p, {"status": "failed"})
        found[p] = dict(status=t["status"], wall_s=t.get("wall_s"), peak_mb=t.get("peak_rss_mb"),
                        version=t.get("version"))
        if t["status"] == "ok":
            found[p]["csv"] = os.path.join(out, f"{p}.csv")
        else:
            found[p]["error"] = t.get("stderr_tail") or t.get("error")
    return found


def _truth(corpus):
    """The corpus's labelled pairs, or None where only positives are listed (N > 2000)."""
    with open(os.path.join(corpus, "pairs.csv"), newline="") as f:
        truth = {tuple(sorted((r["a"], r["b"]))): int(r["label"]) for r in csv.DictReader(f)}
    return truth if len(set(truth.values())) == 2 else None


def _accuracy(truth, scores):
    """AUC, AP, ... of the scores on the labelled pairs; an unlisted pair scores 0."""
    return evaluate.metrics(list(truth.values()), [scores.get(k, 0.0) for k in truth])


def report(records):
    """The speed table as text."""
    rows = [[r["n"], r["tool"], r["status"], num(r["wall_s"], ".1f"), num(r["peak_mb"], ".0f"),
             num(r["vs_dolos"], ".2f"), num(r["auc"]), num(r["ap"])] for r in records]
    return ("SPEED on synthetic Python corpora (gen_corpus.py N 7); vs Dolos = Dolos wall / tool wall, "
            ">1 = faster than Dolos;\npeak MB = largest process of the tool's tree; AUC/AP on the corpus's "
            "labelled pairs (n/a beyond N=2000, where only positives are listed)\n"
            + render(["N", "tool", "status", "wall s", "peak MB", "vs Dolos", "AUC", "AP"], rows, left=2) + "\n")
