"""invitepack: courteous, explained outreach notes — templates, rendering and checkers.

What a plugin author needs is importable from here, and only from here:

    from invitepack import CheckContext, Finding, Location, Message, Rule, hookimpl

The package is layered (see the README's design notes): `pack` loads, `render` renders,
`checks` judges, `output` writes and reports, and `cli` parses the command line.
"""

from __future__ import annotations

__version__ = "0.2.21"
__all__ = [
    "CheckContext",
    "Finding",
    "Location",
    "Message",
    "Rule",
    "__version__",
    "hookimpl",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import pluggy

    from invitepack.checks.context import CheckContext
    from invitepack.checks.findings import Finding, Rule
    from invitepack.errors import Location
    from invitepack.render.message import Message

    hookimpl: pluggy.HookimplMarker

# Where each public name lives. Imported on first use, so that `import invitepack` (and every
# CLI start) pays for pluggy only when a command needs plugins.
_PUBLIC = {
    "hookimpl": "invitepack.checks.hookspecs",
    "Rule": "invitepack.checks.findings",
    "Finding": "invitepack.checks.findings",
    "CheckContext": "invitepack.checks.context",
    "Message": "invitepack.render.message",
    "Location": "invitepack.errors",
}


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'invitepack' has no attribute {name!r}")
