"""CUDA profile (tree-sitter-cuda): the C++ table on the CUDA grammar."""
import tree_sitter_cuda

from fingerprints.languages import cpp

NAME = "cuda"
TABLE = dict(cpp.TABLE, grammar=tree_sitter_cuda.language)
