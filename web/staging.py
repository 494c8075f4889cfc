"""Uploaded files put on disk, in a temporary folder, for the background work that reads them."""
from __future__ import annotations

import tempfile
from pathlib import Path

from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename


def staging_folder(purpose: str) -> Path:
    """A new temporary folder (the job that reads it removes it: web.jobs.start_job)."""
    return Path(tempfile.mkdtemp(prefix=f"integrity-{purpose}-"))


def save(file: FileStorage, folder: Path, default: str = "upload") -> Path:
    """One uploaded file in `folder`, under its own name made safe."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (secure_filename(file.filename or "") or default)
    file.save(path)
    return path


def save_tree(files: list[FileStorage] | None, folder: Path, name: str) -> Path | None:
    """Uploaded files read as one tree: a single .zip as it is (`name`.zip), otherwise a folder
    `name` holding them; None when no file was given."""
    given = [f for f in files or [] if f and f.filename]
    if not given:
        return None
    if len(given) == 1 and given[0].filename.lower().endswith(".zip"):
        folder.mkdir(parents=True, exist_ok=True)
        given[0].save(folder / f"{name}.zip")
        return folder / f"{name}.zip"
    for f in given:
        save(f, folder / name, "solution")
    return folder / name
