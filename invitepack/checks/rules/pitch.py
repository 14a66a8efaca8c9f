"""Pitch rules: a connection note is not a sales pitch, and an invite carries no links."""

from __future__ import annotations

import re
from collections.abc import Iterator

from invitepack import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding, Rule
from invitepack.render.message import Message

SALES_PITCH = Rule(
    "IP301",
    "sales-pitch",
    "error",
    "The note pitches a product or service: a demo, a quick call, pricing, a booking link.",
    "Accepting an invitation hands over the recipient's contact details; the fear that a sales "
    "pitch follows is why people hesitate. A pitch in the note, or right after acceptance, "
    "confirms it, and earns ignores and 'I don't know this person' clicks. Saying 'this is not a "
    "sales pitch' and then pitching counts too.",
    "Drop the pitch: connect for the reason you'd give a person, and earn the conversation later.",
)
LINK_IN_INVITE = Rule(
    "IP302",
    "link-in-invite",
    "error",
    "The invitation note contains a link.",
    "A link in a note from a stranger looks like spam or phishing, can't be clicked in most "
    "invitation views, and uses characters the 200-character limit can't spare.",
    "Remove the link; share it in a message once they have accepted, if they want it.",
)

# A URL, a domain with a path, or a bare domain with a common top-level domain ("Node.js" is not).
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,12}/\S*"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|io|co|ai|dev|org|net|app|me|ly|uk|us|de|fr|eu|info|biz|link|page|site|xyz|tech|so|gg|to|art|example|design|studio|cv|pro|work|jobs|it|es|nl|ie|ca|au|in|se|dk|fi|pl|pt|ch|at|be|nz|za|br|mx|jp)\b"
)


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [SALES_PITCH, LINK_IN_INVITE]


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    pitch = context.phrases.search("pitch", message.body)
    if pitch:
        yield SALES_PITCH.on(
            message, f"reads as a sales pitch: {pitch.group(0)!r}", span=pitch.span()
        )
    channel = context.channel(message.channel)
    if channel is not None and channel.is_invite:
        link = _LINK.search(message.body)
        if link:
            yield LINK_IN_INVITE.on(
                message, f"a link in an invitation note: {link.group(0)!r}", span=link.span()
            )
