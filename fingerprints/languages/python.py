"""Python profile (tree-sitter-python)."""
import tree_sitter_python

from fingerprints.inlining import Procedures

NAME = "python"
TABLE = dict(
    grammar=tree_sitter_python.language,
    comments=frozenset({"comment"}),
    # type hints are cheap to add or remove (and AI rewrites add them everywhere)
    skipped=frozenset({"type", "decorator"}),
    identifiers=frozenset({"identifier"}),
    literals={
        "string": "STR", "concatenated_string": "STR", "integer": "NUM", "float": "NUM",
        "true": "BOOL", "false": "BOOL", "none": "NONE", "ellipsis": "NONE",
    },
    transparent=frozenset({"module", "block", "expression_statement", "parenthesized_expression",
                           "argument_list", "parameters", "expression_list", "pattern_list",
                           "typed_parameter"}),
    renamed={"typed_default_parameter": "default_parameter",
             "while_statement": "loop", "for_statement": "loop"},
    docstrings=True,
    procedures=Procedures("function_definition", ("name",), "call", ("function",)),
)
