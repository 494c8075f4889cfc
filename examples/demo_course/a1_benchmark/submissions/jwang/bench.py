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


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Benchmark a numpy workload over batch sizes.")
    p.add_argument("--workload", choices=["matmul", "mlp"], default="matmul",
                   help="which function to time")
    p.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 4, 16, 64, 256],
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


def make_matmul(d, rng):
    W = rng.standard_normal((d, d), dtype=np.float32)

    def f(x):
        return x @ W
    return f


def make_mlp(d, rng):
    W1 = rng.standard_normal((d, 4 * d), dtype=np.float32) * (1.0 / d) ** 0.5
    W2 = rng.standard_normal((4 * d, d), dtype=np.float32) * (1.0 / (4 * d)) ** 0.5

    def f(x):
        h = x @ W1
        h[h < 0] = 0
        return h @ W2
    return f


WORKLOADS = {
    "matmul": make_matmul,
    "mlp": make_mlp,
}


def run_batch(f, x, warmup, repeats):
    for _ in range(warmup):
        f(x)
    secs = [time_call(f, x) for _ in range(repeats)]
    return np.asarray(secs) * 1e3


def stats(batch, lat_ms):
    p50, p90, p99 = np.percentile(lat_ms, [50, 90, 99])
    mean = lat_ms.mean()
    return {
        "batch": batch,
        "mean_ms": round(float(mean), 4),
        "std_ms": round(float(lat_ms.std()), 4),
        "p50_ms": round(float(p50), 4),
        "p90_ms": round(float(p90), 4),
        "p99_ms": round(float(p99), 4),
        "samples_per_s": round(batch * 1e3 / float(mean), 1),
    }


def save_json(results, path):
    with open(path, "w") as fh:
        json.dump({"results": results}, fh, indent=1)


def save_csv(results, path):
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(results[0]))
        w.writeheader()
        for r in results:
            w.writerow(r)


def show(results):
    cols = list(results[0])
    print("\t".join(cols))
    for r in results:
        print("\t".join(str(r[c]) for c in cols))


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)

    f = WORKLOADS[args.workload](args.dim, rng)

    results = []
    for batch in args.batch_sizes:
        x = rng.standard_normal((batch, args.dim), dtype=np.float32)
        lat_ms = run_batch(f, x, args.warmup, args.repeats)
        results.append(stats(batch, lat_ms))

    if not args.out:
        show(results)
    elif args.out.endswith(".csv"):
        save_csv(results, args.out)
    elif args.out.endswith(".json"):
        save_json(results, args.out)
    else:
        raise SystemExit("--out must be .json or .csv")


if __name__ == "__main__":
    main()
