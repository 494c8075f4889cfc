"""CS 4790 A2: simulated LLM-serving request scheduler.

A single GPU worker serves requests in batches.  Each request has an arrival
time, a prompt length, a number of output tokens to generate and a priority
(0 is the most urgent).  Implement three policies -- first-come-first-served,
shortest-job-first and priority with aging -- and the metrics.
Fill in the parts marked TODO.

Usage:
    python scheduler.py --policy sjf --num-requests 1000 --rate 2.5 --max-batch 8
"""

import argparse
import json
import random
from dataclasses import dataclass
from typing import Optional


@dataclass
class Request:
    rid: int
    arrival: float                  # seconds since the start of the simulation
    prompt_tokens: int
    output_tokens: int
    priority: int = 0               # 0 = most urgent
    start: Optional[float] = None   # set when the request is first scheduled
    finish: Optional[float] = None  # set when its last token is produced

    def service_time(self, per_token_s, prefill_per_token_s):
        """Time to serve this request alone: prefill plus one step per output token."""
        return self.prompt_tokens * prefill_per_token_s + self.output_tokens * per_token_s


def make_workload(n, rate, seed):
    """Poisson arrivals with long-tailed output lengths."""
    rng = random.Random(seed)
    t = 0.0
    reqs = []
    for i in range(n):
        t += rng.expovariate(rate)
        prompt = rng.randint(16, 1024)
        out = min(int(rng.paretovariate(1.5) * 32), 2048)
        prio = rng.choice([0, 1, 1, 2, 2, 2])
        reqs.append(Request(i, t, prompt, out, prio))
    return reqs


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Simulate an LLM request scheduler.")
    p.add_argument("--policy", choices=["fcfs", "sjf", "priority"], default="fcfs")
    p.add_argument("--num-requests", type=int, default=500)
    p.add_argument("--rate", type=float, default=2.0, help="mean arrivals per second")
    p.add_argument("--max-batch", type=int, default=8)
    p.add_argument("--per-token-ms", type=float, default=20.0)
    p.add_argument("--prefill-per-token-ms", type=float, default=0.5)
    p.add_argument("--aging", type=float, default=0.1,
                   help="priority levels gained per second of waiting")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    return p.parse_args(argv)


def sort_key(policy, now, aging):
    """Return a key function; the request with the smallest key runs first."""
    if policy == "fcfs":
        return lambda r: (r.arrival, r.rid)
    if policy == "sjf":
        return lambda r: (r.output_tokens, r.arrival)
    return lambda r: (r.priority - aging * (now - r.arrival), r.arrival)


def simulate(requests, policy, args):
    """Static batching: a batch runs to completion before the next one starts."""
    per_token_s = args.per_token_ms / 1000.0
    prefill_s = args.prefill_per_token_ms / 1000.0
    incoming = sorted(requests, key=lambda r: r.arrival)
    queue = []
    finished = []
    now = 0.0
    idx = 0

    while idx < len(incoming) or queue:
        while idx < len(incoming) and incoming[idx].arrival <= now:
            queue.append(incoming[idx])
            idx += 1
        if not queue:
            now = incoming[idx].arrival
            continue

        queue.sort(key=sort_key(policy, now, args.aging))
        batch, queue = queue[:args.max_batch], queue[args.max_batch:]

        duration = max(r.service_time(per_token_s, prefill_s) for r in batch)
        for r in batch:
            r.start = now
            r.finish = now + duration   # results are returned when the batch ends
        finished.extend(batch)
        now += duration

    return finished


def percentile(xs, q):
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0]
    pos = q / 100 * (len(xs) - 1)
    i = int(pos)
    if i + 1 >= len(xs):
        return xs[-1]
    return xs[i] * (1 - (pos - i)) + xs[i + 1] * (pos - i)


def compute_metrics(done):
    latencies = [r.finish - r.arrival for r in done]
    waits = [r.start - r.arrival for r in done]
    elapsed = max(r.finish for r in done) - min(r.arrival for r in done)
    return {
        "requests": float(len(done)),
        "mean_latency_s": sum(latencies) / len(latencies),
        "p50_latency_s": percentile(latencies, 50),
        "p99_latency_s": percentile(latencies, 99),
        "mean_wait_s": sum(waits) / len(waits),
        "throughput_req_per_s": len(done) / elapsed,
        "throughput_tok_per_s": sum(r.output_tokens for r in done) / elapsed,
    }


def main(argv=None):
    args = parse_args(argv)
    requests = make_workload(args.num_requests, args.rate, args.seed)
    done = simulate(requests, args.policy, args)
    metrics = compute_metrics(done)
    if args.json:
        print(json.dumps(metrics, indent=2))
    else:
        for k, v in metrics.items():
            print(f"{k:>24}: {v:.3f}")


if __name__ == "__main__":
    main()
