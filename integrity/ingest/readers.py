"""Readers per file kind: bytes -> Documents (text decoding, notebooks, PDF, DOCX)."""
from __future__ import annotations

import codecs
import hashlib
import io
import json
import re

import docx
import pypdf
from docx.table import Table

from integrity.documents import Document
from integrity.ingest import kinds

# A fallback 8-bit decoding is only believed when nearly every character is printable.
_MIN_PRINTABLE_SHARE = 0.95
# Cell magics whose body is still Python; any other `%%` cell (bash, html, ...) is commented out.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
_MAGIC_LINE = re.compile(r"^(\s*)([%!].*)$")


class Unreadable(Exception):
    """A file that cannot be read; the message is the one-line reason shown to the TA."""


def read_file(path: str, data: bytes, cpp_headers: bool = False) -> list[Document]:
    """The documents in one readable file's bytes; [] if it holds no text. Raises Unreadable."""
    ending = kinds.ending(path)
    sha = hashlib.sha256(data).hexdigest()
    if ending == kinds.NOTEBOOK:
        return notebook_documents(path, data, sha)
    if ending == kinds.PDF:
        text = pdf_text(data)
        if not text.strip():
            raise Unreadable("PDF has no extractable text")
    elif ending == kinds.DOCX:
        text = docx_text(data)
    else:
        text = decode_text(data)
    if not text.strip():
        return []
    language = kinds.code_language(path, cpp_headers)
    if language:
        return [Document(path, "code", language, text, sha)]
    return [Document(path, "prose", "text", text, sha)]


def decode_text(data: bytes) -> str:
    """Bytes -> text with `\\n` newlines: UTF-8 (BOM stripped), UTF-16 with a BOM, else cp1252/latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _newlines(data.decode("utf-16"))
        except UnicodeDecodeError:
            pass
    if b"\0" in data:
        raise Unreadable("binary file")
    try:
        return _newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(c.isprintable() or c in "\t\n\r\f" for c in text)
        if printable >= _MIN_PRINTABLE_SHARE * len(text):
            return _newlines(text)
    raise Unreadable("not valid UTF-8 text and not a recognised 8-bit encoding")


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def notebook_documents(path: str, data: bytes, sha: str) -> list[Document]:
    """A notebook's code cells (magics commented out) and its markdown cells, as two documents."""
    try:
        notebook = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise Unreadable(f"malformed notebook: {error}") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise Unreadable("malformed notebook: no list of cells (nbformat 4 expected)")
    code, markdown = [], []
    for number, cell in enumerate(cells, 1):
        source = cell.get("source", "") if isinstance(cell, dict) else None
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise Unreadable(f"malformed notebook: cell {number} has no source text")
        source = _newlines(source).strip("\n")
        if not source.strip():
            continue
        if cell.get("cell_type") == "code":
            code.append(_comment_magics(source))
        elif cell.get("cell_type") == "markdown":
            markdown.append(source)
    documents = []
    if code:
        documents.append(Document(path, "code", "python", "\n\n".join(code) + "\n", sha))
    if markdown:
        documents.append(Document(path + "#markdown", "prose", "text", "\n\n".join(markdown) + "\n", sha))
    return documents


def _comment_magics(source: str) -> str:
    """Turn IPython magics and shell escapes into comments so the cell parses as Python."""
    lines = source.split("\n")
    if lines[0].startswith("%%"):
        magic = lines[0][2:].split(maxsplit=1)[0] if lines[0][2:].strip() else ""
        if magic not in _PYTHON_CELL_MAGICS:
            return "\n".join("# " + line for line in lines)
    return "\n".join(_MAGIC_LINE.sub(r"\1# \2", line) for line in lines)


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, pages separated by a blank line."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("unreadable PDF: encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except Unreadable:
        raise
    except Exception as error:  # pypdf raises many types on malformed input
        raise Unreadable(f"unreadable PDF: {_describe(error)}") from None
    return _newlines("\n\n".join(page.strip("\n") for page in pages))


def docx_text(data: bytes) -> str:
    """The paragraphs and table cells of a DOCX body, in document order, one per line."""
    try:
        lines = list(_docx_lines(docx.Document(io.BytesIO(data))))
    except Exception as error:  # python-docx, zipfile and lxml raise many types on bad input
        raise Unreadable(f"unreadable DOCX: {_describe(error)}") from None
    return _newlines("\n".join(lines))


def _docx_lines(container):
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            seen = set()  # a merged cell is listed once per grid column it spans
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        yield from _docx_lines(cell)
        else:
            yield block.text


def _describe(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
