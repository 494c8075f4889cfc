"""CS 4790 A3: build kernel.cu with nvcc and run it over a few matrix shapes.

Usage:
    python launch.py --arch sm_80 --shapes 4096x1024 1024x4096 --repeats 50
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(arch, binary):
    cmd = ["nvcc", "-O3", f"-arch={arch}", "-o", str(binary), str(HERE / "kernel.cu")]
    subprocess.run(cmd, check=True)


def run(binary, rows, cols, repeats):
    """Run the binary once; return (metrics dict, return code)."""
    proc = subprocess.run([str(binary), str(rows), str(cols), str(repeats)],
                          capture_output=True, text=True)
    last = proc.stdout.strip().splitlines()[-1:] or [""]
    fields = dict(kv.split("=", 1) for kv in last[0].split() if "=" in kv)
    return {k: float(v) for k, v in fields.items()}, proc.returncode


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--out", default=None, help="append JSON lines to this file")
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    build(args.arch, binary)

    records = []
    for shape in args.shapes:
        rows, cols = (int(x) for x in shape.split("x"))
        metrics, code = run(binary, rows, cols, args.repeats)
        metrics.update(shape=shape, exit_code=code)
        records.append(metrics)
        if code == 0:
            print(f"{shape:>11}: {metrics['time_ms']:.4f} ms  {metrics['gbps']:.1f} GB/s")
        else:
            print(f"{shape:>11}: failed with exit code {code}", file=sys.stderr)

    if args.out:
        with open(args.out, "a") as f:
            for rec in records:
                f.write(json.dumps(rec) + "\n")
    if any(rec["exit_code"] != 0 for rec in records):
        sys.exit(1)


if __name__ == "__main__":
    main()
