"""`invitepack render`: one note, or a batch from a data file (`--data`)."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from invitepack.cli.app import (
    CONTEXT,
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    cli,
    config_options,
    echo_error,
    pack_option,
    trust_option,
    trusted_by_command_line,
    with_options,
    workspace_for,
)
from invitepack.cli.style import SEVERITY_COLOURS, budget_colour, paint, say, verdict_colour
from invitepack.errors import printable
from invitepack.pack.channels import ACCOUNT_TIERS

if TYPE_CHECKING:
    from invitepack.checks.results import Outcome
    from invitepack.checks.verdict import Verdict
    from invitepack.pack.template import Template
    from invitepack.pack.workspace import Workspace


def _variable_option(var: str, spec: dict[str, Any], required: bool) -> click.Option:
    """A template variable as an option (`--why-you`), with its description in --help."""
    from invitepack.render.values import option_name

    notes = ["required" if required else "optional"]
    if "maxLength" in spec:
        notes.append(f"written for up to {spec['maxLength']} characters")
    if spec.get("examples"):
        notes.append(f"e.g. {spec['examples'][0]!r}")
    return click.Option(
        [option_name(var), f"value_{var}"],
        metavar="TEXT",
        help=f"{spec.get('description', '')} [{'; '.join(notes)}]",
    )


class TemplateCommand(click.Command):
    """`render` for one template: render's own options plus one per variable, and the
    workspace and template it was resolved with (given to the callback, not stashed)."""

    def __init__(self, base: click.Command, workspace: Workspace, template: Template):
        assert base.callback is not None
        properties = template.variables.get("properties", {})
        required = set(template.required)
        super().__init__(
            base.name,
            context_settings=base.context_settings,
            callback=functools.partial(base.callback, resolved=(workspace, template)),
            params=[
                *base.params,
                *(_variable_option(v, spec, v in required) for v, spec in properties.items()),
            ],
            help=base.help,
            epilog=base.epilog,
            short_help=base.short_help,
            options_metavar=base.options_metavar,
        )
        self.template = template

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Variables get a section of their own, under the template's id."""
        names = {f"value_{v}" for v in self.template.variables.get("properties", {})}
        rows = [(p.name in names, p.get_help_record(ctx)) for p in self.get_params(ctx)]
        for title, is_variable in (("Options", False), (f"Variables of {self.template.id}", True)):
            records = [r for v, r in rows if v == is_variable and r]
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


class RenderCommand(click.Command):
    """`render`, whose options include one per variable of the chosen template.

    click parses the command line; nothing here splits it by hand. A first, resilient pass
    (unknown options allowed) reads --pack, --config and --isolated; with the pack loaded, a
    second pass that knows every variable of the pack as an option (each takes a value)
    reads SCENARIO_OR_ID, --channel, --account and --variant. The template they name gets a
    command of its own (TemplateCommand), which parses the line for real, so a misspelled
    variable is click's own "no such option" with its suggestion."""

    def _probe(
        self, info_name: str | None, args: list[str], parent: click.Context | None, extra: list[str]
    ) -> dict[str, Any]:
        params: list[click.Parameter] = [*self.params]
        params += [click.Option([f"--{name}"], expose_value=False) for name in extra]
        probe = click.Command(info_name, params=params, add_help_option=False)
        ctx = probe.make_context(
            info_name,
            list(args),
            parent=parent,
            resilient_parsing=True,
            ignore_unknown_options=True,
            allow_extra_args=True,
        )
        return ctx.params

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        from invitepack.render.values import option_name

        try:
            found = self._probe(info_name, args, parent, [])
        except click.ClickException:
            found = {}
        name = found.get("scenario_or_id")
        if not name:
            # No template named: click reports the missing argument, or shows the help.
            return super().make_context(info_name, args, parent, **extra)
        workspace = workspace_for(
            found.get("pack"), found.get("config"), bool(found.get("isolated"))
        )
        variables = {
            option_name(v)[2:]
            for t in workspace.pack.templates.values()
            for v in t.variables.get("properties", {})
        }
        try:
            found = self._probe(info_name, args, parent, sorted(variables))
        except click.ClickException:
            return super().make_context(info_name, args, parent, **extra)
        name = found.get("scenario_or_id")
        if not name or name.startswith("-"):
            # An unknown option stood before the name: the real parse reports it.
            return super().make_context(info_name, args, parent, **extra)
        # --account premium picks a scenario's premium variant, where it has one.
        account = found.get("account") or workspace.config.account
        template = workspace.pack.find(name, found.get("channel"), account, found.get("variant"))
        return TemplateCommand(self, workspace, template).make_context(
            info_name, args, parent, **extra
        )


@cli.command(cls=RenderCommand, context_settings=CONTEXT)
@click.argument("scenario_or_id", metavar="SCENARIO_OR_ID")
@pack_option
@click.option(
    "--channel",
    help="Channel for a scenario: linkedin-invite (default), linkedin-message, "
    "linkedin-inmail, email.",
)
@click.option(
    "--account",
    type=click.Choice(ACCOUNT_TIERS),
    help="LinkedIn account tier: free notes allow 200 characters, premium 300. Default: "
    "config, else free.",
)
@click.option(
    "--variant",
    metavar="NAME",
    help="A scenario's variant: brief, warm, premium, ... (`invitepack list` shows them).",
)
@click.option(
    "--var",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Set a variable (repeatable); same as --KEY VALUE.",
)
@click.option(
    "--vars-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML or JSON file with a mapping of variable values.",
)
@click.option(
    "--example",
    type=click.IntRange(min=1),
    help="Start from the template's Nth example values (1-based); options given override them.",
)
@click.option(
    "--output-format",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "eml"]),
    default="text",
    show_default=True,
    help="Output format; eml (RFC 5322 email files) with --data --out only.",
)
@click.option(
    "--data",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Batch: a .csv, .jsonl or .yaml file with one person per row; columns are variables.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Batch: write one file per row into this folder.",
)
@click.option(
    "--jsonl",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Batch: write every row's note into this JSON Lines file.",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=VARIABLE",
    help="Batch: read a variable from a differently named column (repeatable).",
)
@click.option(
    "--id-column",
    metavar="COLUMN",
    help="Batch: name files and report rows by this column (made safe for file names).",
)
@click.option(
    "--to-column",
    metavar="COLUMN",
    help="Batch, eml: the column with the recipient's email address.",
)
@click.option("--from", "sender", metavar="ADDRESS", help="Batch, eml: the From address.")
@click.option(
    "--encoding", default="utf-8", show_default=True, help="Batch: the data file's encoding."
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Batch: write the rows that pass and skip the ones that fail (which are still "
    "reported, exit 1). Without it a failing row means nothing is written.",
)
@click.option("--force", is_flag=True, help="Batch: replace existing output files.")
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    metavar="N",
    help="Batch: render and check rows in N worker processes (0: one per CPU). The output "
    "is the same as with one, byte for byte; faster on thousands of rows with CPUs to "
    "spare. With installed or local plugins it runs in one.",
)
@click.option(
    "--no-input",
    is_flag=True,
    help="Never ask for missing values (on a terminal, render asks for each one).",
)
@with_options([*config_options, trust_option])
def render(
    scenario_or_id: str,
    pack: str | None,
    channel: str | None,
    account: str | None,
    variant: str | None,
    pairs: tuple[str, ...],
    vars_file: Path | None,
    example: int | None,
    fmt: str,
    data: Path | None,
    out_dir: Path | None,
    jsonl: Path | None,
    maps: tuple[str, ...],
    id_column: str | None,
    to_column: str | None,
    sender: str | None,
    encoding: str,
    skip_invalid: bool,
    force: bool,
    jobs: int,
    no_input: bool,
    config: Path | None,
    isolated: bool,
    resolved: tuple[Workspace, Template] | None = None,
    **variables: str | None,
) -> int:
    """Render a note from a template, ready to paste.

    SCENARIO_OR_ID is a scenario (seeking-work, offering-skills, genuine-networking,
    candidate-approach, ...) or a full template id. The note goes to stdout; a line with
    the channel budget goes to stderr.

    Each of the template's variables is an option: see them with
    `invitepack render SCENARIO --help`. A value is used as plain text, never as a template.

    \b
    Batch: --data people.csv --out notes/ renders, validates and checks one note per row.
    Rows that fail are reported by row number and id (never their values) and nothing is
    written unless every row passes (or --skip-invalid). Options given for variables apply
    to every row; a row's own values win. Existing files are never replaced without --force.

    The rendered note is also checked by the rules; what they find is printed on stderr.

    Exit codes: 0 rendered within the channel limit and clean (every row passed), 1 over
    the limit or a finding at the fail level (a row failed), 2 a missing or invalid
    variable, an unknown scenario, a broken template or unusable data.
    """
    from invitepack.checks.checker import check_notes
    from invitepack.output.report import finding_dict
    from invitepack.pack.channels import get_channel
    from invitepack.render.budget import measure
    from invitepack.render.given import GivenValues, gather_values
    from invitepack.render.renderer import Renderer

    if resolved is None:  # RenderCommand resolves the template before this runs
        raise click.UsageError(f"no template or scenario named {scenario_or_id!r}")
    workspace, template = resolved
    # The workspace was made before click parsed the options (see RenderCommand.parse_args).
    workspace.trust_local_plugins = workspace.trust_local_plugins or trusted_by_command_line()
    account = account or workspace.account  # the command line's, else the config's
    given = GivenValues(
        example=example,
        vars_file=vars_file,
        pairs=pairs,
        options={k.removeprefix("value_"): v for k, v in variables.items() if v is not None},
    )
    values = gather_values(template, given, workspace.config.limits.max_file_bytes)
    from invitepack.cli.prompts import ask_missing, can_ask
    from invitepack.render.asking import questions

    asked = (
        data is None and fmt == "text" and can_ask(no_input) and bool(questions(template, values))
    )
    if asked:
        values = ask_missing(workspace, template, values, account)
    if data is not None:
        return _render_batch(
            workspace,
            template,
            data,
            values,
            account=account,
            out_dir=out_dir,
            jsonl=jsonl,
            maps=maps,
            id_column=id_column,
            to_column=to_column,
            sender=sender,
            encoding=encoding,
            skip_invalid=skip_invalid,
            force=force,
            fmt=fmt,
            jobs=jobs,
        )
    if out_dir or jsonl or fmt == "eml":
        raise click.UsageError("--out, --jsonl and --format eml go with --data FILE")
    target = get_channel(workspace.channels, template.channel, template.location("channel"))
    message = Renderer.for_workspace(workspace).render(template, values, account=account)
    budget = measure(message, target)
    outcome = check_notes(workspace, [message])
    verdict = outcome.verdicts[0].verdict
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "id": template.id,
                    "scenario": template.scenario,
                    "channel": template.channel,
                    "account": account,
                    "subject": message.subject,
                    "body": message.body,
                    "length": budget.length,
                    "limit": budget.limit,
                    "over_by": budget.over_by,
                    "verdict": verdict.as_dict(),
                    "findings": [finding_dict(f) for f in outcome.findings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif budget.over_by or budget.subject_over_by:
        # A note that can't be sent is refused, not printed: pasting it would fail anyway.
        say(paint(budget.describe(), "red"))
        what = "note" if budget.over_by else "subject"
        over = budget.over_by or budget.subject_over_by
        tier = f" ({account} account)" if target.is_invite else ""
        click.echo(
            f"invitepack: error: the {what} is {over} character{'s' * (over != 1)} too long"
            f" for {target.id}{tier}; nothing was printed",
            err=True,
        )
        click.echo(f"  hint: {_shorter(workspace, template, account)}", err=True)
    else:
        if message.subject is not None:
            click.echo(f"Subject: {message.subject}\n")
        click.echo(message.body)
        say(paint(budget.describe(), budget_colour(budget.length, budget.limit)))
        _advise(outcome, verdict, always=asked)
        if asked:
            from invitepack.render.asking import command_line

            again = command_line(
                template, values, account=account if account != "free" else None, pack=pack
            )
            say(f"to render it again without questions:\n  {again}")
    return outcome.exit_code()


def _shorter(workspace: Workspace, template: Template, account: str) -> str:
    """What to try when a note is over its limit: shorter values, the scenario's brief
    variant, and the premium account's room if the user is on a free one."""
    siblings = [
        t
        for t in workspace.pack.templates.values()
        if t.scenario == template.scenario and t.channel == template.channel and t.id != template.id
    ]
    tips = ["shorten the longest value"]
    tips += [f"try {t.id}" for t in sorted(siblings, key=lambda t: t.id) if t.variant == "brief"]
    if account == "free":
        roomier = [t.id for t in siblings if t.account == "premium"]
        uses = f" (it uses {roomier[0]})" if roomier else ""
        tips.append(f"on a premium account, --account premium{uses}")
    return ", or ".join(tips)


def _advise(outcome: Outcome, verdict: Verdict, always: bool = False) -> None:
    """What the rules make of the rendered note, on stderr (length is already on the budget
    line), then its verdict unless it is a clean "send" (`always`: even then)."""
    from invitepack.checks.rules.length import NEAR_LIMIT, OVER_LIMIT

    for finding in outcome.findings:
        if finding.code not in (OVER_LIMIT.code, NEAR_LIMIT.code):
            severity = paint(f"[{finding.severity}]", SEVERITY_COLOURS.get(finding.severity))
            say(f"{finding.code} {severity} {finding.name}: {printable(finding.message)}")
    for failure in outcome.failures:
        echo_error(failure)
    if always or verdict.reasons or verdict.revise:
        say(paint(f"verdict {verdict.describe()}", verdict_colour(verdict.revise), bold=True))


def _render_batch(
    workspace: Any,
    template: Any,
    data: Path,
    defaults: dict[str, Any],
    *,
    account: str,
    out_dir: Path | None,
    jsonl: Path | None,
    maps: tuple[str, ...],
    id_column: str | None,
    to_column: str | None,
    sender: str | None,
    encoding: str,
    skip_invalid: bool,
    force: bool,
    fmt: str,
    jobs: int,
) -> int:
    """`render --data`: the CLI side of invitepack.output.batch (options, progress bar, summary)."""
    from invitepack.checks.checker import notes_checker
    from invitepack.output.batch import Batch, BatchOptions
    from invitepack.output.rows import RowSource
    from invitepack.output.workers import cpu_count
    from invitepack.render.given import split_pairs, variable_key
    from invitepack.render.renderer import Renderer

    if (out_dir is None) == (jsonl is None):
        raise click.UsageError("batch mode needs exactly one of --out DIR or --jsonl FILE")
    if fmt == "eml" and out_dir is None:
        raise click.UsageError("--format eml writes one .eml file per row: use --out DIR")
    if fmt == "json":
        raise click.UsageError("for JSON output in batch mode use --jsonl FILE")
    mapping = {
        column: variable_key(variable)
        for column, variable in split_pairs(maps, "--map", "COLUMN=VARIABLE").items()
    }
    if not all(mapping.values()):
        raise click.BadParameter("give COLUMN=VARIABLE", param_hint="--map")
    source = RowSource(data, encoding=encoding, mapping=mapping, id_column=id_column)
    checker = notes_checker(workspace)
    options = BatchOptions(
        out_dir=out_dir,
        jsonl=jsonl,
        fmt=fmt,
        force=force,
        skip_invalid=skip_invalid,
        to_column=to_column,
        sender=sender,
        account=account,
        jobs=jobs or cpu_count(),
    )
    batch = Batch(
        template,
        Renderer.for_workspace(workspace),
        checker,
        options,
        report=lambda line: click.echo(printable(line), err=True),
        defaults=defaults,
    )
    total = batch.scan(source)
    if sys.stderr.isatty() and total >= 1000:
        with click.progressbar(length=total, label="rendering", file=sys.stderr) as bar:
            result = batch.run(source, total, on_row=lambda: bar.update(1))
    else:
        result = batch.run(source, total)
    for failure in result.outcome.failures:
        echo_error(failure)
    target = out_dir or jsonl
    if result.outcome.failures:
        click.echo(
            f"{len(result.outcome.failures)} plugin error(s): nothing was written.", err=True
        )
        return EXIT_ERROR
    if result.failed and not skip_invalid:
        click.echo(
            f"{result.failed} of {result.total} rows failed: nothing was written (fix "
            f"them, or pass --skip-invalid to write the {result.total - result.failed} "
            "that pass).",
            err=True,
        )
        return EXIT_FINDINGS
    click.echo(
        f"{result.written} of {result.total} rows written to {target}"
        + (f"; {result.failed} failed and were skipped." if result.failed else "."),
        err=True,
    )
    return EXIT_FINDINGS if result.failed else EXIT_CLEAN
