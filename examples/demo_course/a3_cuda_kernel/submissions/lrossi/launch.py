"""CS 4790 A3: build kernel.cu with nvcc and run it over a few matrix shapes.

Usage:
    python launch.py --arch sm_80 --shapes 4096x1024 1024x4096 --repeats 50
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(arch, binary):
    cmd = ["nvcc", "-O3", f"-arch={arch}", "-o", str(binary), str(HERE / "kernel.cu")]
    t0 = time.time()
    subprocess.run(cmd, check=True)
    print(f"built {binary.name} in {time.time() - t0:.1f}s")


def to_dict(stdout):
    values = {}
    items = stdout.split()
    i = 0
    while i < len(items):
        key, _, val = items[i].partition("=")
        if val:
            values[key] = float(val)
        i += 1
    return values


def run(binary, rows, cols, repeats):
    """Run the binary once; return (metrics dict, return code)."""
    try:
        proc = subprocess.run([str(binary), str(rows), str(cols), str(repeats)],
                              capture_output=True, text=True, timeout=90)
    except subprocess.TimeoutExpired:
        print(f"timeout for {rows}x{cols}")
        return {}, -1
    return to_dict(proc.stdout), proc.returncode


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--skip-build", action="store_true", help="do not call nvcc")
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    if not args.skip_build:
        build(args.arch, binary)

    passed = 0
    k = 0
    while k < len(args.shapes):
        spec = args.shapes[k]
        k += 1
        r, c = (int(v) for v in spec.split("x"))
        res, rc = run(binary, r, c, args.repeats)
        if rc == 0:
            passed += 1
            print(f"PASS {spec:>10}  {res['time_ms']:8.4f} ms  "
                  f"{res['gbps']:7.1f} GB/s  max_err={res['max_err']:.1e}")
        else:
            print(f"FAIL {spec:>10}  rc={rc} {res}")
    print(f"passed {passed} of {len(args.shapes)}")
    return 0 if passed == len(args.shapes) else 1


if __name__ == "__main__":
    sys.exit(main())
