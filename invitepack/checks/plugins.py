"""Plugin discovery and safe calling: built-in checkers, installed entry points, local files.

Three sources, one path, fixed order: the built-in rule modules (registered exactly like any
other plugin), the `invitepack` entry-point group, then the local plugin files a pack lists
in pack.yaml. Set INVITEPACK_TRACE_PLUGINS=1 to trace every hook call to stderr, with the
time it took and how many findings it returned. Registering goes through pluggy
(manager.py), except when the built-in rules are the only plugins: then they are called
without it, in the same order and through the same Plugins.call (builtin.py).

Installed and local plugins are loaded and called in a worker process (isolation.py), each
call bounded by `plugin_seconds`, so that none can hang a run or end it with a false pass;
the built-in rules (and objects given by invitepack.testing) run in-process. Local plugin
files are the user's to allow (pack/trust.py): they arrive here as the bytes that were
checked.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType

from invitepack.checks.builtin import direct_calls, hook_functions
from invitepack.checks.findings import Finding, Rule
from invitepack.checks.results import HookResult
from invitepack.errors import LimitExceededError, Location, PluginError
from invitepack.records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import pluggy

    from invitepack.checks.builtin import Implementation
    from invitepack.checks.failures import PluginFailure
    from invitepack.checks.isolation import PluginWorker
    from invitepack.render.message import Message

ENTRY_POINT_GROUP = "invitepack"
PLUGIN_SECONDS = 10.0  # a plugin call's bound when the caller gives none (limits.plugin_seconds)
BUILTIN_PLUGINS = (
    "invitepack.checks.rules.length",
    "invitepack.checks.rules.content",
    "invitepack.checks.rules.pitch",
    "invitepack.checks.rules.recruiter",
    "invitepack.checks.rules.placeholders",
    "invitepack.checks.rules.tone",
    "invitepack.checks.rules.hidden",
    "invitepack.checks.rules.templates",
    "invitepack.checks.rules.versions",
)


class PluginInfo(Record):
    """What `invitepack plugins` shows for one plugin."""

    __slots__ = ("hooks", "location", "name", "rules", "source", "version")
    name: str
    source: str  # "built-in", "entry point", "local file", or "given" (invitepack.testing)
    version: str
    location: str
    rules: tuple[Rule, ...]
    hooks: tuple[str, ...]  # the hooks it implements, e.g. invitepack_check_message

    def __init__(
        self,
        name: str,
        source: str,
        version: str,
        location: str,
        rules: tuple[Rule, ...],
        hooks: tuple[str, ...] = (),
    ) -> None:
        self._fill(name, source, version, location, rules, hooks)


class Plugins:
    """The plugin manager plus what invitepack knows about each plugin."""

    def __init__(
        self,
        manager: pluggy.PluginManager | None,
        infos: dict[str, PluginInfo],
        worker: PluginWorker | None = None,
        direct: Mapping[str, list[Implementation]] | None = None,
    ):
        self.manager = manager  # None when the built-in rules are the only plugins
        self.infos = infos
        self.worker = worker  # installed and local plugins, when they run in their own process
        self.direct = direct or {}  # the built-ins' hooks, called without a manager
        self.trace = bool(os.environ.get("INVITEPACK_TRACE_PLUGINS"))
        # The rule codes each plugin declares: what its findings may carry.
        self._declared = {
            name: frozenset(rule.code for rule in info.rules) for name, info in infos.items()
        }
        self.rules: dict[str, tuple[Rule, str]] = {}
        for name, info in infos.items():
            for rule in info.rules:
                if rule.code in self.rules and self.rules[rule.code][1] != name:
                    raise PluginError(
                        f"plugins {self.rules[rule.code][1]!r} and {name!r} both declare "
                        f"rule {rule.code}",
                        hint="if one plugin is both installed and listed in pack.yaml, set "
                        "disable-entry-points = true"
                        " in the config; otherwise give each plugin's rules their own code prefix",
                    )
                self.rules[rule.code] = (rule, name)

    def only_builtin(self) -> bool:
        """Are all the plugins invitepack's own? Their answers on a note depend on that note
        alone, so notes may be checked in any process, in any order (`render --jobs`)."""
        return self.worker is None and all(i.source == "built-in" for i in self.infos.values())

    def call(
        self, hook: str, path: Path | None, *, label: str | None = None, **kwargs: Any
    ) -> HookResult:
        """Call every implementation of a hook, one at a time, so that one plugin's failure
        is returned beside the others' findings rather than hiding them. `path` and `label`
        (e.g. "example 2") say what is being checked, for the failure's message."""
        findings: list[Finding] = []
        failures: list[PluginFailure] = []
        message = kwargs.get("message")
        trace = self.trace
        for name, function, argnames in self._implementations(hook):
            started = time.perf_counter() if trace else 0.0  # read only by _trace
            try:
                result = function(*map(kwargs.__getitem__, argnames))
                produced = list(result) if result is not None else []
            except LimitExceededError:
                raise  # a safety bound, not a plugin bug: the run stops with exit 2
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - a plugin must not take the run down
                from invitepack.checks.failures import PluginFailure

                self._trace(hook, name, path, label, started, None)
                failures.append(
                    PluginFailure(
                        name,
                        hook,
                        _describe(exc),
                        path,
                        label,
                        traceback=_formatted(exc),
                        exception=exc,
                    )
                )
                continue
            if trace:
                self._trace(hook, name, path, label, started, len(produced))
            if not produced:  # most hooks on most notes
                continue
            declared = self._declared.get(name, frozenset())
            for item in produced:
                problem = _wrong(item, declared, message)
                if problem:
                    from invitepack.checks.failures import PluginFailure

                    failures.append(PluginFailure(name, hook, problem, path, label))
                else:
                    findings.append(item.with_context(None, name))
        if self.worker is not None:
            external = self.worker.call(hook, path, kwargs, label)
            findings += external.findings
            failures += external.failures
        return HookResult(findings, failures)

    def _implementations(self, hook: str) -> Iterable[Implementation]:
        """A hook's implementations in calling order: pluggy's, or the built-ins' own."""
        if self.manager is None:
            return self.direct.get(hook, ())
        return (
            (impl.plugin_name, impl.function, impl.argnames)
            for impl in getattr(self.manager.hook, hook).get_hookimpls()
        )

    def _trace(
        self,
        hook: str,
        name: str,
        path: Path | None,
        label: str | None,
        started: float,
        count: int | None,
    ) -> None:
        if not self.trace:
            return
        elapsed = (time.perf_counter() - started) * 1000
        what = f"{path or '-'}, {label}" if label else f"{path or '-'}"
        result = "failed" if count is None else f"{count} finding{'' if count == 1 else 's'}"
        print(
            f"invitepack: trace: {hook} -> {name} ({what}): {result} in {elapsed:.2f} ms",
            file=sys.stderr,
        )


def _wrong(
    item: object, declared: frozenset[str] | set[str], message: Message | None
) -> str | None:
    """Why a hook's result item is not an acceptable finding, or None when it is."""
    if not isinstance(item, Finding):
        return f"returned {type(item).__name__}, not a Finding"
    if item.code not in declared:
        return f"reported {item.code}, which it does not declare in invitepack_rules"
    if item.span is not None and message is not None:
        start, end = item.span
        whole = len(message.body)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= whole):
            return (
                f"reported {item.code} at span {item.span!r}, outside the note "
                f"(offsets 0 to {whole})"
            )
    return None


def _formatted(exc: BaseException) -> str:
    """A plugin's traceback, for --debug (the module is imported only when one fails)."""
    import traceback

    return "".join(traceback.format_exception(exc))


def _describe(exc: BaseException) -> str:
    """A plugin's exception as text, even when its own __str__ fails."""
    try:
        return f"{type(exc).__name__}: {exc}"
    except Exception:  # noqa: BLE001
        return f"{type(exc).__name__} (its message could not be shown)"


def local_plugin_files(root: Path, manifest: dict[str, Any]) -> list[Path]:
    """The local plugin files a pack lists under `plugins:` in pack.yaml, which must lie
    inside the pack (the third source, loaded by build_plugins after the others)."""
    files = []
    for entry in manifest.get("plugins") or []:
        path = (root / str(entry)).resolve()
        if not path.is_relative_to(root.resolve()):
            raise PluginError(
                f"local plugin {entry!r} is outside the pack",
                Location(root / "pack.yaml"),
                hint="keep plugin files inside the pack's folder",
            )
        files.append(path)
    return files


def declared_rules(name: str, plugin: Any) -> tuple[Rule, ...]:
    """The rules a plugin declares (its invitepack_rules, called directly on either path):
    the only codes its findings may carry."""
    func = getattr(plugin, "invitepack_rules", None)
    if func is None:
        return ()
    try:
        rules = tuple(func())
    except (Exception, SystemExit) as exc:  # noqa: BLE001
        raise PluginError(
            f"plugin {name!r} failed in invitepack_rules: {type(exc).__name__}: {exc}"
        ) from None
    bad = [r for r in rules if not isinstance(r, Rule)]
    if bad:
        raise PluginError(
            f"plugin {name!r}: invitepack_rules returned {type(bad[0]).__name__}, not Rule"
        )
    return rules


def _group_may_be_declared(group: str) -> bool:
    """False only when no installed distribution can declare the entry-point group: every
    folder on sys.path was read, and no `*.dist-info` or `*.egg-info` in it has an
    entry_points.txt with a `[group]` section. Reading them costs about a millisecond;
    importlib.metadata costs a cold `check` twenty. Anything it cannot read this way (a zip
    on sys.path, a finder that lists distributions of its own) answers True, and
    importlib.metadata decides."""
    import importlib.machinery

    if any(
        hasattr(finder, "find_distributions") and finder is not importlib.machinery.PathFinder
        for finder in sys.meta_path
    ):
        return True
    header = f"[{group}]"
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                names = [
                    e.name for e in listing if e.name.lower().endswith((".dist-info", ".egg-info"))
                ]
        except NotADirectoryError:
            return True  # a zip (or egg) on sys.path
        except OSError:
            continue  # a folder that is not there holds no distribution
        for name in names:
            # os.path and open, not pathlib: most of these files are missing, and a missing
            # file costs pathlib several times what it costs open (here, dozens of them).
            try:
                with open(os.path.join(entry or ".", name, "entry_points.txt"), "rb") as file:
                    text = file.read().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if any(line.strip() == header for line in text.splitlines()):
                return True
    return False


def build_plugins(
    local_files: Iterable[Path] = (),
    *,
    entry_points: bool = True,
    require: Iterable[str] = (),
    objects: Iterable[Any] = (),
    sources: Mapping[Path, bytes] | None = None,
    seconds: float = PLUGIN_SECONDS,
    isolate: bool | None = None,
) -> Plugins:
    """Build the plugin manager: hookspecs, built-ins, entry points, local files, then
    `objects` (modules or objects with @hookimpl functions, as invitepack.testing passes them).

    Installed and local plugins run in a worker process (unless `isolate` is False, or the
    platform cannot fork), each call bounded by `seconds`; built-ins and `objects` run
    in-process. `sources` holds the local files' content as the trust check read it. When
    the built-in rules are the only plugins, they are called without pluggy (builtin.py).
    Nothing is loaded at import time; each command builds what it needs.
    """
    builtins = {name.rsplit(".", 1)[1]: importlib.import_module(name) for name in BUILTIN_PLUGINS}
    found: list[Any] = []
    if entry_points and _group_may_be_declared(ENTRY_POINT_GROUP):
        from importlib.metadata import entry_points as find_entry_points

        found = list(find_entry_points(group=ENTRY_POINT_GROUP))
    local = list(local_files)
    given = list(objects)
    if found or local or given:
        from invitepack.checks.manager import through_pluggy

        plugins = through_pluggy(builtins, found, local, given, sources or {}, seconds, isolate)
    else:
        plugins = Plugins(None, _builtin_infos(builtins), direct=direct_calls(builtins))
    missing = sorted(set(require) - set(plugins.infos))
    if missing:
        if plugins.worker is not None:
            plugins.worker.close()
        raise PluginError(
            f"required plugin(s) not found: {', '.join(missing)}",
            hint="install the team's plugin distribution (pip install ...), or list the file "
            "under `plugins:` in pack.yaml",
        )
    return plugins


def _builtin_infos(builtins: dict[str, ModuleType]) -> dict[str, PluginInfo]:
    """What the pluggy path would record for the built-in modules, read from the modules."""
    from invitepack import __version__

    return {
        name: PluginInfo(
            name,
            "built-in",
            __version__,
            module.__name__,
            declared_rules(name, module),
            tuple(sorted(hook_functions(module))),
        )
        for name, module in builtins.items()
    }
