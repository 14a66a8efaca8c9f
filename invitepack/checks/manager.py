"""The pluggy path: registering plugins with pluggy's manager, and loading installed and local
ones. Used as soon as any plugin that is not built in is there (plugins.build_plugins); the
built-in rules alone are called without pluggy (checks/builtin.py)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from types import FunctionType, MethodType, ModuleType
from typing import Any

import pluggy

from invitepack.checks import hookspecs
from invitepack.checks.plugins import PluginInfo, Plugins, declared_rules
from invitepack.errors import Location, PluginError


def through_pluggy(
    builtins: dict[str, ModuleType],
    found: list[Any],
    local: list[Path],
    objects: list[Any],
    sources: Mapping[Path, bytes],
    seconds: float,
    isolate: bool | None,
) -> Plugins:
    """The plugins of build_plugins when some are not built in: the built-ins, entry points
    and local files (in a worker process unless `isolate` is False or the platform cannot
    fork), then `objects`, each registered with pluggy in that order."""
    from invitepack import __version__

    pm = new_manager()
    infos: dict[str, PluginInfo] = {}
    for name, module in builtins.items():
        _register(pm, infos, module, name, "built-in", __version__, module.__name__)
    worker = None
    if found or local:
        from invitepack.checks import isolation  # a worker process: for external plugins only

        if isolation.available() if isolate is None else isolate:

            def load() -> Plugins:
                external = new_manager()
                loaded: dict[str, PluginInfo] = {}
                _load_external(external, loaded, found, local, sources)
                _check_pending(external)
                return Plugins(external, loaded)

            names = [ep.name for ep in found] + [_local_name(path) for path in local]
            worker = isolation.PluginWorker(names, load, seconds)
            infos.update((info.name, info) for info in worker.infos)
        else:
            _load_external(pm, infos, found, local, sources)
    for plugin in objects:
        name = str(getattr(plugin, "__name__", None) or type(plugin).__name__)
        where = str(getattr(plugin, "__file__", None) or name)
        _register(pm, infos, plugin, name, "given", _module_version(plugin), where)
    _check_pending(pm)
    return Plugins(pm, infos, worker)


def _module_version(plugin: object) -> str:
    return str(getattr(plugin, "__version__", "") or "")


def _load_local(path: Path, source: bytes | None = None) -> ModuleType:
    """Import a plugin file by path, under a name that cannot clash with installed modules.

    `source` is the file's content as the trust check read it: those bytes run, not whatever
    the file holds by now. Compiled here, so no bytecode is written beside the file."""
    import importlib.util  # only a pack with local plugins needs it

    module_name = f"invitepack_local_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise PluginError(f"cannot load local plugin {path.name}", Location(path))
    module = importlib.util.module_from_spec(spec)
    bytecode_was = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # nor for what the plugin imports from beside it
    try:
        code = compile(path.read_bytes() if source is None else source, str(path), "exec")
        exec(code, module.__dict__)  # the plugin's code, run with the user's consent
    except SyntaxError as exc:
        raise PluginError(
            f"local plugin {path.name} has a syntax error: {exc.msg}",
            Location(path, exc.lineno, exc.offset),
        ) from None
    except FileNotFoundError:
        raise PluginError(
            f"local plugin {path.name} does not exist",
            Location(path),
            hint="fix the path under `plugins:` in pack.yaml",
        ) from None
    except (Exception, SystemExit) as exc:  # noqa: BLE001
        raise PluginError(
            f"local plugin {path.name} failed to import: {type(exc).__name__}: {exc}",
            Location(path),
        ) from None
    finally:
        sys.dont_write_bytecode = bytecode_was
    return module


def _register(
    pm: pluggy.PluginManager,
    infos: dict[str, PluginInfo],
    plugin: Any,
    name: str,
    source: str,
    version: str,
    location: str,
) -> None:
    try:
        pm.register(plugin, name=name)
    except (ValueError, pluggy.PluginValidationError) as exc:
        raise PluginError(f"plugin {name!r} ({source}) cannot be registered: {exc}") from None
    hooks = tuple(sorted(caller.name for caller in pm.get_hookcallers(plugin) or ()))
    infos[name] = PluginInfo(name, source, version, location, declared_rules(name, plugin), hooks)


def _local_name(path: Path) -> str:
    return path.parent.name if path.stem == "__init__" else path.stem


def _load_external(
    pm: pluggy.PluginManager,
    infos: dict[str, PluginInfo],
    found: list[Any],
    local_files: list[Path],
    sources: Mapping[Path, bytes],
) -> None:
    """Import and register the installed plugins, then the local files, in that order."""
    from invitepack.checks.isolation import loading

    for index, ep in enumerate(found):
        loading(index)
        try:
            plugin = ep.load()
        except (Exception, SystemExit) as exc:  # noqa: BLE001
            raise PluginError(
                f"installed plugin {ep.name!r} failed to load: {type(exc).__name__}: {exc}",
                hint=f"entry point {ep.value}; reinstall or uninstall it",
            ) from None
        dist = ep.dist
        _register(pm, infos, plugin, ep.name, "entry point", dist.version if dist else "", ep.value)
    for index, path in enumerate(local_files, start=len(found)):
        loading(index)
        module = _load_local(path, sources.get(path))
        _register(
            pm, infos, module, _local_name(path), "local file", _module_version(module), str(path)
        )


def _check_pending(pm: pluggy.PluginManager) -> None:
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or repr(exc.plugin)
        raise PluginError(
            f"plugin {name!r}: {exc}",
            hint="hook names start with invitepack_: see `invitepack plugins --hooks`",
        ) from None


# What pluggy can take as a hook implementation (pluggy/_manager.py, _static_hook_attr).
_HOOKABLE = (FunctionType, MethodType, classmethod, staticmethod)


class _PluginManager(pluggy.PluginManager):
    """pluggy's manager, reading a module plugin's names faster.

    pluggy looks at every name a plugin has with inspect.getattr_static: for the built-in
    modules' ~270 names (their imports included) that is ~2.5 ms of a cold run. A
    module's attribute is its `__dict__` entry, and one that is not a function or method
    cannot be a hook implementation, so only those go on to pluggy, which decides as ever:
    the same hooks, in the same order, with the same validation."""

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> pluggy.HookimplOpts | None:
        if isinstance(plugin, ModuleType) and not isinstance(plugin.__dict__.get(name), _HOOKABLE):
            return None
        return super().parse_hookimpl_opts(plugin, name)


def new_manager() -> pluggy.PluginManager:
    pm = _PluginManager("invitepack")
    pm.add_hookspecs(hookspecs)
    return pm
