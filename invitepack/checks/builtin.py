"""The built-in rules as plugins: their `@hookimpl` mark, and their hooks called without pluggy.

Importing pluggy and registering the nine rule modules with it costs a cold `check` about a
tenth of its time (issue 12). When the built-in rules are the only plugins (nothing installed
declares the entry-point group, no local file, no object given), build_plugins takes each
hook's implementations from here instead: the same functions, in the order pluggy gives them,
with the arguments pluggy would pass, run by the same Plugins.call, so that a failure is
caught and reported as ever. With any other plugin every hook goes through pluggy, the
built-ins included. tests/test_direct_hooks.py holds the two paths to the same
implementations, findings and verdicts.
"""

from __future__ import annotations

from types import FunctionType, ModuleType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeAlias, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])
    # A hook implementation as Plugins.call runs it: its plugin's name, the function, and the
    # names of the arguments to pass it.
    Implementation: TypeAlias = tuple[str, Callable[..., Any], tuple[str, ...]]

MARK = "invitepack_impl"  # the attribute pluggy.HookimplMarker("invitepack") sets


def hookimpl(function: F) -> F:
    """`@hookimpl` for the built-in rules: the mark `invitepack.hookimpl` (pluggy's marker)
    gives a function when called without options, made without importing pluggy."""
    setattr(
        function,
        MARK,
        {
            "wrapper": False,
            "hookwrapper": False,
            "optionalhook": False,
            "tryfirst": False,
            "trylast": False,
            "specname": None,
        },
    )
    return function


def hook_functions(module: ModuleType) -> dict[str, FunctionType]:
    """A module's marked functions by hook name: what pluggy registers it for."""
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, FunctionType) and isinstance(getattr(value, MARK, None), dict)
    }


def _arguments(function: FunctionType) -> tuple[str, ...]:
    """What pluggy passes a plain function: its positional parameters without a default."""
    code = function.__code__
    names = code.co_varnames[: code.co_argcount]
    return names[: len(names) - len(function.__defaults__ or ())]


def direct_calls(modules: dict[str, ModuleType]) -> dict[str, list[Implementation]]:
    """Each hook's implementations among the built-in modules (by plugin name, in the order
    they are registered), in pluggy's order: registration order, since no built-in asks to
    go first or last, or wraps the others."""
    calls: dict[str, list[Implementation]] = {}
    for name, module in modules.items():
        for hook, function in hook_functions(module).items():
            calls.setdefault(hook, []).append((name, function, _arguments(function)))
    return calls
