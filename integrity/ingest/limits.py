"""The bounds ingest keeps to, so that one hostile or huge upload cannot exhaust the machine."""
from __future__ import annotations

from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class Limits:
    """Size bounds for files and archives (archive bounds apply to each archive on its own)."""

    max_file_bytes: int = 2 * MIB
    max_archive_bytes: int = 200 * MIB  # uncompressed total of one archive
    max_archive_files: int = 10_000
    max_compression_ratio: float = 200.0  # uncompressed / compressed, whole archive


def size_text(n: int) -> str:
    """A byte count as a TA reads it: '3.1 MiB', '2 MiB', '12 KiB', '80 bytes'."""
    for unit, scale in (("MiB", MIB), ("KiB", KIB)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"
