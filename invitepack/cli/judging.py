"""What `check` and `validate` share, without click: the workspace with the command line's
rule selection, checking note files, and printing an outcome. The click commands
(cli/lint.py) and the fast path for a plain `check` (cli/fast.py) both run it, each with its
own `echo`, so the two print the same bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from invitepack.checks.results import Outcome
    from invitepack.pack.workspace import Workspace
    from invitepack.render.message import Message

    class Echo(Protocol):
        """click.echo's shape for one line of text (to stdout, or stderr with err=True)."""

        def __call__(self, message: str, *, err: bool = ...) -> None: ...


# The defaults of `check`'s options, which the fast path applies as click does.
DEFAULT_CHANNEL = "linkedin-invite"
DEFAULT_OUTPUT_FORMAT = "concise"


def split_rules(values: tuple[str, ...]) -> tuple[str, ...]:
    """--select/--ignore values: comma-separated or repeated."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def lint_workspace(
    pack: str | None,
    config: Path | None,
    isolated: bool,
    account: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_level: str | None,
    trust: bool,
) -> Workspace:
    """A workspace whose config has the command line's rule selection applied over it."""
    from invitepack.pack.workspace import Workspace

    workspace = Workspace(
        pack_spec=pack,
        config_path=config,
        isolated=isolated,
        account_override=account,
        trust_local_plugins=trust,
    )
    changes: dict[str, Any] = {}
    if select:
        changes["select"] = split_rules(select)
    if ignore:
        changes["ignore"] = split_rules(ignore)
    if fail_level:
        changes["fail_level"] = fail_level
    workspace.config = workspace.config.replace(**changes)
    return workspace


def echo_error(echo: Echo, problem: object, debug: bool) -> None:
    """An error on stderr; with --debug, a failing plugin's traceback follows it."""
    echo(f"invitepack: error: {problem}", err=True)
    trace = getattr(problem, "traceback", "")
    if trace and debug:
        echo(trace.rstrip("\n"), err=True)


def report(outcome: Outcome, output_format: str, exit_zero: bool, echo: Echo, debug: bool) -> int:
    """Print an outcome in a format (findings on stdout, errors and the summary on stderr)
    and return the exit code."""
    from invitepack.output.report import REPORTERS, summary

    reporter = REPORTERS[output_format]
    text = reporter.render(outcome)
    if text:
        echo(text)
    for problem in (*outcome.failures, *outcome.errors):
        echo_error(echo, problem, debug)
    for notice in outcome.notices:
        echo(f"invitepack: note: {notice}", err=True)
    if reporter.for_people:
        echo(summary(outcome), err=True)
    return outcome.exit_code(exit_zero)


def check_files(
    workspace: Workspace,
    files: tuple[str, ...],
    channel: str,
    scenario: str | None,
) -> Outcome:
    """Check note files (`-` is stdin) on a channel, for a scenario the workspace knows."""
    from invitepack.checks.checker import check_notes
    from invitepack.pack.channels import get_channel
    from invitepack.pack.textfile import read_note
    from invitepack.render.message import Message

    get_channel(workspace.channels, channel)
    if scenario is not None:
        from invitepack.checks.checker import known_scenarios
        from invitepack.pack.names import unknown

        scenarios = known_scenarios(workspace.pack)
        if scenario not in scenarios:
            # An unknown scenario would silently drop the scenario's rules.
            raise unknown("scenario", scenario, scenarios, listing="run `invitepack list`")

    def notes() -> Iterator[Message]:
        for name in files:
            path, text = read_note(name, workspace.config.limits.max_note_bytes)
            yield Message.from_note(
                text, path=path, channel=channel, account=workspace.account, scenario=scenario
            )

    return check_notes(workspace, notes())
