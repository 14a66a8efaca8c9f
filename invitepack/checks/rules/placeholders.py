"""Leftover placeholders: the mail merge that didn't fill in."""

from __future__ import annotations

from collections.abc import Iterator

from invitepack.checks.builtin import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding, Rule
from invitepack.render.message import Message

LEFTOVER_PLACEHOLDER = Rule(
    "IP501",
    "leftover-placeholder",
    "error",
    "The note still contains a template placeholder.",
    "'Hi {first_name}' or 'your work at [Company]' tells the reader at once that the note went to "
    "hundreds of people and that nobody read it before sending; it is among the most common "
    "mistakes in outreach. Placeholders in the wild take many forms: {x}, {{x}}, [Name], "
    "<company>, "
    "%FIRSTNAME%, XYZ, So-and-so, NAME, TODO, and a greeting with no name ('Hi ,').",
    "Fill in the value, or render the note from a template with `invitepack render`.",
)


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [LEFTOVER_PLACEHOLDER]


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    for match in context.phrases.finditer("placeholders", message.body):
        text = match.group(0)
        shown = (
            f"{text!r} with no name after it"
            if text.lower() in ("hi", "hello", "hey", "dear")
            else repr(text)
        )
        yield LEFTOVER_PLACEHOLDER.on(message, f"unfilled placeholder {shown}", span=match.span())
