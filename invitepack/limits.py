"""Safety bounds on input size, rendering time and output: documented defaults, configurable
in the `[limits]` table of the config (see README, "Limits")."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from invitepack.errors import LoadError


@dataclass(frozen=True)
class Limits:
    """Bounds that keep every command finite on hostile input."""

    max_file_bytes: int = 256 * 1024  # a template or pack file
    max_note_bytes: int = 64 * 1024  # a note given to `check`
    max_output_chars: int = 100_000  # one rendered message
    max_value_chars: int = 10_000  # one variable's value
    render_seconds: float = 2.0  # compiling and rendering one template
    max_range: int = 1_000  # the largest range() a template may loop over
    max_power_bits: int = 4_096  # the largest number `**` may produce, in bits


def limits_from_config(table: dict[str, Any] | None) -> Limits:
    """Limits with a config's `[limits]` table applied; unknown keys are an error."""
    table = table or {}
    known = {f.name: f.type for f in fields(Limits)}
    unknown = set(table) - set(known)
    if unknown:
        raise LoadError(
            f"unknown limit(s): {', '.join(sorted(unknown))}",
            hint=f"known limits: {', '.join(sorted(known))}",
        )
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise LoadError(f"limits.{key} must be a positive number, not {value!r}")
    return Limits(**table)
