"""House rules for this team's outreach: a local invitepack plugin.

invitepack loads this file because pack.yaml lists it under `plugins:`. Add rules here the
way the built-in ones are written: declare each Rule in `invitepack_rules`, and report it from
a check hook. `invitepack plugins --hooks` documents every hook; `invitepack rules TEAM101`
shows this rule's rationale.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from invitepack import CheckContext, Finding, Message, Rule, hookimpl

__version__ = "0.1.0"

NO_URGENCY = Rule(
    "TEAM101",
    "no-urgency",
    "warning",
    "The note pressures the reader with urgency.",
    "Our outreach is an invitation, not a deadline: 'urgent', 'ASAP' and 'immediate start' read "
    "as pressure, and pressure is what makes people click 'I don't know this person'.",
    "Drop the urgency; say what the role or request is and let the reader choose the pace.",
)
_URGENCY = re.compile(
    r"\b(urgent(ly)?|asap|immediate start|right away|today only|act now)\b", re.IGNORECASE
)


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [NO_URGENCY]


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    match = _URGENCY.search(message.body)
    if match:
        yield NO_URGENCY.on(message, f"{match.group(0)!r} pressures the reader", span=match.span())
