"""The one error hierarchy. Every error a user can cause is an InvitepackError (exit 2, see
invitepack.checks.results.ExitCode)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def printable(text: str, *, newlines: bool = False) -> str:
    """Text safe to print on a terminal: every character that is not printable (control
    characters such as ESC, CR and BEL, bidirectional and zero-width controls, separators)
    shown as \\uXXXX, so that data in a message can neither send escape sequences nor
    overwrite what was printed. With `newlines`, line breaks stay (a message's own lines)."""
    if text.isprintable():
        return text
    return "".join(
        char
        if char.isprintable() or (newlines and char == "\n")
        else f"\\u{ord(char):04x}"
        if ord(char) <= 0xFFFF
        else f"\\U{ord(char):08x}"
        for char in text
    )


@dataclass(frozen=True)
class Location:
    """Where something is: a file, a 1-based line and column (either may be unknown)."""

    path: Path | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [printable(str(self.path)) if self.path else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class InvitepackError(Exception):
    """A problem with the user's input, files or command line: reported plainly, exit 2."""

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        message = printable(self.message, newlines=True)
        text = f"{self.location}: {message}" if self.location else message
        if self.hint:
            text += f"\n  hint: {printable(self.hint, newlines=True)}"
        return text


class LoadError(InvitepackError):
    """A pack, template, config or data file could not be read or is invalid."""


class VariableError(InvitepackError):
    """The values given for a template's variables are missing or invalid."""


class UnsafeTemplateError(InvitepackError):
    """A template uses a construct the sandbox refuses (a possible sandbox escape)."""


class LimitExceededError(InvitepackError):
    """Compiling or rendering went past a configured bound (size, time, recursion)."""


class PluginError(InvitepackError):
    """A checker plugin could not be loaded, or failed while checking."""
