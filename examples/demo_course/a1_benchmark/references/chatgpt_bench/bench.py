"""Benchmark harness for numpy workloads (matmul or a 2-layer MLP).

Measures per-call latency over several batch sizes and reports mean, std,
p50/p90/p99 latency, throughput and GFLOP/s.

Example:
    python bench.py --workload mlp --batch-sizes 1 8 32 128 --out results.csv
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
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32",
                   help="element type of inputs and weights")
    return p.parse_args(argv)


def time_call(fn, *args):
    """Run fn(*args) once and return the elapsed wall time in seconds."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def build_workload(name: str, dim: int, dtype: str, rng: np.random.Generator):
    """Create the workload function and its FLOP count per sample.

    Weights are allocated up front so that only the forward pass is measured.

    Returns:
        A tuple (fn, flops_per_sample).
    """
    if name == "matmul":
        w = rng.standard_normal((dim, dim)).astype(dtype)

        def fn(x):
            return x @ w

        return fn, 2 * dim * dim

    if name == "mlp":
        # Two-layer MLP with a 4x expansion, similar to a transformer feed-forward block
        w1 = (rng.standard_normal((dim, 4 * dim)) / np.sqrt(dim)).astype(dtype)
        w2 = (rng.standard_normal((4 * dim, dim)) / np.sqrt(4 * dim)).astype(dtype)

        def fn(x):
            h = np.maximum(x @ w1, 0.0)
            return h @ w2

        return fn, 2 * (2 * dim * 4 * dim)

    raise ValueError(f"unknown workload {name!r}")


def summarize(batch: int, times_s: list[float], flops_per_sample: int) -> dict:
    """Compute latency statistics (in milliseconds) and throughput for one batch size."""
    ms = np.asarray(times_s) * 1e3
    p50, p90, p99 = np.percentile(ms, [50, 90, 99])
    mean_s = float(np.mean(times_s))
    return {
        "batch": batch,
        "mean_ms": float(ms.mean()),
        "std_ms": float(ms.std(ddof=1)) if len(ms) > 1 else 0.0,
        "p50_ms": float(p50),
        "p90_ms": float(p90),
        "p99_ms": float(p99),
        "throughput": batch / mean_s,
        "gflops": flops_per_sample * batch / mean_s / 1e9,
    }


def write_results(results: list[dict], path: str | None) -> None:
    """Save the results as JSON or CSV based on the file extension, or print a table to stdout."""
    if path is None:
        print(f"{'batch':>6} {'mean':>9} {'p50':>9} {'p90':>9} {'p99':>9} "
              f"{'samples/s':>12} {'GFLOP/s':>9}")
        for r in results:
            print(f"{r['batch']:>6} {r['mean_ms']:>9.3f} {r['p50_ms']:>9.3f} "
                  f"{r['p90_ms']:>9.3f} {r['p99_ms']:>9.3f} "
                  f"{r['throughput']:>12.1f} {r['gflops']:>9.2f}")
        return
    if path.endswith(".json"):
        with open(path, "w") as f:
            json.dump({"results": results}, f, indent=2)
    elif path.endswith(".csv"):
        with open(path, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(results[0].keys()))
            writer.writeheader()
            writer.writerows(results)
    else:
        sys.exit(f"don't know how to write {path}: use .json or .csv")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)

    fn, flops = build_workload(args.workload, args.dim, args.dtype, rng)

    results = []
    for batch in args.batch_sizes:
        x = rng.standard_normal((batch, args.dim)).astype(args.dtype)
        # Warm-up runs (not timed)
        for _ in range(args.warmup):
            fn(x)
        # Timed runs
        times = [time_call(fn, x) for _ in range(args.repeats)]
        results.append(summarize(batch, times, flops))

    write_results(results, args.out)


if __name__ == "__main__":
    main()
