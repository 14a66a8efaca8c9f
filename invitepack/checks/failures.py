"""A plugin that failed: defined apart from results.py, so that a check whose plugins all
succeed never creates the dataclass (about a millisecond at import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from invitepack.errors import printable


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that raised, exited or returned the wrong thing (exit 2).

    `path` and `label` say what it was checking (a note file, a template and which example
    or row); `traceback` is shown with --debug; `repeats` counts the further calls that failed
    the same way, which are reported once, not once per note."""

    plugin: str
    hook: str
    error: str
    path: Path | None
    label: str | None = None
    traceback: str = field(default="", compare=False, repr=False)
    exception: BaseException | None = field(default=None, compare=False, repr=False)
    repeats: int = 0

    def __str__(self) -> str:
        where = f" while checking {printable(str(self.path))}" if self.path else ""
        if self.label:
            label = printable(self.label)
            where += f" ({label})" if self.path else f" while checking {label}"
        more = ""
        if self.repeats:
            noun = _CHECKED.get(self.hook, "note")
            more = f" (and {self.repeats} more {noun}{'' if self.repeats == 1 else 's'})"
        return f"plugin {self.plugin!r} failed in {self.hook}{where}: {printable(self.error)}{more}"

    def same_as(self, other: PluginFailure) -> bool:
        """The same plugin failing the same way in the same hook (on another note)."""
        return (self.plugin, self.hook, self.error) == (other.plugin, other.hook, other.error)


# What each hook is called on, for "(and 3 more notes)".
_CHECKED = {"invitepack_check_template": "template", "invitepack_check_pack": "pack"}
