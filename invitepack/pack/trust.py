"""Consent before running a pack's own code: the packs a user trusts, with their plugin files'
hashes, kept in the user's config folder (as `direnv allow` and `mise trust` keep theirs).

A pack's local plugins (`plugins:` in pack.yaml) are Python files from whoever wrote the repo.
They are imported only when the user has trusted that pack, at that path, with those exact
files (`invitepack trust [PACK]`), or when the run says so (`--trust-local-plugins`,
INVITEPACK_TRUST_LOCAL_PLUGINS=1: pre-commit hooks and CI, where the repo's code runs anyway).
A changed or new file needs trusting again. The bytes that were checked are the bytes that
run: `verified_sources` returns them for the loader, so a file swapped in between is not.

The record is `trusted-packs.json` in $INVITEPACK_CONFIG_DIR, else $XDG_CONFIG_HOME/invitepack,
else ~/.config/invitepack (%APPDATA%\\invitepack on Windows).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from invitepack.errors import LoadError, Location, PluginError, printable
from invitepack.pack.files import write_atomic

TRUST_FILE = "trusted-packs.json"
TRUST_ENV = "INVITEPACK_TRUST_LOCAL_PLUGINS"
_FORMAT = 1


def config_dir() -> Path:
    """The user's invitepack config folder (see the module docstring)."""
    explicit = os.environ.get("INVITEPACK_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "invitepack"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "invitepack"


def trust_from_environment() -> bool:
    """INVITEPACK_TRUST_LOCAL_PLUGINS=1 (or true, yes)."""
    return os.environ.get(TRUST_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PluginError(
            f"local plugin {printable(path.name)} does not exist",
            Location(path),
            hint="fix the path under `plugins:` in pack.yaml",
        ) from None
    except OSError as exc:
        raise PluginError(
            f"cannot read local plugin {printable(path.name)}: {exc.strerror}", Location(path)
        ) from None


def _load_record() -> dict[str, Any]:
    path = config_dir() / TRUST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"format": _FORMAT, "packs": {}}
    except (OSError, ValueError) as exc:
        raise LoadError(
            f"cannot read the trusted packs: {exc}",
            Location(path),
            hint="delete the file to start again (every pack then needs `invitepack trust`)",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("packs"), dict):
        raise LoadError(
            "the trusted packs file is not what invitepack writes",
            Location(path),
            hint="delete the file to start again (every pack then needs `invitepack trust`)",
        )
    return data


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


@dataclass(frozen=True)
class Untrusted:
    """A plugin file the user has not trusted, and why: new, or changed since."""

    path: Path
    why: str


def verified_sources(
    root: Path, files: list[Path], *, trusted_by_run: bool = False
) -> dict[Path, bytes]:
    """The content of a pack's local plugin files, once the user's consent covers them:
    trusted (each file's hash recorded for this pack) or trusted by the run (a flag or the
    environment). Raises PluginError (exit 2) naming the files to read and the command that
    trusts them; never skips them silently."""
    root = root.resolve()
    sources = {path: _read(path) for path in files}
    if not files or trusted_by_run or trust_from_environment():
        return sources
    recorded = _load_record()["packs"].get(str(root), {}).get("files", {})
    missing = [
        Untrusted(path, "changed since you trusted it" if recorded.get(rel) else "new")
        for path, data in sources.items()
        if recorded.get(rel := _relative(root, path)) != _digest(data)
    ]
    if missing:
        listed = "\n".join(f"    {printable(_relative(root, u.path))} ({u.why})" for u in missing)
        them = "it" if len(missing) == 1 else "them"
        raise PluginError(
            "this pack lists local plugins: Python code from the repo that invitepack would "
            f"run on your machine, and you have not trusted {them}:\n{listed}",
            Location(root / "pack.yaml"),
            hint=f"read {them}, then run `invitepack trust "
            f"{printable(str(root))}`; where the repo's code runs anyway (its pre-commit hooks, "
            f"CI) pass --trust-local-plugins or set {TRUST_ENV}=1",
        )
    return sources


def trust_files(root: Path, files: list[Path]) -> dict[str, str]:
    """Record the pack at root and the hashes of its plugin files as trusted by this user;
    returns them (relative path -> hash)."""
    root = root.resolve()
    hashes = {_relative(root, path): _digest(_read(path)) for path in files}
    record = _load_record()
    record["format"] = _FORMAT
    record["packs"][str(root)] = {
        "files": hashes,
        "trusted": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _save(record)
    return hashes


def revoke_trust(root: Path) -> bool:
    """Forget a pack; False if it was not trusted."""
    record = _load_record()
    if record["packs"].pop(str(root.resolve()), None) is None:
        return False
    _save(record)
    return True


def _save(record: dict[str, Any]) -> None:
    path = config_dir() / TRUST_FILE
    text = json.dumps(record, indent=2, sort_keys=True) + "\n"
    try:
        # Which packs' code may run is the user's own decision: no one else reads it.
        write_atomic(path, text.encode("utf-8"), replace=True, private=True)
    except OSError as exc:
        raise LoadError(
            f"cannot write the trusted packs: {exc.strerror}",
            Location(path),
            hint="set INVITEPACK_CONFIG_DIR to a folder you can write",
        ) from None
