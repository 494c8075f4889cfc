"""CS 4790 A1: micro-benchmark harness.

Time a numpy workload over a range of batch sizes and report latency
percentiles.  Fill in the parts marked TODO.

Usage:
    python bench.py --workload matmul --batch-sizes 1 8 32 --repeats 50 --out results.json
"""

import argparse
import csv
import json
import time

import numpy as np

PERCENTILES = (50, 90, 99)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Benchmark a numpy workload over batch sizes.")
    p.add_argument("--workload", choices=["matmul", "mlp"], default="matmul",
                   help="which function to time")
    p.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 8, 32, 128],
                   help="batch sizes to sweep")
    p.add_argument("--dim", type=int, default=512, help="hidden dimension")
    p.add_argument("--warmup", type=int, default=5, help="untimed warmup iterations")
    p.add_argument("--repeats", type=int, default=30, help="timed iterations per batch size")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="output file (.json or .csv); stdout if omitted")
    return p.parse_args(argv)


def time_call(fn, *args):
    """Run fn(*args) once and return the elapsed wall time in seconds."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


# --- workloads -------------------------------------------------------------

def build_matmul(dim, rng):
    w = rng.standard_normal((dim, dim)).astype(np.float32)
    return lambda x: x @ w


def build_mlp(dim, rng):
    hidden = 4 * dim
    w1 = rng.standard_normal((dim, hidden)).astype(np.float32) / np.sqrt(dim)
    w2 = rng.standard_normal((hidden, dim)).astype(np.float32) / np.sqrt(hidden)
    return lambda x: np.maximum(x @ w1, 0) @ w2


BUILDERS = {"matmul": build_matmul, "mlp": build_mlp}


# --- measurement -----------------------------------------------------------

def bench_one(fn, x, warmup, repeats):
    """Warm up, then return `repeats` wall times in milliseconds."""
    for _ in range(warmup):
        fn(x)
    return np.array([time_call(fn, x) for _ in range(repeats)]) * 1000.0


def summarize(batch, times_ms):
    stats = {
        "batch": batch,
        "mean_ms": float(times_ms.mean()),
        "std_ms": float(times_ms.std(ddof=1)),
    }
    for q, value in zip(PERCENTILES, np.percentile(times_ms, PERCENTILES)):
        stats[f"p{q}_ms"] = float(value)
    stats["throughput"] = batch / (stats["mean_ms"] / 1000.0)
    return stats


# --- output ----------------------------------------------------------------

def write_json(rows, path):
    with open(path, "w") as f:
        json.dump(rows, f, indent=2)


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)


def print_table(rows):
    keys = list(rows[0].keys())
    print(" | ".join(f"{k:>11}" for k in keys))
    for row in rows:
        print(" | ".join(f"{row[k]:>11.3f}" if isinstance(row[k], float) else f"{row[k]:>11}"
                         for k in keys))


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)

    fn = BUILDERS[args.workload](args.dim, rng)

    results = []
    for batch in args.batch_sizes:
        x = rng.standard_normal((batch, args.dim)).astype(np.float32)
        times_ms = bench_one(fn, x, args.warmup, args.repeats)
        results.append(summarize(batch, times_ms))

    if args.out is None:
        print_table(results)
    elif args.out.endswith(".json"):
        write_json(results, args.out)
    elif args.out.endswith(".csv"):
        write_csv(results, args.out)
    else:
        raise SystemExit(f"unsupported output file: {args.out}")


if __name__ == "__main__":
    main()
