"""Language profiles: which tree-sitter node types are comments, names, literals, wrappers.

A profile is data, not behaviour: adding a language is adding one small table here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from fingerprints.inlining import Procedures
from fingerprints.languages import c, cpp, cuda, java, python

# Anonymous leaves that only delimit: dropping them makes formatting and optional
# braces or parentheses invisible. "->" is a return-type arrow in Python, and in C and Java
# its node (field_expression, lambda_expression) already says what it is.
PUNCTUATION = frozenset("( ) [ ] { } , ; : . :: -> ' \" ` @ \\".split()) | {"\n"}


@dataclass(frozen=True)
class Profile:
    """How one language's syntax tree becomes normalised tokens."""

    name: str
    grammar: Callable[[], object]  # the grammar wheel's language() function
    comments: frozenset[str]  # skipped with their subtree
    skipped: frozenset[str]  # skipped with their subtree (annotations, modifiers, type hints)
    identifiers: frozenset[str]  # become "ID"
    literals: dict[str, str]  # node type -> abstract token; their subtree is not entered
    transparent: frozenset[str]  # wrappers: not emitted, children are
    renamed: dict[str, str] = field(default_factory=dict)  # node types merged into one token
    docstrings: bool = False  # a statement that is only a string literal is a comment
    # declarations skipped with their subtree when no declarator has an initialiser: they only
    # introduce names, which are abstracted anyway
    declarations: frozenset[str] = frozenset()
    procedures: Procedures | None = None  # single-use ones are inlined (fingerprints/inlining.py)


PROFILES: dict[str, Profile] = {
    m.NAME: Profile(name=m.NAME, **m.TABLE) for m in (python, c, cpp, cuda, java)
}

EXTENSIONS = {
    ".py": "python", ".c": "c", ".h": "c", ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp",
    ".hpp": "cpp", ".hh": "cpp", ".hxx": "cpp", ".cu": "cuda", ".cuh": "cuda", ".java": "java",
}
