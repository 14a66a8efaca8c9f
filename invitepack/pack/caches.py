"""Caches written like bytecode: what an earlier run worked out, kept in a marshal file where
Python would put the bytecode of the files it is about (their folder's __pycache__, or under
PYTHONPYCACHEPREFIX), never written under PYTHONDONTWRITEBYTECODE. The phrase lists'
analysis (checks/phrases.py), the rule modules' regexes (checks/regexes.py) and the bundled
JSON data (bundled_json) are kept this way: a missing, stale or damaged file only means
working it out again, so a cache can make a run slower, never different."""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from pathlib import Path

from invitepack.pack.resources import data_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def cache_key(*files: str) -> str:
    """What a remembered program depends on: the code that makes it, and the Python version
    (a program is only good for the `re` that made it)."""
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


def bundled_json(name: str) -> Any:
    """A bundled JSON data file (channel limits, the verdict's weights), parsed. Its data is
    remembered, keyed by the file's bytes: a cold `check` need not import json (~1.5 ms
    with the patterns it compiles)."""
    path = data_file(name)
    raw = path.read_bytes()
    key = f"{zlib.crc32(raw):08x}-{len(raw)}"
    remembered = cache_file(path.parent, path.name)
    try:
        data = marshal.loads(remembered.read_bytes())
        if data["key"] == key:
            return data["value"]
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        pass
    import json

    value = json.loads(raw)
    write_whole(remembered, {"key": key, "value": value})
    return value
