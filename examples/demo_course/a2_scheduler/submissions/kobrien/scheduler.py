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


def choose(queue, policy, now, k, aging):
    """Sort the queue in place for the policy and pop the first k requests."""
    if policy == "fcfs":
        queue.sort(key=lambda r: r.arrival)
    elif policy == "sjf":
        # shortest job = fewest output tokens (we assume they are known)
        queue.sort(key=lambda r: (r.output_tokens, r.arrival))
    elif policy == "priority":
        queue.sort(key=lambda r: (r.priority - aging * (now - r.arrival), r.arrival))
    else:
        raise ValueError(f"unknown policy {policy}")
    picked = queue[:k]
    del queue[:k]
    return picked


def simulate(requests, policy, args):
    """Run the simulation and return the finished requests."""
    tok = args.per_token_ms / 1e3
    pre = args.prefill_per_token_ms / 1e3
    todo = sorted(requests, key=lambda r: r.arrival)
    queue, out = [], []
    clock = 0.0
    nxt = 0
    while nxt < len(todo) or queue:
        # everything that has arrived joins the queue
        while nxt < len(todo) and todo[nxt].arrival <= clock:
            queue.append(todo[nxt])
            nxt += 1
        if len(queue) == 0:
            clock = todo[nxt].arrival
            continue
        batch = choose(queue, policy, clock, args.max_batch, args.aging)
        batch_time = max(r.service_time(tok, pre) for r in batch)
        for r in batch:
            r.start = clock
            r.finish = clock + batch_time
            out.append(r)
        clock += batch_time
    return out


def compute_metrics(done):
    lat = sorted(r.finish - r.arrival for r in done)
    n = len(lat)
    queue_delay = sum(r.start - r.arrival for r in done) / n
    t_first = min(r.arrival for r in done)
    t_last = max(r.finish for r in done)
    total_tokens = sum(r.output_tokens for r in done)
    return {
        "requests": float(n),
        "latency_mean_s": sum(lat) / n,
        "latency_p50_s": lat[n // 2],
        "latency_p99_s": lat[min(n - 1, int(0.99 * n))],
        "latency_max_s": lat[-1],
        "queue_delay_mean_s": queue_delay,
        "throughput_rps": n / (t_last - t_first),
        "throughput_tps": total_tokens / (t_last - t_first),
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
