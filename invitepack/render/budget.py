"""How much of a channel's budget a message uses: the line `render` prints on stderr."""

from __future__ import annotations

from invitepack.pack.channels import Channel, utf16_length
from invitepack.records import Record
from invitepack.render.message import Message


class Budget(Record):
    """A message's length against its channel's limit, in UTF-16 code units."""

    __slots__ = ("account", "channel", "code_points", "length", "limit", "subject_length")
    channel: Channel
    account: str
    length: int
    code_points: int
    limit: int | None
    subject_length: int | None

    def __init__(
        self,
        channel: Channel,
        account: str,
        length: int,
        code_points: int,
        limit: int | None,
        subject_length: int | None,
    ) -> None:
        self._fill(channel, account, length, code_points, limit, subject_length)

    @property
    def over_by(self) -> int:
        """How many characters past the body limit (0 when within it)."""
        return max(0, self.length - self.limit) if self.limit is not None else 0

    @property
    def subject_over_by(self) -> int:
        limit = self.channel.subject_limit
        return (
            max(0, self.subject_length - limit) if limit and self.subject_length is not None else 0
        )

    def describe(self) -> str:
        """E.g. `linkedin-invite (free account): 163/200 characters`."""
        tier = f" ({self.account} account)" if self.channel.is_invite else ""
        size = f"{self.length}/{self.limit}" if self.limit is not None else f"{self.length}"
        text = f"{self.channel.id}{tier}: {size} characters"
        if self.code_points != self.length:
            text += f" ({self.code_points} code points; emoji count double)"
        if self.over_by:
            text += f", over the limit by {self.over_by}"
        if self.subject_length is not None:
            cap = self.channel.subject_limit or self.channel.subject_display
            text += f"; subject {self.subject_length}" + (f"/{cap}" if cap else "")
            if self.subject_over_by:
                text += f", over by {self.subject_over_by}"
        return text


def measure(message: Message, channel: Channel) -> Budget:
    """Measure a message against its channel for the message's account tier."""
    return Budget(
        channel=channel,
        account=message.account,
        length=message.length,
        code_points=len(message.body),
        limit=channel.limit_for(message.account),
        subject_length=utf16_length(message.subject) if message.subject is not None else None,
    )
