"""CS 4790 A1: micro-benchmark harness.

Time a numpy workload over a range of batch sizes and report latency
percentiles.  Fill in the parts marked TODO.

Usage:
    python bench.py --workload matmul --batch-sizes 1 8 32 --repeats 50 --out results.json
"""

import argparse
import csv
import json
import statistics
import time

import numpy as np


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


def matmul(x, w):
    return x @ w


def mlp_forward(x, w1, b1, w2, b2):
    h = x @ w1 + b1
    h = np.maximum(h, 0)
    return h @ w2 + b2


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)

    # build the workload function and its weights
    d = args.dim
    if args.workload == "matmul":
        w = rng.standard_normal((d, d), dtype=np.float32)
        func = lambda x: matmul(x, w)
    else:
        w1 = rng.standard_normal((d, 2 * d), dtype=np.float32) * 0.05
        b1 = np.zeros(2 * d, dtype=np.float32)
        w2 = rng.standard_normal((2 * d, d), dtype=np.float32) * 0.05
        b2 = np.zeros(d, dtype=np.float32)
        func = lambda x: mlp_forward(x, w1, b1, w2, b2)

    results = []
    for batch in args.batch_sizes:
        x = rng.standard_normal((batch, d), dtype=np.float32)

        # warmup
        for i in range(args.warmup):
            func(x)

        times_ms = []
        for i in range(args.repeats):
            times_ms.append(time_call(func, x) * 1000.0)

        mean_ms = statistics.mean(times_ms)
        row = {
            "batch_size": batch,
            "mean_ms": mean_ms,
            "std_ms": statistics.stdev(times_ms) if len(times_ms) > 1 else 0.0,
            "p50_ms": float(np.percentile(times_ms, 50)),
            "p90_ms": float(np.percentile(times_ms, 90)),
            "p99_ms": float(np.percentile(times_ms, 99)),
            "throughput_sps": batch / (mean_ms / 1000.0),
        }
        results.append(row)
        print(f"batch {batch}: mean {mean_ms:.3f} ms, p99 {row['p99_ms']:.3f} ms")

    # write results
    if args.out is None:
        print("batch_size  mean_ms  std_ms  p50_ms  p90_ms  p99_ms  samples/s")
        for r in results:
            print(f"{r['batch_size']:10d} {r['mean_ms']:8.3f} {r['std_ms']:7.3f} "
                  f"{r['p50_ms']:7.3f} {r['p90_ms']:7.3f} {r['p99_ms']:7.3f} "
                  f"{r['throughput_sps']:10.1f}")
    elif args.out.endswith(".json"):
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
    elif args.out.endswith(".csv"):
        with open(args.out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(list(results[0].keys()))
            for r in results:
                w.writerow(list(r.values()))
    else:
        raise SystemExit("output must end in .json or .csv")


if __name__ == "__main__":
    main()
