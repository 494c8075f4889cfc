"""Chat exports -> Transcripts of user and assistant turns.

Three formats: ChatGPT's `conversations.json` (each conversation a tree of messages: the
branch shown to the user is the one from `current_node` up its parents, so regenerated or
edited-away answers are left out), Claude's export JSON (`chat_messages`, each `sender`
human or assistant), and Markdown or plain text with turns marked by lines such as
`User:`, `## Assistant` or `**ChatGPT:**`. Each parser reads the whole file or raises
TranscriptError naming the file and the reason: nothing is half-read.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping

from integrity.disclosure.model import ASSISTANT, USER, Transcript, Turn
from integrity.ingest.readers import Unreadable, decode_text

MAX_BYTES = 20 * 2**20  # a full ChatGPT export of a busy term is a few MiB


class TranscriptError(ValueError):
    """A transcript that cannot be read, with the file's name and the reason."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")


def parse_transcript(source: str, data: bytes) -> Transcript:
    """A transcript from a file's bytes: JSON exports by content, anything else as marked text."""
    if len(data) > MAX_BYTES:
        raise TranscriptError(source, f"file is over the {MAX_BYTES // 2**20} MiB limit")
    try:
        text = decode_text(data)
    except Unreadable as err:
        raise TranscriptError(source, str(err)) from None
    if source.lower().endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        return parse_export(source, text)
    return parse_marked_text(source, text)


def parse_export(source: str, text: str) -> Transcript:
    """A ChatGPT or Claude JSON export (a list of conversations, or a single one)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise TranscriptError(source, f"not valid JSON ({err.msg} at line {err.lineno})") from None
    conversations = [data] if isinstance(data, Mapping) else data
    if not isinstance(conversations, list) or not all(isinstance(c, Mapping) for c in conversations):
        raise TranscriptError(source, "expected a list of conversations (a ChatGPT or Claude export)")
    if conversations and all("mapping" in c for c in conversations):
        turns = [t for i, c in enumerate(conversations) for t in _chatgpt(source, i, c)]
    elif conversations and all("chat_messages" in c for c in conversations):
        turns = [t for i, c in enumerate(conversations) for t in _claude(source, i, c)]
    else:
        raise TranscriptError(source, "not a ChatGPT export (conversations with a 'mapping') "
                                      "nor a Claude export (conversations with 'chat_messages')")
    return _transcript(source, turns)


def _chatgpt(source: str, index: int, conversation: Mapping) -> list[Turn]:
    """The displayed branch of one ChatGPT conversation, oldest message first."""
    where = _conversation(index, conversation.get("title"))
    mapping = conversation["mapping"]
    if not isinstance(mapping, Mapping) or not all(isinstance(n, Mapping) for n in mapping.values()):
        raise TranscriptError(source, f"{where}: 'mapping' is not an object of message nodes")
    node_id = conversation.get("current_node") or _last_leaf(mapping)
    if node_id not in mapping:
        raise TranscriptError(source, f"{where}: current_node {node_id!r} is not in the mapping")
    branch, seen = [], set()
    while node_id is not None:
        if node_id in seen:
            raise TranscriptError(source, f"{where}: the messages' parents form a loop")
        if node_id not in mapping:
            raise TranscriptError(source, f"{where}: message {node_id!r} is missing from the mapping")
        seen.add(node_id)
        branch.append(mapping[node_id])
        node_id = mapping[node_id].get("parent")
    turns = []
    for node in reversed(branch):
        message = node.get("message")
        if not message:  # the root and other structural nodes carry no message
            continue
        if not isinstance(message, Mapping):
            raise TranscriptError(source, f"{where}: a message is not an object")
        role = (message.get("author") or {}).get("role")
        hidden = (message.get("metadata") or {}).get("is_visually_hidden_from_conversation")
        if role in ("user", "assistant") and not hidden:
            turns.append(Turn(USER if role == "user" else ASSISTANT, _chatgpt_text(message.get("content"))))
        elif role not in ("user", "assistant", "system", "tool"):
            raise TranscriptError(source, f"{where}: a message's author.role is {role!r}, "
                                          f"expected user, assistant, system or tool")
    return turns


def _last_leaf(mapping: Mapping) -> str | None:
    """Exports without current_node: follow the newest child (ChatGPT appends regenerations) from the root."""
    node_id = next((k for k, n in mapping.items() if n.get("parent") is None), None)
    while node_id in mapping and mapping[node_id].get("children"):
        node_id = mapping[node_id]["children"][-1]
    return node_id


def _chatgpt_text(content: object) -> str:
    """The visible text of a message: its text parts, or the code it ran (content_type "code")."""
    if not isinstance(content, Mapping):
        return ""
    if content.get("content_type") == "code":
        return f"```\n{content.get('text', '')}\n```"
    if content.get("content_type") not in ("text", "multimodal_text"):
        return ""  # thoughts, browsing results, custom instructions: not part of the conversation shown
    return "\n".join(p for p in content.get("parts") or [] if isinstance(p, str))


def _claude(source: str, index: int, conversation: Mapping) -> list[Turn]:
    """One Claude conversation: human and assistant messages in order."""
    where = _conversation(index, conversation.get("name"))
    messages = conversation["chat_messages"]
    if not isinstance(messages, list):
        raise TranscriptError(source, f"{where}: 'chat_messages' is not a list")
    turns = []
    for i, m in enumerate(messages):
        sender = m.get("sender") if isinstance(m, Mapping) else None
        if sender not in ("human", "assistant"):
            raise TranscriptError(source, f"{where}, message {i + 1}: sender is {sender!r}, "
                                          f"expected human or assistant")
        blocks = m.get("content")
        text = ("\n".join(b["text"] for b in blocks if isinstance(b, Mapping) and b.get("type") == "text"
                          and isinstance(b.get("text"), str))
                if isinstance(blocks, list) and blocks else m.get("text"))
        if not isinstance(text, str):
            raise TranscriptError(source, f"{where}, message {i + 1}: no text")
        pasted = [a["extracted_content"] for a in m.get("attachments") or []
                  if isinstance(a, Mapping) and isinstance(a.get("extracted_content"), str)]
        turns.append(Turn(USER if sender == "human" else ASSISTANT, "\n\n".join([text, *pasted])))
    return turns


def _conversation(index: int, title: object) -> str:
    return f"conversation {index + 1}" + (f" ({title!r})" if isinstance(title, str) and title else "")


_ROLES = {USER: ("user", "you", "me", "human", "student", "prompt", "question"),
          ASSISTANT: ("assistant", "chatgpt", "gpt", "claude", "gemini", "copilot", "ai", "model",
                      "response", "answer")}
_ROLE_OF = {word: role for role, words in _ROLES.items() for word in words}
_MARK = re.compile(
    r"^[ \t]*(?P<head>#{1,6}[ \t]+)?(?P<bold>\*\*|__)?(?P<role>" + "|".join(_ROLE_OF) + r")(?:[ \t]+said)?"
    r"[ \t]*(?P<colon>:)?[ \t]*(?:\*\*|__)?[ \t]*(?P<after>:)?[ \t]*(?P<rest>.*?)[ \t]*$", re.IGNORECASE)
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


def parse_marked_text(source: str, text: str) -> Transcript:
    """Markdown or plain text whose turns start with a marker line (`User:`, `## Claude`, ...).

    A marker is the role word followed by a colon (the turn's text may go on after it), or
    alone as a heading or in bold. Lines inside fenced code blocks are never markers, and
    anything before the first marker (a title) is left out.
    """
    turns: list[Turn] = []
    role, lines, fenced = None, [], False
    for line in text.split("\n"):
        mark = None if fenced else _marker(line)
        if _FENCE.match(line):
            fenced = not fenced
        if mark:
            if role:
                turns.append(Turn(role, "\n".join(lines).strip()))
            role, first = mark
            lines = [first] if first else []
        elif role:
            lines.append(line)
    if role:
        turns.append(Turn(role, "\n".join(lines).strip()))
    if not turns:
        raise TranscriptError(source, "no turns marked (expected lines such as 'User:' and 'Assistant:')")
    return _transcript(source, turns)


def _marker(line: str) -> tuple[str, str] | None:
    """(role, text after the marker) if the line starts a turn."""
    m = _MARK.match(line)
    if not m:
        return None
    if m["colon"] or m["after"]:
        return _ROLE_OF[m["role"].lower()], m["rest"]
    if (m["head"] or m["bold"]) and not m["rest"]:
        return _ROLE_OF[m["role"].lower()], ""
    return None


def _transcript(source: str, turns: list[Turn]) -> Transcript:
    """The non-empty turns; a transcript without any is an error."""
    kept = tuple(t for t in turns if t.text.strip())
    if not kept:
        raise TranscriptError(source, "the transcript holds no messages")
    return Transcript(source, kept)
