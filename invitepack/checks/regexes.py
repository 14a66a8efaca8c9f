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
import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from invitepack.checks import literals


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


def cache_key(*files: str) -> str:
    """What a remembered program depends on: the code that makes it, and the Python version
    (a program is only good for the `re` that made it)."""
    import zlib

    code = b"".join(Path(file).read_bytes() for file in files)
    return f"{zlib.crc32(code):08x}-{len(code)}-{sys.version}"


def cache_file(folder: Path, name: str) -> Path:
    """Where a cache about files in folder lives: where Python would put their bytecode."""
    if sys.pycache_prefix:
        base = Path(sys.pycache_prefix) / folder.resolve().relative_to(folder.anchor)
    else:
        base = folder / "__pycache__"
    return base / f"{name}.{sys.implementation.cache_tag}.marshal"


def write_whole(path: Path, data: Any) -> None:
    """Marshal data to path, whole or not at all; nothing under PYTHONDONTWRITEBYTECODE, and
    a folder that cannot be written is no error (the cache only saves time)."""
    if sys.dont_write_bytecode:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(marshal.dumps(data))
        os.replace(temporary, path)  # whole, or not at all
    except OSError:
        temporary.unlink(missing_ok=True)


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
