"""Where the bundled data lives: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

# invitepack/pack/resources.py: the package folder is two levels up.
_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def bundled_dir(name: str) -> Path:
    """The folder of bundled `templates` (the built-in pack) or `schemas`.

    A wheel carries them in invitepack/_bundled/; a source checkout (editable install,
    tests) keeps them at the repository's top level, where people read and edit them.
    """
    packaged = _PACKAGE / "_bundled" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def data_file(name: str) -> Path:
    """A data file that ships inside the package (channel limits, phrase lists)."""
    return _PACKAGE / "data" / name
