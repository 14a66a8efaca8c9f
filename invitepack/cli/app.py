"""The `invitepack` command group and what its commands share: exit codes, options, the
workspace. Commands live beside this module, one module per family."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from invitepack import __version__

if TYPE_CHECKING:
    from invitepack.pack.workspace import Workspace

from invitepack.checks.results import ExitCode

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = ExitCode.CLEAN, ExitCode.FINDINGS, ExitCode.ERROR
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def workspace_for(
    pack: str | None, config: Path | None = None, isolated: bool = False, account: str | None = None
) -> Workspace:
    """The workspace a command runs in (loaded lazily, so each command pays for what it uses)."""
    from invitepack.pack.workspace import Workspace

    return Workspace(
        pack_spec=pack,
        config_path=config,
        isolated=isolated,
        account_override=account,
        trust_local_plugins=trusted_by_command_line(),
    )


TRUST_FLAG = "invitepack.trust_local_plugins"


def trusted_by_command_line() -> bool:
    """Did this command get --trust-local-plugins?"""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(TRUST_FLAG))


def _remember_trust(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[TRUST_FLAG] = True


trust_option = click.option(
    "--trust-local-plugins",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_remember_trust,
    help="Run the pack's local plugin files without `invitepack trust` (for pre-commit hooks "
    "and CI, where the repo's code runs anyway). Also INVITEPACK_TRUST_LOCAL_PLUGINS=1.",
)


pack_option = click.option(
    "--pack",
    metavar="PATH|builtin",
    help="The pack to use: a folder with pack.yaml, or 'builtin'. Default: the nearest pack.yaml "
    "from the current folder upwards, else the built-in pack.",
)
config_options = [
    click.option(
        "--config",
        "config",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Use this config file (invitepack.toml or pyproject.toml).",
    ),
    click.option("--isolated", is_flag=True, help="Ignore every config file."),
]
# One flag name for output format on every command (check and validate use it too);
# --format stays as an alias.
format_option = click.option(
    "--output-format",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


F = TypeVar("F", bound=Callable[..., Any])


class _ChannelHelpOption(click.Option):
    """An option whose help names the bundled channels, `{channels}` in its text. They are
    read from the channel data only when help is shown, so start-up stays fast."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.help and "{channels}" in self.help:
            from invitepack.pack.channels import channel_ids

            self.help = self.help.replace("{channels}", ", ".join(channel_ids()))
        return super().get_help_record(ctx)


def channel_option(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """A --channel option; `{channels}` in its help lists the bundled channels' ids."""
    return click.option(*decls, cls=_ChannelHelpOption, **attrs)


def with_options(options: list[Callable[[F], F]]) -> Callable[[F], F]:
    """Apply a shared list of click options to a command."""

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


# Each command by the module that defines it. A module is imported when one of its commands
# runs (or when help lists them all), so that `check` on every commit never pays for the
# imports of `render`, `list` and the rest. A command module imported by cli/__init__.py
# registers its commands as before; tests/test_cli_lazy.py keeps this table true.
LAZY_COMMANDS = {
    "list": "invitepack.cli.info",
    "show": "invitepack.cli.info",
    "channels": "invitepack.cli.info",
    "schema": "invitepack.cli.info",
    "init": "invitepack.cli.info",
    "check": "invitepack.cli.lint",
    "validate": "invitepack.cli.lint",
    "rules": "invitepack.cli.explain",
    "plugins": "invitepack.cli.explain",
    "render": "invitepack.cli.render",
    "catalogue": "invitepack.cli.catalogue",
    "lsp": "invitepack.cli.lsp",
    "trust": "invitepack.cli.trust",
}


class LazyGroup(click.Group):
    """A group that imports a command's module when the command is looked up."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            import importlib

            importlib.import_module(LAZY_COMMANDS[cmd_name])
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="invitepack")
@click.option(
    "--debug", is_flag=True, help="Show full tracebacks for internal errors and failing plugins."
)
def cli(debug: bool) -> None:
    """Courteous, explained LinkedIn and email outreach.

    Render a note from a scenario template, check hand-written notes, and validate a
    team's template pack (also as a pre-commit hook).

    \b
    Start here:
      invitepack list                          the scenarios and channels
      invitepack show seeking-work             what a template needs, and an example
      invitepack render seeking-work --help    the variables to fill in
      invitepack render seeking-work --name Ada --field "data engineering" ...
    """
    click.get_current_context().meta[_DEBUG] = debug


_DEBUG = "invitepack.debug"


def debugging() -> bool:
    """Was --debug given (or INVITEPACK_DEBUG set)?"""
    import os

    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get(_DEBUG)) or bool(os.environ.get("INVITEPACK_DEBUG"))


def echo_error(problem: object) -> None:
    """An error on stderr; with --debug, a failing plugin's traceback follows it."""
    from invitepack.cli.judging import echo_error as echo_problem

    echo_problem(click.echo, problem, debugging())
