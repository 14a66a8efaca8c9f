"""Length rules: a channel's hard limits, and the lengths past which replies drop."""

from __future__ import annotations

from collections.abc import Iterator

from invitepack.checks.builtin import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding, Rule
from invitepack.render.budget import measure
from invitepack.render.message import Message

OVER_LIMIT = Rule(
    "IP101",
    "over-limit",
    "error",
    "The note is longer than the channel allows.",
    "LinkedIn cuts nothing for you: a note over the limit cannot be sent, and people trim in a "
    "hurry, usually removing the reason for writing. Lengths are counted in UTF-16 code units, as "
    "LinkedIn's text boxes count them, so an emoji counts as two or more. A free account's "
    "invitation note allows 200 characters, a premium one 300 (set the tier with --account).",
    "Cut pleasantries first; keep who you are, why this person and what you want.",
)
NEAR_LIMIT = Rule(
    "IP102",
    "near-limit",
    "info",
    "The note is within a few characters of the channel's limit.",
    "A note at the edge of the limit leaves no room for a longer name or a last-minute edit, and "
    "a free account's limit (200) is lower than a premium one's (300).",
    "Trim a few words so that small edits still fit.",
)
SUBJECT_OVER_LIMIT = Rule(
    "IP103",
    "subject-over-limit",
    "error",
    "The subject is longer than the channel allows.",
    "InMail subjects are limited to 200 characters; a longer one cannot be sent.",
    "Shorten the subject to the one thing the message is about.",
)
LONG_SUBJECT = Rule(
    "IP105",
    "long-subject",
    "warning",
    "The email subject is longer than most inboxes show.",
    "Phones show about 30-40 characters of a subject and desktop clients 60-70; what is cut off "
    "is never read. Aim for 30-50 characters.",
    "Put the reason for writing first and cut the rest.",
)
LONG_LINE = Rule(
    "IP106",
    "long-line",
    "info",
    "An email line runs past the 998 characters RFC 5322 allows on the wire.",
    "RFC 5322 section 2.1.1 caps a line of an email at 998 characters. A mail client, and "
    "`render --format eml`, encode a long paragraph (quoted-printable) so it arrives whole, and "
    "the reader never sees the difference; only a script that sends the text raw over SMTP "
    "breaks it. (Real, well-received emails are often one line a paragraph: this is no reason "
    "to revise a note.)",
    "Nothing to change if a mail client or `render --format eml` sends it; a script that "
    "writes raw SMTP should wrap or encode the line.",
)
LONG_RECRUITER_MESSAGE = Rule(
    "IP107",
    "long-recruiter-message",
    "warning",
    "A recruiter message or InMail runs past 400 characters, where replies drop.",
    "LinkedIn's study of tens of millions of InMails found messages under 400 characters got 22% "
    "more replies than average, and those over 1,200 got 11% fewer; 90% of InMails were over 400.",
    "Say the role, why this person and the easy way to say no; leave the details for the reply.",
)


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [
        OVER_LIMIT,
        NEAR_LIMIT,
        SUBJECT_OVER_LIMIT,
        LONG_SUBJECT,
        LONG_LINE,
        LONG_RECRUITER_MESSAGE,
    ]


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    channel = context.channel(message.channel)
    if channel is None:
        return
    budget = measure(message, channel)
    tier = f" ({message.account} account)" if channel.is_invite else ""
    if budget.over_by:
        yield OVER_LIMIT.on(
            message,
            f"{budget.length} characters; {channel.id}{tier} allows {budget.limit}: "
            f"{budget.over_by} over",
        )
    elif budget.limit and budget.length > budget.limit * context.option(
        NEAR_LIMIT.name, "ratio", channel.near_limit_ratio
    ):
        yield NEAR_LIMIT.on(message, f"{budget.length} of {budget.limit} characters used")
    if budget.subject_over_by:
        yield SUBJECT_OVER_LIMIT.on(
            message,
            f"subject is {budget.subject_length} characters; {channel.id} allows "
            f"{channel.subject_limit}",
        )
    elif (
        channel.subject_display
        and budget.subject_length
        and budget.subject_length > channel.subject_display
    ):
        yield LONG_SUBJECT.on(
            message,
            f"subject is {budget.subject_length} characters; inboxes show about "
            f"{channel.subject_display}",
        )
    if channel.line_limit:
        offset = 0
        for line in message.body.split("\n"):
            if len(line) > channel.line_limit:
                yield LONG_LINE.on(
                    message,
                    f"a line of {len(line)} characters (at most {channel.line_limit})",
                    span=(offset, offset + len(line)),
                )
            offset += len(line) + 1
    drop = context.option(LONG_RECRUITER_MESSAGE.name, "length", channel.reply_drop_length)
    if channel.held_to_reply_drop(message.scenario) and drop and budget.length > drop:
        yield LONG_RECRUITER_MESSAGE.on(
            message, f"{budget.length} characters; replies drop past {drop}"
        )
