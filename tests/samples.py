"""Sample programs and builders shared by several test modules.

Import with `from tests.samples import ...` (tests run from the repository root).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from fingerprints.languages import EXTENSIONS
from integrity.documents import Document, Submission

# ----------------------------------------------------------------------------- builders


def doc(path: str, text: str) -> Document:
    """A document of `text`: prose for a .md path, else code in its extension's language (or Python)."""
    kind, language = ("prose", "text") if path.endswith(".md") else (
        "code", EXTENSIONS.get(Path(path).suffix, "python"))
    return Document(path, kind, language, text, hashlib.sha256(text.encode()).hexdigest())


def sub(name: str, files: dict[str, str], **meta) -> Submission:
    """A submission of {path: text}, its documents sorted by path."""
    return Submission(name, tuple(doc(p, t) for p, t in sorted(files.items())), meta)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} below root; return root."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


# ----------------------------------------------------------------------------- sample programs

SCHEDULER = '''\
import heapq


def schedule(jobs, workers):
    """Assign each job to the least-loaded worker."""
    heap = [(0, w) for w in range(workers)]
    heapq.heapify(heap)
    plan = {}
    for job, cost in sorted(jobs.items(), key=lambda kv: -kv[1]):
        load, worker = heapq.heappop(heap)
        plan[job] = worker
        heapq.heappush(heap, (load + cost, worker))
    return plan
'''

# the same program, renamed and re-commented
SCHEDULER_COPY = '''\
import heapq

# my scheduler
def assign(tasks, n):
    pq = [(0, i) for i in range(n)]
    heapq.heapify(pq)
    out = {}
    for t, c in sorted(tasks.items(), key=lambda p: -p[1]):
        busy, who = heapq.heappop(pq)
        out[t] = who
        heapq.heappush(pq, (busy + c, who))
    return out
'''

# unrelated to the scheduler
CACHE = '''\
class Cache:
    def __init__(self, size):
        self.size = size
        self.data = {}

    def get(self, key):
        if key not in self.data:
            raise KeyError(key)
        return self.data[key]

    def put(self, key, value):
        while len(self.data) >= self.size:
            del self.data[next(iter(self.data))]
        self.data[key] = value
'''

SHARED_BLOCK = '''\
def normalise(rows, columns):
    means = {}
    for column in columns:
        values = [row[column] for row in rows if row.get(column) is not None]
        means[column] = sum(values) / len(values) if values else 0.0
    result = []
    for row in rows:
        fixed = dict(row)
        for column in columns:
            if fixed.get(column) is None:
                fixed[column] = means[column]
        result.append(fixed)
    return result
'''

QUEUE = '''\
class Queue:
    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.insert(0, item)

    def pop(self):
        if not self.items:
            raise IndexError("empty")
        return self.items.pop()
'''

UNRELATED = '''\
with open("log.txt") as fh:
    for lineno, row in enumerate(fh):
        if lineno % 100 == 0:
            del row
        elif lineno > 5000:
            assert lineno != 42, "never"
        else:
            continue
'''
