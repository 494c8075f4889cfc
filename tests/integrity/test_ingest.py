"""Ingest: every source layout, every file kind, and every kind of bad input, from fixtures built here."""
from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import struct
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrity.documents import Document, Problem
from integrity.ingest import Limits, load_batch, load_tree
from integrity.ingest import archive, readers
from integrity.ingest.lms import (
    CanvasFile,
    parse_canvas_name,
    parse_gradescope_metadata,
    without_duplicate_suffix,
)

MIB = 1024 * 1024


# ---------------------------------------------------------------- fixture builders


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} below root; return root."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
    return root


def make_zip(path: Path, files: dict[str, str | bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return path


def make_pdf(text: str | None) -> bytes:
    """A minimal valid one-page PDF showing `text` in Helvetica (no text at all if None)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text is not None else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Introduction to our kernel.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "variant"
    table.cell(0, 1).text = "time"
    table.cell(1, 0).text = "tiled"
    table.cell(1, 1).text = "3 ms"
    document.add_paragraph("Conclusion.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_notebook(cells: list[tuple[str, str | list[str]]]) -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {"cell_type": kind, "metadata": {}, "source": source} | ({"outputs": []} if kind == "code" else {})
                for kind, source in cells
            ],
        }
    )


def by_name(batch) -> dict:
    return {submission.name: submission for submission in batch.submissions}


def docs(submission) -> dict[str, Document]:
    return {document.path: document for document in submission.documents}


def sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


GOOD = {"alice/main.py": "print('alice')\n", "bob/main.py": "print('bob')\n"}


# ---------------------------------------------------------------- source layouts


def test_folder_of_folders_reads_all_files_recursively_with_relative_paths(tmp_path):
    write(tmp_path, {
        "alice/main.py": "import util\n",
        "alice/src/util.py": "X = 1\n",
        "alice/README.md": "# Alice\n",
        "alice/.git/config": "[core]\n",
        "alice/__pycache__/util.cpython-311.pyc": b"\x00\x01",
        "alice/.DS_Store": b"\x00\x00",
        "bob/main.py": "print('bob')\n",
        "__MACOSX/alice/._main.py": b"\x00\x05",
        ".hidden/x.py": "x = 1\n",
    })
    batch = load_batch(tmp_path)
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    alice = batch.submissions[0]
    assert [d.path for d in alice.documents] == ["README.md", "main.py", "src/util.py"]
    assert docs(alice)["src/util.py"] == Document("src/util.py", "code", "python", "X = 1\n", sha("X = 1\n"))
    assert docs(alice)["README.md"].kind == "prose" and docs(alice)["README.md"].language == "text"
    assert batch.problems == [] and batch.skipped == []  # hidden files and litter are silent


def test_folder_of_files_names_each_submission_by_its_file_name(tmp_path):
    write(tmp_path, {"s1.java": "class A {}\n", "s2.java": "class B {}\n", "s3.cu": "__global__ void k() {}\n"})
    batch = load_batch(tmp_path)
    assert [s.name for s in batch.submissions] == ["s1.java", "s2.java", "s3.cu"]
    java = "class A {}\n"
    assert batch.submissions[0].documents == (Document("s1.java", "code", "java", java, sha(java)),)
    assert batch.submissions[2].documents[0].language == "cuda"


def test_zip_of_folders_shows_problems_inside_the_zip(tmp_path):
    source = make_zip(tmp_path / "batch.zip", {**GOOD, "carol/notes.txt": b"\x00\x01binary"})
    batch = load_batch(source)
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    assert docs(by_name(batch)["bob"])["main.py"].text == "print('bob')\n"
    assert batch.problems == [
        Problem("batch.zip!carol", "empty submission: no readable files"),
        Problem("batch.zip!carol/notes.txt", "binary file"),
    ]


def test_single_top_folder_in_zip_is_descended_into(tmp_path):
    source = make_zip(tmp_path / "batch.zip", {
        "hw1/alice/main.py": "a = 1\n",
        "hw1/bob/main.py": "b = 2\n",
        "__MACOSX/hw1/._alice": b"\x00",
    })
    batch = load_batch(source)
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    assert [d.path for d in by_name(batch)["alice"].documents] == ["main.py"]


def test_per_student_zips_are_named_without_zip_and_descend_their_top_folder(tmp_path):
    make_zip(tmp_path / "alice.zip", {"alice/src/main.py": "a = 1\n", "alice/report.md": "Report\n"})
    make_zip(tmp_path / "bob.zip", {"main.py": "b = 2\n"})
    write(tmp_path, {"carol/main.py": "c = 3\n"})
    batch = load_batch(tmp_path)
    assert [s.name for s in batch.submissions] == ["alice", "bob", "carol"]
    assert [d.path for d in by_name(batch)["alice"].documents] == ["report.md", "src/main.py"]
    assert [d.path for d in by_name(batch)["bob"].documents] == ["main.py"]


def test_per_student_zips_inside_a_batch_zip(tmp_path):
    inner = make_zip(tmp_path / "inner" / "alice.zip", {"alice/main.py": "a = 1\n", "alice/x.png": b"\x89PNG"})
    source = make_zip(tmp_path / "batch.zip", {"alice.zip": inner.read_bytes(), "bob/main.py": "b = 2\n"})
    batch = load_batch(source)
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    assert batch.skipped == [
        Problem("batch.zip!alice.zip!alice/x.png", "skipped: not a supported file type (.png)")
    ]


def test_a_folder_and_a_zip_with_the_same_name_both_stay_with_their_full_names(tmp_path):
    write(tmp_path, {"alice/main.py": "a = 1\n"})
    make_zip(tmp_path / "alice.zip", {"main.py": "a = 2\n"})
    batch = load_batch(tmp_path)
    assert [s.name for s in batch.submissions] == ["alice", "alice.zip"]


def test_canvas_flat_export_groups_by_login_and_restores_original_names(tmp_path):
    write(tmp_path, {
        "alicesmith_1001_5001_hw1.py": "a = 1\n",
        "alicesmith_1001_5002_report.md": "Alice's report\n",
        "bobjones_LATE_1002_5003_hw1-1.py": "b = 2\n",
        "carol_white_1003_5004_hw1.py": "c = 3\n",  # a login with an underscore
        "erin_1005_5006_hw.py": "e = 1\n",
        "erin_1005_5007_hw-1.py": "e = 2\n",  # would clash with hw.py: keeps its suffix
    })
    make_zip(tmp_path / "dave_1004_5005_project.zip", {"project/main.py": "d = 4\n"})
    batch = load_batch(tmp_path)
    subs = by_name(batch)
    assert sorted(subs) == ["alicesmith", "bobjones", "carol_white", "dave", "erin"]
    assert [d.path for d in subs["alicesmith"].documents] == ["hw1.py", "report.md"]
    assert [d.path for d in subs["bobjones"].documents] == ["hw1.py"]
    assert docs(subs["bobjones"])["hw1.py"].text == "b = 2\n"
    assert subs["bobjones"].meta == {"source": "canvas", "login": "bobjones", "user_id": "1002", "late": True}
    assert subs["alicesmith"].meta["late"] is False
    assert [d.path for d in subs["dave"].documents] == ["main.py"]
    assert [d.path for d in subs["erin"].documents] == ["hw-1.py", "hw.py"]
    assert batch.problems == []


def test_canvas_export_reports_files_not_named_like_the_rest(tmp_path):
    write(tmp_path, {
        "alicesmith_1001_5001_hw1.py": "a = 1\n",
        "bobjones_1002_5003_hw1.py": "b = 2\n",
        "instructions.txt": "Do the homework\n",
    })
    batch = load_batch(tmp_path)
    assert [s.name for s in batch.submissions] == ["alicesmith", "bobjones"]
    assert batch.problems == [
        Problem("instructions.txt", "not named like the rest of the Canvas export (<login>_<id>_<id>_<name>)")
    ]


GRADESCOPE_METADATA = """\
---
submission_111:
  :submitters:
  - :name: Jane Doe
    :sid: '12345'
    :email: jane.doe@uni.edu
  :created_at: 2026-01-01 12:00:00.000000000 -08:00
  :score: 10.0
  :history: []
submission_222:
  :submitters:
  - :name: "Bob O'Neil"
    :sid: '67890'
  - :name: Al Partner
    :sid: '11111'
    :email: al@uni.edu
  :history:
  - :name: not a submitter
submission_333:
  :submitters: []
"""


def test_gradescope_export_names_submissions_by_submitter(tmp_path):
    write(tmp_path, {
        "submission_metadata.yml": GRADESCOPE_METADATA,
        "submission_111/hw.py": "j = 1\n",
        "submission_222/src/hw.py": "b = 2\n",
        "submission_333/hw.py": "n = 3\n",
    })
    batch = load_batch(tmp_path)
    subs = by_name(batch)
    assert sorted(subs) == ["67890", "jane.doe", "submission_333"]
    assert subs["jane.doe"].meta == {
        "source": "gradescope",
        "folder": "submission_111",
        "submitters": [{"name": "Jane Doe", "sid": "12345", "email": "jane.doe@uni.edu"}],
    }
    assert subs["67890"].meta["submitters"] == [
        {"name": "Bob O'Neil", "sid": "67890"},
        {"name": "Al Partner", "sid": "11111", "email": "al@uni.edu"},
    ]
    assert [d.path for d in subs["67890"].documents] == ["src/hw.py"]
    assert subs["submission_333"].meta["submitters"] == []
    assert batch.problems == [] and batch.skipped == []


def test_gradescope_export_in_a_zip_with_a_top_folder(tmp_path):
    source = make_zip(tmp_path / "export.zip", {
        "assignment_9_export/submission_metadata.yml": GRADESCOPE_METADATA,
        "assignment_9_export/submission_111/hw.py": "j = 1\n",
        "assignment_9_export/submission_333/empty.py": "",
    })
    batch = load_batch(source)
    assert [s.name for s in batch.submissions] == ["jane.doe"]
    folder = "export.zip!assignment_9_export/submission_333"
    assert batch.problems == [Problem(folder, "empty submission: no readable files")]
    assert batch.skipped == [Problem(folder + "/empty.py", "skipped: empty file")]


def test_gradescope_submitters_with_the_same_email_local_part_fall_back_to_folders(tmp_path):
    metadata = (
        "submission_1:\n  :submitters:\n  - :email: sam@a.edu\n"
        "submission_2:\n  :submitters:\n  - :email: sam@b.edu\n"
    )
    write(tmp_path, {"submission_metadata.yml": metadata, "submission_1/a.py": "a\n", "submission_2/b.py": "b\n"})
    assert [s.name for s in load_batch(tmp_path).submissions] == ["submission_1", "submission_2"]


def test_load_tree_reads_a_template_folder_zip_or_file(tmp_path):
    write(tmp_path, {"starter/main.py": "def todo():\n    pass\n", "starter/data.csv": "a,b\n"})
    submission, problems, skipped = load_tree(tmp_path / "starter")
    assert submission.name == "starter" and [d.path for d in submission.documents] == ["main.py"]
    assert problems == [] and skipped == [Problem("starter/data.csv", "skipped: not a supported file type (.csv)")]

    make_zip(tmp_path / "ref.zip", {"ref/solution.py": "x = 1\n"})
    submission, problems, _ = load_tree(tmp_path / "ref.zip", name="gpt-4o")
    assert submission.name == "gpt-4o" and [d.path for d in submission.documents] == ["solution.py"]

    write(tmp_path, {"solo.cpp": "int main() {}\n"})
    submission, _, _ = load_tree(tmp_path / "solo.cpp")
    assert submission.name == "solo.cpp" and submission.documents[0].language == "cpp"

    write(tmp_path, {"blank/image.png": b"\x89PNG"})
    assert load_tree(tmp_path / "blank")[:2] == (None, [Problem("blank", "empty submission: no readable files")])
    with pytest.raises(FileNotFoundError):
        load_tree(tmp_path / "missing")


def test_load_batch_refuses_a_path_that_is_neither_folder_nor_zip(tmp_path):
    write(tmp_path, {"main.py": "x = 1\n"})
    with pytest.raises(ValueError):
        load_batch(tmp_path / "main.py")


def test_output_is_sorted_and_deterministic(tmp_path):
    write(tmp_path, {f"s{i:02d}/{name}": f"{name} {i}\n" for i in range(12) for name in ("b.py", "a.md", "c.txt")})
    first, second = load_batch(tmp_path), load_batch(tmp_path)
    assert first == second
    assert [s.name for s in first.submissions] == [f"s{i:02d}" for i in range(12)]
    assert all([d.path for d in s.documents] == ["a.md", "b.py", "c.txt"] for s in first.submissions)


# ---------------------------------------------------------------- file kinds


@pytest.mark.parametrize(
    "name, language",
    [("a.py", "python"), ("a.PY", "python"), ("a.c", "c"), ("a.cpp", "cpp"), ("a.cc", "cpp"), ("a.cxx", "cpp"),
     ("a.hpp", "cpp"), ("a.hh", "cpp"), ("a.hxx", "cpp"), ("a.cu", "cuda"), ("a.cuh", "cuda"), ("a.java", "java")],
)
def test_code_languages_by_file_ending(tmp_path, name, language):
    write(tmp_path, {f"s/{name}": "x\n"})
    document = load_batch(tmp_path).submissions[0].documents[0]
    assert (document.path, document.kind, document.language) == (name, "code", language)


def test_headers_are_c_unless_the_submission_has_cpp_sources(tmp_path):
    write(tmp_path, {"c/kernel.h": "int f(void);\n", "c/kernel.c": "int f(void) {}\n",
                     "cpp/kernel.h": "class K;\n", "cpp/kernel.cc": "class K {};\n"})
    subs = by_name(load_batch(tmp_path))
    assert docs(subs["c"])["kernel.h"].language == "c"
    assert docs(subs["cpp"])["kernel.h"].language == "cpp"


@pytest.mark.parametrize("name", ["r.md", "r.markdown", "r.txt", "r.rst", "r.tex"])
def test_plain_prose_files(tmp_path, name):
    write(tmp_path, {f"s/{name}": "Our method.\r\nIt works.\r\n"})
    document = load_batch(tmp_path).submissions[0].documents[0]
    assert (document.kind, document.language, document.text) == ("prose", "text", "Our method.\nIt works.\n")


def test_notebook_yields_code_with_magics_commented_and_markdown(tmp_path):
    notebook = make_notebook([
        ("markdown", ["# Results\n", "We tiled the loop."]),
        ("code", ["%matplotlib inline\n", "import numpy as np\n", "!pip install torch\n", "x = 10 % 3"]),
        ("code", "%%bash\nnvidia-smi\nls -la"),
        ("code", "%%time\ny = x * 2\n"),
        ("code", "   "),
        ("raw", "ignored raw cell"),
        ("markdown", "Done."),
    ])
    write(tmp_path, {"alice/lab.ipynb": notebook})
    documents = load_batch(tmp_path).submissions[0].documents
    assert [(d.path, d.kind, d.language) for d in documents] == [
        ("lab.ipynb", "code", "python"),
        ("lab.ipynb#markdown", "prose", "text"),
    ]
    assert documents[0].text == (
        "# %matplotlib inline\nimport numpy as np\n# !pip install torch\nx = 10 % 3\n\n"
        "# %%bash\n# nvidia-smi\n# ls -la\n\n"
        "# %%time\ny = x * 2\n"
    )
    assert documents[1].text == "# Results\nWe tiled the loop.\n\nDone.\n"
    assert documents[0].sha256 == documents[1].sha256 == sha(notebook)


def test_notebook_without_markdown_yields_only_code_and_empty_notebook_is_skipped(tmp_path):
    write(tmp_path, {
        "alice/code.ipynb": make_notebook([("code", "print(1)")]),
        "alice/empty.ipynb": make_notebook([("code", ""), ("markdown", "\n")]),
    })
    batch = load_batch(tmp_path)
    assert [d.path for d in batch.submissions[0].documents] == ["code.ipynb"]
    assert batch.skipped == [Problem("alice/empty.ipynb", "skipped: no text in the file")]


def test_pdf_text_is_extracted(tmp_path):
    data = make_pdf("Attention is all we tiled")
    write(tmp_path, {"alice/report.pdf": data})
    document = load_batch(tmp_path).submissions[0].documents[0]
    assert (document.path, document.kind, document.language) == ("report.pdf", "prose", "text")
    assert document.text.strip() == "Attention is all we tiled"
    assert document.sha256 == sha(data)


def test_docx_paragraphs_and_table_cells_in_document_order(tmp_path):
    write(tmp_path, {"alice/report.docx": make_docx()})
    document = load_batch(tmp_path).submissions[0].documents[0]
    assert (document.path, document.kind, document.language) == ("report.docx", "prose", "text")
    assert document.text == "Introduction to our kernel.\nvariant\ntime\ntiled\n3 ms\nConclusion."


def test_unsupported_and_empty_files_are_listed_as_skipped(tmp_path):
    write(tmp_path, {
        "alice/main.py": "x = 1\n",
        "alice/plot.png": b"\x89PNG\r\n",
        "alice/Main.class": b"\xca\xfe\xba\xbe",
        "alice/Makefile": "all:\n",
        "alice/empty.py": "",
        "alice/blank.md": "  \n\n",
    })
    batch = load_batch(tmp_path)
    assert [d.path for d in batch.submissions[0].documents] == ["main.py"]
    assert batch.skipped == [
        Problem("alice/Main.class", "skipped: not a supported file type (.class)"),
        Problem("alice/Makefile", "skipped: not a supported file type (no file ending)"),
        Problem("alice/blank.md", "skipped: no text in the file"),
        Problem("alice/empty.py", "skipped: empty file"),
        Problem("alice/plot.png", "skipped: not a supported file type (.png)"),
    ]
    assert batch.problems == []


# ---------------------------------------------------------------- text decoding


def test_text_decoding_handles_bom_8bit_and_utf16(tmp_path):
    write(tmp_path, {
        "s/bom.py": "\ufeffx = 'é'\r\n".encode("utf-8"),
        "s/cp1252.txt": "\u201ccafé\u201d costs 5\u20ac\r".encode("cp1252"),
        "s/latin1.txt": b"na\xefve caf\xe9, d\xe9j\xe0 vu; 0x81 is not cp1252: \x81\n",
        "s/utf16.txt": "hello\r\nworld".encode("utf-16"),
    })
    found = docs(load_batch(tmp_path).submissions[0])
    assert found["bom.py"].text == "x = 'é'\n"
    assert found["bom.py"].sha256 == sha("\ufeffx = 'é'\r\n")  # of the raw bytes
    assert found["cp1252.txt"].text == "\u201ccafé\u201d costs 5\u20ac\n"
    assert found["latin1.txt"].text == "naïve café, déjà vu; 0x81 is not cp1252: \x81\n"
    assert found["utf16.txt"].text == "hello\nworld"


@given(st.binary(max_size=300))
def test_decoding_any_bytes_gives_normalised_text_or_a_reason(data):
    try:
        text = readers.decode_text(data)
    except readers.Unreadable as error:
        assert str(error) in ("binary file", "not valid UTF-8 text and not a recognised 8-bit encoding")
    else:
        assert "\r" not in text


@given(st.text().filter(lambda t: "\0" not in t and not t.startswith("\ufeff")))
def test_utf8_text_round_trips_up_to_newlines(text):
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert readers.decode_text(text.encode("utf-8")) == expected


# ---------------------------------------------------------------- bad input never stops the batch


def test_bad_files_each_become_one_problem_and_the_rest_is_read(tmp_path):
    write(tmp_path, {
        **GOOD,
        "carol/main.py": "ok = True\n",
        "carol/undecodable.py": bytes(range(1, 32)) * 4 + b"\x81\x8d\x8f\x90",
        "carol/binary.c": b"int\x00main",
        "carol/big.txt": b"a" * int(2.1 * MIB),
        "carol/broken.ipynb": '{"cells": [',
        "carol/wrong.ipynb": '{"worksheets": []}',
        "carol/broken.pdf": b"%PDF-1.4\nthis is not really a pdf\n",
        "carol/scanned.pdf": make_pdf(None),
        "carol/broken.docx": b"PK\x03\x04 not a real docx",
    })
    batch = load_batch(tmp_path)
    assert [s.name for s in batch.submissions] == ["alice", "bob", "carol"]
    assert [d.path for d in by_name(batch)["carol"].documents] == ["main.py"]
    reasons = {problem.path: problem.reason for problem in batch.problems}
    assert len(reasons) == len(batch.problems) == 8
    assert reasons["carol/undecodable.py"] == "not valid UTF-8 text and not a recognised 8-bit encoding"
    assert reasons["carol/binary.c"] == "binary file"
    assert reasons["carol/big.txt"] == "file is 2.1 MiB, over the 2 MiB limit"
    assert reasons["carol/broken.ipynb"].startswith("malformed notebook: Expecting value")
    assert reasons["carol/wrong.ipynb"] == "malformed notebook: no list of cells (nbformat 4 expected)"
    assert reasons["carol/broken.pdf"].startswith("unreadable PDF: ")
    assert reasons["carol/scanned.pdf"] == "PDF has no extractable text"
    assert reasons["carol/broken.docx"] == "unreadable DOCX: File is not a zip file"


def test_file_size_limit_is_configurable(tmp_path):
    write(tmp_path, {"alice/a.py": "x" * 2000, "alice/b.py": "y = 1\n"})
    batch = load_batch(tmp_path, Limits(max_file_bytes=1024))
    assert [d.path for d in batch.submissions[0].documents] == ["b.py"]
    assert batch.problems == [Problem("alice/a.py", "file is 2 KiB, over the 1 KiB limit")]


def test_empty_submission_is_a_problem_not_a_submission(tmp_path):
    write(tmp_path, {**GOOD, "dave/photo.jpg": b"\xff\xd8\xff", "erin/.keep": ""})
    (tmp_path / "frank").mkdir()
    batch = load_batch(tmp_path)
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    assert batch.problems == [
        Problem("dave", "empty submission: no readable files"),
        Problem("erin", "empty submission: no readable files"),
        Problem("frank", "empty submission: no readable files"),
    ]


def test_symbolic_links_in_folders_are_never_followed(tmp_path):
    secret = write(tmp_path / "outside", {"secret.py": "password = 'x'\n", "dir/other.py": "y = 2\n"})
    batch_dir = write(tmp_path / "batch", {**GOOD, "carol/main.py": "c = 3\n"})
    os.symlink(secret / "secret.py", batch_dir / "carol" / "linked.py")
    os.symlink(secret / "dir", batch_dir / "carol" / "linked_dir")
    os.symlink(secret, batch_dir / "mallory")
    batch = load_batch(batch_dir)
    assert [s.name for s in batch.submissions] == ["alice", "bob", "carol"]
    assert [d.path for d in by_name(batch)["carol"].documents] == ["main.py"]
    assert batch.problems == [
        Problem("carol/linked.py", "symbolic link ignored"),
        Problem("carol/linked_dir", "symbolic link ignored"),
        Problem("mallory", "symbolic link ignored"),
    ]


def test_zip_entries_escaping_the_archive_are_refused_one_by_one(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch" / "deep"
    scratch.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # so an escape would land under tmp_path
    source = make_zip(tmp_path / "in" / "batch.zip", {
        **GOOD,
        "../evil.py": "escape = 1\n",
        "/abs/evil.py": "escape = 2\n",
        "alice/../../evil2.py": "escape = 3\n",
        "C:/windows/evil.py": "escape = 4\n",
    })
    batch = load_batch(source)
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    assert batch.problems == [
        Problem("batch.zip", f"archive entry escapes the archive (absolute path or ..): {name}")
        for name in sorted(["../evil.py", "/abs/evil.py", "alice/../../evil2.py", "C:/windows/evil.py"])
    ]
    assert not list(tmp_path.rglob("evil*.py")) and not Path("/abs/evil.py").exists()
    assert not list(scratch.iterdir())  # the temporary folders are gone


def test_symlink_entries_in_a_zip_are_refused(tmp_path):
    source = tmp_path / "batch.zip"
    with zipfile.ZipFile(source, "w") as zf:
        for name, content in GOOD.items():
            zf.writestr(name, content)
        link = zipfile.ZipInfo("alice/passwd.py")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    batch = load_batch(source)
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    assert [d.path for d in by_name(batch)["alice"].documents] == ["main.py"]
    assert batch.problems == [Problem("batch.zip!alice/passwd.py", "symbolic link ignored")]


def _declare_size(path: Path, entry: str, size: int) -> None:
    """Rewrite the uncompressed size the central directory declares for one entry."""
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")  # the first central directory record
    while True:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_length].decode() == entry:
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
        extra, comment = struct.unpack_from("<HH", data, at + 30)
        at += 46 + name_length + extra + comment


def test_zip_bomb_by_declared_size_is_refused_before_unpacking(tmp_path):
    make_zip(tmp_path / "bomb.zip", {"bomb/a.py": "x = 1\n"})
    _declare_size(tmp_path / "bomb.zip", "bomb/a.py", 300 * MIB)
    write(tmp_path, GOOD)
    batch = load_batch(tmp_path)
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    assert batch.problems == [Problem("bomb.zip", "archive is too large when unpacked (300 MiB, limit 200 MiB)")]


def test_archive_size_and_entry_limits_are_configurable(tmp_path):
    make_zip(tmp_path / "big.zip", {"a.py": "x" * 5000})
    make_zip(tmp_path / "many.zip", {f"f{i}.py": "x = 1\n" for i in range(5)})
    write(tmp_path, GOOD)
    batch = load_batch(tmp_path, Limits(max_archive_bytes=4096, max_archive_files=4))
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    assert batch.problems == [
        Problem("big.zip", "archive is too large when unpacked (4.9 KiB, limit 4 KiB)"),
        Problem("many.zip", "archive has too many entries (5, limit 4)"),
    ]


def test_zip_bomb_by_compression_ratio_is_refused(tmp_path):
    make_zip(tmp_path / "bomb.zip", {"zeros.txt": b"\0" * (5 * MIB)})
    write(tmp_path, GOOD)
    batch = load_batch(tmp_path)
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    [problem] = batch.problems
    assert problem.path == "bomb.zip" and problem.reason.startswith("suspicious compression ratio (")
    assert problem.reason.endswith(":1, limit 200:1)")


def test_an_entry_longer_than_declared_is_cut_there_and_reported_damaged(tmp_path):
    source = tmp_path / "batch.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("alice/main.py", "a = 1\n")
        zf.writestr("bob/main.py", "b = 2\n" * 1000)
    _declare_size(source, "bob/main.py", 10)
    batch = load_batch(source)
    assert [s.name for s in batch.submissions] == ["alice"]
    assert batch.problems == [
        Problem("batch.zip!bob", "empty submission: no readable files"),
        Problem("batch.zip!bob/main.py", "damaged archive entry: Bad CRC-32 for file 'bob/main.py'"),
    ]


def test_unpacking_stops_at_the_limit_even_if_the_directory_lies(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "_check_declared", lambda infos, limits: None)
    make_zip(tmp_path / "bomb.zip", {"a.py": "x" * 5000, "b.py": "y" * 5000})
    write(tmp_path, GOOD)
    batch = load_batch(tmp_path, Limits(max_archive_bytes=8192))
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    reason = "archive is too large when unpacked (more than declared, limit 8 KiB)"
    assert batch.problems == [Problem("bomb.zip", reason)]


def test_not_a_zip_is_a_problem_for_the_student_and_for_the_batch(tmp_path):
    write(tmp_path, {**GOOD, "carol.zip": "this is not a zip\n"})
    batch = load_batch(tmp_path)
    assert [s.name for s in batch.submissions] == ["alice", "bob"]
    assert batch.problems == [Problem("carol.zip", "not a valid zip archive")]
    top = load_batch(tmp_path / "carol.zip")
    assert top.submissions == [] and top.problems == [Problem("carol.zip", "not a valid zip archive")]


# ---------------------------------------------------------------- LMS name and metadata parsing


def test_canvas_names_parse():
    assert parse_canvas_name("smithj_LATE_12_34_hw_1.py") == CanvasFile("smithj", True, "12", "hw_1.py")
    assert parse_canvas_name("j_smith_12_34_x.py") == CanvasFile("j_smith", False, "12", "x.py")
    assert parse_canvas_name("notes.txt") is None
    assert without_duplicate_suffix("report-2.pdf") == "report.pdf"
    assert without_duplicate_suffix("report.pdf") == "report.pdf"
    assert without_duplicate_suffix("-1.py") == "-1.py"


def test_gradescope_metadata_parse_ignores_other_lists():
    parsed = parse_gradescope_metadata(GRADESCOPE_METADATA)
    assert parsed["submission_111"] == [{"name": "Jane Doe", "sid": "12345", "email": "jane.doe@uni.edu"}]
    assert [p["name"] for p in parsed["submission_222"]] == ["Bob O'Neil", "Al Partner"]
    assert parsed["submission_333"] == []
