"""C++ profile (tree-sitter-cpp): C's table plus C++ names and literals."""
import tree_sitter_cpp

from fingerprints.languages import c

NAME = "cpp"
TABLE = dict(
    c.TABLE,
    grammar=tree_sitter_cpp.language,
    identifiers=c.TABLE["identifiers"] | {"namespace_identifier"},
    literals=dict(c.TABLE["literals"], nullptr="NULL", user_defined_literal="NUM"),
    skipped=c.TABLE["skipped"] | {"virtual", "access_specifier", "explicit_function_specifier"},
    transparent=c.TABLE["transparent"] | {"template_argument_list", "declaration_list",
                                          "field_declaration_list"},
    renamed=dict(c.TABLE["renamed"], for_range_loop="loop"),
)
