"""Background work (ingest and analysis) in a thread per assignment, with polled progress.

The page that starts a job returns at once; it then asks for the job's status (stage,
done of total) with a small fetch, so no request ever waits for an analysis.
"""
from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from flask import current_app, flash

from integrity.store import Store


@dataclass(frozen=True)
class JobStatus:
    """Where a job is: state "running", "done" or "failed"; its stage and progress; a message."""

    state: str
    stage: str = "queued"
    done: int = 0
    total: int = 0
    message: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


class Progress:
    """Handed to the work: `stage(...)` names a step; calling it wraps an iterable and counts items
    (the signature of integrity's progress callbacks)."""

    def __init__(self, jobs: Jobs, key: object) -> None:
        self._jobs, self._key = jobs, key

    def stage(self, label: str, total: int = 0) -> None:
        self._jobs._update(self._key, stage=label, done=0, total=total)

    def __call__(self, items: Iterable, total: int, label: str) -> Iterable:
        self.stage(label, total)
        for done, item in enumerate(items, 1):
            yield item
            self._jobs._update(self._key, done=done)


class Jobs:
    """At most one job per key (an assignment id) at a time; statuses kept in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status: dict[object, JobStatus] = {}
        self._threads: dict[object, threading.Thread] = {}

    def start(self, key: object, work: Callable[[Progress], str]) -> bool:
        """Run work(progress) in a thread; False (nothing started) if the key's job is running."""
        with self._lock:
            if self._status.get(key, JobStatus("done")).state == "running":
                return False
            self._status[key] = JobStatus("running")
            thread = threading.Thread(target=self._run, args=(key, work), daemon=True,
                                      name=f"integrity-job-{key}")
            self._threads[key] = thread
        thread.start()
        return True

    def status(self, key: object) -> JobStatus | None:
        """The key's latest job status, or None if it never had a job."""
        with self._lock:
            return self._status.get(key)

    def wait(self, key: object, timeout: float | None = None) -> JobStatus | None:
        """Block until the key's job ends (for tests and the command line)."""
        thread = self._threads.get(key)
        if thread is not None:
            thread.join(timeout)
        return self.status(key)

    def _run(self, key: object, work: Callable[[Progress], str]) -> None:
        try:
            message = work(Progress(self, key))
            self._update(key, state="done", stage="done", message=message)
        except Exception as err:  # noqa: BLE001 - shown to the staff on the page; the store marks the run failed
            self._update(key, state="failed", message=f"{type(err).__name__}: {err}")

    def _update(self, key: object, **changes) -> None:
        with self._lock:
            self._status[key] = replace(self._status.get(key, JobStatus("running")), **changes)


def jobs() -> Jobs:
    """The app's jobs."""
    return current_app.extensions["jobs"]


def start_job(key: object, work: Callable[[Store, Progress], str], busy: str, staged: Path | None = None) -> None:
    """Run work(store, progress) in the background, on its own connection to the app's database.

    `staged` (uploaded files the work reads) is removed when the work ends, or at once when a
    job of this key is still running, in which case `busy` is flashed instead.
    """
    db = current_app.config["DB"]

    def run(progress: Progress) -> str:
        worker = Store(db)
        try:
            return work(worker, progress)
        finally:
            worker.db.conn.close()
            if staged is not None:
                shutil.rmtree(staged, ignore_errors=True)

    if not jobs().start(key, run):
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        flash(busy)
