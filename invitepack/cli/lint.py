"""Commands that judge: `check` notes, `validate` packs (cli/explain.py explains the rules)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from invitepack.cli.app import (
    CONTEXT,
    channel_option,
    cli,
    config_options,
    debugging,
    pack_option,
    trust_option,
    trusted_by_command_line,
    with_options,
)
from invitepack.cli.judging import (
    DEFAULT_CHANNEL,
    DEFAULT_OUTPUT_FORMAT,
    check_files,
    lint_workspace,
    report,
)
from invitepack.output.report import REPORTERS
from invitepack.pack.channels import ACCOUNT_TIERS
from invitepack.severities import SEVERITIES

if TYPE_CHECKING:
    from invitepack.checks.results import Outcome
    from invitepack.pack.workspace import Workspace

lint_options = [
    click.option(
        "--output-format",
        "--format",  # the alias every command accepts
        "output_format",
        type=click.Choice(list(REPORTERS)),
        default=DEFAULT_OUTPUT_FORMAT,
        show_default=True,
        help="How to print findings.",
    ),
    click.option(
        "--select",
        multiple=True,
        metavar="RULES",
        help="Only these rules: codes (IP301), prefixes (IP3) or names (sales-pitch); "
        "comma-separated or repeated.",
    ),
    click.option(
        "--ignore",
        multiple=True,
        metavar="RULES",
        help="Skip these rules (same forms as --select).",
    ),
    click.option(
        "--fail-level",
        type=click.Choice(SEVERITIES),
        help="Also fail (exit 1) on any finding at or above this severity, whatever the "
        "verdict. Default: config, else error.",
    ),
    click.option(
        "--exit-zero",
        is_flag=True,
        help="Exit 0 even when a note is to revise (errors still exit 2).",
    ),
    *config_options,
    trust_option,
]


def _lint_workspace(
    pack: str | None,
    config: Path | None,
    isolated: bool,
    account: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_level: str | None,
) -> Workspace:
    return lint_workspace(
        pack, config, isolated, account, select, ignore, fail_level, trusted_by_command_line()
    )


def _report(outcome: Outcome, output_format: str, exit_zero: bool) -> int:
    return report(outcome, output_format, exit_zero, click.echo, debugging())


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, metavar="[FILE]... | -")
@click.option(
    "--scenario",
    help="What the note is for (e.g. candidate-approach): scenario rules apply. Default: unknown.",
)
@channel_option(
    "--channel",
    default=DEFAULT_CHANNEL,
    show_default=True,
    help="Where it will be sent: {channels}.",
)
@click.option(
    "--account",
    type=click.Choice(ACCOUNT_TIERS),
    help="LinkedIn account tier (note limit 200 or 300). Default: config, else free.",
)
@pack_option
@with_options(lint_options)
def check(
    files: tuple[str, ...],
    scenario: str | None,
    channel: str,
    account: str | None,
    pack: str | None,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_level: str | None,
    exit_zero: bool,
    config: Path | None,
    isolated: bool,
) -> int:
    """Check hand-written notes the way a thoughtful recipient would.

    Each FILE holds one note; `-` (or no FILE, with input piped in) reads one note from
    stdin. A first line `Subject: ...` is taken as the subject (email, InMail).

    \b
    Examples:
      printf "Hi Sam, ..." | invitepack check -
      invitepack check --scenario candidate-approach --channel linkedin-inmail note.txt
      invitepack check notes/*.txt --output-format json

    Each note gets a verdict, send or revise, with the reasons and what each weighed
    (`invitepack rules` shows the weights). Silence means every note is fit to send. A
    verdict near the threshold says "(close call)": there the checker is wrong about as
    often as right, so read the note yourself (the exit code is the same).

    Exit codes: 0 every note fit to send; 1 a note to revise (or a finding at or above
    --fail-level); 2 usage, input or plugin errors; 3 an internal error.
    """
    if not files:
        if sys.stdin.isatty():
            raise click.UsageError("give note files, or `-` and pipe a note in (see --help)")
        files = ("-",)
    workspace = _lint_workspace(pack, config, isolated, account, select, ignore, fail_level)
    return _report(check_files(workspace, files, channel, scenario), output_format, exit_zero)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@pack_option
@click.option(
    "--account",
    type=click.Choice(ACCOUNT_TIERS),
    help="Account tier the examples are checked for. Default: config, else free.",
)
@click.option(
    "--base",
    metavar="REF",
    envvar="INVITEPACK_BASE",
    help="Compare templates with this git commit for version bumps (e.g. a pull request's "
    "merge base) instead of HEAD. Also INVITEPACK_BASE, which runs given PATHS ignore.",
)
@with_options(lint_options)
def validate(
    paths: tuple[Path, ...],
    pack: str | None,
    account: str | None,
    base: str | None,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_level: str | None,
    exit_zero: bool,
    config: Path | None,
    isolated: bool,
) -> int:
    """Validate a pack, or some of its template files.

    Checks pack.yaml and every template's front matter against the schemas, the Jinja2
    syntax and sandbox safety, declared against used variables, the examples against the
    variables schema, and proves each note fits its channel with every variable at its
    longest. Then it renders every example and runs every message rule on the result.

    With PATHS (as the pre-commit hook passes changed files) only those templates are
    checked, and pack-wide rules (duplicate ids, version bumps) are skipped: run it
    without PATHS, or the invitepack-validate-pack hook, for those.

    Version bumps: each template is compared with the last commit (HEAD), or with --base
    REF. In CI, after a commit made with --no-verify, or for a pull request, pass the
    merge base: `--base "$(git merge-base origin/main HEAD)"` (the clone needs that
    history: fetch-depth 0). When there is nothing to compare with (not a git repository,
    no commits yet) validate says so on stderr; a --base it cannot read is an error.

    Each rendered example gets a verdict, send or revise, as `check` gives a note.

    Exit codes: 0 clean; 1 an example to revise, or a finding at or above --fail-level;
    2 usage, input or plugin errors; 3 an internal error.
    """
    from invitepack.checks.validate import validate as run_validate
    from invitepack.pack.manifest import locate_pack

    if paths and base is not None:
        source = click.get_current_context().get_parameter_source("base")
        if source is click.core.ParameterSource.ENVIRONMENT:
            base = None  # INVITEPACK_BASE is for whole-pack runs; the per-file hook skips it
        else:
            raise click.UsageError(
                "--base compares a whole pack with a commit: give no PATHS (the "
                "invitepack-validate-pack hook runs that way)"
            )
    if paths and pack is None:
        pack = str(locate_pack(None, paths[0].resolve().parent))
    workspace = _lint_workspace(pack, config, isolated, account, select, ignore, fail_level)
    outcome = run_validate(workspace, [p.resolve() for p in paths] if paths else None, base)
    return _report(outcome, output_format, exit_zero)
