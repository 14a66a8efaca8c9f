"""Phrase lists: the data behind the judgement rules, one regular expression a line.

The bundled lists live in invitepack/data/phrases/<name>.txt; a config's `[phrases]` table
adds entries to any list. Each list is compiled once into a single case-insensitive pattern.
"""

from __future__ import annotations

import re
from functools import cache

from invitepack.errors import LoadError, Location
from invitepack.pack.resources import data_file


@cache
def bundled_list(name: str) -> tuple[str, ...]:
    """The entries of a bundled phrase list ('#' starts a comment line)."""
    path = data_file(f"phrases/{name}.txt")
    if not path.is_file():
        raise LoadError(
            f"no phrase list named {name!r}", hint="see invitepack/data/phrases/ for the lists"
        )
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(
        line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
    )


def _check_entries(name: str, entries: tuple[str, ...], where: Location | None) -> None:
    """Each entry of a config's list must compile on its own, so an error names the entry."""
    for entry in entries:
        try:
            re.compile(entry)
        except re.error as exc:
            raise LoadError(
                f"[phrases] {name}: invalid pattern {entry!r}: {exc}",
                where,
                hint="entries are Python regular expressions",
            ) from None


def _compile(entries: tuple[str, ...]) -> re.Pattern[str]:
    # Phrases are words: anchor them on word boundaries unless they start/end with a non-word.
    body = "|".join(f"(?:{entry})" for entry in entries) or r"(?!x)x"
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)


class PhraseBook:
    """Compiled phrase lists by name, bundled entries plus a config's extras."""

    def __init__(
        self, extra: dict[str, tuple[str, ...]] | None = None, where: Location | None = None
    ):
        self._extra = extra or {}
        self._compiled: dict[str, re.Pattern[str]] = {}
        for name, entries in self._extra.items():
            if not data_file(f"phrases/{name}.txt").is_file():
                raise LoadError(
                    f"[phrases] names an unknown list {name!r}",
                    where,
                    hint="the lists are the files in invitepack/data/phrases/",
                )
            _check_entries(name, entries, where)

    def pattern(self, name: str) -> re.Pattern[str]:
        """The compiled pattern of a list (compiled on first use)."""
        if name not in self._compiled:
            self._compiled[name] = _compile(bundled_list(name) + self._extra.get(name, ()))
        return self._compiled[name]

    def search(self, name: str, text: str) -> re.Match[str] | None:
        """The first match of any phrase of a list in text."""
        return self.pattern(name).search(text)
