"""CS 4790 A3: build kernel.cu with nvcc and run it over a few matrix shapes.

Usage:
    python launch.py --arch sm_80 --shapes 4096x1024 1024x4096 --repeats 50
"""

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINE = re.compile(r"rows=(\d+) cols=(\d+) time_ms=(\S+) gbps=(\S+) max_err=(\S+)")


@dataclass
class Result:
    rows: int
    cols: int
    time_ms: float
    gbps: float
    max_err: float
    ok: bool


def build(arch, binary):
    cmd = ["nvcc", "-O3", f"-arch={arch}", "-o", str(binary), str(HERE / "kernel.cu")]
    subprocess.run(cmd, check=True)


def run(binary, rows, cols, repeats):
    """Run the binary once; return (metrics dict, return code)."""
    proc = subprocess.run([str(binary), str(rows), str(cols), str(repeats)],
                          capture_output=True, text=True)
    match = LINE.search(proc.stdout)
    if match is None:
        return {}, proc.returncode or 1
    keys = ("rows", "cols", "time_ms", "gbps", "max_err")
    return dict(zip(keys, map(float, match.groups()))), proc.returncode


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    build(args.arch, binary)

    results = []
    for shape in args.shapes:
        rows, cols = map(int, shape.split("x"))
        d, code = run(binary, rows, cols, args.repeats)
        results.append(Result(rows, cols, d.get("time_ms", float("nan")),
                              d.get("gbps", float("nan")), d.get("max_err", float("nan")),
                              code == 0))
    for r in results:
        print(f"{r.rows:>6} x {r.cols:<6} {r.time_ms:9.4f} ms {r.gbps:8.1f} GB/s "
              f"err {r.max_err:.1e} {'ok' if r.ok else 'MISMATCH'}")
    sys.exit(0 if all(r.ok for r in results) else 1)


if __name__ == "__main__":
    main()
