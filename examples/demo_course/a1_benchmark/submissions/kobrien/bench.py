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
    return p.parse_args(argv)


def time_call(fn, *args):
    """Run fn(*args) once and return the elapsed wall time in seconds."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def system_info():
    """Record the software/hardware next to the numbers."""
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "processor": platform.processor() or "unknown",
        "clock_resolution_s": time.get_clock_info("perf_counter").resolution,
    }


def measure(func, inp, n_warm, n_rep):
    """Warm up, then time n_rep calls with the GC off.  Returns ns as int64."""
    for _ in range(n_warm):
        func(inp)
    samples = np.empty(n_rep, dtype=np.int64)
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for k in range(n_rep):
            t0 = time.perf_counter_ns()
            func(inp)
            samples[k] = time.perf_counter_ns() - t0
    finally:
        if gc_was_on:
            gc.enable()
    return samples


class MLP:
    """Two-layer perceptron with bias, ReLU in between."""

    def __init__(self, dim, rng, expansion=4):
        self.w1 = rng.uniform(-1, 1, (dim, expansion * dim)).astype(np.float32) / dim
        self.b1 = np.full(expansion * dim, 0.01, dtype=np.float32)
        self.w2 = rng.uniform(-1, 1, (expansion * dim, dim)).astype(np.float32) / dim
        self.b2 = np.zeros(dim, dtype=np.float32)

    def __call__(self, x):
        return np.maximum(x @ self.w1 + self.b1, 0.0) @ self.w2 + self.b2


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)

    if args.workload == "mlp":
        model = MLP(args.dim, rng)
    else:
        weight = rng.uniform(-1, 1, (args.dim, args.dim)).astype(np.float32)
        model = lambda x: x @ weight

    results = []
    for batch in args.batch_sizes:
        inp = rng.uniform(-1, 1, (batch, args.dim)).astype(np.float32)
        lat = measure(model, inp, args.warmup, args.repeats) / 1e6  # ns -> ms
        lat.sort()
        avg = lat.mean()
        results.append({
            "batch": batch,
            "mean_ms": round(float(avg), 4),
            "std_ms": round(float(lat.std()), 4),
            "p50_ms": round(float(lat[int(0.50 * (len(lat) - 1))]), 4),
            "p90_ms": round(float(lat[int(0.90 * (len(lat) - 1))]), 4),
            "p99_ms": round(float(lat[int(0.99 * (len(lat) - 1))]), 4),
            "items_per_s": round(batch / (avg / 1000), 1),
        })

    if args.out is None:
        for r in results:
            print(r)
        return

    if args.out.endswith(".csv"):
        with open(args.out, "w", newline="") as f:
            cw = csv.DictWriter(f, fieldnames=list(results[0]))
            cw.writeheader()
            cw.writerows(results)
    else:
        with open(args.out, "w") as f:
            json.dump({"system": system_info(), "workload": args.workload,
                       "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
