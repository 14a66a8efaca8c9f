"""Splitting a template file into YAML front matter and a Jinja2 body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from invitepack.errors import LoadError, Location

_FENCE = "---"
_EXAMPLE = (
    "start the file with a line '---', the YAML front matter, then a line '---', then the body"
)


@dataclass(frozen=True)
class SplitFile:
    """The two parts of a template file and the line each starts on."""

    front_matter: str
    front_matter_line: int
    body: str
    body_line: int


def split_front_matter(text: str, path: Path | None) -> SplitFile:
    """Split text into front matter and body; the fences are lines holding only '---'."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        raise LoadError(
            "missing front matter: the first line must be '---'", Location(path, 1, 1), _EXAMPLE
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            return SplitFile(
                front_matter="\n".join(lines[1:index]),
                front_matter_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    raise LoadError(
        "unterminated front matter: no closing '---' line",
        Location(path, 1, 1),
        "add a line holding only '---' between the front matter and the body",
    )
