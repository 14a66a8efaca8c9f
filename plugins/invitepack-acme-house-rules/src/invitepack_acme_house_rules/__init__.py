"""Acme talent team's house rules, as an invitepack checker plugin.

invitepack's built-in rules judge a note as any thoughtful recipient would. A team has
conventions of its own on top: how the company's name is written, how a message ends, what
is out of place in a paid InMail. This module holds three such rules (ACME101-ACME103) and is
an example to copy: one file, no relative imports, so it works both installed (entry point
`acme-house-rules`, see pyproject.toml) and dropped into a pack as a local plugin
(`plugins: [plugins/acme_house_rules.py]` in pack.yaml).

What a plugin needs, and nothing more: `Rule` records declared by `invitepack_rules()`, and
`invitepack_check_message()` yielding findings made with `RULE.on(message, text, span=...)`.
Settings come from pack.yaml (`settings: {company: Acme}`), rule options from the config
(`[rules.sign-off] max-words = 4`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from invitepack import Finding, Rule, hookimpl

if TYPE_CHECKING:
    from invitepack import CheckContext, Message

__version__ = "1.0.0"
__all__ = [
    "COMPANY_SPELLING",
    "DEFAULT_COMPANY",
    "NO_EMOJI_IN_INMAIL",
    "SIGN_OFF",
    "__version__",
    "invitepack_check_message",
    "invitepack_rules",
]

DEFAULT_COMPANY = "Acme"

COMPANY_SPELLING = Rule(
    "ACME101",
    "company-spelling",
    "error",
    "The company's name is spelled differently from the pack's `company` setting.",
    "Candidates notice when a recruiter gets their own employer's name wrong: 'ACME' reads as "
    "shouting, 'acme' as careless, 'Acme Inc' as a legal letter. One spelling in every note is "
    "the cheapest sign that the note was written with care, and keeps the employer brand the "
    "same whoever on the team sends it. The spelling is `settings: {company: ...}` in pack.yaml "
    "(default 'Acme'). Web and e-mail addresses and hashtags are left alone: they are lower "
    "case by convention.",
    "Write the company's name exactly as the pack's `company` setting spells it.",
)
SIGN_OFF = Rule(
    "ACME102",
    "sign-off",
    "warning",
    "A message, InMail or email does not end with a sign-off line naming the sender.",
    "A message that stops on a question, or ends 'Thanks!', reads as a sequence sent by a tool. "
    "Ending on your name, on a line of its own ('Best, Ada' or just 'Ada'), tells the candidate "
    "a person wrote it and whom they would be replying to. Invitation notes are exempt: 200 "
    "characters cannot spare a line, and LinkedIn shows the sender's name beside them anyway. "
    "Options: [rules.sign-off] channels (the channels it applies to), max-words (default 3).",
    "End with a short line that names you, e.g. 'Best, Ada' or 'Ada'.",
)
NO_EMOJI_IN_INMAIL = Rule(
    "ACME103",
    "no-emoji-in-inmail",
    "warning",
    "An InMail contains emoji.",
    "An InMail is a paid, cold first contact that candidates read alongside their work mail. "
    "An emoji there reads as marketing automation, not as a recruiter who read their profile. "
    "In a message to someone who already knows you one may be fine (invitepack's own "
    "emoji-overload rule limits how many); in an InMail, subject or body, none is.",
    "Remove the emoji; let the reason you are writing carry the warmth.",
)

SIGN_OFF_CHANNELS = ("linkedin-message", "linkedin-inmail", "email")

# A legal form after the name ("Acme Inc", "Acme, Ltd"): a different spelling of the name.
_LEGAL_FORM = r"(?:,?\s+(?:inc|ltd|llc|plc|corp|gmbh)\b\.?)"
# Addresses, where a lower-case name is right: e-mail, URLs, bare domains, hashtags.
_ADDRESS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b(?:/\S*)?|#\w+",
    re.IGNORECASE,
)
# Words of closing formulas, which are not the sender's name ("Thanks!", "Talk soon,").
_NOT_A_NAME = frozenset(
    {
        "all",
        "again",
        "best",
        "care",
        "cheers",
        "day",
        "forward",
        "from",
        "good",
        "great",
        "have",
        "hear",
        "hope",
        "kind",
        "know",
        "let",
        "looking",
        "love",
        "many",
        "me",
        "much",
        "regards",
        "see",
        "sincerely",
        "so",
        "soon",
        "speak",
        "take",
        "talk",
        "thank",
        "thanks",
        "the",
        "to",
        "truly",
        "warm",
        "warmest",
        "warmly",
        "week",
        "weekend",
        "wishes",
        "with",
        "you",
        "yours",
    }
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# A visible emoji: a pictograph with optional variation selector, skin tone and ZWJ links to
# further pictographs (one emoji to the reader), or a pair of regional indicators (a flag).
_PICTO = (
    "[\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff\U0001f900-\U0001faff"
    "\u2600-\u27bf\U0001f004\U0001f0cf\u2b50\u2b55\u2764]"
)
_EMOJI = re.compile(
    rf"{_PICTO}[\ufe0f\U0001f3fb-\U0001f3ff]*(?:\u200d{_PICTO}[\ufe0f\U0001f3fb-\U0001f3ff]*)*|[\U0001f1e6-\U0001f1ff]{{2}}"
)


@hookimpl
def invitepack_rules() -> list[Rule]:
    """Declare the rules, so that `select`, `ignore`, `invitepack rules ACME101` and
    `# invitepack: disable=...` work for them like for the built-in ones."""
    return [COMPANY_SPELLING, SIGN_OFF, NO_EMOJI_IN_INMAIL]


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    """Judge one note, message or rendered template example against the house rules."""
    yield from _company_spelling(message, context)
    yield from _sign_off(message, context)
    yield from _no_emoji_in_inmail(message)


def company_mentions(text: str, company: str) -> Iterator[re.Match[str]]:
    """Every mention of the company in text, however it is spelled or cased, with any legal
    form after it; mentions inside an address (acme.com, jo@acme.com, #acme) are skipped."""
    core = re.sub(rf"{_LEGAL_FORM}$", "", company.strip(), flags=re.IGNORECASE) or company.strip()
    words = r"\s+".join(re.escape(word) for word in core.split())
    pattern = re.compile(rf"(?<!\w)(?:{words}){_LEGAL_FORM}?(?!\w)", re.IGNORECASE)
    addresses = [m.span() for m in _ADDRESS.finditer(text)]
    for match in pattern.finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in addresses):
            yield match


def _company_spelling(message: Message, context: CheckContext) -> Iterator[Finding]:
    """ACME101: each mention not spelled as `settings.company` (default Acme), so a pack for
    another company, or a renamed one, needs a settings change and no code change."""
    company = context.settings.get("company", DEFAULT_COMPANY)
    if not company:
        return  # `company: null` (which `validate` refuses, but `check` does not validate)
    if not isinstance(company, str):
        raise TypeError(
            f"settings.company in pack.yaml must be a string, not {type(company).__name__}"
        )
    company = company.strip()
    hint = f"write it as {company!r}, as pack.yaml's settings spell it"
    for match in company_mentions(message.body, company):
        if match.group(0).rstrip(".") != company.rstrip("."):
            yield COMPANY_SPELLING.on(
                message,
                f"{match.group(0)!r} should be spelled {company!r}",
                span=match.span(),
                hint=hint,
            )
    for match in company_mentions(message.subject or "", company):
        if match.group(0).rstrip(".") != company.rstrip("."):
            yield COMPANY_SPELLING.on(
                message,
                f"{match.group(0)!r} in the subject should be spelled {company!r}",
                hint=hint,
            )


def _option(rule: Rule, context: CheckContext, key: str, default: Any, kind: type) -> Any:
    """A rule option from `[rules.<name>]`, checked, so a typo in the config says what is wrong
    (reported by invitepack as a plugin error naming this plugin) instead of misbehaving."""
    value = context.option(rule.name, key, default)
    if kind is int and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise ValueError(f"[rules.{rule.name}] {key} must be a positive integer, not {value!r}")
    if kind is list and (
        not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value)
    ):
        raise ValueError(f"[rules.{rule.name}] {key} must be a list of channel ids, not {value!r}")
    return value


def _sign_off(message: Message, context: CheckContext) -> Iterator[Finding]:
    """ACME102: the last line must be a short line of its own with a name in it. Knowing no
    sender's name, it looks for a capitalised word that is not part of a closing formula."""
    channels: Sequence[str] = _option(SIGN_OFF, context, "channels", SIGN_OFF_CHANNELS, list)
    if message.channel not in channels:
        return
    max_words: int = _option(SIGN_OFF, context, "max-words", 3, int)
    body = message.body.rstrip()
    if not body:
        return  # an empty note is the built-in rules' business
    start = body.rfind("\n") + 1
    line = body[start:]
    start += len(line) - len(line.lstrip())
    span = (start, len(body))
    signature = line.strip().lstrip("-–—~ ").strip()
    words = _WORD.findall(signature)
    if "\n" not in body or len(words) > max_words or signature.endswith("?"):
        yield SIGN_OFF.on(
            message, "the message does not end with a sign-off line naming you", span=span
        )
    elif not any(
        word[0].isupper() and word.lower().strip(".") not in _NOT_A_NAME for word in words
    ):
        yield SIGN_OFF.on(message, f"the sign-off {signature!r} does not name you", span=span)


def _no_emoji_in_inmail(message: Message) -> Iterator[Finding]:
    """ACME103: one finding for the body (at the first emoji, with the count) and one for the
    subject, rather than one per emoji: the fix is the same, remove them all."""
    if message.channel != "linkedin-inmail":
        return
    emoji = list(_EMOJI.finditer(message.body))
    if emoji:
        count = f"{len(emoji)} emoji" if len(emoji) > 1 else "an emoji"
        yield NO_EMOJI_IN_INMAIL.on(
            message, f"{count} in an InMail: {emoji[0].group(0)!r}", span=emoji[0].span()
        )
    subject = _EMOJI.search(message.subject or "")
    if subject:
        yield NO_EMOJI_IN_INMAIL.on(
            message, f"an emoji in the InMail's subject: {subject.group(0)!r}"
        )
