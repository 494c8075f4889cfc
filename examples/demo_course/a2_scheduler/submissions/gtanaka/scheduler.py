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
import sys
from dataclasses import dataclass
from typing import Optional

DEBUG = False


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
    p.add_argument("--aging", type=float, default=0.25,
                   help="priority levels gained per second of waiting")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    return p.parse_args(argv)


def debug(*parts):
    if DEBUG:
        print("[sim]", *parts, file=sys.stderr)


class Ordering:
    def sort(self, queue, t):
        raise NotImplementedError

    def take(self, queue, t, limit):
        ranked = self.sort(queue, t)
        return ranked[:limit]

    def describe(self):
        # not used by the simulator, handy in the REPL
        return type(self).__name__


class ArrivalOrder(Ordering):
    def sort(self, queue, t):
        return sorted(queue, key=lambda q: (q.arrival, q.rid))


class FewestTokens(Ordering):
    def sort(self, queue, t):
        # we cheat a bit: the true generation length is known up front
        return sorted(queue, key=lambda q: (q.output_tokens, q.arrival))


class Aged(Ordering):
    def __init__(self, boost):
        self.boost = boost

    def level(self, q, t):
        return q.priority - self.boost * (t - q.arrival)

    def sort(self, queue, t):
        return sorted(queue, key=lambda q: (self.level(q, t), q.arrival))


def make_ordering(name, args):
    if name == "priority":
        return Aged(args.aging)
    if name == "sjf":
        return FewestTokens()
    return ArrivalOrder()


def admit(incoming, pos, queue, t):
    """Append every request with arrival <= t, return the new position."""
    for q in incoming[pos:]:
        if q.arrival > t:
            break
        queue.append(q)
        pos += 1
    return pos


def run_batch(group, t, tok_s, pre_s):
    """Stamp start/finish on every member and return when the GPU is free again."""
    end = t
    j = 0
    while j < len(group):
        q = group[j]
        q.start = t
        q.finish = t + q.service_time(tok_s, pre_s)
        if q.finish > end:
            end = q.finish
        j += 1
    return end


def simulate(requests, policy, args):
    """Run the simulation and return the finished requests."""
    ordering = make_ordering(policy, args)
    tok_s = args.per_token_ms * 1e-3
    pre_s = args.prefill_per_token_ms * 1e-3

    incoming = sorted(requests, key=lambda q: q.arrival)
    queue, completed = [], []
    t, pos, n_batches = 0.0, 0, 0
    while pos < len(incoming) or len(queue) > 0:
        pos = admit(incoming, pos, queue, t)
        if len(queue) == 0:
            t = incoming[pos].arrival
            continue
        group = ordering.take(queue, t, args.max_batch)
        taken = set(q.rid for q in group)
        queue = [q for q in queue if q.rid not in taken]
        t = run_batch(group, t, tok_s, pre_s)
        completed.extend(group)
        n_batches += 1
        debug(f"batch {n_batches}: {len(group)} reqs, t={t:.2f}, queue={len(queue)}")
    debug(f"{n_batches} batches in total")
    return completed


def compute_metrics(done):
    lat = sorted(q.finish - q.arrival for q in done)
    waits = [q.start - q.arrival for q in done]
    n = len(done)

    def pct(frac):
        k = (n - 1) * frac
        i = int(k)
        return lat[i] + (lat[min(i + 1, n - 1)] - lat[i]) * (k - i)

    span = max(q.finish for q in done) - min(q.arrival for q in done)
    out = {
        "requests": float(n),
        "mean_latency_s": sum(lat) / n,
        "p50_latency_s": pct(0.5),
        "p99_latency_s": pct(0.99),
        "mean_queue_s": sum(waits) / n,
        "max_queue_s": max(waits),
        "throughput_rps": n / span,
        "throughput_tok_s": sum(q.output_tokens for q in done) / span,
    }
    levels = sorted(set(q.priority for q in done))
    k = 0
    while k < len(levels):
        sel = [q.finish - q.arrival for q in done if q.priority == levels[k]]
        out["mean_latency_prio%d_s" % levels[k]] = sum(sel) / len(sel)
        k += 1
    return out


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
