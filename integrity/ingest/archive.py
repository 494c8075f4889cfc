"""Safe zip extraction: bombs are refused before unpacking, and no entry may escape the target."""
from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path

from integrity.documents import Problem
from integrity.ingest.limits import MIB, Limits, size_text

# Tiny repetitive files compress extremely well, so the ratio is only judged on big archives.
_RATIO_FLOOR = 1 * MIB
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveRefused(Exception):
    """The whole archive was not unpacked; the message is the reason shown to the TA."""


class _OverLimit(Exception):
    """More bytes came out of the archive than its central directory declared."""


def extract_zip(archive: Path, target: Path, limits: Limits, shown: str) -> list[Problem]:
    """Unpack `archive` into the folder `target`; return a Problem per refused entry.

    `shown` is how the TA knows the archive (entries are shown as ``shown!entry``). Raises
    ArchiveRefused when the archive is not a zip or breaks a limit, checked from the central
    directory before anything is written and again on the bytes actually written.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            _check_declared(infos, limits)
            problems: list[Problem] = []
            written = 0
            for info in infos:
                problem, size = _extract_entry(zf, info, target, shown, limits.max_archive_bytes - written)
                written += size
                if problem:
                    problems.append(problem)
            return problems
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ArchiveRefused("not a valid zip archive") from None
    except _OverLimit:
        # The central directory understated the sizes: stop at the limit rather than trust it.
        limit = size_text(limits.max_archive_bytes)
        raise ArchiveRefused(f"archive is too large when unpacked (more than declared, limit {limit})") from None
    except OSError as error:
        raise ArchiveRefused(f"cannot read archive: {error}") from None


def _check_declared(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_archive_files:
        raise ArchiveRefused(f"archive has too many entries ({len(infos)}, limit {limits.max_archive_files})")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_archive_bytes:
        limit = size_text(limits.max_archive_bytes)
        raise ArchiveRefused(f"archive is too large when unpacked ({size_text(unpacked)}, limit {limit})")
    packed = max(1, sum(info.compress_size for info in infos))
    if unpacked > _RATIO_FLOOR and unpacked > limits.max_compression_ratio * packed:
        raise ArchiveRefused(
            f"suspicious compression ratio ({unpacked // packed}:1, limit {limits.max_compression_ratio:g}:1)"
        )


def _extract_entry(zf, info, target, shown, allowance) -> tuple[Problem | None, int]:
    """Write one entry below target, at most `allowance` bytes; return (problem, bytes written)."""
    name = info.filename.replace("\\", "/")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if name.startswith("/") or _DRIVE.match(name) or ".." in parts:
        return Problem(shown, f"archive entry escapes the archive (absolute path or ..): {info.filename}"), 0
    if stat.S_ISLNK(info.external_attr >> 16):
        return Problem(f"{shown}!{name}", "symbolic link ignored"), 0
    if info.is_dir() or not parts:
        return None, 0
    if info.flag_bits & 0x1:
        return Problem(f"{shown}!{name}", "encrypted archive entry"), 0
    destination = target.joinpath(*parts)
    written = 0
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as source, open(destination, "wb") as sink:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > allowance:
                    raise _OverLimit
                sink.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        destination.unlink(missing_ok=True)
        return Problem(f"{shown}!{name}", f"damaged archive entry: {error}"), written
    except OSError as error:  # e.g. a file entry where an earlier entry made a folder
        return Problem(f"{shown}!{name}", f"cannot unpack entry: {error.strerror or error}"), written
    return None, written
