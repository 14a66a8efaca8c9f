"""The message record that rendering produces and checkers judge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from invitepack.channels import utf16_length

if TYPE_CHECKING:
    from invitepack.pack import Template


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

    @property
    def length(self) -> int:
        """The body's length in UTF-16 code units, as LinkedIn counts it."""
        return utf16_length(self.body)
