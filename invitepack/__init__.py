"""invitepack: courteous, explained outreach notes — templates, rendering and checkers.

Plugin authors need only `from invitepack import hookimpl`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "hookimpl"]

if TYPE_CHECKING:
    import pluggy

    hookimpl: pluggy.HookimplMarker


def __getattr__(name: str) -> Any:
    # Lazy, so `import invitepack` (and every CLI start) does not pay for pluggy.
    if name == "hookimpl":
        from invitepack.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module 'invitepack' has no attribute {name!r}")
