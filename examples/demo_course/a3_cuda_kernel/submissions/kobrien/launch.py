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
    values = {}
    for item in proc.stdout.split():
        if "=" not in item:
            continue
        name, number = item.split("=")
        values[name] = float(number)
    return values, proc.returncode


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    build(args.arch, binary)

    exit_code = 0
    for shape in args.shapes:
        rows, cols = shape.split("x")
        values, rc = run(binary, int(rows), int(cols), args.repeats)
        if rc != 0:
            exit_code = 1
        line = ", ".join(f"{k}={v:g}" for k, v in values.items())
        print(("PASS  " if rc == 0 else "FAIL  ") + line)
    sys.exit(exit_code)


if __name__ == "__main__":
    main()
