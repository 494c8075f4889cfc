"""Java profile (tree-sitter-java)."""
import tree_sitter_java

NAME = "java"
TABLE = dict(
    grammar=tree_sitter_java.language,
    comments=frozenset({"line_comment", "block_comment"}),
    # access modifiers, annotations and imports change nothing a copier has to think about
    skipped=frozenset({"modifiers", "marker_annotation", "annotation", "import_declaration",
                       "package_declaration"}),
    identifiers=frozenset({"identifier", "type_identifier"}),
    literals={
        "string_literal": "STR", "text_block": "STR", "character_literal": "CHR",
        "decimal_integer_literal": "NUM", "hex_integer_literal": "NUM",
        "octal_integer_literal": "NUM", "binary_integer_literal": "NUM",
        "decimal_floating_point_literal": "NUM", "hex_floating_point_literal": "NUM",
        "true": "BOOL", "false": "BOOL", "null_literal": "NULL",
        "integral_type": "TYPE", "floating_point_type": "TYPE", "boolean_type": "TYPE",
        "void_type": "TYPE",
    },
    transparent=frozenset({"program", "block", "class_body", "expression_statement",
                           "parenthesized_expression", "argument_list", "formal_parameters",
                           "dimensions", "interface_body", "constructor_body"}),
    renamed={"while_statement": "loop", "for_statement": "loop", "do_statement": "loop",
             "enhanced_for_statement": "loop"},
)
