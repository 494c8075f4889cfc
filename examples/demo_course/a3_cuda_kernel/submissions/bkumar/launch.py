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
PAIR = re.compile(r"(\w+)=(\S+)")


def build(arch, binary):
    cmd = ["nvcc", "-O3", f"-arch={arch}", "-o", str(binary), str(HERE / "kernel.cu")]
    subprocess.run(cmd, check=True)


def run(binary, rows, cols, repeats):
    """Run the binary once; return (metrics dict, return code)."""
    proc = subprocess.run([str(binary), str(rows), str(cols), str(repeats)],
                          capture_output=True, text=True)
    if proc.stderr:
        print(proc.stderr, file=sys.stderr, end="")
    metrics = {key: float(value) for key, value in PAIR.findall(proc.stdout)}
    return metrics, proc.returncode


def parse_shape(text):
    rows, cols = text.lower().split("x")
    return int(rows), int(cols)


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    build(args.arch, binary)

    failed = 0
    print(f"{'shape':>12} {'time_ms':>9} {'GB/s':>8} {'max_err':>10}  status")
    for shape in args.shapes:
        rows, cols = parse_shape(shape)
        m, code = run(binary, rows, cols, args.repeats)
        status = "ok" if code == 0 else "FAIL"
        failed += code != 0
        print(f"{shape:>12} {m.get('time_ms', float('nan')):>9.4f} "
              f"{m.get('gbps', float('nan')):>8.1f} {m.get('max_err', float('nan')):>10.2e}  {status}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
