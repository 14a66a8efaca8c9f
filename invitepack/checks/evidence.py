"""Graded evidence about a note: how much it shows it knows of the reader, whether it says what
the sender wants, and who the sender is. Rules turn the grades into findings and the verdict
weighs the findings; nothing here decides.

The grades are read after masking what a mail merge fills in (the recipient's name, company
and title), so that "great work at Acme" is not mistaken for a detail about the person. The
wording the verdict weighs also leaves out whom the greeting names and who signs: a name is no
evidence either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from invitepack.checks.regexes import compiled
from invitepack.pack.channels import RECRUITER_SCENARIO

TYPE_CHECKING = False
if TYPE_CHECKING:
    from invitepack.checks.context import CheckContext
    from invitepack.render.message import Message

STRONG, WEAK, NONE = "strong", "weak", "none"
EXPLICIT, IMPLIED = "explicit", "implied"
# The asks a stranger grants only to someone who has looked at them: to consider a job (a
# recruiter's approach), to vouch for the sender (a referral), to give them time (a call), to
# give them work or their own work (code, data).
ROLE, REFERRAL, TIME, FAVOUR = "role", "referral", "time", "favour"
REFERRAL_SCENARIO = "referral-request"

# Scenarios where a strong detail or shared history is reason enough to connect: the talk's
# "light and relevant" note needs no separate ask there. A thank-you's "for what" is its
# purpose too. (Pack scenarios, and "thank-you" as the labelled real notes name it.)
DETAIL_IS_PURPOSE = frozenset(
    {
        "genuine-networking",
        "event-follow-up",
        "reconnect",
        "peer-exchange",
        "warm-intro",
        "thank-you",
        "thank-you-for-help",
        "thank-you-for-connecting",
        "interview-thank-you",
    }
)

# A reply's context is the thread: it owes the reader no detail, introduction or separate ask.
REPLY_SCENARIOS = frozenset({"recruiter-reply", "polite-decline", "invite-reply"})

# A signed note says who wrote it: a name alone on the last line, after a sign-off word, or
# after a dash ("... next week. \u2013 Ada"). A sign-off word is not a name: a note that ends
# "\nThanks." or "\nBest Regards" is not signed, nor one that ends "Thanks in advance." (a
# name's first word may be in lower case, "- vic", its second and third are capitalised).
_SIGN_OFF = (
    r"best|thanks in advance|thank you in advance|thanks|thank you|cheers|regards|sincerely"
    r"|warmly|wishes|speak soon"
)
_SIGNATURE = compiled(
    rf"(?:\n\s*|(?:{_SIGN_OFF})[,.!]?\s*|\s[-\u2013\u2014~]\s*)[-\u2013\u2014~]?\s*"
    rf"(?!(?:{_SIGN_OFF}|kind|warm|many|all|yours)\b)"
    r"([A-Z][\w'\u2019.-]+(?-i:(?: [A-Z][\w'\u2019.-]+){0,2}))\s*$",
    re.IGNORECASE,
)
# A match ends the text (bar spaces) and holds at most eight of its runs of non-space: a
# sign-off of four words ("thank you in advance"), a dash, a name of three.
_SIGNATURE_RUNS = 8
# Lines a signature block may end with, after the name: an address, a link, a phone number.
_CONTACT_LINE = compiled(
    r"@|https?://|www\.|linkedin\.com|\d[\d ()+.-]{6,20}\d"
    r"|^\s*(?:e-?mail|phone|tel|mobile|cell|portfolio|website|web|github|linkedin)\s*:",
    re.IGNORECASE,
)
_CONTACT_LINES_KEPT = 4
# Smileys a signature may end with ("Jan :)").
_SMILES = (":)", ":-)", ";)", ";-)", ":D", "\U0001f642", "\U0001f60a", "\U0001f600", "\U0001f603")

# What a mail merge fills after "at" or "from": a run of capitalised words (a company). The
# match is the space before it and the name: starting with a space, `re` tries only spaces.
_NAME_WORD = r"[A-Z][\w&'\u2019-]*(?:\.\w+)*"
_MERGED_NAME = compiled(
    rf" (?:(?<=\b[Aa]t )|(?<=\b[Ff]rom ))({_NAME_WORD}(?: (?:{_NAME_WORD}|&|of|and))*)"
)
# Whom a greeting names: "Hi Sam,", "Dear Dr. Lee", "Hello Priya Shah" (after an optional
# title, up to three capitalised words, each with a lower-case letter after its capital, so a
# blank such as NAME or XXX stays). An addressee that is no one's name ("Hi Team", "Dear Sir",
# "Dear Hiring Manager") is not a name: it says the note went to a role, and stays.
_ADDRESSEES = (
    r"team|everyone|everybody|all|there|sir|sirs|madam|folks|guys|friend|friends|hiring|manager"
    r"|recruiter|recruiters|author|authors|maintainer|maintainers|developer|developers|mentor"
    r"|mentors|admin|admins|colleague|colleagues|name|first|last|professor|doctor"
)
_GREETED_WORD = rf"(?!(?i:{_ADDRESSEES})\b)[A-Z][a-z][\w'\u2019-]*"
_GREETED = compiled(
    r"^[ \t]*(?i:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))[ \t,]+"
    r"(?:(?i:dr|mr|mrs|ms|miss|mx|prof|professor|doctor)\.?[ \t]+)?"
    rf"({_GREETED_WORD}(?:[ \t]{_GREETED_WORD}){{0,2}})",
    re.MULTILINE,
)
# A line break inside a sentence, as a hard-wrapped email has them ("of your\nScrapedIn\nrepo"):
# between a word (or a comma) and the next word, with no blank line or punctuation that ends
# a sentence. Phrases are read with these as spaces. (The line break comes first, the character
# before it looked back at from after it, so that `re` jumps from one line break to the next
# rather than trying every place.)
_HARD_WRAP = compiled(r"\n(?<=[\w,;)]\n)(?=[\w(<\"'\u201c\u2018])")
_QUESTION = compiled(r"[^.!?\n]{0,300}\?")
_TERMINATOR = compiled(r"[.!?\n]")
_WORD = compiled(r"[^\W\d_][\w\u2019'-]*")


@dataclass(frozen=True)
class Evidence:
    """What a note shows: `detail` strong|weak|none, `purpose` explicit|implied|none,
    `introduces` whether the sender says who they are, `replying` whether it answers someone
    or nudges the sender's own earlier message (its thread is its context), `big_ask`
    role|referral|time|favour|None; with the text that showed the detail and the purpose.
    `blank_detail` says the detail is weak because it was left blank (its text then runs to the
    sentence's end, blank included). `wording` is the subject and body as the rules read them,
    what a mail merge fills in masked: the text whose words the verdict weighs (wording.py)."""

    detail: str
    purpose: str
    introduces: bool
    replying: bool
    big_ask: str | None = None
    detail_text: str | None = None
    purpose_text: str | None = None
    blank_detail: bool = False
    wording: str = ""


def masked(text: str, message: Message) -> str:
    """The text (a note's subject and body) with mail-merge values replaced by a neutral
    token of the same length.

    A rendered note masks the values of short, name-like variables (a recipient, a company, a
    title); a free-text value such as `detail` stays, since it is the sender's own words about
    the person. A hand-written note masks capitalised names after at/from."""
    if message.values:
        merged = [value for value in message.values.values() if _is_merge_value(value)]
        if len(merged) > 1:
            merged.sort(key=len, reverse=True)  # stable: equal lengths keep their order
        for value in merged:
            text = text.replace(value, _token(value))
        return text
    return _MERGED_NAME.sub(lambda m: f" {_token(m.group(1))}", text)


def without_names(text: str, signer: str | None) -> str:
    """A hand-written note's text (its subject line first, if it has one) with the names a mail
    merge would fill masked: whom the greeting names, and the signer (the name its signature
    gives, found by _signature). The wording weighs what a note says, and a name says nothing:
    "Hi Alex" and "Hi Sam" must weigh the same, whatever other notes use "alex" for."""
    greeted = _GREETED.match(text)
    second_line = text.find("\n") + 1  # 0 for a one-line text: no second line to try
    if greeted is None and second_line:
        greeted = _GREETED.match(text, second_line)
    if greeted:
        start, end = greeted.span(1)
        text = text[:start] + _token(text[start:end]) + text[end:]
    if signer:
        start = text.rfind(signer)  # the signature ends the note: its name's last place
        if start >= 0:
            text = text[:start] + _token(signer) + text[start + len(signer) :]
    return text


def _is_merge_value(value: object) -> bool:
    """A name, company or title: a short value whose words are capitalised."""
    if not isinstance(value, str):
        return False
    words = value.split()  # none for a blank value
    if not words or len(words) > 4:
        return False
    for word in words:
        first = word[0]  # (split's words are never empty)
        if first.isalpha() and not first.isupper():
            return False
    return True


# What a masked value is replaced with: its first letters, then z to its length.
_FILLER = "Zz"


def _token(text: str) -> str:
    # Same length, so spans found in the masked text stand in the body too.
    return (_FILLER + "z" * len(text))[: len(text)]


def gather(message: Message, context: CheckContext) -> Evidence:
    """The evidence for one note (computed once per note; rules share it)."""
    if _LAST.get("message") is message and _LAST.get("context") is context:
        return _LAST["evidence"]  # type: ignore[return-value]
    evidence = _gather(message, context)
    _LAST.update(message=message, context=context, evidence=evidence)
    return evidence


_LAST: dict[str, object] = {}


def _gather(message: Message, context: CheckContext) -> Evidence:
    phrases = context.phrases
    # An email's subject is read first, as the recipient reads it: "About your talk on X" is
    # a detail, "Question about your dbt tests" an ask.
    # Every sign but the signature (a line of its own) is read with hard-wrapped lines joined.
    flowing = _HARD_WRAP.sub(" ", message.body)
    body = f"{message.subject}\n{flowing}" if message.subject else flowing
    hidden = masked(body, message)
    phrases.share_scan(hidden, body, _FILLER)  # its literals are mostly the body's
    strong: re.Match[str] | None = phrases.search("detail-strong", hidden)
    weak: re.Match[str] | None = None
    # "I caught your session at [Event] on [topic]": the shape of a detail with a blank where
    # the detail goes tells the reader it was a template, no more than weak.
    blank = _left_blank(body, strong, context) if strong else None
    if blank:
        weak, strong = strong, None
    elif not strong:
        weak = phrases.search("detail-weak", hidden)
    detail = STRONG if strong else WEAK if weak else NONE
    detail_match = strong or weak

    ask = (
        phrases.search("purpose", body)
        or phrases.search("pitch", body)
        or phrases.search("role-offer", body)
        or _real_question(body)
        or (detail == STRONG and phrases.search("connect", body))
    )
    if ask:
        purpose = EXPLICIT
    elif detail == STRONG and (
        message.scenario in DETAIL_IS_PURPOSE or _is_invite(message, context)
    ):
        purpose = IMPLIED
    else:
        purpose = NONE
    # Who signs is read for a note that does not say who it is in words, and for the wording
    # of a hand-written one (which leaves the name out).
    says_who = phrases.search("self-intro", body) is not None
    signature = None if says_who and message.values else _signature(message.body)
    introduces = says_who or signature is not None
    replying = message.scenario in REPLY_SCENARIOS or phrases.search("reply", body) is not None
    return Evidence(
        detail=detail,
        purpose=purpose,
        introduces=introduces,
        replying=replying,
        big_ask=_big_ask(flowing, message.scenario, context),
        detail_text=blank or (detail_match.group(0) if detail_match else None),
        purpose_text=ask.group(0) if ask else None,
        blank_detail=blank is not None,
        wording=hidden
        if message.values
        else without_names(hidden, signature.group(1) if signature else None),
    )


def _left_blank(body: str, detail: re.Match[str], context: CheckContext) -> str | None:
    """The text from the detail's first word to its sentence's end, if a leftover placeholder
    is in it. (One before the detail is usually the greeting's: "Hi [name] — I read your
    post on X".)"""
    stop = _TERMINATOR.search(body, detail.end())
    end = stop.start() if stop else len(body)
    blank = context.phrases.search("placeholders", body, detail.start())
    return body[detail.start() : end] if blank and blank.start() < end else None


def _big_ask(body: str, scenario: str | None, context: CheckContext) -> str | None:
    """ROLE when a candidate approach mentions a role, or a note with no scenario speaks in a
    hiring voice ("we're hiring for", "I'm a recruiter"): a job seeker's "any openings?" is not
    one. REFERRAL for a referral request, or a note with no scenario that asks for one. Else
    TIME when the note asks for the reader's time ("a quick 15-minute call?"), or FAVOUR when
    it asks them for work or their own work ("can I work for you?", "please send me the
    code")."""
    phrases = context.phrases
    if scenario == RECRUITER_SCENARIO:
        if phrases.search("role-offer", body):
            return ROLE
    elif scenario == REFERRAL_SCENARIO:
        return REFERRAL
    elif scenario is None:
        if phrases.search("hiring", body):
            return ROLE
        if phrases.search("referral-ask", body):
            return REFERRAL
    if phrases.search("time-ask", body):
        return TIME
    return FAVOUR if phrases.search("favour-ask", body) else None


def _signature(body: str) -> re.Match[str] | None:
    """Where _SIGNATURE matches in the body (group 1 is the name), if anywhere. Asked of the
    body with each gap that holds a line break reduced to one line break, which gives the
    same answer (the pattern reads such a gap only as `\\n\\s*` or `\\s*`), and keeps a long
    run of blank lines from being read once per line break in it (quadratic). The search
    starts at the space before the text's last _SIGNATURE_RUNS runs, where any match starts:
    a note is not read from every place."""
    text = _without_smile(_without_contact_lines(_squeezed(body)))
    runs = text.rsplit(None, _SIGNATURE_RUNS)
    start = len(runs[0]) if len(runs) > _SIGNATURE_RUNS else 0
    return _SIGNATURE.search(text, start)


def _squeezed(body: str) -> str:
    """The body with each run of white space that holds a line break reduced to "\n": its
    lines stripped where they meet a line break, and those left empty between others dropped."""
    lines = body.split("\n")
    if len(lines) == 1:
        return body
    inner = (line.strip() for line in lines[1:-1])
    return "\n".join([lines[0].rstrip(), *(line for line in inner if line), lines[-1].lstrip()])


def _without_contact_lines(body: str) -> str:
    """The body without the contact lines that may follow a signature's name ("email: ...",
    a portfolio link), so "Warm regards,\nLarry\nemail: larry@example.com" is signed."""
    lines = body.rstrip().split("\n")
    dropped = 0
    while len(lines) > 1 and dropped < _CONTACT_LINES_KEPT:
        if lines[-1].strip():
            if not _CONTACT_LINE.search(lines[-1]):
                break
            dropped += 1
        lines.pop()
    return "\n".join(lines)


def _without_smile(body: str) -> str:
    """The body without a smiley after its last word: "Thanks in advance, Jan :)" is signed."""
    text = body.rstrip()
    for smile in _SMILES:
        if text.endswith(smile):
            return text[: -len(smile)]
    return body


def _questions(body: str) -> Iterator[re.Match[str]]:
    """What `_QUESTION.finditer(body)` yields, in linear time: a match ends at each ? that
    ends a sentence (no . ! ? or line break since the last one) and starts at that sentence's
    start, or 300 characters before the ?, whichever is later. (finditer alone tries every
    start and reads up to 300 characters from each.)"""
    sentence = 0
    for stop in _TERMINATOR.finditer(body):
        at = stop.start()
        if body[at] == "?":
            found = _QUESTION.match(body, max(sentence, at - 300))
            if found:  # always, by the reasoning above
                yield found
        sentence = at + 1


def _real_question(body: str) -> re.Match[str] | None:
    """A question of four words or more ("How are you?" is a greeting, not an ask)."""
    for match in _questions(body):
        if len(_WORD.findall(match.group(0))) >= 4:
            return match
    return None


def _is_invite(message: Message, context: CheckContext) -> bool:
    channel = context.channel(message.channel)
    return bool(channel and channel.is_invite)
