"""Where and with what the figures were measured: date, machine, versions."""
import datetime
import os
import platform
import subprocess

from bench.shared import REPO, run_peers


def describe(tools):
    """Date, cores, memory, Python, this project's git version and the peers' versions."""
    git = subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty", "--tags"],
                         capture_output=True, text=True)
    return dict(
        date=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        machine=platform.platform(),
        cores=os.cpu_count(),
        memory_gb=round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        python=platform.python_version(),
        project=git.stdout.strip() or "unknown (not a git checkout)",
        peers={t: run_peers.peer_version(t) for t in tools if t != "project"},
    )


def report(env):
    """The header printed above the tables."""
    peers = "; ".join(f"{p}: {v}" for p, v in env["peers"].items()) or "none"
    return (f"Benchmark {env['date']}\n"
            f"machine: {env['cores']} cores, {env['memory_gb']} GiB, {env['machine']}, Python {env['python']}\n"
            f"project: {env['project']}\n"
            f"peers:   {peers}\n")
