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

    def __lt__(self, other):
        # needed so (key, request) tuples can live in a heap
        return self.rid < other.rid


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


def make_priority_fn(policy, aging, per_token_s, prefill_s):
    # Aging trick: subtracting aging*(now - arrival) shifts every waiting request by
    # the same aging*now, so ranking by priority + aging*arrival is equivalent and
    # the key can be computed once when the request arrives.
    if policy == "fcfs":
        return lambda r: r.arrival
    if policy == "sjf":
        return lambda r: r.service_time(per_token_s, prefill_s)
    if policy == "priority":
        return lambda r: r.priority + aging * r.arrival
    raise ValueError(policy)


def simulate(requests, policy, args):
    """Run the simulation and return the finished requests."""
    tok = args.per_token_ms / 1000
    pre = args.prefill_per_token_ms / 1000
    key = make_priority_fn(policy, args.aging, tok, pre)

    pending = sorted(requests, key=lambda r: r.arrival)
    heap = []
    completed = []
    now = 0.0
    k = 0
    while k < len(pending) or heap:
        while k < len(pending) and pending[k].arrival <= now:
            heapq.heappush(heap, (key(pending[k]), pending[k]))
            k += 1
        if not heap:
            now = pending[k].arrival
            continue

        size = min(args.max_batch, len(heap))
        batch = [heapq.heappop(heap)[1] for _ in range(size)]
        batch_end = now + max(r.service_time(tok, pre) for r in batch)
        for r in batch:
            r.start = now
            r.finish = batch_end
        completed += batch
        now = batch_end
    return completed


def compute_metrics(done):
    latency = sorted(r.finish - r.arrival for r in done)
    n = len(latency)
    first_arrival = min(r.arrival for r in done)
    last_finish = max(r.finish for r in done)
    duration = last_finish - first_arrival
    return {
        "n_requests": float(n),
        "mean_latency": sum(latency) / n,
        "p50_latency": latency[int(0.50 * (n - 1))],
        "p99_latency": latency[int(0.99 * (n - 1))],
        "mean_queueing": sum(r.start - r.arrival for r in done) / n,
        "throughput_rps": n / duration,
        "throughput_tokens": sum(r.output_tokens for r in done) / duration,
        "max_latency": latency[-1],
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
