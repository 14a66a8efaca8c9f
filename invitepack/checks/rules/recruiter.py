"""Recruiter rules: don't presume the person wants a job, and make it easy to say no."""

from __future__ import annotations

from collections.abc import Iterator

from invitepack.checks.builtin import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.evidence import ROLE, gather
from invitepack.checks.findings import Finding, Rule
from invitepack.render.message import Message

ASSUMES_JOB_INTEREST = Rule(
    "IP401",
    "assumes-job-interest",
    "warning",
    "The note presumes the person wants a job or a move.",
    "Plenty of people are on LinkedIn to network, not to be hit up for a job. 'The perfect "
    "opportunity for you' and 'ready for your next challenge?' presume they are looking, and "
    "often offer a role they left years ago: look at their profile first.",
    "Acknowledge they may be happy where they are, e.g. 'you may well be settled, and that's "
    "fine'.",
)
NO_EASY_OUT = Rule(
    "IP402",
    "no-easy-out",
    "warning",
    "A candidate approach offers a role with no easy way to say no.",
    "An approach that leaves no polite way out turns a 'not now' into an ignore or a report. One "
    "line such as 'if you're happy where you are, I'd be glad to just connect' keeps the door "
    "open for later.",
    "Add an easy out: 'If the timing's wrong, no worries; happy to just connect.'",
)


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [ASSUMES_JOB_INTEREST, NO_EASY_OUT]


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    body = message.body
    presumes = context.phrases.search("job-presumption", body)
    acknowledges = context.phrases.search("acknowledgement", body)
    if presumes and not acknowledges:
        yield ASSUMES_JOB_INTEREST.on(
            message, f"presumes they want a move: {presumes.group(0)!r}", span=presumes.span()
        )
    if not acknowledges and gather(message, context).big_ask == ROLE:
        yield NO_EASY_OUT.on(message, "offers a role with no easy way to say no")
