"""C profile (tree-sitter-c); C++ and CUDA extend it."""
import tree_sitter_c

from fingerprints.inlining import Procedures

NAME = "c"
TABLE = dict(
    grammar=tree_sitter_c.language,
    comments=frozenset({"comment"}),
    skipped=frozenset({"type_qualifier", "attribute_specifier", "ms_declspec_modifier"}),
    identifiers=frozenset({"identifier", "field_identifier", "type_identifier",
                           "statement_identifier"}),
    literals={
        "string_literal": "STR", "concatenated_string": "STR", "raw_string_literal": "STR",
        "system_lib_string": "STR", "char_literal": "CHR", "number_literal": "NUM",
        "true": "BOOL", "false": "BOOL", "null": "NULL", "preproc_arg": "MACRO",
        "primitive_type": "TYPE", "sized_type_specifier": "TYPE",
    },
    transparent=frozenset({"translation_unit", "compound_statement", "expression_statement",
                           "parenthesized_expression", "argument_list", "parameter_list",
                           "condition_clause", "initializer_list", "comma_expression"}),
    renamed={"while_statement": "loop", "for_statement": "loop", "do_statement": "loop"},
    procedures=Procedures("function_definition", ("declarator", "declarator"), "call_expression", ("function",)),
)
