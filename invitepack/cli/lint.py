"""Commands that judge: `check` notes, `validate` packs; `rules` and `plugins` explain them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from invitepack.cli.app import (
    CONTEXT,
    EXIT_CLEAN,
    cli,
    config_options,
    format_option,
    pack_option,
    with_options,
    workspace_for,
)
from invitepack.output.report import REPORTERS
from invitepack.pack.channels import ACCOUNT_TIERS
from invitepack.severities import SEVERITIES

if TYPE_CHECKING:
    from collections.abc import Iterator

    from invitepack.checks.findings import Rule
    from invitepack.checks.plugins import Plugins
    from invitepack.checks.results import Outcome
    from invitepack.checks.verdict import Model
    from invitepack.pack.workspace import Workspace
    from invitepack.render.message import Message

lint_options = [
    click.option(
        "--output-format",
        "--format",  # the alias every command accepts
        "output_format",
        type=click.Choice(list(REPORTERS)),
        default="concise",
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
]


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _lint_workspace(
    pack: str | None,
    config: Path | None,
    isolated: bool,
    account: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_level: str | None,
) -> Workspace:
    """A workspace whose config has the command line's rule selection applied over it."""
    from dataclasses import replace

    workspace = workspace_for(pack, config, isolated, account)
    changes: dict[str, Any] = {}
    if select:
        changes["select"] = _split(select)
    if ignore:
        changes["ignore"] = _split(ignore)
    if fail_level:
        changes["fail_level"] = fail_level
    workspace.config = replace(workspace.config, **changes)
    return workspace


def _report(outcome: Outcome, output_format: str, exit_zero: bool) -> int:
    from invitepack.output.report import REPORTERS, summary

    reporter = REPORTERS[output_format]
    text = reporter.render(outcome)
    if text:
        click.echo(text)
    for problem in (*outcome.failures, *outcome.errors):
        click.echo(f"invitepack: error: {problem}", err=True)
    if reporter.for_people:
        click.echo(summary(outcome), err=True)
    return outcome.exit_code(exit_zero)


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, metavar="[FILE]... | -")
@click.option(
    "--scenario",
    help="What the note is for (e.g. candidate-approach): scenario rules apply. Default: unknown.",
)
@click.option(
    "--channel",
    default="linkedin-invite",
    show_default=True,
    help="Where it will be sent: linkedin-invite, linkedin-message, linkedin-inmail, email.",
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
    (`invitepack rules` shows the weights). Silence means every note is fit to send.

    Exit codes: 0 every note fit to send; 1 a note to revise (or a finding at or above
    --fail-level); 2 usage, input or plugin errors; 3 an internal error.
    """
    from invitepack.checks.checker import check_notes
    from invitepack.pack.channels import get_channel
    from invitepack.pack.textfile import read_note
    from invitepack.render.message import Message

    if not files:
        if sys.stdin.isatty():
            raise click.UsageError("give note files, or `-` and pipe a note in (see --help)")
        files = ("-",)
    workspace = _lint_workspace(pack, config, isolated, account, select, ignore, fail_level)
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

    return _report(check_notes(workspace, notes()), output_format, exit_zero)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@pack_option
@click.option(
    "--account",
    type=click.Choice(ACCOUNT_TIERS),
    help="Account tier the examples are checked for. Default: config, else free.",
)
@with_options(lint_options)
def validate(
    paths: tuple[Path, ...],
    pack: str | None,
    account: str | None,
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

    Each rendered example gets a verdict, send or revise, as `check` gives a note.

    Exit codes: 0 clean; 1 an example to revise, or a finding at or above --fail-level;
    2 usage, input or plugin errors; 3 an internal error.
    """
    from invitepack.checks.validate import validate as run_validate
    from invitepack.pack.manifest import locate_pack

    if paths and pack is None:
        pack = str(locate_pack(None, paths[0].resolve().parent))
    workspace = _lint_workspace(pack, config, isolated, account, select, ignore, fail_level)
    outcome = run_validate(workspace, [p.resolve() for p in paths] if paths else None)
    return _report(outcome, output_format, exit_zero)


def _verdict_scale(model: Model) -> str:
    return (
        f" (a note starts at {model.bias:+.2f}, adds the weights of the rules it breaks, and is "
        f"to revise at {model.threshold:+.2f})\n"
    )


def _plugins_here(pack: str | None, config: Path | None, isolated: bool) -> Plugins:
    from invitepack.checks.checker import notes_checker

    return notes_checker(workspace_for(pack, config, isolated)).plugins


@cli.command(context_settings=CONTEXT)
@click.argument("rule", required=False, metavar="[CODE|NAME]")
@pack_option
@format_option
@with_options(config_options)
def rules(rule: str | None, pack: str | None, fmt: str, config: Path | None, isolated: bool) -> int:
    """List the rules, or explain one: code, name, severity, and why it matters.

    WEIGHT says how a message rule moves a note's verdict: "hard" (an error: the note is to
    revise), a weight added to the note's score (revise when the score reaches 0), or
    "advice" (reported, weighs nothing). Template rules judge templates, not notes.
    """
    from invitepack.checks.selection import matches
    from invitepack.checks.verdict import shipped_model, weight_of
    from invitepack.output.textout import table

    plugins = _plugins_here(pack, config, isolated)
    known = sorted(plugins.rules.values(), key=lambda pair: pair[0].code)

    def weight(r: Rule) -> str:
        return weight_of(r.severity, r.name) if r.scope == "message" else "-"

    if rule is not None:
        everything = known
        known = [(r, p) for r, p in known if matches(rule, r)]
        if not known:
            from invitepack.pack.names import unknown

            names = [n for r, _ in everything for n in (r.code, r.name)]
            raise unknown("rule", rule, names, listing="run `invitepack rules` to list them")
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "rules": [
                        {
                            "code": r.code,
                            "name": r.name,
                            "severity": r.severity,
                            "scope": r.scope,
                            "weight": weight(r),
                            "plugin": p,
                            "summary": r.summary,
                            "rationale": r.rationale,
                            "hint": r.hint,
                        }
                        for r, p in known
                    ]
                },
                indent=2,
            )
        )
    elif rule is not None:
        import textwrap

        for r, p in known:
            click.echo(
                f"{r.code} {r.name} ({r.severity}, {r.scope} rule, from "
                f"{p})\n\n{r.summary}\n\n{textwrap.fill(r.rationale, 88)}\n\nFix: "
                f"{r.hint}\n\nWeight in the verdict: {weight(r)}"
                + (_verdict_scale(shipped_model()) if r.scope == "message" else "\n")
            )
    else:
        click.echo(
            table(
                ["CODE", "NAME", "SEVERITY", "WEIGHT", "SCOPE", "PLUGIN", "SUMMARY"],
                [[r.code, r.name, r.severity, weight(r), r.scope, p, r.summary] for r, p in known],
                max_width=70,
            )
        )
    return EXIT_CLEAN


@cli.command(context_settings=CONTEXT)
@click.option("--hooks", is_flag=True, help="Document the hooks a plugin can implement, instead.")
@pack_option
@format_option
@with_options(config_options)
def plugins(hooks: bool, pack: str | None, fmt: str, config: Path | None, isolated: bool) -> int:
    """List the checker plugins: name, version, source (built-in, entry point, file) and rules.

    Plugins come from three places, in this order: invitepack's built-in rules, installed
    distributions with an `invitepack` entry point, and the local files a pack lists under
    `plugins:` in pack.yaml. Set INVITEPACK_TRACE_PLUGINS=1 to trace every hook call, and
    INVITEPACK_NO_ENTRY_POINTS=1 (or disable-entry-points in the config) to skip installed ones.
    """
    if hooks:
        import inspect

        from invitepack.checks import hookspecs

        for name, func in inspect.getmembers(hookspecs, inspect.isfunction):
            if name.startswith("invitepack_"):
                click.echo(f"{name}{inspect.signature(func)}\n{inspect.getdoc(func)}\n")
        return EXIT_CLEAN
    found = _plugins_here(pack, config, isolated)
    infos = list(found.infos.values())
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "plugins": [
                        {
                            "name": i.name,
                            "version": i.version,
                            "source": i.source,
                            "location": i.location,
                            "rules": [r.code for r in i.rules],
                        }
                        for i in infos
                    ]
                },
                indent=2,
            )
        )
        return EXIT_CLEAN
    from invitepack.output.textout import table

    click.echo(
        table(
            ["NAME", "VERSION", "SOURCE", "RULES", "LOCATION"],
            [
                [i.name, i.version, i.source, " ".join(r.code for r in i.rules) or "-", i.location]
                for i in infos
            ],
            max_width=60,
        )
    )
    return EXIT_CLEAN
