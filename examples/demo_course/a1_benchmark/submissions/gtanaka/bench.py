"""CS 4790 A1: micro-benchmark harness.

Time a numpy workload over a range of batch sizes and report latency
percentiles.  Fill in the parts marked TODO.

Usage:
    python bench.py --workload matmul --batch-sizes 1 8 32 --repeats 50 --out results.json
"""

import argparse
import csv
import gc
import json
import platform
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
    p.add_argument("--keep-gc", action="store_true",
                   help="leave the garbage collector on while timing")
    return p.parse_args(argv)


def time_call(fn, *args):
    """Run fn(*args) once and return the elapsed wall time in seconds."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def environment():
    """Things that change the numbers and should travel with them."""
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "processor": platform.processor() or "unknown",
        "timer_resolution_s": time.get_clock_info("perf_counter").resolution,
    }


def timed_runs(fn, x, warmup, repeats, disable_gc=True):
    """Warm up, then time `repeats` calls.  Returns nanoseconds as int64."""
    for _ in range(warmup):
        fn(x)
    out = np.empty(repeats, dtype=np.int64)
    was_enabled = gc.isenabled()
    if disable_gc:
        gc.disable()
    try:
        for i in range(repeats):
            t0 = time.perf_counter_ns()
            fn(x)
            out[i] = time.perf_counter_ns() - t0
    finally:
        if was_enabled:
            gc.enable()
    return out


def describe(batch, ns, flops_per_call):
    ms = ns / 1e6
    q = np.quantile(ms, [0.5, 0.9, 0.99])
    mean = float(ms.mean())
    std = float(ms.std(ddof=1)) if ms.size > 1 else 0.0
    return {
        "batch": int(batch),
        "mean_ms": mean,
        "std_ms": std,
        "cv": std / mean if mean else 0.0,
        "min_ms": float(ms.min()),
        "p50_ms": float(q[0]),
        "p90_ms": float(q[1]),
        "p99_ms": float(q[2]),
        "samples_per_s": batch / (mean / 1e3),
        "gflop_per_s": flops_per_call / (mean / 1e3) / 1e9,
    }


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)
    d = args.dim

    if args.workload == "matmul":
        W = rng.standard_normal((d, d)).astype(np.float32)
        fn = lambda x: x @ W
        flops_per_row = 2 * d * d
    else:
        W1 = (rng.standard_normal((d, 4 * d)) * d ** -0.5).astype(np.float32)
        W2 = (rng.standard_normal((4 * d, d)) * (4 * d) ** -0.5).astype(np.float32)
        fn = lambda x: np.maximum(x @ W1, 0.0) @ W2
        flops_per_row = 16 * d * d

    results = []
    for batch in args.batch_sizes:
        x = rng.standard_normal((batch, d)).astype(np.float32)
        ns = timed_runs(fn, x, args.warmup, args.repeats, disable_gc=not args.keep_gc)
        results.append(describe(batch, ns, flops_per_row * batch))

    if args.out is None:
        print(f"# {args.workload} dim={d} numpy={np.__version__}")
        for r in results:
            print("  ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                            for k, v in r.items()))
    elif args.out.endswith(".json"):
        doc = {"workload": args.workload, "dim": d, "env": environment(), "results": results}
        with open(args.out, "w") as f:
            json.dump(doc, f, indent=2)
    elif args.out.endswith(".csv"):
        with open(args.out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(results[0].keys())
            w.writerows(r.values() for r in results)
    else:
        raise SystemExit("use a .json or .csv file name for --out")


if __name__ == "__main__":
    main()
