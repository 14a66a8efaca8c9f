"""Safety bounds on input size, compile and render time, and what a template may build.

Every command must finish on hostile input, so every bound has a default here; each can be
changed in the `[limits]` table of the config (see README, "Limits"), e.g.

    [limits]
    render_seconds = 5.0
    max_range = 5000

Exceeding one is a "limit exceeded" error (exit 2), for `validate` as well as `render`.
"""

from __future__ import annotations

from invitepack.errors import LoadError
from invitepack.records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Limits(Record):
    """Bounds that keep every command finite on hostile input."""

    __slots__ = (
        "check_seconds",
        "compile_seconds",
        "max_file_bytes",
        "max_note_bytes",
        "max_number_bits",
        "max_output_chars",
        "max_range",
        "max_value_chars",
        "plugin_seconds",
        "render_seconds",
    )
    max_file_bytes: int  # a template, included file, pack or variables file
    max_note_bytes: int  # a note given to `check`
    max_output_chars: int  # one rendered message, and any value a template builds
    max_value_chars: int  # one variable's value
    compile_seconds: float  # parsing, checking and compiling one template
    render_seconds: float  # checking the values and rendering one template
    max_range: int  # the largest range() a template may loop over
    max_number_bits: int  # the largest integer `*` or `**` may produce, in bits
    check_seconds: float  # the built-in rules on one note (plugins have their own bound)
    plugin_seconds: float  # one call of an installed or local plugin, or its import

    def __init__(
        self,
        max_file_bytes: int = 256 * 1024,
        max_note_bytes: int = 64 * 1024,
        max_output_chars: int = 100_000,
        max_value_chars: int = 10_000,
        compile_seconds: float = 2.0,
        render_seconds: float = 2.0,
        max_range: int = 1_000,
        max_number_bits: int = 4_096,
        check_seconds: float = 2.0,
        plugin_seconds: float = 10.0,
    ) -> None:
        self._fill(
            max_file_bytes,
            max_note_bytes,
            max_output_chars,
            max_value_chars,
            compile_seconds,
            render_seconds,
            max_range,
            max_number_bits,
            check_seconds,
            plugin_seconds,
        )

    @property
    def step_seconds(self) -> float:
        """The shortest bound on one step (compiling, checking values, rendering, checking a
        note): what one timer over many steps ticks at (render.timer.one_timer)."""
        return min(self.compile_seconds, self.render_seconds, self.check_seconds)


# What the operating system can take: a timer of at most an hour, sizes and counts that fit 32 bits.
_CEILINGS = {"int": 2**31 - 1, "float": 3600}


def limits_from_config(table: dict[str, Any] | None) -> Limits:
    """Limits with a config's `[limits]` table applied; unknown keys and bad values are errors."""
    table = table or {}
    known: dict[str, str] = Limits.__annotations__  # "int" or "float": annotations are strings
    unknown = set(table) - set(known)
    if unknown:
        raise LoadError(
            f"unknown limit(s): {', '.join(sorted(unknown))}",
            hint=f"known limits: {', '.join(sorted(known))}",
        )
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise LoadError(f"limits.{key} must be a positive number, not {value!r}")
        if known[key] == "int" and not isinstance(value, int):
            raise LoadError(f"limits.{key} must be a whole number, not {value!r}")
        ceiling = _CEILINGS[known[key]]
        if value > ceiling:
            raise LoadError(f"limits.{key} must be at most {ceiling:,}, not {value!r}")
    return Limits(**table)
