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
import statistics
from collections import deque
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


def policy_key(policy, now, aging):
    # key function for sorting the waiting list (smallest goes first)
    if policy == "fcfs":
        return lambda r: r.arrival
    if policy == "sjf":
        return lambda r: (r.output_tokens, r.arrival)
    if policy == "priority":
        return lambda r: (r.priority - aging * (now - r.arrival), r.arrival)
    raise ValueError(policy)


def admit(waiting, slots, policy, now, aging):
    if slots <= 0 or not waiting:
        return []
    waiting.sort(key=policy_key(policy, now, aging))
    chosen = waiting[:slots]
    del waiting[:slots]
    return chosen


def simulate(requests, policy, args):
    """Iteration-level (continuous) batching.

    Every decode step generates one token for each running request. When a
    request finishes, its slot is given to a waiting request at the next step.
    Prefill of new requests is added to the duration of that step.
    """
    step_s = args.per_token_ms / 1000.0
    prefill_s = args.prefill_per_token_ms / 1000.0

    arrivals = deque(sorted(requests, key=lambda r: r.arrival))
    waiting = []
    running = {}  # rid -> [req, remaining tokens]
    done = []
    now = 0.0

    while arrivals or waiting or running:
        # move arrived requests to the waiting list
        while arrivals and arrivals[0].arrival <= now:
            waiting.append(arrivals.popleft())
        if not running and not waiting:
            now = arrivals[0].arrival
            continue
        new = admit(waiting, args.max_batch - len(running), policy, now, args.aging)
        for r in new:
            r.start = now
            running[r.rid] = [r, r.output_tokens]


        # one decode step (+ prefill for the new ones)
        now += step_s + prefill_s * sum(r.prompt_tokens for r in new)

        for rid in list(running):
            entry = running[rid]
            entry[1] -= 1
            if entry[1] <= 0:
                entry[0].finish = now
                done.append(entry[0])
                del running[rid]
    return done


def compute_metrics(done):
    latencies = [r.finish - r.arrival for r in done]
    queue_delays = [r.start - r.arrival for r in done]
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")

    t0 = min(r.arrival for r in done)
    t1 = max(r.finish for r in done)
    return {
        "num_done": float(len(done)),
        "latency_mean_s": statistics.fmean(latencies),
        "latency_p50_s": statistics.median(latencies),
        "latency_p99_s": cuts[98],
        "queue_delay_mean_s": statistics.fmean(queue_delays),
        "req_per_s": len(done) / (t1 - t0),
        "tok_per_s": sum(r.output_tokens for r in done) / (t1 - t0),
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
