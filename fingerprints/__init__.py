"""The algorithm kernel: pure functions from text to normalised tokens to fingerprints."""

from fingerprints.code import tokenize_code
from fingerprints.prose import spell, tokenize_prose
from fingerprints.tokens import TokenStream


def tokenize(text: str, language: str) -> TokenStream:
    """The normalised token stream of a document: characters of its words for language "text", else code."""
    return spell(tokenize_prose(text)) if language == "text" else tokenize_code(text, language)
