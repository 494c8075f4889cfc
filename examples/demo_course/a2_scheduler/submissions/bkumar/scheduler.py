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
import random
from dataclasses import dataclass
from typing import Optional

import numpy as np

ARRIVAL, BATCH_DONE = 0, 1


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


def choose_batch(queue, policy, now, max_batch, aging):
    """Pick the requests to run next and remove them from `queue`."""
    if policy == "fcfs":
        ranked = sorted(queue, key=lambda r: r.arrival)
    elif policy == "sjf":
        ranked = sorted(queue, key=lambda r: r.output_tokens)
    else:
        # effective priority drops (gets better) the longer a request waits
        ranked = sorted(queue, key=lambda r: r.priority - aging * (now - r.arrival))
    batch = ranked[:max_batch]
    for r in batch:
        queue.remove(r)
    return batch


def simulate(requests, policy, args):
    """Discrete-event simulation with two event kinds: ARRIVAL and BATCH_DONE."""
    per_tok = args.per_token_ms / 1000.0
    prefill = args.prefill_per_token_ms / 1000.0
    seq = itertools.count()          # tie-breaker so the heap never compares payloads
    events = []
    for r in requests:
        heapq.heappush(events, (r.arrival, next(seq), ARRIVAL, r))

    queue = []
    done = []
    busy = False

    while events:
        now, _, kind, payload = heapq.heappop(events)
        if kind == ARRIVAL:
            queue.append(payload)
        else:
            for r in payload:
                r.finish = now
            done.extend(payload)
            busy = False

        if not busy and queue:
            batch = choose_batch(queue, policy, now, args.max_batch, args.aging)
            for r in batch:
                r.start = now
            duration = max(r.service_time(per_tok, prefill) for r in batch)
            heapq.heappush(events, (now + duration, next(seq), BATCH_DONE, batch))
            busy = True
    return done


def compute_metrics(done):
    arrival = np.array([r.arrival for r in done])
    start = np.array([r.start for r in done])
    finish = np.array([r.finish for r in done])
    tokens = np.array([r.output_tokens for r in done])

    latency = finish - arrival
    makespan = finish.max() - arrival.min()
    p50, p90, p99 = np.percentile(latency, [50, 90, 99])
    return {
        "completed": float(len(done)),
        "latency_mean": float(latency.mean()),
        "latency_p50": float(p50),
        "latency_p90": float(p90),
        "latency_p99": float(p99),
        "queueing_mean": float((start - arrival).mean()),
        "requests_per_s": float(len(done) / makespan),
        "tokens_per_s": float(tokens.sum() / makespan),
        "slowdown_mean": float((latency / (finish - start)).mean()),
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
