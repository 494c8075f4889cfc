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
import heapq
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


def heap_key(req, policy, aging):
    """A key that never changes while the request waits.

    For aging, priority - aging * (now - arrival) orders requests exactly like
    priority + aging * arrival, because the aging * now term is the same for
    everybody.  So a plain heap works for all three policies.
    """
    if policy == "fcfs":
        return (req.arrival, req.rid)
    if policy == "sjf":
        return (req.output_tokens, req.rid)
    return (req.priority + aging * req.arrival, req.rid)


def simulate(requests, policy, args):
    """Run the simulation and return the finished requests."""
    per_token_s = args.per_token_ms / 1000.0
    prefill_s = args.prefill_per_token_ms / 1000.0
    arrivals = sorted(requests, key=lambda r: r.arrival)
    by_id = {r.rid: r for r in arrivals}

    ready = []       # heap of (key, rid)
    finished = []
    t = 0.0
    i = 0
    n = len(arrivals)
    while i < n or ready:
        while i < n and arrivals[i].arrival <= t:
            heapq.heappush(ready, (heap_key(arrivals[i], policy, args.aging), arrivals[i].rid))
            i += 1
        if not ready:
            t = arrivals[i].arrival
            continue

        batch = []
        while ready and len(batch) < args.max_batch:
            _, rid = heapq.heappop(ready)
            batch.append(by_id[rid])

        longest = 0.0
        for r in batch:
            r.start = t
            s = r.service_time(per_token_s, prefill_s)
            r.finish = t + s
            longest = max(longest, s)
        finished.extend(batch)
        t += longest
    return finished


def compute_metrics(done):
    lat = sorted(r.finish - r.arrival for r in done)
    n = len(lat)

    def q(p):
        idx = min(n - 1, max(0, round(p * (n - 1))))
        return lat[idx]

    span = max(r.finish for r in done) - min(r.arrival for r in done)
    return {
        "requests": float(n),
        "latency_mean": sum(lat) / n,
        "latency_p50": q(0.50),
        "latency_p90": q(0.90),
        "latency_p99": q(0.99),
        "queue_mean": sum(r.start - r.arrival for r in done) / n,
        "req_per_s": n / span,
        "tok_per_s": sum(r.output_tokens for r in done) / span,
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
