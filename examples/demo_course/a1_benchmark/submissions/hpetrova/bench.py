"""CS 4790 A1: micro-benchmark harness.

Time a numpy workload over a range of batch sizes and report latency
percentiles.  Fill in the parts marked TODO.

Usage:
    python bench.py --workload matmul --batch-sizes 1 8 32 --repeats 50 --out results.json
"""

import argparse
import json
import math
import os
import time
from dataclasses import asdict, dataclass

import numpy as np

VERBOSE = os.environ.get("BENCH_VERBOSE", "0") == "1"
_FACTORIES = {}


def workload(key):
    # store the factory in the table so main() can look it up by name
    def deco(f):
        _FACTORIES[key] = f
        return f
    return deco


@dataclass
class Measurement:
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
    p.add_argument("--warmup", type=int, default=10, help="untimed warmup iterations")
    p.add_argument("--repeats", type=int, default=30, help="timed iterations per batch size")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="output file (.json or .csv); stdout if omitted")
    return p.parse_args(argv)


def time_call(fn, *args):
    """Run fn(*args) once and return the elapsed wall time in seconds."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def _log(msg):
    if VERBOSE:
        print("[bench]", msg)


@workload("matmul")
def make_matmul(n, gen):
    W = gen.random((n, n), dtype=np.float32) - 0.25
    return lambda a: np.dot(a, W)


@workload("mlp")
def make_mlp(n, gen):
    s = 1 / math.sqrt(n)
    first = ((gen.random((n, 4 * n), dtype=np.float32) - 0.25) * s).astype(np.float32)
    second = ((gen.random((4 * n, n), dtype=np.float32) - 0.25) * s).astype(np.float32)

    def run(a):
        z = np.dot(a, first)
        np.maximum(z, 0.0, out=z)  # relu without a temporary
        return np.dot(z, second)

    return run


def _check_monotonic(vals):
    # sanity helper used while debugging the percentile code
    i = 1
    while i < len(vals):
        if vals[i] < vals[i - 1]:
            return False
        i += 1
    return True


def measure(bs, durations):
    lat = sorted(d * 1e3 for d in durations)
    count = len(lat)
    avg = sum(lat) / count
    variance = 0.0 if count <= 1 else sum((v - avg) ** 2 for v in lat) / (count - 1)

    def q(frac):
        # frac in [0, 1], linear interpolation between neighbours
        idx = (count - 1) * frac
        lower, upper = math.floor(idx), math.ceil(idx)
        w = idx - lower
        return lat[lower] * (1 - w) + lat[upper] * w

    return Measurement(batch=bs, repeats=count, mean_ms=avg, std_ms=math.sqrt(variance),
                       p50_ms=q(0.50), p90_ms=q(0.90), p99_ms=q(0.99),
                       samples_per_sec=bs / (avg / 1e3))


def dump(measurements, target):
    records = [asdict(m) for m in measurements]
    _log(f"writing {len(records)} records to {target}")
    if target.endswith(".csv"):
        header = list(records[0])
        with open(target, "w") as out:
            out.write(",".join(header) + "\n")
            k = 0
            while k < len(records):
                out.write(",".join(str(records[k][h]) for h in header) + "\n")
                k += 1
    elif target.endswith(".json"):
        with open(target, "w") as out:
            json.dump(records, out, indent=2)
    else:
        raise ValueError("output path needs a .json or .csv suffix")


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)

    model = _FACTORIES[args.workload](args.dim, rng)
    print(f"workload={args.workload} dim={args.dim}")

    measurements = []
    idx = 0
    while idx < len(args.batch_sizes):
        bs = args.batch_sizes[idx]
        a = rng.random((bs, args.dim), dtype=np.float32)
        w = 0
        while w < args.warmup:
            model(a)
            w += 1
        durations = []
        for _ in range(args.repeats):
            durations.append(time_call(model, a))
        _log(f"batch {bs} done")
        measurements.append(measure(bs, durations))
        idx += 1

    if not args.out:
        for m in measurements:
            print(f"bs={m.batch:<5d} avg={m.mean_ms:8.3f}ms sd={m.std_ms:7.3f} "
                  f"p50={m.p50_ms:8.3f} p90={m.p90_ms:8.3f} p99={m.p99_ms:8.3f} "
                  f"rate={m.samples_per_sec:10.1f}/s")
    else:
        dump(measurements, args.out)


if __name__ == "__main__":
    main()
