"""Content rules: is there a note, does it say what the sender wants, is it about this person."""

from __future__ import annotations

import re
from collections.abc import Iterator

from invitepack import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding, Rule
from invitepack.render.message import Message

EMPTY_NOTE = Rule(
    "IP201",
    "empty-note",
    "error",
    "There is no note, or nothing but a greeting.",
    "An invitation without a note leaves the reader asking 'what do you want?'. Many ignore it, "
    "and some click 'I don't know this person', which can get the sender restricted. Accepting "
    "also hands over the reader's contact details, so an unexplained invite reads as a sales "
    "pitch waiting to happen.",
    "Say who you are, why this person, and what you want, in a sentence or two.",
)
MISSING_PURPOSE = Rule(
    "IP202",
    "missing-purpose",
    "warning",
    "The reader can't tell what you want.",
    "The first question a recipient asks is 'what do you want?'. A note that does not answer it "
    "gets ignored or reported. Say it plainly: you're looking for work and want to know who to "
    "talk to; you have skills that would help; you enjoyed their talk and want to follow their "
    "work; you're hiring for a role, and it's fine if they're not looking.",
    "Add one sentence that says what you want, e.g. 'Who would be the right person to "
    "talk to about ...?'",
)
GENERIC_NOTE = Rule(
    "IP203",
    "generic-note",
    "warning",
    "The note is LinkedIn's default text or a stock line that fits anyone.",
    "'I'd like to add you to my professional network' and 'since we're in the same industry' "
    "explain nothing: generic notes perform no better than blank ones. The default text is what "
    "people ignore; a stock line counts against a note only when nothing else in it is specific.",
    "Replace the stock line with the specific reason you are writing to this person.",
)
NO_PERSONAL_DETAIL = Rule(
    "IP204",
    "no-personal-detail",
    "warning",
    "Nothing in the note is about this person beyond what a mail merge fills in.",
    "Name, title and company come from any mail merge. One specific, true detail (their talk, "
    "their post, where you met, who suggested you write) shows you looked at the person, and "
    "checks that you are not offering a role they left years ago.",
    "Add one true detail: what they wrote, said or built, or where you met.",
)

_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_QUESTION = re.compile(r"[^.!?\n]*\?")
_GREETING_WORDS = frozenset(
    [
        "hi",
        "hello",
        "hey",
        "dear",
        "hiya",
        "greetings",
        "morning",
        "afternoon",
        "evening",
        "thanks",
        "thank",
        "you",
        "cheers",
        "best",
        "regards",
        "kind",
        "warm",
        "warmly",
        "many",
        "all",
        "the",
        "team",
        "there",
        "yours",
        "sincerely",
        "wishes",
        "sent",
        "from",
        "my",
        "iphone",
    ]
)


def is_empty(body: str) -> bool:
    """Nothing, or only greeting and sign-off words and names (capitalised words)."""
    words = _WORD.findall(body)
    if not words:
        return True
    rest = [w for w in words if w.lower() not in _GREETING_WORDS]
    return len(words) <= 8 and len(rest) <= 2 and all(w[0].isupper() for w in rest)


def has_detail(message: Message, context: CheckContext) -> bool:
    """Does the note say something specific about the person (see phrases/detail.txt)?"""
    return context.phrases.search("detail", message.body) is not None


def states_purpose(body: str, detail: bool, context: CheckContext) -> bool:
    """Can the reader tell what the sender wants? An ask or a reason says so; so does a pitch
    or a role on offer (other rules judge those); wanting to connect, or a question, does
    when a specific detail says why."""
    phrases = context.phrases
    return bool(
        phrases.search("purpose", body)
        or phrases.search("pitch", body)
        or phrases.search("role-offer", body)
        or (detail and (phrases.search("connect", body) or "?" in body))
        or any(len(_WORD.findall(q)) >= 4 for q in _QUESTION.findall(body))
    )


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [EMPTY_NOTE, MISSING_PURPOSE, GENERIC_NOTE, NO_PERSONAL_DETAIL]


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    body = message.body
    if is_empty(body):
        yield EMPTY_NOTE.on(message, "no note: the reader can't tell who you are or what you want")
    detail = has_detail(message, context)
    default = context.phrases.search("default-invite", body)
    stock = None if detail else context.phrases.search("generic", body)
    if default or stock:
        match = default or stock
        assert match is not None
        why = (
            "LinkedIn's default invitation text"
            if default
            else "a stock line with nothing specific about this person"
        )
        yield GENERIC_NOTE.on(message, f"{why}: {match.group(0)!r}", span=match.span())
    if not states_purpose(body, detail, context):
        yield MISSING_PURPOSE.on(
            message, "the note doesn't say what you want or why you're writing"
        )
    if not detail:
        yield NO_PERSONAL_DETAIL.on(message, "nothing here is about this person in particular")
