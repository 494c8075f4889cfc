"""Accuracy on the shared labelled suites, through ../shared/eval's runners and metrics.

Every tool runs over every run (one folder of submissions) of the suite. Figures are
given pooled (all runs' labelled pairs together: one threshold for all) and macro (the
mean of per-run figures), per data set, per irplag level and per course_dev assignment.
"""
import collections
import os
import sys

from bench.shared import evaluate, tasks
from bench.table import num, render

FIGURES = ("auc", "ap", "r_at_fpr1")


def run(suite, tools, workdir):
    """Run the tools on the suite; return the tables of figures, per-run figures and statuses."""
    runs, status = [], {}
    for task in tasks.SUITES[suite]():
        base = os.path.join(workdir, task["name"].replace("/", "_"))
        subs = tasks.materialize(task, os.path.join(base, "subs"))
        stems = {os.path.splitext(n)[0]: n for n in task["items"]}
        scores, ok = {}, {}
        for tool in tools:
            out = os.path.join(base, tool)
            os.makedirs(out, exist_ok=True)
            path, st = (evaluate.run_project(task, subs, out) if tool == "project"
                        else evaluate.run_peer(tool, task, subs, out))
            scores[tool] = evaluate.read_scores(path, stems) if path else {}
            status[f"{task['name']}:{tool}"] = st
            print(f"accuracy {task['name']:34s} {tool:10s} {st.get('status')} {num(st.get('wall_s'), '.1f')} s",
                  file=sys.stderr, flush=True)
            ok[tool] = bool(path)
        runs.append(dict(name=task["name"], pairs=task["pairs"], scores=scores, ok=ok))
    tables = {"data set": {ds: _figures(rs, tools) for ds, rs in _by_dataset(runs).items()}}
    irplag = [r for r in runs if r["name"].startswith("irplag/")]
    if irplag:
        tables["irplag level"] = {
            lvl: _figures(rs, tools) for lvl, rs in _irplag_levels(irplag).items()}
    course = [r for r in runs if r["name"].startswith("coursedev/")]
    if course:
        tables["course_dev assignment"] = {r["name"].split("/")[1]: _figures([r], tools) for r in course}
    per_run = {r["name"]: _figures([r], tools) for r in runs}
    return dict(suite=suite, tools=tools, tables=tables, per_run=per_run, status=status)


def _by_dataset(runs):
    groups = collections.defaultdict(list)
    for r in runs:
        groups[r["name"].split("/")[0]].append(r)
    return groups


def _irplag_levels(runs):
    """Level Lk -> the runs restricted to Lk's positive pairs and every negative pair."""
    level = {}
    for row in tasks._read(os.path.join(tasks.SHARED, "irplag", "pairs_extended.csv")):
        level[tuple(sorted((tasks._name(row["a"]), tasks._name(row["b"]))))] = row["level"]
    names = sorted({level[k] for r in runs for k, y in r["pairs"].items() if y == 1})
    return {lvl: [dict(r, pairs={k: y for k, y in r["pairs"].items() if y == 0 or level[k] == lvl})
                  for r in runs] for lvl in names}


def _figures(runs, tools):
    """tool -> pooled and macro figures over the runs; a pair a tool did not report scores 0."""
    out = {}
    for tool in tools:
        ys, ss, per_run = [], [], []
        for r in runs:
            y = list(r["pairs"].values())
            s = [r["scores"][tool].get(k, 0.0) for k in r["pairs"]]
            ys += y
            ss += s
            per_run.append(evaluate.metrics(y, s))
        scored = [m for m in per_run if m]
        macro = {f: sum(m[f] for m in scored) / len(scored) for f in FIGURES} if scored else None
        out[tool] = dict(pooled=evaluate.metrics(ys, ss), macro=macro, runs=len(runs),
                         ok=sum(r["ok"][tool] for r in runs),
                         positives=sum(ys), negatives=len(ys) - sum(ys))
    return out


def report(result):
    """The accuracy tables as text, with the runs that failed."""
    parts = [f"ACCURACY, suite {result['suite']}: pooled = all runs' pairs under one threshold, "
             "macro = mean of per-run figures; R@1% = recall at 1% false positives;\n"
             "irplag level Lk = that level's plagiarised pairs with all the independent pairs"]
    for title, rows in result["tables"].items():
        body = []
        for name, by_tool in rows.items():
            for i, (tool, f) in enumerate(by_tool.items()):
                p, m = f["pooled"] or {}, f["macro"] or {}
                body.append([name if i == 0 else "", tool, f"{f['positives']}/{f['negatives']}",
                             *(num(p.get(k)) for k in FIGURES), *(num(m.get(k)) for k in FIGURES),
                             f"{f['ok']}/{f['runs']}"])
        parts.append(f"\nper {title}\n" + render(
            [title, "tool", "pairs +/-", "AUC", "AP", "R@1%", "macro AUC", "AP", "R@1%", "runs ok"],
            body, left=2))
    failed = [k for k, st in result["status"].items() if st.get("status") != "ok"]
    if failed:
        parts.append(f"\nfailed runs ({len(failed)}), scored 0: " + ", ".join(failed))
    return "\n".join(parts) + "\n"
