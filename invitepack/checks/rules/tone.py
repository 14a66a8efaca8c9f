"""Tone rules: no shouting, no stacked exclamation marks, no emoji overload, no rebukes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from invitepack.checks.builtin import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding, Rule
from invitepack.checks.regexes import compiled
from invitepack.render.message import Message

SHOUTING = Rule(
    "IP601",
    "shouting",
    "warning",
    "Words in capitals for emphasis.",
    "Capitals read as shouting and as marketing; a note from a stranger should be light and "
    "reassuring. Acronyms (AWS, NHS, CTO) are fine and can be extended in [phrases] acronyms.",
    "Write the words in ordinary case; let the reason for writing carry the emphasis.",
)
EXCLAMATION_STACK = Rule(
    "IP602",
    "exclamation-stack",
    "warning",
    "Stacked exclamation marks, or many in one note.",
    "'!!' and a string of exclamation marks read as hype or pressure, the opposite of the calm, "
    "explained note that gets accepted.",
    "Keep at most one exclamation mark, and never two in a row.",
)
EMOJI_OVERLOAD = Rule(
    "IP603",
    "emoji-overload",
    "warning",
    "Three or more emoji in one note.",
    "One friendly emoji can soften a note; several read as marketing, and each costs two or more "
    "of the 200 characters a free account's note allows.",
    "Keep at most one or two emoji.",
)
DISCOURTEOUS = Rule(
    "IP606",
    "discourteous",
    "warning",
    "The note insults, lectures or mocks the reader.",
    "Outreach works because it is courteous: the reader owes the sender nothing. A reply that "
    "says no is fine, however short; one that insults ('this kind of crap'), lectures ('I am "
    "extremely disappointed in you') or mocks gets screenshotted and shared, and follows the "
    "sender around a small industry.",
    "Say the plain thing politely: 'Thanks, but this isn't relevant to me; please take me off "
    "your list.'",
)

_CAPS_WORD = compiled(r"(?<![\w&])[A-Z][A-Z&'’]*[A-Z](?![\w&])")
# Searched from every capital, _CAPS_WORD alone reads a long run such as A&'A&'A&'... once per
# start: caps_words() finds its matches from each run's possible ends, in linear time. A match
# has two capitals at least, so a run of one (a sentence's first letter) holds none.
_CAPS_RUN = compiled(r"[A-Z&'’]{2,}")
_WORDLIKE = compiled(r"[\w&]")
_APOSTROPHES = "'’"
# Stacked punctuation: a run of ! and ? of two or more with a ! in it. (The same as
# `[!?]*![!?]*[!?]|[!?][!?]*!`, which is quadratic on a long run of ?.)
_PUNCTUATION_RUN = compiled(r"[!?]{2,}")
# A visible emoji: a pictograph, optionally with a variation selector, skin tone, or ZWJ links
# to further pictographs (one emoji to the reader); or a pair of regional indicators (a flag).
_PICTO = (
    "[\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff\U0001f900-\U0001faff"
    "\u2600-\u27bf\U0001f004\U0001f0cf\u2b50\u2b55\u2764]"
)
_EMOJI = compiled(
    rf"{_PICTO}[\ufe0f\U0001f3fb-\U0001f3ff]*(?:\u200d{_PICTO}[\ufe0f\U0001f3fb-\U0001f3ff]*)*|[\U0001f1e6-\U0001f1ff]{{2}}"
)


def caps_words(text: str) -> Iterator[re.Match[str]]:
    """What `_CAPS_WORD.finditer(text)` yields, in linear time. A match lies in one run of
    capitals, &, ' and U+2019. It ends at the run's last capital that is followed by an
    apostrophe or, at the run's end, by a character that is not [\\w&] (greedy: the last
    such end), and starts at the first capital before that end that follows an apostrophe
    or, at the run's start, a character that is not [\\w&]. So a run holds one match at
    most."""
    for run in _CAPS_RUN.finditer(text):
        start, end = run.span()
        last = -1
        for j in range(end - 1, start, -1):
            if not ("A" <= text[j] <= "Z"):
                continue
            if j + 1 < end:
                if text[j + 1] in _APOSTROPHES:
                    last = j
                    break
            elif not _WORDLIKE.match(text, end):
                last = j
                break
        for i in range(start, last):
            if "A" <= text[i] <= "Z" and (
                text[i - 1] in _APOSTROPHES
                if i > start
                else i == 0 or not _WORDLIKE.match(text, i - 1)
            ):
                found = _CAPS_WORD.match(text, i)
                if found:  # always, by the reasoning above
                    yield found
                break


def stacked(text: str) -> re.Match[str] | None:
    """The first run of two or more ! and ? with a ! in it, as `_STACK.search` found it.
    (Most notes hold no "!": they are answered without a search.)"""
    if "!" not in text:
        return None
    for run in _PUNCTUATION_RUN.finditer(text):
        if "!" in run.group(0):
            return run
    return None


def count_emoji(text: str) -> int:
    """Emoji as a reader counts them: a ZWJ family or a flag is one."""
    return 0 if text.isascii() else len(_EMOJI.findall(text))  # every emoji is past ASCII


def _shouting(body: str, context: CheckContext) -> re.Match[str] | None:
    """The first shouted word: an emphasis word in capitals (SO, FREE), a long capitalised
    word that is not a known acronym, or the second of two capitalised words."""
    phrases = context.phrases
    long_word = context.option(SHOUTING.name, "min-letters", 6)
    seen: set[str] = set()
    for match in caps_words(body):
        word = match.group(0)
        if phrases.fullmatch("emphasis", word):
            return match
        if phrases.fullmatch("acronyms", word) or phrases.fullmatch("placeholders", word):
            continue
        if len(word) >= long_word or (len(word) >= 4 and seen - {word}):
            return match
        if len(word) >= 4:
            seen.add(word)
    return None


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [SHOUTING, EXCLAMATION_STACK, EMOJI_OVERLOAD, DISCOURTEOUS]


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    body = message.body
    shouting = _shouting(body, context)
    if shouting:
        yield SHOUTING.on(
            message, f"{shouting.group(0)!r} in capitals reads as shouting", span=shouting.span()
        )
    elif message.subject and (in_subject := _shouting(message.subject, context)):
        yield SHOUTING.on(
            message, f"{in_subject.group(0)!r} in capitals in the subject reads as shouting"
        )
    rebuke = context.phrases.search("discourtesy", body)
    if rebuke:
        yield DISCOURTEOUS.on(
            message, f"reads as a rebuke: {rebuke.group(0)!r}", span=rebuke.span()
        )
    stack = stacked(body)
    if stack:
        yield EXCLAMATION_STACK.on(
            message, f"stacked punctuation {stack.group(0)!r}", span=stack.span()
        )
    elif body.count("!") >= context.option(EXCLAMATION_STACK.name, "max", 2) + 1:
        yield EXCLAMATION_STACK.on(message, f"{body.count('!')} exclamation marks in one note")
    most = context.option(EMOJI_OVERLOAD.name, "max", 2)
    emoji = count_emoji(body)
    if emoji > most:
        yield EMOJI_OVERLOAD.on(message, f"{emoji} emoji (at most {most} reads as friendly)")
