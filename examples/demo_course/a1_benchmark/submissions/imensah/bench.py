"""CS 4790 A1: micro-benchmark harness.

Time a numpy workload over a range of batch sizes and report latency
percentiles.  Fill in the parts marked TODO.

Usage:
    python bench.py --workload matmul --batch-sizes 1 8 32 --repeats 50 --out results.json
"""

import argparse
import csv
import io
import json
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


class Benchmark:
    """Owns the weights of one workload and runs the batch-size sweep."""

    FIELDS = ["batch", "mean_ms", "std_ms", "p50_ms", "p90_ms", "p99_ms", "throughput"]

    def __init__(self, workload, dim, warmup, repeats, seed):
        self.workload = workload
        self.dim = dim
        self.warmup = warmup
        self.repeats = repeats
        self.rng = np.random.default_rng(seed)
        self.rows = []
        self._params = self._init_params()

    def _init_params(self):
        d = self.dim
        if self.workload == "matmul":
            return [self.rng.standard_normal((d, d)).astype(np.float32)]
        # He initialisation for the ReLU layer
        return [
            (self.rng.standard_normal((d, 4 * d)) * np.sqrt(2.0 / d)).astype(np.float32),
            (self.rng.standard_normal((4 * d, d)) * np.sqrt(2.0 / (4 * d))).astype(np.float32),
        ]

    def forward(self, x):
        out = x
        last = len(self._params) - 1
        for i, w in enumerate(self._params):
            out = out @ w
            if i < last:
                out = np.maximum(out, 0.0)
        return out

    def run_one(self, batch):
        x = self.rng.standard_normal((batch, self.dim)).astype(np.float32)
        for _ in range(self.warmup):
            self.forward(x)
        lat = np.array([time_call(self.forward, x) for _ in range(self.repeats)]) * 1e3
        p50, p90, p99 = np.quantile(lat, [0.50, 0.90, 0.99])
        row = {
            "batch": batch,
            "mean_ms": lat.mean(),
            "std_ms": lat.std(ddof=1) if lat.size > 1 else 0.0,
            "p50_ms": p50,
            "p90_ms": p90,
            "p99_ms": p99,
            "throughput": batch / (lat.mean() / 1e3),
        }
        self.rows.append({k: float(v) if k != "batch" else int(v) for k, v in row.items()})

    def run(self, batch_sizes):
        for b in batch_sizes:
            self.run_one(b)
        return self

    def to_json(self):
        meta = {"workload": self.workload, "dim": self.dim, "repeats": self.repeats}
        return json.dumps({"meta": meta, "rows": self.rows}, indent=2)

    def to_csv(self):
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=self.FIELDS)
        writer.writeheader()
        writer.writerows(self.rows)
        return buf.getvalue()

    def to_table(self):
        lines = ["".join(f"{name:>12}" for name in self.FIELDS)]
        for row in self.rows:
            lines.append("".join(f"{row[name]:>12.3f}" for name in self.FIELDS))
        return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)

    bench = Benchmark(args.workload, args.dim, args.warmup, args.repeats, args.seed)
    bench.run(args.batch_sizes)

    if args.out is None:
        print(bench.to_table())
        return
    if args.out.endswith(".json"):
        text = bench.to_json()
    elif args.out.endswith(".csv"):
        text = bench.to_csv()
    else:
        raise SystemExit("--out must end in .json or .csv")
    with open(args.out, "w", newline="") as f:
        f.write(text)


if __name__ == "__main__":
    main()
