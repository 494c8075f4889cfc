"""A student's AI-use disclosure for one assignment, and its validation.

The JSON form (DESIGN.md, "Second contract") is validated field by field: every problem
becomes one message naming the field, and a form with any problem yields no Disclosure
at all (nothing half-read). Tool names and purposes are normalised to the form's
vocabularies when they match one (case aside); other wording is kept as written, as the
form's "other" answer, so that a disclosure collected elsewhere is not refused for a word.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

TOOL_NAMES = ("ChatGPT", "Claude", "Gemini", "GitHub Copilot", "Microsoft Copilot", "Cursor",
              "DeepSeek", "Perplexity", "Le Chat (Mistral)", "Llama (Meta AI)", "other")
PURPOSES = ("understanding the task", "design", "writing code", "debugging", "tests",
            "writing or editing the report", "other")
USER, ASSISTANT = "user", "assistant"


@dataclass(frozen=True)
class Turn:
    """One message of a chat: who wrote it (USER or ASSISTANT) and its text."""

    role: str
    text: str


@dataclass(frozen=True)
class Transcript:
    """A chat export or pasted transcript, as the turns of the conversations it holds."""

    source: str  # the file, as the disclosure names it
    turns: tuple[Turn, ...]

    def prompts(self) -> list[str]:
        """What the student wrote."""
        return [t.text for t in self.turns if t.role == USER]

    def responses(self) -> list[str]:
        """What the AI tool wrote."""
        return [t.text for t in self.turns if t.role == ASSISTANT]


@dataclass(frozen=True)
class Tool:
    """One AI tool as declared: what it was used for, on which files or sections, with which prompts."""

    name: str
    version: str
    purposes: tuple[str, ...]
    files: tuple[str, ...]  # files or report sections ("report.md#Discussion")
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class Disclosure:
    """One student's answer for one assignment; `used_ai` False with no tools means "no AI"."""

    student: str
    used_ai: bool
    tools: tuple[Tool, ...]
    transcripts: tuple[Transcript, ...]
    statement: str

    def prompts(self) -> list[str]:
        """Every prompt declared: pasted in the form and found in the transcripts."""
        return [p for t in self.tools for p in t.prompts] + [p for t in self.transcripts for p in t.prompts()]


class InvalidDisclosure(ValueError):
    """A disclosure that cannot be read; `errors` has one message per problem, naming the field."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def parse_disclosure(data: object, student: str, transcript: Callable[[str], Transcript]) -> Disclosure:
    """The Disclosure of a decoded JSON form, or InvalidDisclosure listing every problem.

    `transcript(path)` reads one declared transcript and raises ValueError with the reason.
    """
    if not isinstance(data, Mapping):
        raise InvalidDisclosure([f"expected a JSON object, found {_kind(data)}"])
    errors: list[str] = []
    used_ai = data.get("used_ai")
    if not isinstance(used_ai, bool):
        errors.append("used_ai: " + ("missing (true or false)" if used_ai is None
                                     else f"expected true or false, found {_kind(used_ai)}"))
    tools = tuple(parse_tool(t, f"tools[{i}]", errors) for i, t in enumerate(_list(data, "tools", errors)))
    transcripts = []
    for i, path in enumerate(_list(data, "transcripts", errors)):
        if not isinstance(path, str) or not path.strip():
            errors.append(f"transcripts[{i}]: expected a file name, found {_kind(path) if path else 'nothing'}")
            continue
        try:
            transcripts.append(transcript(path.strip()))
        except ValueError as err:
            errors.append(f"transcripts[{i}]: {err}")
    statement = _text(data, "statement", errors)
    if errors:
        raise InvalidDisclosure(errors)
    return Disclosure(student, used_ai, tools, tuple(transcripts), statement)


def parse_tool(data: object, field: str, errors: list[str]) -> Tool:
    """One declared tool; problems are appended to `errors`, named from `field` (e.g. "tools[0]")."""
    if not isinstance(data, Mapping):
        errors.append(f"{field}: expected an object, found {_kind(data)}")
        return Tool("", "", (), (), ())
    name = _text(data, "name", errors, field)
    if not name:
        errors.append(f"{field}.name: missing (which tool, e.g. {', '.join(TOOL_NAMES[:3])} or other)")

    def texts(key: str) -> tuple[str, ...]:
        items = _list(data, key, errors, field)
        bad = [i for i, v in enumerate(items) if not isinstance(v, str)]
        errors.extend(f"{field}.{key}[{i}]: expected text, found {_kind(items[i])}" for i in bad)
        return tuple(v.strip() for v in items if isinstance(v, str) and v.strip())

    return Tool(canonical(name, TOOL_NAMES), _text(data, "version", errors, field),
                tuple(canonical(p, PURPOSES) for p in texts("purposes")), texts("files"), texts("prompts"))


def as_form(d: Disclosure) -> dict:
    """The JSON form of a Disclosure (the contract's layout; transcripts by their source)."""
    return {"student": d.student, "used_ai": d.used_ai,
            "tools": [{"name": t.name, "version": t.version, "purposes": list(t.purposes), "files": list(t.files),
                       "prompts": list(t.prompts)} for t in d.tools],
            "transcripts": [t.source for t in d.transcripts], "statement": d.statement}


def canonical(value: str, vocabulary: tuple[str, ...]) -> str:
    """The vocabulary's spelling of `value` if it is one of its words (case aside), else `value`."""
    return next((word for word in vocabulary if word.casefold() == value.casefold()), value)


def _list(data: Mapping, key: str, errors: list[str], field: str = "") -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(f"{field + '.' if field else ''}{key}: expected a list, found {_kind(value)}")
        return []
    return value


def _text(data: Mapping, key: str, errors: list[str], field: str = "") -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(f"{field + '.' if field else ''}{key}: expected text, found {_kind(value)}")
        return ""
    return value.strip()


def _kind(value: object) -> str:
    """A JSON value's kind, for messages."""
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)
