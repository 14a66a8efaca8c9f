"""Email output: RFC 5322 messages with a text part and an HTML part. invitepack never sends."""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

from invitepack.errors import VariableError

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")


def markdown_escape(value: Any) -> Any:
    """A value as literal Markdown text, so data cannot add links, markup or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value) if isinstance(value, str) else value


def markdown_to_html(markdown: str) -> str:
    """HTML from Markdown, with raw HTML in the source shown as text, never passed through."""
    from markdown_it import MarkdownIt

    return str(MarkdownIt("commonmark", {"html": False, "linkify": False}).render(markdown))


def address(value: str, what: str) -> str:
    """A single, well-formed address for a header; anything that could inject headers is refused."""
    if any(c in value for c in "\r\n\x00") or "," in value:
        raise VariableError(f"{what} must be one email address on one line")
    try:
        parsed = Address(addr_spec=value.strip())
    except (ValueError, IndexError, TypeError) as exc:
        raise VariableError(f"{what} is not a valid email address ({type(exc).__name__})") from None
    if parsed.domain.isascii() and parsed.username.isascii():
        return str(parsed)
    # A header carries ASCII only (RFC 5322, without SMTPUTF8): an international domain goes
    # in its IDNA form (exämple.com -> xn--exmple-cua.com); the part before @ has none.
    if not parsed.username.isascii():
        raise VariableError(
            f"{what} has letters outside ASCII before the @, which an email header cannot carry"
        )
    try:
        domain = parsed.domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise VariableError(f"{what} has a domain that is not a valid domain name") from None
    return str(Address(username=parsed.username, domain=domain))


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
    message.set_content(text + "\n")
    message.add_alternative(
        f"<!DOCTYPE html>\n<html><body>\n{html_fragment}</body></html>\n", subtype="html"
    )
    return message.as_bytes()
