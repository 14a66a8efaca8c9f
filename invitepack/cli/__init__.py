"""The command line: a thin layer that parses options, calls the library and maps outcomes
to exit codes (invitepack.checks.results.ExitCode): 0 clean, 1 findings (or a note over its
limit), 2 usage, input or plugin errors, 3 an internal error.
Heavy modules are imported inside commands so that `check` on every commit starts fast.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from functools import partial

from invitepack.cli import fast

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from invitepack.cli.judging import Echo

__all__ = ["cli", "main"]


def __getattr__(name: str) -> Any:
    """`cli`, the click group, imported when asked for: a plain `check` never needs click
    (cli/fast.py), and its commands are imported when called (app.LAZY_COMMANDS)."""
    if name == "cli":
        from invitepack.cli.app import cli

        return cli
    raise AttributeError(f"module 'invitepack.cli' has no attribute {name!r}")


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (what CI cancelling a job and `timeout` send) ends the run as Ctrl-C does:
    through the same cleanup, so no staging folder or temporary file is left behind."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; no traceback for bad input, a short report for internal errors."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or bool(os.environ.get("INVITEPACK_DEBUG"))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    files = fast.plain_check(args)
    if files is not None:
        fast.collect_rarely()  # before what a check imports
    from invitepack.checks.results import ExitCode
    from invitepack.errors import InvitepackError, printable

    echo: Echo
    if files is None:
        import click

        echo, command = click.echo, partial(_click_main, args)
    else:
        echo, command = fast.echo, partial(fast.check, files, debug)
    try:
        code = command()
    except InvitepackError as exc:
        echo(f"invitepack: error: {exc}", err=True)
        code = ExitCode.ERROR
    except KeyboardInterrupt:
        # Ctrl-C: the person chose to stop; say nothing more, exit as a shell expects.
        code = 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error worth a message.
        sys.stderr.close()
        code = ExitCode.CLEAN
    except OSError as exc:
        if debug:
            raise
        # A read-only folder, a full disk, a file that vanished: the environment's problem,
        # not a bug (commands that write say which path first; this is the net under them).
        where = f"{printable(str(exc.filename))}: " if exc.filename else ""
        echo(
            f"invitepack: error: {where}{exc.strerror or type(exc).__name__}\n"
            "  hint: check that the path exists, that you may read and write it, and that "
            "the disk has space",
            err=True,
        )
        code = ExitCode.ERROR
    except Exception as exc:
        if debug:
            raise
        echo(
            f"invitepack: internal error: {type(exc).__name__}: {exc}\n"
            "  This is a bug in invitepack or a plugin. Run again with --debug for the "
            "full traceback.",
            err=True,
        )
        code = ExitCode.INTERNAL
    sys.exit(int(code) if isinstance(code, int) else ExitCode.CLEAN)


def _click_main(args: list[str]) -> Any:
    """The command line parsed by click; its own exceptions become their messages and codes."""
    import click

    from invitepack.checks.results import ExitCode
    from invitepack.cli.app import cli  # commands are imported when called: app.LAZY_COMMANDS

    try:
        return cli.main(args=args, prog_name="invitepack", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return ExitCode.ERROR
    except click.Abort:
        click.echo("Aborted.", err=True)
        return ExitCode.ERROR
