"""A pack's CHANGELOG.md, read for what it says about one template."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from invitepack.pack.manifest import MANIFEST
from invitepack.pack.template import Template
from invitepack.pack.textfile import read_text


@dataclass(frozen=True)
class ChangeEntry:
    """A CHANGELOG item that names a template, under its release heading."""

    release: str
    text: str


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s{0,3}[-*+]\s+")


def changelog_entries(template: Template, max_bytes: int) -> list[ChangeEntry]:
    """The entries of the nearest CHANGELOG.md (from the template's folder up to its pack's
    root) that name the template: list items that mention its id, and everything under a
    sub-heading that does. Releases are the level-2 headings (`## 1.1.0`). A changelog that
    cannot be read (encoding, size) is a LoadError naming it."""
    path = _changelog_for(template.path)
    if path is None:
        return []
    text = read_text(path, max_bytes, "changelog")
    mentions = re.compile(rf"(?<![\w-]){re.escape(template.id)}(?![\w-])")
    return [
        ChangeEntry(release, _ITEM.sub("", block, count=1).strip())
        for release, heading, block in _blocks(text)
        if release and (mentions.search(heading) or mentions.search(block))
    ]


def _blocks(text: str) -> Iterator[tuple[str, str, str]]:
    """(release, sub-heading, text) for each list item or paragraph of a changelog."""
    release = heading = ""
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        match = _HEADING.match(line)
        if match or _ITEM.match(line) or not line.strip():
            if "".join(block).strip():
                yield release, heading, "\n".join(block)
            block = []
        if match:
            level, title = len(match.group(1)), match.group(2)
            if level <= 2:  # a release (`## 1.1.0`), or the document's title
                release = title if level == 2 else ""
            heading = title if level > 2 else ""
        elif line.strip():
            block.append(line)


def _changelog_for(path: Path) -> Path | None:
    for folder in path.resolve().parents:
        candidate = folder / "CHANGELOG.md"
        if candidate.is_file():
            return candidate
        if (folder / MANIFEST).is_file():
            return None
    return None
