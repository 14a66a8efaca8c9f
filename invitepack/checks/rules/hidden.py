"""Hidden characters in a note: what the reader sees is not what was written."""

from __future__ import annotations

from collections.abc import Iterator

from invitepack import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding, Rule
from invitepack.render.message import Message
from invitepack.render.values import escape_for_display, unsafe_character

HIDDEN_CHARACTERS = Rule(
    "IP604",
    "hidden-characters",
    "error",
    "The note contains invisible, bidirectional-control or control characters.",
    "Zero-width spaces, bidirectional controls and stray control characters (often pasted from "
    "a CRM or a web page) can hide or reorder text, break LinkedIn's character count, and look "
    "like tracking or spoofing to a careful reader. Emoji sequences that need a joiner are fine.",
    "Retype the text around the position named, or paste it as plain text.",
)


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [HIDDEN_CHARACTERS]


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    found = unsafe_character(message.body, multiline=True)
    if found:
        index, kind = found
        shown = escape_for_display(message.body[index])
        yield HIDDEN_CHARACTERS.on(message, f"{kind} {shown} in the note", span=(index, index + 1))
