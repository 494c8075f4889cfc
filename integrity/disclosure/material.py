"""Declared material as Submissions, so the comparison engine can match it like student work.

A student's prompts (pasted in the form and the user turns of their transcripts) become
one submission of prose documents. A transcript's AI responses become another: each
fenced code block is a code document in the fence's language (or the student's own
language when the fence names none), and the rest is prose. Each document is one prompt
or one response, named so that a TA can find it: `ChatGPT prompt 2`, `chat.json response 3`.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter

from integrity.disclosure.model import Disclosure, Transcript
from integrity.documents import Document, Submission

FENCE_LANGUAGES = {"python": "python", "py": "python", "python3": "python", "c": "c", "cpp": "cpp",
                   "c++": "cpp", "cc": "cpp", "cxx": "cpp", "cuda": "cuda", "cu": "cuda", "java": "java"}
_FENCED = re.compile(r"^[ \t]*(?P<fence>```+|~~~+)[ \t]*(?P<info>[^\n`]*)\n(?P<body>.*?)^[ \t]*(?P=fence)[ \t]*$",
                     re.MULTILINE | re.DOTALL)


def prose(path: str, text: str) -> Document:
    """A prose document of declared text."""
    return Document(path, "prose", "text", text, _sha(text))


def prompts_submission(name: str, disclosure: Disclosure) -> Submission | None:
    """Everything the student wrote to AI tools, one prose document per prompt (None if nothing)."""
    docs = [prose(f"{tool.name} prompt {i}", p)
            for tool in disclosure.tools for i, p in enumerate(tool.prompts, 1)]
    docs += [prose(f"{t.source} prompt {i}", p) for t in disclosure.transcripts for i, p in enumerate(t.prompts(), 1)]
    return Submission(name, tuple(_unique(docs))) if docs else None


def responses_submission(name: str, transcript: Transcript, language: str) -> Submission | None:
    """What the AI tool answered in one transcript: code blocks as code, the rest as prose."""
    docs = []
    for i, response in enumerate(transcript.responses(), 1):
        where = f"{transcript.source} response {i}"
        rest, last = [], 0
        for j, block in enumerate(_FENCED.finditer(response), 1):
            rest.append(response[last:block.start()])
            last = block.end()
            fence = block["info"].strip().split(" ")[0].lower()
            code = FENCE_LANGUAGES.get(fence, language if not fence else None)
            if code:
                docs.append(Document(f"{where} code {j}", "code", code, block["body"], _sha(block["body"])))
            else:  # shell sessions, output, JSON: read as prose
                rest.append(block["body"])
        rest.append(response[last:])
        text = "\n".join(rest)
        if text.strip():
            docs.append(prose(where, text))
    return Submission(name, tuple(_unique(docs))) if docs else None


def main_language(sub: Submission | None, default: str = "python") -> str:
    """The code language most of a submission's code is written in."""
    sizes = Counter()
    for d in sub.documents if sub else ():
        if d.kind == "code":
            sizes[d.language] += len(d.text)
    return sizes.most_common(1)[0][0] if sizes else default


def _unique(docs: list[Document]) -> list[Document]:
    """Documents with distinct paths (two tools of the same name get `#2`, ...)."""
    seen: Counter = Counter()
    out = []
    for d in docs:
        seen[d.path] += 1
        out.append(d if seen[d.path] == 1 else Document(f"{d.path} #{seen[d.path]}", d.kind, d.language,
                                                           d.text, d.sha256))
    return out


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
