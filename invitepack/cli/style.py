"""Colour for people: severities, the verdict and the budget, on a terminal only.

NO_COLOR (https://no-color.org) turns colour off whatever else is set; FORCE_COLOR turns it
on when the output is not a terminal; otherwise stderr being a terminal decides."""

from __future__ import annotations

import os
import sys

import click

SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
NEAR_LIMIT = 0.9  # amber from 90% of a limit


def colour_enabled(stream: object = None) -> bool:
    """Whether to colour what goes to `stream` (stderr by default)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, colour: str | None, *, bold: bool = False, stream: object = None) -> str:
    """`text` in `colour` when colour is on, else unchanged."""
    if colour is None or not colour_enabled(stream):
        return text
    return click.style(text, fg=colour, bold=bold)


def budget_colour(length: int, limit: int | None) -> str | None:
    """Green within a limit, amber near it, red over it; None with no limit."""
    if limit is None:
        return None
    if length > limit:
        return "red"
    return "yellow" if length >= NEAR_LIMIT * limit else "green"


def verdict_colour(revise: bool) -> str:
    return "red" if revise else "green"


def say(text: str) -> None:
    """Print a line for people on stderr, keeping its colour only when colour is on (click
    would otherwise strip it, or keep it under FORCE_COLOR only on a terminal)."""
    click.echo(text, err=True, color=colour_enabled())
