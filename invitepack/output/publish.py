"""Publishing a batch's files: staged in a private folder inside --out, then moved into place
without ever replacing a file another run (or anyone) wrote meanwhile.

- Staging folders are named `.invitepack-staging-<pid>-…` and locked (flock) while their
  run lives; a later run clears those whose lock is free (the run died: SIGKILL, power cut)
  and says so. A JSON Lines file is staged the same way, as `.<name>.invitepack-<pid>-….tmp`.
- Publishing holds a lock on --out itself, so two batches into one folder publish one after
  the other: the second finds the first's files and exits 2 with nothing changed.
- Without --force each file is published with a hard link, which fails rather than replaces
  (a dangling symlink included); a clash after all (a writer that is not invitepack) undoes
  this run's links, so the loser changes nothing. With --force files are renamed over.
- An OSError (read-only folder, full disk) becomes an input error that names the path.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from invitepack.errors import InvitepackError, Location, printable
from invitepack.pack.files import give_final_mode

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locks; no-replace links still hold
    fcntl = None  # type: ignore[assignment]

STAGING_PREFIX = ".invitepack-staging-"
_TEMP_MARK = ".invitepack-"
# Link errors of file systems without hard links: fall back to an exclusive create.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV}

Say = Callable[[str], None]


def environment_error(exc: OSError, fallback: Path) -> InvitepackError:
    """An OSError while writing output, as an input error naming the path and the reason."""
    path = Path(exc.filename) if exc.filename else fallback
    reason = exc.strerror or type(exc).__name__
    return InvitepackError(
        f"cannot write the output: {reason}",
        Location(path),
        hint="check that the folder is writable and the disk has space; nothing was published",
    )


def clashing(out: Path, names: list[str]) -> InvitepackError:
    """The error for output that would replace existing files."""
    more = f" and {len(names) - 1} more" if len(names) > 1 else ""
    return InvitepackError(
        f"would overwrite {printable(names[0])}{more} in {printable(str(out))}; nothing was "
        "written",
        Location(out),
        hint="write into an empty folder, or pass --force to replace those files",
    )


def _lock(fd: int, wait: bool) -> bool:
    """Take an exclusive lock on an open file or folder; False if another process holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def _is_abandoned(path: Path, prefix: str) -> bool:
    """Is this staging folder or file left by a run that is no longer running? Its process
    (named in it) is gone, and its lock is free: the kernel releases a lock when a process
    dies, however it dies. Both, so that a run between creating its folder and locking it,
    or a reused process id, is never taken for a dead one."""
    if fcntl is None:
        return False
    pid = path.name[len(prefix) :].split("-", 1)[0]
    if pid.isdigit() and _alive(int(pid)):
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        return _lock(fd, wait=False)
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and belongs to someone else
        return True
    return True


def clear_abandoned(folder: Path, prefix: str, say: Say) -> None:
    """Remove the staging folders or files under folder that dead runs left, saying so."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        if not _is_abandoned(path, prefix):
            continue  # another run is writing it now
        if entry.is_dir(follow_symlinks=False):
            count = sum(len(files) for _, _, files in os.walk(path))
            shutil.rmtree(path, ignore_errors=True)
            say(
                f"removed {printable(entry.name)} ({count} staged file(s)), left in "
                f"{printable(str(folder))} by a run that was interrupted"
            )
        else:
            path.unlink(missing_ok=True)
            say(
                f"removed {printable(entry.name)}, left in {printable(str(folder))} by a run "
                "that was interrupted"
            )


class Staging:
    """A locked staging folder inside --out, removed when the run ends however it ends."""

    def __init__(self, out: Path, say: Say):
        if out.exists() and not out.is_dir():
            raise InvitepackError("--out must be a folder, and this is a file", Location(out))
        self.out = out
        self.created = not out.exists()
        try:
            out.mkdir(parents=True, exist_ok=True)
            clear_abandoned(out, STAGING_PREFIX, say)
            self.path = Path(tempfile.mkdtemp(dir=out, prefix=f"{STAGING_PREFIX}{os.getpid()}-"))
            self._fd = os.open(self.path, os.O_RDONLY)
        except OSError as exc:
            raise environment_error(exc, out) from None
        _lock(self._fd, wait=False)

    def close(self, published: bool) -> None:
        """Remove the staging folder; and --out too, if this run made it and wrote nothing."""
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._fd)
        if self.created and not published:
            with suppress(OSError):
                self.out.rmdir()  # only if empty

    def publish(self, force: bool) -> int:
        """Move every staged file into --out; see the module docstring. Returns the count."""
        names = sorted(entry.name for entry in os.scandir(self.path))
        # Joined as strings: one file a row, and a Path object costs more than the link.
        staged, out = os.fspath(self.path), os.fspath(self.out)
        try:
            with _folder_lock(self.out):
                if force:
                    for name in names:
                        os.replace(os.path.join(staged, name), os.path.join(out, name))
                    return len(names)
                clashes = [name for name in names if os.path.lexists(os.path.join(out, name))]
                if clashes:
                    raise clashing(self.out, clashes)
                linked: list[str] = []
                try:
                    for name in names:
                        publish_new(os.path.join(staged, name), os.path.join(out, name))
                        linked.append(name)
                except FileExistsError:
                    self._undo(linked)
                    raise clashing(
                        self.out, [name for name in names if name not in linked]
                    ) from None
                except BaseException:
                    self._undo(linked)
                    raise
                return len(names)
        except OSError as exc:
            raise environment_error(exc, self.out) from None

    def _undo(self, names: list[str]) -> None:
        """Remove the files this run published moments ago (under the folder's lock)."""
        for name in names:
            with suppress(OSError):
                os.unlink(self.out / name)


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder: runs publishing into it take turns."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        _lock(fd, wait=True)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def publish_new(source: str | Path, target: str | Path) -> None:
    """Put source's content at target, which must not exist (not even as a dangling symlink):
    FileExistsError otherwise, never a replacement. A hard link where the file system has
    them, else an exclusive create and copy."""
    try:
        os.link(source, target, follow_symlinks=False)
        return
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno not in _NO_LINKS:
            raise
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out)


class StagedFile:
    """A temporary file beside target (locked while the run lives), published at the end."""

    def __init__(self, target: Path, say: Say):
        self.target = target
        prefix = f".{target.name[:40]}{_TEMP_MARK}"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            clear_abandoned(target.parent, prefix, say)
            fd, name = tempfile.mkstemp(
                dir=target.parent, prefix=f"{prefix}{os.getpid()}-", suffix=".tmp"
            )
            give_final_mode(fd, target)
        except OSError as exc:
            raise environment_error(exc, target) from None
        self.path = Path(name)
        _lock(fd, wait=False)
        self.handle = os.fdopen(fd, "w", encoding="utf-8")

    def publish(self, force: bool) -> None:
        """Move the file into place: renamed over target with force, else only if target
        does not exist (checked by the link itself, not before it)."""
        try:
            self.handle.flush()  # kept open, and locked, until close()
            if force:
                os.replace(self.path, self.target)
            else:
                try:
                    publish_new(self.path, self.target)
                except FileExistsError:
                    raise InvitepackError(
                        "the output file exists; nothing was written",
                        Location(self.target),
                        hint="choose another file, or pass --force to replace it",
                    ) from None
        except OSError as exc:
            raise environment_error(exc, self.target) from None

    def close(self) -> None:
        """Remove the temporary file (after publishing, a link to it remains at target)."""
        with suppress(OSError):  # a full disk fails the flush again: the error is reported
            self.handle.close()
        self.path.unlink(missing_ok=True)
