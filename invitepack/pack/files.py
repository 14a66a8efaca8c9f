"""Writing files safely: atomically, and never over a file that exists unless asked."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, replace: bool = False, private: bool = False) -> bool:
    """Write data to path through a temporary file in the same folder.

    Without `replace`, an existing file is left alone and False is returned; the final link
    fails rather than overwrites, even if the file appears meanwhile. A `private` file stays
    readable by its owner only (0600); any other gets the mode give_final_mode gives.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            if not private:
                give_final_mode(handle, path)
            out.write(data)
        if replace:
            os.replace(temporary, path)
            return True
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def give_final_mode(handle: int, target: Path) -> None:
    """Give a temporary file that will become target the mode target should end with. mkstemp
    makes it private (0600), which would leave a team's scaffolded repo or a JSON Lines file
    unreadable to the others who share it: a replaced file keeps its own mode, a new one gets
    what a plain open() would give under the user's umask."""
    if not hasattr(os, "fchmod"):  # Windows: no POSIX modes to give
        return
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:  # no such file yet (or none we may read): a new file's mode
        mode = umask_mode(0o666)
    os.fchmod(handle, mode)


def umask_mode(requested: int) -> int:
    """The mode a file (0o666) or folder (0o777) created now gets: requested less the umask."""
    return requested & ~current_umask()


def current_umask() -> int:
    """The process's umask. Linux shows it in /proc/self/status; elsewhere Python can only read
    it by setting it and back, which leaves an instant in which another thread's new file
    would get the wrong mode, so that is the fallback, not the rule."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0)
    os.umask(mask)
    return mask
