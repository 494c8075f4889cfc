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
    # TODO: parse the key=value pairs printed by the binary into a dict
    #       (values as float) and return it together with proc.returncode.
    raise NotImplementedError


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    build(args.arch, binary)
    # TODO: run every shape, print one line per shape and exit non-zero if any
    #       run failed the correctness check.


if __name__ == "__main__":
    main()
