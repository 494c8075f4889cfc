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
import itertools
import json
import math
import random
from dataclasses import dataclass
from typing import Optional

EV_ARRIVE, EV_FINISH = 0, 1


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


class PolicyPicker:
    """Selects a batch; SJF uses prompt + output tokens as its job size."""

    def __init__(self, name, max_batch, aging):
        self.name = name
        self.max_batch = max_batch
        self.aging = aging

    def rank(self, req, now):
        if self.name == "fcfs":
            return (req.arrival, req.rid)
        if self.name == "sjf":
            return (req.prompt_tokens + req.output_tokens, req.arrival)
        waited = now - req.arrival
        return (max(0.0, req.priority - self.aging * waited), req.arrival)

    def __call__(self, queue, now):
        queue.sort(key=lambda r: self.rank(r, now))
        picked = queue[:self.max_batch]
        del queue[:self.max_batch]
        return picked


def simulate(requests, policy, args):
    """Event-driven: arrivals and batch completions are the only events."""
    pick = PolicyPicker(policy, args.max_batch, args.aging)
    tok_s = args.per_token_ms / 1000.0
    pre_s = args.prefill_per_token_ms / 1000.0
    counter = itertools.count()      # keeps heap entries comparable
    heap = []
    for req in requests:
        heapq.heappush(heap, (req.arrival, next(counter), EV_ARRIVE, req))

    waiting = []
    finished = []
    gpu_busy = False

    while heap:
        now, _, ev, data = heapq.heappop(heap)
        if ev == EV_ARRIVE:
            waiting.append(data)
        else:
            for req in data:
                req.finish = now
            finished.extend(data)
            gpu_busy = False

        if not gpu_busy and waiting:
            batch = pick(waiting, now)
            for req in batch:
                req.start = now
            length = max(req.service_time(tok_s, pre_s) for req in batch)
            heapq.heappush(heap, (now + length, next(counter), EV_FINISH, batch))
            gpu_busy = True
    return finished


def _pct(sorted_xs, p):
    # nearest-rank percentile
    rank = max(1, math.ceil(p / 100.0 * len(sorted_xs)))
    return sorted_xs[rank - 1]


def compute_metrics(done):
    lat = sorted(r.finish - r.arrival for r in done)
    wait = [r.start - r.arrival for r in done]
    horizon = max(r.finish for r in done) - min(r.arrival for r in done)
    high = [r.finish - r.arrival for r in done if r.priority == 0]
    low = [r.finish - r.arrival for r in done if r.priority == 2]
    return {
        "n": float(len(done)),
        "avg_latency": sum(lat) / len(lat),
        "p50_latency": _pct(lat, 50),
        "p95_latency": _pct(lat, 95),
        "p99_latency": _pct(lat, 99),
        "avg_wait": sum(wait) / len(wait),
        "avg_latency_high_prio": sum(high) / max(len(high), 1),
        "avg_latency_low_prio": sum(low) / max(len(low), 1),
        "throughput_req_s": len(done) / horizon,
        "throughput_tok_s": sum(r.output_tokens for r in done) / horizon,
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
