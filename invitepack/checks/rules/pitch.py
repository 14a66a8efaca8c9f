"""Pitch rules: a connection note is not a sales pitch, and an invite carries no links."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from invitepack.checks.builtin import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding, Rule
from invitepack.checks.regexes import compiled
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
_TLDS = (
    "com|io|co|ai|dev|org|net|app|me|ly|uk|us|de|fr|eu|info|biz|link|page|site|xyz|tech|so|gg"
    "|to|art|example|design|studio|cv|pro|work|jobs|it|es|nl|ie|ca|au|in|se|dk|fi|pl|pt|ch|at"
    "|be|nz|za|br|mx|jp"
)
_LINK = compiled(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,12}/\S*"
    rf"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b"
)
# _LINK.search tries every start, and from each start in a run such as a.a.a.a... reads the
# whole run back (quadratic): find_link() decides in linear time where the first match starts,
# from the pieces below, then lets _LINK.match read that one match.
_URL = compiled(r"(?:https?://|www\.)\S+")
_DOMAIN_RUN = compiled(r"[a-z0-9.-]+")
_TLD_AFTER_DOT = compiled(rf"\.(?:{_TLDS})\b")
_PATH_AFTER_DOT = compiled(r"\.[a-z]{2,12}/")
_WORDLIKE = compiled(r"\w")
# The second and third branches both need a dot followed by a lowercase letter.
_DOT_LETTER = compiled(r"\.[a-z]")


def find_link(text: str) -> re.Match[str] | None:
    """What `_LINK.search(text)` finds, in linear time.

    A match of the second or third branch starts at a word boundary on [a-z0-9] inside a run
    of [a-z0-9.-] and reads dot-separated labels: from a start s it can reach every dot up to
    the first `..` at or after s. The second branch needs the run's last dot reachable, then
    2-12 letters and a / after the run; the third needs a reachable dot followed by a listed
    top-level domain and a word boundary. The first branch (http://, www.) is found on its
    own, and wins at the same start, being tried first. Once the first start is known,
    _LINK.match reads that one match, exactly as search would. Most notes hold no dot before
    a lowercase letter, so neither of those branches can match: only the first is looked for."""
    url = _URL.search(text)
    limit = url.start() if url else len(text)
    for run in _DOMAIN_RUN.finditer(text) if _DOT_LETTER.search(text) else ():
        start, end = run.span()
        if start >= limit:
            break
        if text.find(".", start, end) < 0:
            continue  # most runs are plain words: no domain without a dot
        dots = [i for i in range(start, end) if text[i] == "."]
        doubles = [d for d in dots if d + 1 < end and text[d + 1] == "."]
        with_tld = [d for d in dots if _TLD_AFTER_DOT.match(text, d)]
        path_at = dots[-1] if _PATH_AFTER_DOT.match(text, dots[-1]) else -1
        double = 0  # doubles[double]: the first `..` at or after the start
        for s in range(start, min(end, limit)):
            if not ("a" <= text[s] <= "z" or "0" <= text[s] <= "9"):
                continue
            if s > 0 and _WORDLIKE.match(text, s - 1):
                continue  # no word boundary before s
            while double < len(doubles) and doubles[double] < s:
                double += 1
            reach = doubles[double] if double < len(doubles) else end
            last_tld = bisect_right(with_tld, reach) - 1
            if s < path_at <= reach or (last_tld >= 0 and with_tld[last_tld] > s):
                return _LINK.match(text, s)
    return _LINK.match(text, url.start()) if url else None


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
        link = find_link(message.body)
        if link:
            yield LINK_IN_INVITE.on(
                message, f"a link in an invitation note: {link.group(0)!r}", span=link.span()
            )
