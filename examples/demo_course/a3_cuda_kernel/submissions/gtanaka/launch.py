"""CS 4790 A3: build kernel.cu with nvcc and run it over a few matrix shapes.

Usage:
    python launch.py --arch sm_80 --shapes 4096x1024 1024x4096 --repeats 50
"""

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def build(arch, binary):
    if shutil.which("nvcc") is None:
        sys.exit("nvcc not found; load the CUDA module first")
    cmd = ["nvcc", "-O3", f"-arch={arch}", "-lineinfo", "-o", str(binary),
           str(HERE / "kernel.cu")]
    subprocess.run(cmd, check=True)


def run(binary, rows, cols, repeats):
    """Run the binary once; return (metrics dict, return code)."""
    proc = subprocess.run([str(binary), str(rows), str(cols), str(repeats)],
                          capture_output=True, text=True)
    found = re.findall(rf"([a-z_]+)=({NUMBER})", proc.stdout)
    return {name: float(val) for name, val in found}, proc.returncode


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--peak-gbps", type=float, default=1555.0,
                   help="DRAM bandwidth of the GPU, for the %%-of-peak column (A100 40GB)")
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    build(args.arch, binary)

    ok = True
    header = ("shape", "time_ms", "GB/s", "%peak", "max_err")
    print("{:>12} {:>10} {:>9} {:>7} {:>10}".format(*header))
    for shape in args.shapes:
        rows, cols = [int(s) for s in shape.split("x")]
        m, rc = run(binary, rows, cols, args.repeats)
        ok = ok and rc == 0
        if "gbps" not in m:
            print(f"{shape:>12}  no output (exit {rc})")
            continue
        pct = 100.0 * m["gbps"] / args.peak_gbps
        flag = "" if rc == 0 else "  <-- mismatch"
        print(f"{shape:>12} {m['time_ms']:>10.4f} {m['gbps']:>9.1f} {pct:>6.1f}% "
              f"{m['max_err']:>10.2e}{flag}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
