"""The message record that rendering produces and checkers judge."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from invitepack.errors import Location
from invitepack.pack.channels import utf16_length

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from invitepack.pack.template import Template


@dataclass(frozen=True)
class Message:
    """A note or message ready to send, with the context a checker needs to judge it.

    `path` and `first_line` say where the text came from (a note file, or the template that
    rendered it); `label` says which rendering it was (e.g. "example 2", "row 17").
    """

    body: str
    channel: str
    account: str = "free"
    scenario: str | None = None
    subject: str | None = None
    template: Template | None = None
    path: Path | None = None
    first_line: int = 1
    label: str | None = None
    origin: Location | None = None
    values: dict[str, Any] | None = field(default=None, repr=False, compare=False)  # as rendered

    @classmethod
    def from_note(
        cls,
        text: str,
        *,
        path: Path | None,
        channel: str,
        account: str = "free",
        scenario: str | None = None,
    ) -> Message:
        """A hand-written note: NFC-normalised, trimmed, with an optional first line
        `Subject: ...`; first_line keeps findings' line numbers true to the file."""
        subject = None
        lines = text.split("\n")
        start = 0
        if lines and lines[0].lower().startswith("subject:"):
            subject = lines[0][len("subject:") :].strip()
            start = 1
        while start < len(lines) and not lines[start].strip():
            start += 1
        body = unicodedata.normalize("NFC", "\n".join(lines[start:]).strip())
        first_line = start + 1 if body else 1
        return cls(
            body=body,
            channel=channel,
            account=account,
            scenario=scenario,
            subject=subject,
            path=path,
            first_line=first_line,
        )

    def locate(self, offset: int | None = None) -> Location:
        """Where an offset in the body stands: a line and column in a note file, or the
        origin (e.g. the template example) for rendered text, whose lines are not the file's."""
        if self.origin is not None or self.template is not None:
            return self.origin or Location(self.path, self.first_line, None)
        if offset is None:
            return (
                Location(self.path, self.first_line, None)
                if self.path
                else Location(None, None, None)
            )
        before = self.body[:offset]
        line = self.first_line + before.count("\n")
        column = offset - (before.rfind("\n") + 1) + 1
        return Location(self.path, line, column)

    @property
    def length(self) -> int:
        """The body's length in UTF-16 code units, as LinkedIn counts it."""
        return utf16_length(self.body)
