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


class Policy:
    """Base class: a policy orders the waiting queue at a given time."""

    def order(self, waiting, now):
        raise NotImplementedError

    def pick(self, waiting, now, k):
        """Return the first k requests in policy order."""
        return self.order(waiting, now)[:k]


class FirstComeFirstServed(Policy):
    """Serve requests in arrival order."""

    def order(self, waiting, now):
        return sorted(waiting, key=lambda r: (r.arrival, r.rid))


class ShortestJobFirst(Policy):
    """Oracle SJF: assumes the number of output tokens is known in advance."""

    def order(self, waiting, now):
        return sorted(waiting, key=lambda r: (r.output_tokens, r.arrival))


class PriorityAging(Policy):
    """Lower value wins; every second of waiting subtracts `aging` levels."""

    def __init__(self, aging):
        self.aging = aging

    def effective(self, req, now):
        return req.priority - self.aging * (now - req.arrival)

    def order(self, waiting, now):
        return sorted(waiting, key=lambda r: (self.effective(r, now), r.arrival))


POLICIES = {
    "fcfs": lambda args: FirstComeFirstServed(),
    "sjf": lambda args: ShortestJobFirst(),
    "priority": lambda args: PriorityAging(args.aging),
}


def simulate(requests, policy, args):
    """Run the simulation and return the finished requests."""
    scheduler = POLICIES[policy](args)
    per_tok = args.per_token_ms / 1000.0
    prefill = args.prefill_per_token_ms / 1000.0

    pending = sorted(requests, key=lambda r: r.arrival)
    waiting, done = [], []
    now = 0.0
    i = 0
    while i < len(pending) or waiting:
        # Move every request that has arrived into the waiting queue
        while i < len(pending) and pending[i].arrival <= now:
            waiting.append(pending[i])
            i += 1
        if not waiting:
            now = pending[i].arrival  # Worker idle: advance to the next arrival
            continue

        batch = scheduler.pick(waiting, now, args.max_batch)
        chosen = {r.rid for r in batch}
        waiting = [r for r in waiting if r.rid not in chosen]

        # Each request finishes independently; the worker is busy until the slowest one completes
        busy_until = now
        for r in batch:
            r.start = now
            r.finish = now + r.service_time(per_tok, prefill)
            busy_until = max(busy_until, r.finish)
            done.append(r)
        now = busy_until
    return done


def percentile(values, q):
    """Compute the q-th percentile (0-100) with linear interpolation."""
    s = sorted(values)
    k = (len(s) - 1) * q / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def compute_metrics(done):
    """Aggregate latency, queueing and throughput metrics over the finished requests."""
    latency = [r.finish - r.arrival for r in done]
    queueing = [r.start - r.arrival for r in done]
    makespan = max(r.finish for r in done) - min(r.arrival for r in done)
    tokens = sum(r.output_tokens for r in done)
    metrics = {
        "requests": float(len(done)),
        "mean_latency_s": sum(latency) / len(latency),
        "p50_latency_s": percentile(latency, 50),
        "p99_latency_s": percentile(latency, 99),
        "mean_queue_s": sum(queueing) / len(queueing),
        "max_queue_s": max(queueing),
        "throughput_rps": len(done) / makespan,
        "throughput_tok_s": tokens / makespan,
    }
    # Per-priority mean latency shows whether aging helps low-priority requests
    for prio in sorted({r.priority for r in done}):
        lat = [r.finish - r.arrival for r in done if r.priority == prio]
        metrics[f"mean_latency_prio{prio}_s"] = sum(lat) / len(lat)
    return metrics


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
