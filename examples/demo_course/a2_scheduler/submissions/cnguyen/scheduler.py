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


def quantile(xs, pct):
    # sort, then interpolate between the two neighbouring ranks
    ordered = sorted(xs)
    pos = (len(ordered) - 1) * pct / 100.0
    below = int(pos)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (pos - below)


def compute_metrics(done):
    lat = [req.finish - req.arrival for req in done]
    delay = [req.start - req.arrival for req in done]
    span = max(req.finish for req in done) - min(req.arrival for req in done)
    out_tokens = sum(req.output_tokens for req in done)
    result = {
        "requests": float(len(done)),
        "mean_latency_s": sum(lat) / len(lat),
        "p50_latency_s": quantile(lat, 50),
        "p99_latency_s": quantile(lat, 99),
        "mean_queue_s": sum(delay) / len(delay),
        "max_queue_s": max(delay),
        "throughput_rps": len(done) / span,
        "throughput_tok_s": out_tokens / span,
    }
    # break latency down by priority level
    for level in sorted({req.priority for req in done}):
        per_level = [req.finish - req.arrival for req in done if req.priority == level]
        result[f"mean_latency_prio{level}_s"] = sum(per_level) / len(per_level)
    return result


def simulate(requests, policy, args):
    """Run the simulation and return the finished requests."""
    scheduler = SCHEDULERS[policy](args)
    decode_s = args.per_token_ms / 1000.0
    prefill_s = args.prefill_per_token_ms / 1000.0

    arrivals = sorted(requests, key=lambda req: req.arrival)
    queue, finished = [], []
    clock = 0.0
    nxt = 0
    while nxt < len(arrivals) or queue:
        # move arrived requests into the queue
        while nxt < len(arrivals) and arrivals[nxt].arrival <= clock:
            queue.append(arrivals[nxt])
            nxt += 1
        if not queue:
            # nothing to do, fast-forward the clock
            clock = arrivals[nxt].arrival
            continue

        selected = scheduler.pick(queue, clock, args.max_batch)
        ids = {req.rid for req in selected}
        queue = [req for req in queue if req.rid not in ids]

        # each request ends after its own service time; GPU free after the longest
        free_at = clock
        for req in selected:
            req.start = clock
            req.finish = clock + req.service_time(decode_s, prefill_s)
            free_at = max(free_at, req.finish)
            finished.append(req)
        clock = free_at
    return finished


class Scheduler:
    """A scheduler sorts the queue; pick() takes the first k entries."""

    def rank(self, queue, clock):
        raise NotImplementedError

    def pick(self, queue, clock, k):
        return self.rank(queue, clock)[:k]


class AgedPriority(Scheduler):
    """Smaller is better; waiting lowers the value by `rate` per second."""

    def __init__(self, rate):
        self.rate = rate

    def score(self, req, clock):
        return req.priority - self.rate * (clock - req.arrival)

    def rank(self, queue, clock):
        return sorted(queue, key=lambda req: (self.score(req, clock), req.arrival))


class ShortestFirst(Scheduler):
    """Uses the true output length (an oracle), as allowed by the handout."""

    def rank(self, queue, clock):
        return sorted(queue, key=lambda req: (req.output_tokens, req.arrival))


class FirstCome(Scheduler):
    def rank(self, queue, clock):
        return sorted(queue, key=lambda req: (req.arrival, req.rid))


SCHEDULERS = {
    "fcfs": lambda args: FirstCome(),
    "sjf": lambda args: ShortestFirst(),
    "priority": lambda args: AgedPriority(args.aging),
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
