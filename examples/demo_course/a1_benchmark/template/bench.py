"""CS 4790 A1: micro-benchmark harness.

Time a numpy workload over a range of batch sizes and report latency
percentiles.  Fill in the parts marked TODO.

Usage:
    python bench.py --workload matmul --batch-sizes 1 8 32 --repeats 50 --out results.json
"""

import argparse
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


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)

    # TODO: build the workload function and its weights (matmul: x @ W; mlp: two
    #       dense layers with a ReLU in between).

    results = []
    for batch in args.batch_sizes:
        # TODO: make an input of shape (batch, args.dim), run args.warmup untimed
        #       calls, then args.repeats timed calls with time_call().
        # TODO: summarise the timings: mean, std, p50, p90, p99 (milliseconds)
        #       and throughput (samples per second); append a dict to results.
        pass

    # TODO: write results as JSON or CSV depending on the extension of args.out,
    #       or print a table when args.out is not given.


if __name__ == "__main__":
    main()
