"""The sibling `../shared` folder: its evaluation harness, its peers and their installation.

Imports `tasks`, `evaluate` and `run_peers` from there so the bench reuses their metrics,
runners and measurements; exits with a clear message when the folder is absent.
"""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
PEERS = os.path.join(SHARED, "peers")

if not os.path.isdir(SHARED):
    sys.exit(f"bench: {SHARED} not found; the bench needs the shared data sets, eval harness and peers "
             "beside the repository")
sys.path[:0] = [os.path.join(SHARED, "eval"), PEERS]

import evaluate  # noqa: E402
import run_peers  # noqa: E402
import tasks  # noqa: E402

__all__ = ["REPO", "SHARED", "PEERS", "evaluate", "run_peers", "tasks", "ensure_peers"]


def ensure_peers(peers):
    """Install the peers with ../shared/peers/setup.sh unless every one of them is already there."""
    if all(run_peers.peer_version(p) for p in peers):
        return
    print("bench: installing the peers with setup.sh (a few minutes) ...", file=sys.stderr, flush=True)
    subprocess.run(["sh", os.path.join(PEERS, "setup.sh")], stdout=sys.stderr, check=True)
    missing = [p for p in peers if not run_peers.peer_version(p)]
    if missing:
        sys.exit(f"bench: setup.sh ran but {', '.join(missing)} is still missing")
