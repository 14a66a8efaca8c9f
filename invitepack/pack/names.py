"""Unknown names (scenarios, channels, rules, variables) as errors that teach: the closest
known name, or where to see them all."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from invitepack.errors import LoadError, Location


def did_you_mean(name: str, known: Iterable[str], listing: str | None = None) -> str:
    """A hint naming the closest known names, else listing them (or saying where to)."""
    names = sorted(set(known))
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if close:
        return f"did you mean {' or '.join(close)}?"
    if listing:
        return listing
    return f"known: {', '.join(names)}" if names else "there are none"


def unknown(
    kind: str,
    name: str,
    known: Iterable[str],
    where: Location | None = None,
    listing: str | None = None,
) -> LoadError:
    """`unknown scenario 'candidat-approach'` with a did-you-mean hint (exit 2)."""
    return LoadError(f"unknown {kind} {name!r}", where, hint=did_you_mean(name, known, listing))
