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
from functools import partial

import numpy as np


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Benchmark a numpy workload over batch sizes.")
    p.add_argument("--workload", choices=["matmul", "mlp"], default="matmul",
                   help="which function to time")
    p.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 8, 32, 128, 512],
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


def run_matmul(x, W):
    return np.matmul(x, W)


def run_mlp(x, W1, W2):
    # two dense layers, relu in the middle, no bias
    return np.matmul(np.maximum(np.matmul(x, W1), 0.0), W2)


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)

    D = args.dim
    if args.workload == "mlp":
        W1 = rng.normal(0.0, 1.0 / np.sqrt(D), size=(D, 4 * D)).astype(np.float32)
        W2 = rng.normal(0.0, 1.0 / np.sqrt(4 * D), size=(4 * D, D)).astype(np.float32)
        workload = partial(run_mlp, W1=W1, W2=W2)
    else:
        W = rng.normal(size=(D, D)).astype(np.float32)
        workload = partial(run_matmul, W=W)

    results = []
    for batch in args.batch_sizes:
        x = rng.normal(size=(batch, D)).astype(np.float32)
        for _ in range(args.warmup):
            workload(x)

        samples = np.empty(args.repeats)
        for k in range(args.repeats):
            samples[k] = time_call(workload, x)
        samples *= 1e3  # -> ms

        entry = {
            "batch": batch,
            "mean_ms": float(samples.mean()),
            "std_ms": float(samples.std()),
            "p50_ms": float(np.percentile(samples, 50)),
            "p90_ms": float(np.percentile(samples, 90)),
            "p99_ms": float(np.percentile(samples, 99)),
            "samples_per_s": batch * 1e3 / float(samples.mean()),
        }
        results.append(entry)

    if args.out and args.out.endswith(".json"):
        with open(args.out, "w") as fp:
            json.dump({"workload": args.workload, "dim": D, "results": results}, fp, indent=2)
        print(f"wrote {args.out}")
    elif args.out and args.out.endswith(".csv"):
        with open(args.out, "w", newline="") as fp:
            writer = csv.writer(fp)
            writer.writerow(["batch", "mean_ms", "std_ms", "p50_ms", "p90_ms", "p99_ms",
                             "samples_per_s"])
            for e in results:
                writer.writerow([e["batch"], e["mean_ms"], e["std_ms"], e["p50_ms"],
                                 e["p90_ms"], e["p99_ms"], e["samples_per_s"]])
        print(f"wrote {args.out}")
    elif args.out:
        raise SystemExit(f"unknown extension: {args.out}")
    else:
        print(f"{'batch':>7}{'mean':>10}{'std':>10}{'p50':>10}{'p90':>10}{'p99':>10}{'samp/s':>12}")
        for e in results:
            print(f"{e['batch']:>7}{e['mean_ms']:>10.3f}{e['std_ms']:>10.3f}{e['p50_ms']:>10.3f}"
                  f"{e['p90_ms']:>10.3f}{e['p99_ms']:>10.3f}{e['samples_per_s']:>12.1f}")


if __name__ == "__main__":
    main()
