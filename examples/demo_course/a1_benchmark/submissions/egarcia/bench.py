"""CS 4790 A1: micro-benchmark harness.

Time a numpy workload over a range of batch sizes and report latency
percentiles.  Fill in the parts marked TODO.

Usage:
    python bench.py --workload matmul --batch-sizes 1 8 32 --repeats 50 --out results.json
"""

import argparse
import csv
import json
import sys
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
    p.add_argument("--precision", choices=["float32", "float64"], default="float32",
                   help="dtype used for activations and weights")
    return p.parse_args(argv)


def time_call(fn, *args):
    """Run fn(*args) once and return the elapsed wall time in seconds."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def emit(rows, out_path):
    # Output: .json / .csv file, or a plain table on stdout.
    if out_path is None:
        print(f"{'batch':>6} {'mean':>9} {'p50':>9} {'p90':>9} {'p99':>9} "
              f"{'samples/s':>12} {'GFLOP/s':>9}")
        for row in rows:
            print(f"{row['batch']:>6} {row['mean_ms']:>9.3f} {row['p50_ms']:>9.3f} "
                  f"{row['p90_ms']:>9.3f} {row['p99_ms']:>9.3f} "
                  f"{row['throughput']:>12.1f} {row['gflops']:>9.2f}")
        return
    if out_path.endswith(".csv"):
        with open(out_path, "w", newline="") as fh:
            dw = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
            dw.writeheader()
            dw.writerows(rows)
    elif out_path.endswith(".json"):
        with open(out_path, "w") as fh:
            json.dump({"results": rows}, fh, indent=2)
    else:
        sys.exit(f"unsupported output format for {out_path} (expected .json or .csv)")


def stats_row(bs, samples, flop_per_item):
    # samples are seconds; latency columns are milliseconds
    lat = np.asarray(samples) * 1e3
    q50, q90, q99 = np.percentile(lat, [50, 90, 99])
    avg = float(np.mean(samples))
    return {
        "batch": bs,
        "mean_ms": float(lat.mean()),
        "std_ms": float(lat.std(ddof=1)) if len(lat) > 1 else 0.0,
        "p50_ms": float(q50),
        "p90_ms": float(q90),
        "p99_ms": float(q99),
        "throughput": bs / avg,
        "gflops": flop_per_item * bs / avg / 1e9,
    }


def build_forward(kind, d, precision, gen):
    # Weights are allocated up front; the returned closure is what we time.
    if kind == "mlp":
        # FFN-style block: d -> 4d -> d with ReLU
        W_in = (gen.standard_normal((d, 4 * d)) / np.sqrt(d)).astype(precision)
        W_out = (gen.standard_normal((4 * d, d)) / np.sqrt(4 * d)).astype(precision)

        def forward(inp):
            hidden = np.maximum(inp @ W_in, 0.0)
            return hidden @ W_out

        return forward, 2 * (2 * d * 4 * d)

    if kind == "matmul":
        W = gen.standard_normal((d, d)).astype(precision)

        def forward(inp):
            return inp @ W

        return forward, 2 * d * d

    raise ValueError(f"workload not supported: {kind!r}")


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)

    forward, flop_count = build_forward(args.workload, args.dim, args.precision, rng)

    results = []
    for batch in args.batch_sizes:
        inp = rng.standard_normal((batch, args.dim)).astype(args.precision)
        for _ in range(args.warmup):
            forward(inp)
        samples = [time_call(forward, inp) for _ in range(args.repeats)]
        results.append(stats_row(batch, samples, flop_count))

    emit(results, args.out)


if __name__ == "__main__":
    main()
