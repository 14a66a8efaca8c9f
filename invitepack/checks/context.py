"""What a checker may read besides the thing it judges."""

from __future__ import annotations

from dataclasses import dataclass, field

from invitepack.checks.phrases import PhraseBook
from invitepack.pack.channels import Channel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from invitepack.checks.baseline import Baseline
    from invitepack.render.renderer import Renderer


@dataclass(frozen=True)
class CheckContext:
    """Read-only context shared by every checker call in one run."""

    channels: dict[str, Channel]
    phrases: PhraseBook
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    renderer: Renderer | None = None
    # The commit a whole-pack `validate` compares with (HEAD, or --base REF); None when there
    # is none (not a git repository, no commits yet) and outside `validate`.
    baseline: Baseline | None = None

    def channel(self, channel_id: str) -> Channel | None:
        """A channel's limits, or None for a channel invitepack does not know."""
        return self.channels.get(channel_id)

    def option(self, rule_name: str, key: str, default: Any) -> Any:
        """A rule option from the config's `[rules.<rule-name>]` table, or the default."""
        return self.options.get(rule_name, {}).get(key, default)
