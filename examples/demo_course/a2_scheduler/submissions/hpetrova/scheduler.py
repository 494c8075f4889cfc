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
    p.add_argument("--tick-ms", type=float, default=10.0,
                   help="simulation time step while the worker is idle")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    return p.parse_args(argv)


# ---- policies: each takes the waiting queue and returns the next request ------

def next_fcfs(queue, now, aging):
    return queue.popleft()


def _pop_min(queue, key):
    best = min(queue, key=key)
    queue.remove(best)
    return best


def next_sjf(queue, now, aging):
    return _pop_min(queue, key=lambda r: r.output_tokens)


def next_priority(queue, now, aging):
    return _pop_min(queue, key=lambda r: r.priority - aging * (now - r.arrival))


PICKERS = {"fcfs": next_fcfs, "sjf": next_sjf, "priority": next_priority}


def simulate(requests, policy, args):
    """Fixed-step simulation: the clock advances in ticks while the worker is idle
    and jumps by a whole batch duration while it is busy."""
    pick_next = PICKERS[policy]
    tick = args.tick_ms / 1000.0
    tok_s = args.per_token_ms / 1000.0
    pre_s = args.prefill_per_token_ms / 1000.0

    future = deque(sorted(requests, key=lambda r: r.arrival))
    queue = deque()
    done = []
    clock = 0.0
    while future or queue:
        while future and future[0].arrival <= clock:
            queue.append(future.popleft())
        if not queue:
            clock += tick
            continue
        batch = [pick_next(queue, clock, args.aging)
                 for _ in range(min(args.max_batch, len(queue)))]
        for r in batch:
            r.start = clock
            r.finish = clock + r.service_time(tok_s, pre_s)
        clock = max(r.finish for r in batch)
        done.extend(batch)
    return done


def compute_metrics(done):
    latency = [r.finish - r.arrival for r in done]
    waiting = [r.start - r.arrival for r in done]
    pct = statistics.quantiles(latency, n=100)
    span = max(r.finish for r in done) - min(r.arrival for r in done)
    by_prio = {}
    for r in done:
        by_prio.setdefault(r.priority, []).append(r.finish - r.arrival)
    metrics = {
        "completed": float(len(done)),
        "latency_avg_s": statistics.mean(latency),
        "latency_p50_s": pct[49],
        "latency_p99_s": pct[98],
        "wait_avg_s": statistics.mean(waiting),
        "wait_p99_s": statistics.quantiles(waiting, n=100)[98],
        "req_throughput": len(done) / span,
        "token_throughput": sum(r.output_tokens for r in done) / span,
    }
    for prio, lats in sorted(by_prio.items()):
        metrics[f"latency_avg_p{prio}_s"] = statistics.mean(lats)
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
