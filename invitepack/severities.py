"""Severities, the one vocabulary every layer shares: a rule's default, `fail-level` in the
config and on the command line, and every reporter's levels."""

from __future__ import annotations

SEVERITIES = ("error", "warning", "info")  # most severe first
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # info 0 .. error 2
