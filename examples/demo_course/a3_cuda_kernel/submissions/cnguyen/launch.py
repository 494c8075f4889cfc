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
    proc = subprocess.run([str(binary), str(rows), str(cols), str(repeats)],
                          capture_output=True, text=True)
    result = {}
    lines = proc.stdout.strip().splitlines()
    if lines:
        for token in lines[-1].split():
            if "=" in token:
                key, value = token.split("=", 1)
                result[key] = float(value)
    return result, proc.returncode


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    build(args.arch, binary)

    all_ok = True
    for shape in args.shapes:
        rows, cols = (int(v) for v in shape.split("x"))
        result, code = run(binary, rows, cols, args.repeats)
        if code != 0 or not result:
            all_ok = False
            print(f"{shape}: FAILED (exit code {code}) {result}")
        else:
            print(f"{shape}: {result['time_ms']:.4f} ms, {result['gbps']:.1f} GB/s, "
                  f"max err {result['max_err']:.1e}")
    if not all_ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
