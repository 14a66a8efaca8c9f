"""User configuration: `[tool.invitepack]` in pyproject.toml or an invitepack.toml; the nearest
file that has invitepack settings wins, `--config FILE` names one, `--isolated` uses none."""

from __future__ import annotations

from pathlib import Path

from invitepack.errors import LoadError, Location
from invitepack.pack.channels import ACCOUNT_TIERS
from invitepack.pack.limits import Limits, limits_from_config
from invitepack.records import Record
from invitepack.severities import SEVERITIES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_KEYS = {
    "account": "free or premium: sets the LinkedIn note limit (200 or 300)",
    "select": "rule codes, prefixes or names to run (default: all)",
    "ignore": "rule codes, prefixes or names to skip",
    "per-file-ignores": "a table of glob = [rules] to skip for matching files",
    "fail-level": (
        "error, warning or info: a finding at or above it fails (exit 1) whatever the verdict"
    ),
    "require-plugins": "plugin names that must load, or invitepack stops with exit 2",
    "disable-entry-points": (
        "true to load no installed plugins (only built-in and the pack's local ones)"
    ),
    "phrases": "a table of phrase-list name = [extra regular expressions]",
    "channels": "a table per channel overriding its limits",
    "limits": "safety bounds (see README, Limits)",
    "rules": "a table per rule name with its options",
}


class Config(Record):
    """Settings from one config file (or the defaults)."""

    __slots__ = (
        "account",
        "channels",
        "disable_entry_points",
        "fail_level",
        "ignore",
        "limits",
        "path",
        "per_file_ignores",
        "phrases",
        "require_plugins",
        "rules",
        "select",
    )
    path: Path | None
    account: str
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    per_file_ignores: dict[str, tuple[str, ...]]
    fail_level: str
    require_plugins: tuple[str, ...]
    disable_entry_points: bool
    phrases: dict[str, tuple[str, ...]]
    channels: dict[str, dict[str, Any]]
    limits: Limits
    rules: dict[str, dict[str, Any]]

    def __init__(
        self,
        path: Path | None = None,
        account: str = "free",
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        per_file_ignores: dict[str, tuple[str, ...]] | None = None,
        fail_level: str = "error",
        require_plugins: tuple[str, ...] = (),
        disable_entry_points: bool = False,
        phrases: dict[str, tuple[str, ...]] | None = None,
        channels: dict[str, dict[str, Any]] | None = None,
        limits: Limits | None = None,
        rules: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self._fill(
            path,
            account,
            select,
            ignore,
            {} if per_file_ignores is None else per_file_ignores,
            fail_level,
            require_plugins,
            disable_entry_points,
            {} if phrases is None else phrases,
            {} if channels is None else channels,
            Limits() if limits is None else limits,
            {} if rules is None else rules,
        )


def _settings_in(path: Path) -> dict[str, Any] | None:
    """The invitepack table of a config file, or None when it has none."""
    import tomllib  # only where there is a config file to read

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LoadError(
            f"invalid TOML: {exc}", Location(path), hint="fix the TOML syntax"
        ) from None
    except OSError as exc:
        raise LoadError(f"cannot read config: {exc.strerror}", Location(path)) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        return tool.get("invitepack") if isinstance(tool, dict) else None
    return data


def find_config(start: Path) -> Path | None:
    """The nearest invitepack.toml, or pyproject.toml with [tool.invitepack], from start upwards."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "invitepack.toml").is_file():
            return folder / "invitepack.toml"
        pyproject = folder / "pyproject.toml"
        if _may_name_invitepack(pyproject) and _settings_in(pyproject) is not None:
            return pyproject
    return None


def _may_name_invitepack(pyproject: Path) -> bool:
    """Whether a pyproject.toml can hold invitepack settings: a file that never spells the
    name holds none, and is passed over without parsing it (most Python repos have one, and
    a hook should not pay for reading TOML, or fail on a file it does not own)."""
    try:
        return b"invitepack" in pyproject.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
    except OSError:
        return True  # there but unreadable: _settings_in names the file and why


def _strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LoadError(f"`{key}` must be a list of strings", Location(path), hint=_KEYS.get(key))
    return tuple(value)


def _choice(path: Path, key: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise LoadError(
            f"`{key}` must be one of {', '.join(choices)}, not {value!r}", Location(path)
        )
    return str(value)


def _tables(path: Path, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise LoadError(f"`{key}` must be a table of tables", Location(path), hint=_KEYS[key])
    return value


def parse_config(path: Path, settings: dict[str, Any]) -> Config:
    """Check a config table's keys and types; unknown keys are an error naming them."""
    unknown = sorted(set(settings) - set(_KEYS))
    if unknown:
        raise LoadError(
            f"unknown config key(s): {', '.join(unknown)}",
            Location(path),
            hint="known keys: " + "; ".join(f"{k} ({v})" for k, v in _KEYS.items()),
        )
    pfi = settings.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise LoadError("`per-file-ignores` must be a table of glob = [rules]", Location(path))
    phrases = settings.get("phrases", {})
    if not isinstance(phrases, dict):
        raise LoadError("`phrases` must be a table of list name = [phrases]", Location(path))
    try:
        limits = limits_from_config(settings.get("limits"))
    except LoadError as exc:
        raise LoadError(exc.message, Location(path), exc.hint) from None
    entry_points_off = settings.get("disable-entry-points", False)
    if not isinstance(entry_points_off, bool):
        raise LoadError("`disable-entry-points` must be true or false", Location(path))
    return Config(
        path=path,
        account=_choice(path, "account", settings.get("account", "free"), ACCOUNT_TIERS),
        select=_strings(path, "select", settings.get("select", [])),
        ignore=_strings(path, "ignore", settings.get("ignore", [])),
        per_file_ignores={
            glob: _strings(path, f"per-file-ignores.{glob}", v) for glob, v in pfi.items()
        },
        fail_level=_choice(path, "fail-level", settings.get("fail-level", "error"), SEVERITIES),
        require_plugins=_strings(path, "require-plugins", settings.get("require-plugins", [])),
        disable_entry_points=entry_points_off,
        phrases={name: _strings(path, f"phrases.{name}", v) for name, v in phrases.items()},
        channels=_tables(path, "channels", settings.get("channels", {})),
        limits=limits,
        rules=_tables(path, "rules", settings.get("rules", {})),
    )


def load_config(
    explicit: Path | None = None, isolated: bool = False, start: Path | None = None
) -> Config:
    """The config in force: --config FILE, else the nearest file, else the defaults."""
    if isolated:
        return Config()
    path = explicit or find_config(start or Path.cwd())
    if path is None:
        return Config()
    if explicit is not None and not explicit.is_file():
        raise LoadError("config file not found", Location(explicit))
    settings = _settings_in(path)
    return parse_config(path, settings or {})
