"""CS 4790 A3: build kernel.cu with nvcc and run it over a few matrix shapes.

Usage:
    python launch.py --arch sm_80 --shapes 4096x1024 1024x4096 --repeats 50
"""

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(arch, binary):
    cmd = ["nvcc", "-O3", f"-arch={arch}", "-o", str(binary), str(HERE / "kernel.cu")]
    subprocess.run(cmd, check=True)


def run(binary, rows, cols, repeats):
    """Run the binary once; return (metrics dict, return code)."""
    try:
        proc = subprocess.run([str(binary), str(rows), str(cols), str(repeats)],
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return {}, -1
    metrics = {}
    for field in proc.stdout.split():
        name, _, value = field.partition("=")
        if value:
            metrics[name] = float(value)
    return metrics, proc.returncode


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--no-build", action="store_true", help="reuse an existing binary")
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    if not args.no_build:
        build(args.arch, binary)

    failures = 0
    for shape in args.shapes:
        rows, cols = (int(part) for part in shape.split("x"))
        metrics, code = run(binary, rows, cols, args.repeats)
        if code != 0:
            failures += 1
            print(f"[FAIL] {shape} exit={code} {metrics}")
            continue
        print(f"[ OK ] {shape:>10}  {metrics['time_ms']:8.4f} ms  "
              f"{metrics['gbps']:7.1f} GB/s  err={metrics['max_err']:.1e}")
    print(f"{len(args.shapes) - failures}/{len(args.shapes)} shapes passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
