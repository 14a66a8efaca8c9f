"""A plain `invitepack check FILE...` (or `check -`, or `check` with a note piped in) without
click: the form hooks, editors and scripts run on every note. Importing click and the command
modules costs a cold `check` about as much as judging the note, so this form is recognised
here and run through the same code the click command runs (cli/judging.py). Anything else
(an option, --help, a usage error, shell completion, a stream click would re-wrap) goes to
click. tests/test_speed_equivalence.py holds both paths to the same stdout, stderr and exit
code."""

from __future__ import annotations

import atexit
import codecs
import errno
import gc
import io
import os
import sys

# What click.echo strips from text for a stream that is not a terminal (click/_compat.py);
# compiled only when a line holds an escape character.
_ANSI = r"\033\[[0-?]*[ -/]*[@-~]"
# How many allocations the cyclic garbage collector waits for in a plain check (Python's
# default is 700): more than a check's start-up makes.
_COLLECT_AFTER = 50_000


def _plain_stream(stream: object) -> bool:
    """A text stream click.echo writes to as it is (it re-wraps one with no encoding or
    errors, or an ASCII one)."""
    if not isinstance(stream, io.TextIOBase) or stream.errors is None:
        return False
    try:
        return codecs.lookup(stream.encoding or "ascii").name != "ascii"
    except LookupError:
        return True  # click keeps a stream whose encoding it cannot look up


def plain_check(args: list[str]) -> tuple[str, ...] | None:
    """The note files of a `check` command line that click would read as files alone, every
    option at its default; None when click must parse it."""
    if not args or args[0] != "check" or os.name == "nt":
        return None
    files = tuple(args[1:])
    if any(arg.startswith("-") and arg != "-" for arg in files):
        return None
    if os.environ.get("_INVITEPACK_COMPLETE"):  # click's shell-completion request
        return None
    if not (_plain_stream(sys.stdout) and _plain_stream(sys.stderr)):
        return None
    if not files:
        if sys.stdin is None or sys.stdin.isatty():
            return None  # click's usage error says what to give
        files = ("-",)
    return files


def collect_rarely() -> None:
    """Spare a plain check the cyclic garbage collector's passes over what it keeps for good.

    A check's start-up (its modules, the rules, the prepared phrase lists) allocates tens of
    thousands of objects that live until the process exits, and checking a note leaves no
    cycles behind (the same few dozen objects for 10 notes or 1,500). At the default
    threshold the collector would walk them some forty times, and once more as the
    interpreter exits, freeing nothing: about a tenth of a cold check. Called before the
    check's imports, for the rest of the process (main() ends it); a longer run still
    collects, every _COLLECT_AFTER allocations, and what exists at exit is frozen instead
    of walked."""
    gc.set_threshold(_COLLECT_AFTER, *gc.get_threshold()[1:])
    atexit.register(gc.freeze)


def echo(message: str, *, err: bool = False) -> None:
    """click.echo of a line to a stream plain_check accepted."""
    stream = sys.stderr if err else sys.stdout
    out = message + "\n"
    if "\033" in out and not stream.isatty():
        import re

        out = re.sub(_ANSI, "", out)
    stream.write(out)
    stream.flush()


def check(files: tuple[str, ...], debug: bool) -> int:
    """`check FILES` with every option at its default, ended as click ends a command: Ctrl-C
    (or SIGTERM) prints a blank line and "Aborted." (exit 2), a closed output pipe exits 1."""
    from invitepack.checks.results import ExitCode
    from invitepack.cli.judging import (
        DEFAULT_CHANNEL,
        DEFAULT_OUTPUT_FORMAT,
        check_files,
        lint_workspace,
        report,
    )

    try:
        workspace = lint_workspace(None, None, False, None, (), (), None, trust=False)
        outcome = check_files(workspace, files, DEFAULT_CHANNEL, None)
        return report(outcome, DEFAULT_OUTPUT_FORMAT, False, echo, debug)
    except (EOFError, KeyboardInterrupt):
        echo("", err=True)
        echo("Aborted.", err=True)
        return ExitCode.ERROR
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        # What is still buffered for the closed pipe goes nowhere, without a message at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
