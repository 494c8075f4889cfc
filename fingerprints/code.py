"""Source code -> normalised token stream, through a tree-sitter parse and a language profile.

Identifiers and literals are abstracted, comments, docstrings and punctuation dropped,
so renaming, re-commenting and reformatting leave the stream unchanged.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import tree_sitter

from fingerprints.inlining import inline_single_use
from fingerprints.languages import PROFILES, PUNCTUATION, Profile
from fingerprints.tokens import TokenStream


@lru_cache(maxsize=None)
def _parser(language: str) -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(PROFILES[language].grammar()))


def _is_docstring(node: tree_sitter.Node) -> bool:
    return node.named_child_count == 1 and node.named_children[0].type in ("string", "concatenated_string")


def literal_text(raw: bytes) -> str:
    """A string literal's words, lower-cased ("" if it has fewer than two: a separator, a format).

    Words are runs of two or more letters, so escapes (\\n) and format codes (%d, %.2f) drop out.

    The wording of messages is evidence that renaming leaves intact; the literal tokens
    themselves are abstracted, so this is kept apart, as a set per document.
    """
    words = _WORDS.findall(raw.decode("utf-8", "replace").lower())
    return " ".join(words) if len(words) >= 2 else ""


_WORDS = re.compile(r"[^\W\d_]{2,}")  # words of letters: escapes and format codes are not words


def _initialises(declaration: tree_sitter.Node) -> bool:
    """Does any declarator of the declaration give a value?"""
    return any(d.child_by_field_name("value") is not None for d in declaration.named_children)


def _implied_keyword(node: tree_sitter.Node) -> bool:
    """A keyword of a statement or definition (`for`, `def`, `import`) says nothing its node doesn't."""
    parent = node.parent
    return node.type.isalpha() and parent is not None and parent.type.endswith(_KEYWORD_OWNERS)


_KEYWORD_OWNERS = ("_statement", "_definition", "_declaration", "_clause", "_specifier", "_loop")


def tokenize_code(text: str, language: str) -> TokenStream:
    """Normalised tokens of `text` in `language` (a key of PROFILES), with source lines."""
    profile: Profile = PROFILES[language]
    tree = _parser(language).parse(text.encode("utf-8", "surrogatepass"))
    symbols: list[str] = []
    strings: set[str] = set()
    extents: list[tuple[int, int]] = []
    first: list[int] = []
    last: list[int] = []
    procedures = profile.procedures
    wanted = {procedures.definition, procedures.call} if procedures else set()
    met: list[tree_sitter.Node] = []  # definitions and calls, for inlining single-use procedures
    cursor = tree.walk()
    while True:
        node = cursor.node
        kind = node.type
        descend = False
        if node.is_named:
            if kind in profile.comments or kind in profile.skipped or (
                    kind in profile.declarations and not _initialises(node)):
                pass
            elif kind in profile.identifiers:
                symbols.append("ID"); first.append(node.start_point[0]); last.append(node.end_point[0])
                extents.append((node.start_byte, node.end_byte))
            elif kind in profile.literals:
                symbols.append(profile.literals[kind])
                first.append(node.start_point[0]); last.append(node.end_point[0])
                extents.append((node.start_byte, node.end_byte))
                if profile.literals[kind] == "STR":
                    strings.add(literal_text(node.text))
            elif profile.docstrings and kind == "expression_statement" and _is_docstring(node):
                pass
            else:
                if kind in wanted:
                    met.append(node)
                if kind not in profile.transparent and kind != "ERROR":
                    symbols.append(profile.renamed.get(kind, kind))
                    row = node.start_point[0]
                    first.append(row); last.append(row)
                    extents.append((node.start_byte, node.end_byte))
                descend = True
        elif kind not in PUNCTUATION and not node.is_missing and not _implied_keyword(node):
            symbols.append(kind); first.append(node.start_point[0]); last.append(node.end_point[0])
            extents.append((node.start_byte, node.end_byte))
        if descend and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                strings.discard("")
                inlined = met and inline_single_use(met, procedures, profile.identifiers,
                                                    np.asarray(extents).reshape(-1, 2))
                if inlined:
                    order, extents = inlined
                    symbols, first, last = ([xs[i] for i in order] for xs in (symbols, first, last))
                return TokenStream.build(symbols, first, last, base=0, strings=frozenset(strings),
                                         extents=extents)
