"""CS 4790 A3: build kernel.cu with nvcc and run it over a few matrix shapes.

Usage:
    python launch.py --arch sm_80 --shapes 4096x1024 1024x4096 --repeats 50
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(arch, binary):
    cmd = ["nvcc", "-O3", f"-arch={arch}", "-o", str(binary), str(HERE / "kernel.cu")]
    subprocess.run(cmd, check=True)


def parse_output(text):
    """'a=1 b=2.5' -> {'a': 1.0, 'b': 2.5}; ignores anything that is not key=value."""
    out = {}
    for word in text.split():
        key, sep, value = word.partition("=")
        if not sep:
            continue
        try:
            out[key] = float(value)
        except ValueError:
            out[key] = value
    return out


def run(binary, rows, cols, repeats):
    """Run the binary once; return (metrics dict, return code)."""
    proc = subprocess.run([str(binary), str(rows), str(cols), str(repeats)],
                          capture_output=True, text=True, timeout=300)
    return parse_output(proc.stdout), proc.returncode


def main(argv=None):
    p = argparse.ArgumentParser(description="Build and run the softmax kernel.")
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--shapes", nargs="+", default=["4096x1024", "1024x4096", "8192x128"])
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--json", metavar="PATH", help="write all results to PATH")
    args = p.parse_args(argv)

    binary = HERE / "softmax"
    build(args.arch, binary)

    report = []
    for shape in args.shapes:
        rows, cols = map(int, shape.lower().split("x"))
        metrics, code = run(binary, rows, cols, args.repeats)
        metrics["passed"] = code == 0
        report.append(metrics)
        print(json.dumps(metrics))

    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    sys.exit(0 if all(m["passed"] for m in report) else 1)


if __name__ == "__main__":
    main()
