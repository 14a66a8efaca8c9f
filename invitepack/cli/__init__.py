"""The command line: a thin layer that parses options, calls the library and maps outcomes
to exit codes (invitepack.checks.results.ExitCode): 0 clean, 1 findings (or a note over its
limit), 2 usage, input or plugin errors, 3 an internal error.
Heavy modules are imported inside commands so that `check` on every commit starts fast.
"""

from __future__ import annotations

import os
import sys

import click

from invitepack.checks.results import ExitCode
from invitepack.cli.app import cli  # commands are imported when called: app.LAZY_COMMANDS
from invitepack.errors import InvitepackError

__all__ = ["cli", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; no traceback for bad input, a short report for internal errors."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or bool(os.environ.get("INVITEPACK_DEBUG"))
    try:
        code = cli.main(args=args, prog_name="invitepack", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = ExitCode.ERROR
    except click.Abort:
        click.echo("Aborted.", err=True)
        code = ExitCode.ERROR
    except InvitepackError as exc:
        click.echo(f"invitepack: error: {exc}", err=True)
        code = ExitCode.ERROR
    except KeyboardInterrupt:
        # Ctrl-C: the person chose to stop; say nothing more, exit as a shell expects.
        code = 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error worth a message.
        sys.stderr.close()
        code = ExitCode.CLEAN
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"invitepack: internal error: {type(exc).__name__}: {exc}\n"
            "  This is a bug in invitepack or a plugin. Run again with --debug for the "
            "full traceback.",
            err=True,
        )
        code = ExitCode.INTERNAL
    sys.exit(int(code) if isinstance(code, int) else ExitCode.CLEAN)
