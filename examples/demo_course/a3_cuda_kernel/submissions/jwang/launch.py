"""CS 4790 A3: build kernel.cu with nvcc and run it over a few matrix shapes.

Usage:
    python launch.py --arch sm_80 --shapes 4096x1024 1024x4096 --repeats 50
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KV = re.compile(r"(\w+)=(\S+)")


def to_dims(spec):
    r, c = spec.lower().split("x")
    return int(r), int(c)


def run(binary, rows, cols, repeats):
    """Run the binary once; return (metrics dict, return code)."""
    proc = subprocess.run([str(binary), str(rows), str(cols), str(repeats)],
                          capture_output=True, text=True)
    if proc.stderr:
        sys.stderr.write(proc.stderr)
    found = {k: float(v) for k, v in KV.findall(proc.stdout)}
    return found, proc.returncode


def build(arch, binary):
    cmd = ["nvcc", "-O3", f"-arch={arch}", "-o", str(binary), str(HERE / "kernel.cu")]
    subprocess.run(cmd, check=True)


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    build(args.arch, binary)

    nan = float("nan")
    bad = 0
    print(f"{'shape':>12} {'ms':>9} {'GB/s':>8} {'err':>10}  result")
    for spec in args.shapes:
        rows, cols = to_dims(spec)
        res, rc = run(binary, rows, cols, args.repeats)
        if rc != 0:
            bad += 1
        print(f"{spec:>12} {res.get('time_ms', nan):>9.4f} {res.get('gbps', nan):>8.1f} "
              f"{res.get('max_err', nan):>10.2e}  {'PASS' if rc == 0 else 'FAIL'}")
    sys.exit(0 if bad == 0 else 1)


if __name__ == "__main__":
    main()
