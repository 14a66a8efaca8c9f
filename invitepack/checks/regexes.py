"""The rule modules' regular expressions, compiled from programs remembered between runs.

Python's `re` compiles a pattern in pure Python (up to a millisecond for a large one), and
a cold `check` compiles every module-level pattern at import. `compiled(pattern, flags)`
returns what `re.compile` returns, from the program `re` built for the same pattern in an
earlier run, as the phrase lists' entries are (checks/literals.py makes and replays the
programs). The programs are kept like bytecode, by the same rules as the phrase cache: a
marshal file in this folder's __pycache__ (or under PYTHONPYCACHEPREFIX), keyed by the code
that makes programs and the Python version, written when a pattern is first met and never
under PYTHONDONTWRITEBYTECODE. A missing, stale or damaged file only means compiling afresh.
"""

from __future__ import annotations

import marshal
import re
from functools import cache
from pathlib import Path

from invitepack.checks import literals
from invitepack.pack.caches import cache_file, cache_key, write_whole

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, without parsing a pattern met in an earlier run."""
    programs = _remembered()
    key = (pattern, int(flags))
    made = programs.get(key)
    if made is None:
        made = literals.program(literals.parse(pattern, flags), flags)
        if made is not None and _key():
            programs[key] = made
            write_whole(_path(), {"key": _key(), "programs": programs})
    return literals.compile_program(pattern, flags, made)


@cache
def _key() -> str:
    try:
        return cache_key(literals.__file__)
    except OSError:
        return ""  # code that cannot be read (a zip): nothing is remembered


def _path() -> Path:
    return cache_file(Path(__file__).parent, "regexes")


@cache
def _remembered() -> dict[tuple[str, int], Any]:
    """The programs of earlier runs (one dict for the process, added to as patterns are met)."""
    try:
        data = marshal.loads(_path().read_bytes())
        if data["key"] == _key() and isinstance(data["programs"], dict):
            programs: dict[tuple[str, int], Any] = data["programs"]
            return programs
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        pass
    return {}
