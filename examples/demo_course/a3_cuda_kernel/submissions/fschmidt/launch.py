"""CS 4790 A3: build kernel.cu with nvcc and run it over a few matrix shapes.

Usage:
    python launch.py --arch sm_80 --shapes 4096x1024 1024x4096 --repeats 50
"""

import argparse
import csv
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ["rows", "cols", "time_ms", "gbps", "max_err"]


def build(arch, binary):
    cmd = ["nvcc", "-O3", f"-arch={arch}", "-o", str(binary), str(HERE / "kernel.cu")]
    subprocess.run(cmd, check=True)


def run(binary, rows, cols, repeats):
    """Run the binary once; return (metrics dict, return code)."""
    proc = subprocess.run([str(binary), str(rows), str(cols), str(repeats)],
                          capture_output=True, text=True)
    pairs = (item.split("=") for item in proc.stdout.split() if "=" in item)
    return {k: float(v) for k, v in pairs}, proc.returncode


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--csv", help="also write the results to this CSV file")
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    build(args.arch, binary)

    rows_out, failures = [], []
    for shape in args.shapes:
        r, c = map(int, shape.split("x"))
        metrics, rc = run(binary, r, c, args.repeats)
        if rc != 0:
            failures.append(shape)
        rows_out.append(metrics)
        print(shape, " ".join(f"{k}={metrics.get(k)}" for k in FIELDS[2:]),
              "OK" if rc == 0 else "WRONG")

    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
            w.writeheader()
            w.writerows(rows_out)

    if failures:
        print("failed:", ", ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
