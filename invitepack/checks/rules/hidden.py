"""Hidden characters and look-alike links: what the reader sees is not what was written."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from invitepack.checks.builtin import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding, Rule
from invitepack.checks.regexes import compiled
from invitepack.render.message import Message
from invitepack.render.values import escape_for_display, unsafe_characters

HIDDEN_CHARACTERS = Rule(
    "IP604",
    "hidden-characters",
    "error",
    "The note contains invisible, bidirectional-control or control characters.",
    "Zero-width spaces, bidirectional controls and stray control characters (often pasted from "
    "a CRM or a web page) can hide or reorder text, break LinkedIn's character count, and look "
    "like tracking or spoofing to a careful reader. Emoji sequences that need a joiner are fine.",
    "Retype the text around the position named, or paste it as plain text.",
)
LOOKALIKE_DOMAIN = Rule(
    "IP605",
    "lookalike-domain",
    "error",
    "A link or address whose domain uses letters that look like Latin ones but are not.",
    "A Cyrillic 'a' or a Greek 'o' in 'paypal.com' looks like the real domain and leads "
    "somewhere else: the trick of phishing mail. Whether it was meant or pasted by accident, "
    "a careful reader who spots it will take the note for a scam, and one who doesn't may "
    "follow it.",
    "Type the domain again in plain Latin letters, or leave the link out.",
)

# Candidates for links and addresses: runs of characters that can make up a URL, a bare
# domain or an email address. One character class, so the search is linear.
_CANDIDATE = compiled(r"[^\s<>()\[\]{}\"'`“”‘’«»,;!?|\\^]+")
_SCHEME = compiled(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# Scripts with letters that pass for Latin ones, and those letters (after lower-casing),
# from Unicode's confusables (UTS #39), the ones fonts draw alike.
_LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")
_PASSES_FOR_LATIN = dict(
    zip(
        "аеорсухѕіјԁӏһԛԝүвкмнтґαεικνορτυχϲϳηωօսզհոց",  # Cyrillic, Greek, Armenian
        "aeopcyxsijdlhqwybkmhtraeikvoptuxcjnwouqhng",
        strict=True,
    )
)


def spelled(text: str) -> str:
    """Text quoted with every non-ASCII character as \\uXXXX: a look-alike letter shown
    as itself would hide the very thing the message is about."""
    return "'" + "".join(c if 32 <= ord(c) < 127 else f"\\u{ord(c):04x}" for c in text) + "'"


def _skeleton(host: str) -> str:
    """What a domain looks like to a reader: punycode decoded, look-alike letters read as
    the Latin ones."""
    shown = ".".join(_decoded(label) for label in host.split("."))
    return "".join(
        _PASSES_FOR_LATIN.get(c, c) for c in unicodedata.normalize("NFKC", shown.lower())
    )


def _script(char: str) -> str:
    """The script of a letter, from its Unicode name (LATIN, CYRILLIC, ...); '' for others."""
    if not char.isalpha():
        return ""
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return ""


def _host(candidate: str) -> str | None:
    """The domain of a URL, bare domain or email address, or None when it has none."""
    text = _SCHEME.sub("", candidate)
    text = text.split("/", 1)[0].split("#", 1)[0]
    text = text.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    labels = text.split(".")
    if len(labels) < 2 or not all(c.isalnum() or c == "-" for c in "".join(labels)):
        return None
    if not all(labels):
        return None
    tld = labels[-1]
    if not (tld.isalpha() or tld.lower().startswith("xn--")):
        return None
    return text


def _decoded(label: str) -> str:
    """A label as the reader's browser shows it: punycode (xn--) decoded."""
    if label.lower().startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return label


def lookalike(host: str) -> str | None:
    """Why a domain may pass for another, or None: a label that mixes Latin letters with
    letters of a look-alike script (paypal with a Cyrillic U+0430 for its first a), or that is
    written wholly in look-alike letters under a Latin top-level domain (apple.com spelt in
    Cyrillic), or that has compatibility forms such as fullwidth letters."""
    labels = [_decoded(label) for label in host.split(".")]
    latin_tld = all(_script(c) in ("LATIN", "") for c in labels[-1])
    for label in labels:
        if label.isascii():
            continue
        if unicodedata.normalize("NFKC", label) != label:
            odd = next(c for c in label if unicodedata.normalize("NFKC", c) != c)
            plain = unicodedata.normalize("NFKC", odd)
            return f"{spelled(odd)} is a compatibility form of {plain!r}"
        scripts = {_script(c) for c in label} - {""}
        foreign = sorted(scripts & set(_LOOKALIKE_SCRIPTS))
        if not foreign:
            continue
        odd = next(c for c in label if _script(c) in foreign)
        name = f"{foreign[0].title()} {spelled(odd)} (U+{ord(odd):04X})"
        if "LATIN" in scripts or len(foreign) > 1:
            return f"{name} among {'Latin' if 'LATIN' in scripts else 'other'} letters"
        lowered = label.lower()
        if latin_tld and all(c in _PASSES_FOR_LATIN or not c.isalpha() for c in lowered):
            return f"{name}, and every letter of {spelled(label)} looks like a Latin one"
    return None


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [HIDDEN_CHARACTERS, LOOKALIKE_DOMAIN]


def _hidden(message: Message) -> Iterator[Finding]:
    """Every hidden character; a run of the same character is one finding over the run."""
    body = message.body
    run: tuple[int, int, str] | None = None  # start, end, kind
    for index, kind in unsafe_characters(body, multiline=True):
        if run and index == run[1] and body[index] == body[run[0]]:
            run = (run[0], index + 1, kind)
            continue
        if run:
            yield _hidden_finding(message, *run)
        run = (index, index + 1, kind)
    if run:
        yield _hidden_finding(message, *run)


def _hidden_finding(message: Message, start: int, end: int, kind: str) -> Finding:
    shown = escape_for_display(message.body[start])
    count = f"{end - start} × " if end - start > 1 else ""
    return HIDDEN_CHARACTERS.on(message, f"{kind} {count}{shown} in the note", span=(start, end))


def _passes(text: str) -> bool:
    """Text that holds no domain, or only plain ASCII ones (no punycode): none can pass for
    another."""
    return "." not in text or (text.isascii() and "xn--" not in text.lower())


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    yield from _hidden(message)
    body = message.body
    # Every candidate below would be skipped: most notes end here, and a candidate lies in one
    # run of non-space (a space ends one), so a note whose dotted runs all pass ends too
    # (its curly quotes or emoji are not in a domain) without reading its candidates.
    if _passes(body) or all(_passes(word) for word in body.split() if "." in word):
        return
    for match in _CANDIDATE.finditer(body):
        text = match.group(0)
        if _passes(text):
            continue  # a plain ASCII domain cannot pass for another
        host = _host(text)
        why = lookalike(host) if host else None
        if why:
            yield LOOKALIKE_DOMAIN.on(
                message,
                f"the domain {spelled(host or '')} looks like {_skeleton(host or '')!r}: {why}",
                span=match.span(),
            )
