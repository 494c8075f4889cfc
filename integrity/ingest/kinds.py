"""File endings -> what a file holds: code in a language, prose, or a notebook (both)."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

CODE_LANGUAGES = {
    ".py": "python",
    ".c": "c",
    ".h": "c",  # C++ when the submission has C++ sources, see code_language
    ".cpp": "cpp",
    ".cc": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".hh": "cpp",
    ".hxx": "cpp",
    ".cu": "cuda",
    ".cuh": "cuda",
    ".java": "java",
}
PLAIN_PROSE = frozenset({".md", ".markdown", ".txt", ".rst", ".tex"})
NOTEBOOK, PDF, DOCX = ".ipynb", ".pdf", ".docx"
READABLE = frozenset(CODE_LANGUAGES) | PLAIN_PROSE | {NOTEBOOK, PDF, DOCX}


def ending(name: str) -> str:
    """The lower-cased last extension of a file name, with its dot ('' if none)."""
    return PurePosixPath(name).suffix.lower()


def is_readable(name: str) -> bool:
    """Whether ingest reads files with this name's ending."""
    return ending(name) in READABLE


def code_language(name: str, cpp_headers: bool = False) -> str | None:
    """The code language of a file, or None if it is not a code file."""
    language = CODE_LANGUAGES.get(ending(name))
    return "cpp" if language == "c" and cpp_headers and ending(name) == ".h" else language


def has_cpp_sources(names: Iterable[str]) -> bool:
    """Whether a submission's files include C++, so that its `.h` headers are C++ too."""
    return any(CODE_LANGUAGES.get(ending(name)) == "cpp" for name in names)
