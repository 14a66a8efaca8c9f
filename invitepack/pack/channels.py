"""Channels (LinkedIn invite, message, InMail, email), their limits, and how length is counted."""

from __future__ import annotations

from functools import cache

from invitepack.errors import LoadError, Location
from invitepack.pack.caches import bundled_json
from invitepack.records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ACCOUNT_TIERS = ("free", "premium")
# The scenario whose messages are a recruiter's approach (the built-in pack's name for it).
RECRUITER_SCENARIO = "candidate-approach"


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as a browser's maxlength counts (an emoji is 2 or more)."""
    return len(text.encode("utf-16-le")) // 2


class Channel(Record):
    """One channel's limits; None means the channel has no such limit."""

    __slots__ = (
        "body_limit",
        "id",
        "is_invite",
        "line_limit",
        "near_limit_ratio",
        "reply_drop_every_message",
        "reply_drop_length",
        "subject_display",
        "subject_limit",
        "subject_required",
        "title",
    )
    id: str
    title: str
    body_limit: dict[str, int] | None
    near_limit_ratio: float
    is_invite: bool
    subject_required: bool
    subject_limit: int | None
    subject_display: int | None
    line_limit: int | None
    reply_drop_length: int | None
    reply_drop_every_message: bool

    def __init__(
        self,
        id: str,
        title: str,
        body_limit: dict[str, int] | None = None,
        near_limit_ratio: float = 0.95,
        is_invite: bool = False,
        subject_required: bool = False,
        subject_limit: int | None = None,
        subject_display: int | None = None,
        line_limit: int | None = None,
        reply_drop_length: int | None = None,
        reply_drop_every_message: bool = False,
    ) -> None:
        self._fill(
            id,
            title,
            body_limit,
            near_limit_ratio,
            is_invite,
            subject_required,
            subject_limit,
            subject_display,
            line_limit,
            reply_drop_length,
            reply_drop_every_message,
        )

    def limit_for(self, account: str) -> int | None:
        """The body limit for an account tier (free or premium)."""
        return None if self.body_limit is None else self.body_limit.get(account)

    def held_to_reply_drop(self, scenario: str | None) -> bool:
        """Is a message judged by the length past which replies drop (IP107, and the
        worst case IP715 proves)? Every message on a channel that says so (InMail), and a
        recruiter's approach anywhere."""
        return self.reply_drop_every_message or scenario == RECRUITER_SCENARIO


_FIELDS = set(Channel._fields) - {"id"}


@cache
def _bundled() -> dict[str, dict[str, Any]]:
    # channels.json is data/channels.toml as JSON (scripts/sync_schemas.py writes it; a test
    # keeps them in step): a cold `check` need not import tomllib to read it.
    channels: dict[str, dict[str, Any]] = bundled_json("channels.json")["channels"]
    return channels


def load_channels(overrides: dict[str, dict[str, Any]] | None = None) -> dict[str, Channel]:
    """The bundled channels, with a config's overrides merged over them key by key."""
    merged: dict[str, dict[str, Any]] = {cid: dict(spec) for cid, spec in _bundled().items()}
    for cid, spec in (overrides or {}).items():
        unknown = set(spec) - _FIELDS
        if unknown:
            raise LoadError(
                f"unknown setting(s) for channel {cid!r}: {', '.join(sorted(unknown))}",
                hint=f"channel settings are: {', '.join(sorted(_FIELDS))}",
            )
        base = merged.setdefault(cid, {"title": cid})
        for key, value in spec.items():
            base[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    return {cid: Channel(id=cid, **spec) for cid, spec in merged.items()}


def channel_ids() -> list[str]:
    """The bundled channels' ids, in data/channels.toml's order (for help text and hints;
    a config may add more)."""
    return list(_bundled())


def get_channel(
    channels: dict[str, Channel], channel_id: str, where: Location | None = None
) -> Channel:
    """A channel by id, or an error that lists the known ones."""
    try:
        return channels[channel_id]
    except KeyError:
        from invitepack.pack.names import unknown

        raise unknown("channel", channel_id, channels, where) from None
