"""CS 4790 A1: micro-benchmark harness.

Time a numpy workload over a range of batch sizes and report latency
percentiles.  Fill in the parts marked TODO.

Usage:
    python bench.py --workload matmul --batch-sizes 1 8 32 --repeats 50 --out results.json
"""

import argparse
import json
import math
import time
from dataclasses import asdict, dataclass

import numpy as np

WORKLOADS = {}


def register(name):
    """Decorator: add a workload factory to WORKLOADS under `name`."""
    def wrap(factory):
        WORKLOADS[name] = factory
        return factory
    return wrap


@dataclass
class BenchResult:
    batch: int
    repeats: int
    mean_ms: float
    std_ms: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    samples_per_sec: float


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


@register("matmul")
def matmul_factory(dim, rng):
    weight = rng.random((dim, dim), dtype=np.float32) - 0.5
    return lambda x: np.dot(x, weight)


@register("mlp")
def mlp_factory(dim, rng):
    scale = 1.0 / math.sqrt(dim)
    w_up = ((rng.random((dim, 4 * dim), dtype=np.float32) - 0.5) * scale).astype(np.float32)
    w_down = ((rng.random((4 * dim, dim), dtype=np.float32) - 0.5) * scale).astype(np.float32)

    def forward(x):
        hidden = np.dot(x, w_up)
        np.maximum(hidden, 0.0, out=hidden)  # in-place ReLU, avoids one allocation
        return np.dot(hidden, w_down)

    return forward


def percentile(sorted_vals, q):
    """Linear-interpolated percentile of an already sorted list, q in [0, 100]."""
    if not sorted_vals:
        return float("nan")
    pos = (len(sorted_vals) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = math.ceil(pos)
    frac = pos - lo
    return sorted_vals[lo] * (1.0 - frac) + sorted_vals[hi] * frac


def summarise(batch, times_s):
    ms = sorted(t * 1000.0 for t in times_s)
    n = len(ms)
    mean = sum(ms) / n
    var = sum((v - mean) ** 2 for v in ms) / (n - 1) if n > 1 else 0.0
    return BenchResult(
        batch=batch,
        repeats=n,
        mean_ms=mean,
        std_ms=math.sqrt(var),
        p50_ms=percentile(ms, 50),
        p90_ms=percentile(ms, 90),
        p99_ms=percentile(ms, 99),
        samples_per_sec=batch / (mean / 1000.0),
    )


def save(results, path):
    rows = [asdict(r) for r in results]
    if path.endswith(".json"):
        with open(path, "w") as f:
            json.dump(rows, f, indent=2)
    elif path.endswith(".csv"):
        cols = list(rows[0])
        with open(path, "w") as f:
            f.write(",".join(cols) + "\n")
            for row in rows:
                f.write(",".join(str(row[c]) for c in cols) + "\n")
    else:
        raise ValueError("--out must end with .json or .csv")


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)

    fn = WORKLOADS[args.workload](args.dim, rng)

    results = []
    for batch in args.batch_sizes:
        x = rng.random((batch, args.dim), dtype=np.float32)
        for _ in range(args.warmup):
            fn(x)
        times = [time_call(fn, x) for _ in range(args.repeats)]
        results.append(summarise(batch, times))

    if args.out:
        save(results, args.out)
    else:
        for r in results:
            print(f"batch={r.batch:<5d} mean={r.mean_ms:8.3f}ms std={r.std_ms:7.3f} "
                  f"p50={r.p50_ms:8.3f} p90={r.p90_ms:8.3f} p99={r.p99_ms:8.3f} "
                  f"thr={r.samples_per_sec:10.1f}/s")


if __name__ == "__main__":
    main()
