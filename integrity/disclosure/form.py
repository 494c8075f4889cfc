"""The students' web form: stricter than the JSON contract, which also reads imports.

A form from the web answers the question explicitly (no AI, or AI with at least one tool),
says what each tool was used for, names an "other" tool, keeps a "no AI" answer free of
tools and transcripts, and is signed: the statement ticked and the student's name typed.
Imported disclosures are read by parse_disclosure alone, so that their contradictions
become flags (crosscheck.inconsistent) rather than refusals.
"""
from __future__ import annotations

from collections.abc import Mapping

from integrity.disclosure.model import TOOL_NAMES, canonical

STATEMENT = ("I confirm that this disclosure is complete and true: it names every AI tool I used for this "
             "assignment and what I asked it, and I shared no code, report or prompt with other students.")


def check_form(data: Mapping) -> list[str]:
    """The web form's own problems, one message per field ("tools[0].purposes: ...")."""
    errors = []
    tools = [t for t in data.get("tools") or [] if isinstance(t, Mapping)]
    if not isinstance(data.get("used_ai"), bool):
        errors.append("used_ai: answer whether you used any AI tool")
    if data.get("used_ai") is True and not tools:
        errors.append("tools: name at least one tool, or answer that you used no AI tool")
    if data.get("used_ai") is False and (tools or data.get("transcripts")):
        errors.append("used_ai: you answered that you used no AI tool, yet the form declares "
                      + ("a tool" if tools else "a chat export") + ": remove it, or answer that you used AI tools")
    for i, tool in enumerate(tools):
        if canonical(str(tool.get("name") or ""), TOOL_NAMES) == "other":
            errors.append(f"tools[{i}].name: say which other tool")
        if not tool.get("purposes"):
            errors.append(f"tools[{i}].purposes: tick at least one use")
    if not str(data.get("statement") or "").strip():
        errors.append("statement: tick the statement to sign the disclosure")
    if not str(data.get("signature") or "").strip():
        errors.append("signature: type your full name to sign")
    return errors
