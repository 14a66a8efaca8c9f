"""Email output: RFC 5322 messages with a text part and an HTML part. invitepack never sends."""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr
from functools import cache
from typing import TYPE_CHECKING, Any

from invitepack.errors import VariableError

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")


def markdown_escape(value: Any) -> Any:
    """A value as literal Markdown text, so data cannot add links, markup or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value) if isinstance(value, str) else value


def markdown_to_html(markdown: str) -> str:
    """HTML from Markdown, with raw HTML in the source shown as text, never passed through.
    A line break in the note stays a line break (`<br>`): a sign-off such as
    "Best wishes,\nAda" is two lines in every mail client, as it is in the text part."""
    return str(_markdown().render(markdown))


@cache
def _markdown() -> MarkdownIt:
    """One parser a process: making one costs about 200 us, more than rendering a note,
    and it keeps nothing from one render to the next."""
    from markdown_it import MarkdownIt

    options = {"html": False, "linkify": False, "breaks": True}
    return MarkdownIt("commonmark", options)


_SHAPE = "give name@example.com, or a name and the address: 'Ada Lovelace <ada@example.com>'"


def address(value: str, what: str) -> str:
    """A single, well-formed address for a header, with an optional display name
    ("Ada Lovelace <ada@acme.com>", as mailmerge accepts); anything that could inject headers
    is refused. Errors are in plain words (never the email package's class names)."""
    if any(c in value for c in "\r\n\x00"):
        raise VariableError(f"{what} must be on one line", hint=_SHAPE)
    name, addr = parseaddr(value.strip())
    if "," in addr or "," in value.replace(name, "", 1) or addr.count("@") > 1:
        raise VariableError(f"{what} must be one email address", hint=_SHAPE)
    local, _, domain = addr.partition("@")
    if not local or not domain or "." not in domain.strip("."):
        raise VariableError(
            f"{what} needs a name before the @ and a domain such as example.com after it",
            hint=_SHAPE,
        )
    if not local.isascii():
        raise VariableError(
            f"{what} has letters outside plain ASCII before the @, which most mail servers refuse",
            hint="use the ASCII form of the address",
        )
    try:
        parsed = Address(display_name=name, username=local, domain=_ascii_domain(domain, what))
        rendered = str(parsed)
    except (ValueError, IndexError, TypeError):
        raise VariableError(f"{what} is not a valid email address", hint=_SHAPE) from None
    return rendered


def _ascii_domain(domain: str, what: str) -> str:
    """A header carries ASCII only (RFC 5322, without SMTPUTF8): an international domain goes
    in its IDNA form (exämple.com -> xn--exmple-cua.com)."""
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise VariableError(
            f"{what} has a domain that is not a valid domain name", hint=_SHAPE
        ) from None


def build_email(
    *, subject: str | None, text: str, html_fragment: str, to: str | None, sender: str | None
) -> bytes:
    """An RFC 5322 message (CRLF line endings) with text/plain and text/html alternatives."""
    message = EmailMessage(policy=SMTP)
    if sender:
        message["From"] = address(sender, "the sender address")
    if to:
        message["To"] = address(to, "the recipient address")
    message["Subject"] = subject or ""
    # RFC 5322 section 3.6 requires Date; Message-ID lets a mail client thread a reply.
    message["Date"] = formatdate(localtime=True)
    domain = parseaddr(sender)[1].partition("@")[2] if sender else ""
    domain = _ascii_domain(domain, "the sender address") if domain else ""
    message["Message-ID"] = make_msgid(domain=domain or "invitepack.invalid")
    message.set_content(text + "\n")
    message.add_alternative(
        f"<!DOCTYPE html>\n<html><body>\n{html_fragment}</body></html>\n", subtype="html"
    )
    return message.as_bytes()
