"""The command line: parses options, calls the library, maps outcomes to exit codes.

Exit codes: 0 clean, 1 findings (or a note over its limit), 2 usage, input or plugin errors.
Heavy modules are imported inside commands so that `check` on every commit starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from collections.abc import Callable
from typing import Any, TypeVar

import click

from invitepack import __version__
from invitepack.errors import InvitepackError, LoadError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _workspace(pack: str | None, config: Path | None = None, isolated: bool = False, account: str | None = None):  # type: ignore[no-untyped-def]
    from invitepack.workspace import Workspace

    return Workspace(pack_spec=pack, config_path=config, isolated=isolated, account_override=account)


pack_option = click.option(
    "--pack",
    metavar="PATH|builtin",
    help="The pack to use: a folder with pack.yaml, or 'builtin'. Default: the nearest pack.yaml "
    "from the current folder upwards, else the built-in pack.",
)
config_options = [
    click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False), help="Use this config file (invitepack.toml or pyproject.toml)."),
    click.option("--isolated", is_flag=True, help="Ignore every config file."),
]
format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)


F = TypeVar("F", bound=Callable[..., Any])


def _apply(options: list[Callable[[F], F]]) -> Callable[[F], F]:
    """Apply a shared list of click options to a command."""

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="invitepack")
@click.option("--debug", is_flag=True, help="Show full tracebacks for internal errors.")
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


# --- render ---------------------------------------------------------------------------

_RENDER_VALUE_OPTIONS = {"--pack", "--channel", "--account", "--var", "--vars-file", "--example", "--format", "--config"}


def _template_argument(args: list[str]) -> tuple[str | None, dict[str, str]]:
    """Find the SCENARIO_OR_ID argument and --pack/--channel before click parses, so the
    template's own variables can become options. Every --option takes a value except flags."""
    found: dict[str, str] = {}
    name = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            break
        if arg.startswith("-") and arg not in ("-h", "--help", "--isolated"):
            key, eq, value = arg.partition("=")
            if not eq and i + 1 < len(args):
                value = args[i + 1]
                i += 1
            if key in ("--pack", "--channel"):
                found[key] = value
        elif not arg.startswith("-") and name is None:
            name = arg
        i += 1
    return name, found


class RenderCommand(click.Command):
    """`render`, whose options include one per variable of the chosen template."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        name, found = _template_argument(args)
        ctx.meta["invitepack.template"] = None
        if name is not None:
            workspace = _workspace(found.get("--pack"))
            template = workspace.pack.find(name, found.get("--channel"))
            ctx.meta["invitepack.workspace"] = workspace
            ctx.meta["invitepack.template"] = template
        return super().parse_args(ctx, args)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        from invitepack.values import option_name

        params = super().get_params(ctx)
        template = ctx.meta.get("invitepack.template")
        if template is None:
            return params
        required = set(template.required)
        extra = []
        for var, spec in template.variables.get("properties", {}).items():
            notes = ["required" if var in required else "optional"]
            if "maxLength" in spec:
                notes.append(f"at most {spec['maxLength']} characters")
            if spec.get("examples"):
                notes.append(f"e.g. {spec['examples'][0]!r}")
            extra.append(
                click.Option(
                    [option_name(var), f"value_{var}"],
                    metavar="TEXT",
                    help=f"{spec.get('description', '')} [{'; '.join(notes)}]",
                )
            )
        # The help option stays last.
        return params[:-1] + extra + params[-1:]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Variables get a section of their own, under the template's id."""
        template = ctx.meta.get("invitepack.template")
        names = {f"value_{v}" for v in template.variables.get("properties", {})} if template else set()
        rows = [(p.name in names, p.get_help_record(ctx)) for p in self.get_params(ctx)]
        for title, is_variable in (("Options", False), (f"Variables of {template.id if template else ''}", True)):
            records = [r for v, r in rows if v == is_variable and r]
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


@cli.command(cls=RenderCommand, context_settings=CONTEXT)
@click.argument("scenario_or_id", metavar="SCENARIO_OR_ID")
@pack_option
@click.option("--channel", help="Channel for a scenario: linkedin-invite (default), linkedin-message, linkedin-inmail, email.")
@click.option("--account", type=click.Choice(["free", "premium"]), help="LinkedIn account tier: free notes allow 200 characters, premium 300. Default: config, else free.")
@click.option("--var", "pairs", multiple=True, metavar="KEY=VALUE", help="Set a variable (repeatable); same as --KEY VALUE.")
@click.option("--vars-file", type=click.Path(path_type=Path, dir_okay=False), help="YAML or JSON file with a mapping of variable values.")
@click.option("--example", type=click.IntRange(min=1), help="Start from the template's Nth example values (1-based); options given override them.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "eml"]), default="text", show_default=True, help="Output format; eml (RFC 5322 email files) with --data --out only.")
@click.option("--data", type=click.Path(path_type=Path, dir_okay=False), help="Batch: a .csv, .jsonl or .yaml file with one person per row; columns are variables.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="Batch: write one file per row into this folder.")
@click.option("--jsonl", type=click.Path(path_type=Path, dir_okay=False), help="Batch: write every row's note into this JSON Lines file.")
@click.option("--map", "maps", multiple=True, metavar="COLUMN=VARIABLE", help="Batch: read a variable from a differently named column (repeatable).")
@click.option("--id-column", metavar="COLUMN", help="Batch: name files and report rows by this column (made safe for file names).")
@click.option("--to-column", metavar="COLUMN", help="Batch, eml: the column with the recipient's email address.")
@click.option("--from", "sender", metavar="ADDRESS", help="Batch, eml: the From address.")
@click.option("--encoding", default="utf-8", show_default=True, help="Batch: the data file's encoding.")
@click.option("--skip-invalid", is_flag=True, help="Batch: write the rows that pass and skip the ones that fail (which are still reported, exit 1). Without it a failing row means nothing is written.")
@click.option("--force", is_flag=True, help="Batch: replace existing output files.")
@_apply(config_options)
def render(scenario_or_id: str, pack: str | None, channel: str | None, account: str | None, pairs: tuple[str, ...], vars_file: Path | None, example: int | None, fmt: str, data: Path | None, out_dir: Path | None, jsonl: Path | None, maps: tuple[str, ...], id_column: str | None, to_column: str | None, sender: str | None, encoding: str, skip_invalid: bool, force: bool, config: Path | None, isolated: bool, **variables: str | None) -> int:
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

    Exit codes: 0 rendered within the channel limit (every row passed), 1 over the limit
    (a row failed), 2 a missing or invalid variable, an unknown scenario, a broken template
    or unusable data.
    """
    from invitepack.budget import measure
    from invitepack.channels import get_channel

    ctx = click.get_current_context()
    workspace = ctx.meta["invitepack.workspace"]
    workspace.account_override = account
    workspace.config_path, workspace.isolated = config, isolated
    template = ctx.meta["invitepack.template"]
    values: dict[str, Any] = {}
    if example is not None:
        if example > len(template.examples):
            raise click.BadParameter(f"{template.id} has {len(template.examples)} example(s)", param_hint="--example")
        values.update(template.examples[example - 1])
    if vars_file is not None:
        values.update(_read_vars_file(vars_file, workspace.config.limits.max_file_bytes))
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq:
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--var")
        values[key.strip().replace("-", "_")] = value
    values.update({k.removeprefix("value_"): v for k, v in variables.items() if v is not None})
    if data is not None:
        return _render_batch(workspace, template, data, values, out_dir=out_dir, jsonl=jsonl, maps=maps, id_column=id_column, to_column=to_column, sender=sender, encoding=encoding, skip_invalid=skip_invalid, force=force, fmt=fmt)
    if out_dir or jsonl or fmt == "eml":
        raise click.UsageError("--out, --jsonl and --format eml go with --data FILE")
    target = get_channel(workspace.channels, template.channel, template.location("channel"))
    message = workspace.renderer.render(template, values, account=workspace.account)
    budget = measure(message, target)
    if fmt == "json":
        click.echo(json.dumps({
            "id": template.id, "scenario": template.scenario, "channel": template.channel,
            "account": workspace.account, "subject": message.subject, "body": message.body,
            "length": budget.length, "limit": budget.limit, "over_by": budget.over_by,
        }, ensure_ascii=False, indent=2))
    else:
        if message.subject is not None:
            click.echo(f"Subject: {message.subject}\n")
        click.echo(message.body)
    click.echo(budget.describe(), err=True)
    return EXIT_FINDINGS if budget.over_by or budget.subject_over_by else EXIT_CLEAN


def _render_batch(workspace: Any, template: Any, data: Path, defaults: dict[str, Any], *, out_dir: Path | None, jsonl: Path | None, maps: tuple[str, ...], id_column: str | None, to_column: str | None, sender: str | None, encoding: str, skip_invalid: bool, force: bool, fmt: str) -> int:
    """`render --data`: the CLI side of invitepack.batch (options, progress bar, summary)."""
    from invitepack.batch import Batch, BatchOptions
    from invitepack.check import build_checker, local_plugin_files
    from invitepack.pack import manifest_data
    from invitepack.rows import RowSource

    if (out_dir is None) == (jsonl is None):
        raise click.UsageError("batch mode needs exactly one of --out DIR or --jsonl FILE")
    if fmt == "eml" and out_dir is None:
        raise click.UsageError("--format eml writes one .eml file per row: use --out DIR")
    if fmt == "json":
        raise click.UsageError("for JSON output in batch mode use --jsonl FILE")
    mapping = {}
    for pair in maps:
        column, eq, variable = pair.partition("=")
        if not eq or not column or not variable:
            raise click.BadParameter(f"{pair!r} is not COLUMN=VARIABLE", param_hint="--map")
        mapping[column.strip()] = variable.strip().replace("-", "_")
    source = RowSource(data, encoding=encoding, mapping=mapping, id_column=id_column)
    manifest = manifest_data(workspace.pack_root, workspace.config.limits) if not workspace.pack.builtin else {}
    checker = build_checker(workspace, local_plugin_files(workspace.pack_root, manifest), manifest.get("settings"))
    options = BatchOptions(out_dir=out_dir, jsonl=jsonl, fmt=fmt, force=force, skip_invalid=skip_invalid, to_column=to_column, sender=sender, account=workspace.account)
    batch = Batch(template, workspace.renderer, checker, options, report=lambda line: click.echo(line, err=True), defaults=defaults)
    total = batch.scan(source)
    if sys.stderr.isatty() and total >= 1000:
        with click.progressbar(length=total, label="rendering", file=sys.stderr) as bar:
            result = batch.run(source, total, on_row=lambda: bar.update(1))
    else:
        result = batch.run(source, total)
    for failure in result.outcome.failures:
        click.echo(f"invitepack: error: {failure}", err=True)
    target = out_dir or jsonl
    if result.outcome.failures:
        click.echo(f"{len(result.outcome.failures)} plugin error(s): nothing was written.", err=True)
        return EXIT_ERROR
    if result.failed and not skip_invalid:
        click.echo(f"{result.failed} of {result.total} rows failed: nothing was written (fix them, or pass --skip-invalid to write the {result.total - result.failed} that pass).", err=True)
        return EXIT_FINDINGS
    click.echo(f"{result.written} of {result.total} rows written to {target}" + (f"; {result.failed} failed and were skipped." if result.failed else "."), err=True)
    return EXIT_FINDINGS if result.failed else EXIT_CLEAN


def _read_vars_file(path: Path, max_bytes: int) -> dict[str, Any]:
    from invitepack.errors import Location
    from invitepack.textfile import read_text
    from invitepack.yamlfile import parse_yaml

    doc = parse_yaml(read_text(path, max_bytes, "variables file"), path)  # JSON is YAML
    if not isinstance(doc.data, dict):
        raise LoadError("a variables file must hold a mapping of name: value", Location(path, 1, 1))
    return {str(k).replace("-", "_"): v for k, v in doc.data.items()}


# --- list, show, schema --------------------------------------------------------------


@cli.command("list", context_settings=CONTEXT)
@click.option("--scenario", help="Only this scenario.")
@click.option("--channel", help="Only this channel.")
@pack_option
@format_option
def list_templates(scenario: str | None, channel: str | None, pack: str | None, fmt: str) -> int:
    """List the pack's templates: id, scenario, channel, variant, version and title."""
    workspace = _workspace(pack)
    templates = sorted(
        (t for t in workspace.pack.templates.values() if scenario in (None, t.scenario) and channel in (None, t.channel)),
        key=lambda t: (t.scenario, t.channel, t.variant or "", t.id),
    )
    if fmt == "json":
        rows = [{"id": t.id, "scenario": t.scenario, "channel": t.channel, "variant": t.variant, "title": t.title, "version": t.version} for t in templates]
        click.echo(json.dumps({"pack": workspace.pack.name, "version": workspace.pack.version, "templates": rows}, indent=2))
        return EXIT_CLEAN
    from invitepack.textout import table

    click.echo(f"{workspace.pack.name} {workspace.pack.version} ({workspace.pack.root})\n")
    click.echo(table(["ID", "SCENARIO", "CHANNEL", "VARIANT", "VERSION", "TITLE"],
                     [[t.id, t.scenario, t.channel, t.variant or "-", t.version, t.title] for t in templates]))
    if not templates:
        click.echo("(no templates match)", err=True)
    return EXIT_CLEAN


@cli.command(context_settings=CONTEXT)
@click.argument("name", metavar="ID_OR_SCENARIO")
@click.option("--channel", help="Channel, when NAME is a scenario (default linkedin-invite).")
@pack_option
@format_option
def show(name: str, channel: str | None, pack: str | None, fmt: str) -> int:
    """Show a template: what it is for, its variables, guidance and an example rendering."""
    from invitepack.budget import measure
    from invitepack.channels import get_channel

    workspace = _workspace(pack)
    template = workspace.pack.find(name, channel)
    example = workspace.renderer.render(template, template.examples[0], account=workspace.account, label="example 1")
    budget = measure(example, get_channel(workspace.channels, template.channel))
    if fmt == "json":
        click.echo(json.dumps({
            "id": template.id, "path": str(template.path), "version": template.version,
            "scenario": template.scenario, "channel": template.channel, "variant": template.variant,
            "title": template.title, "description": template.description, "guidance": template.guidance,
            "subject": template.subject, "variables": template.variables, "examples": template.examples,
            "example_rendering": {"subject": example.subject, "body": example.body, "length": budget.length, "limit": budget.limit},
        }, ensure_ascii=False, indent=2))
        return EXIT_CLEAN
    from invitepack.textout import describe_template

    click.echo(describe_template(template, example, budget))
    return EXIT_CLEAN


@cli.command(context_settings=CONTEXT)
@format_option
@_apply(config_options)
def channels(fmt: str, config: Path | None, isolated: bool) -> int:
    """List the channels and their limits (UTF-16 code units), after config overrides.

    Limits live in a data file, not in code: override one in the config, e.g.
    `[channels.linkedin-invite] body_limit = {free = 200, premium = 300}`.
    """
    from dataclasses import asdict

    known = _workspace(None, config, isolated).channels
    if fmt == "json":
        click.echo(json.dumps({"channels": [asdict(c) for c in known.values()]}, indent=2))
        return EXIT_CLEAN
    from invitepack.textout import table

    def limit(channel: Any) -> str:
        if channel.body_limit is None:
            return "-"
        return " / ".join(f"{tier} {n:,}" for tier, n in channel.body_limit.items())

    rows = [[c.id, c.title, limit(c), str(c.subject_limit or c.subject_display or "-"), str(c.reply_drop_length or c.line_limit or "-")] for c in known.values()]
    click.echo(table(["CHANNEL", "TITLE", "BODY LIMIT", "SUBJECT", "ADVICE/LINE"], rows, max_width=60))
    return EXIT_CLEAN


@cli.command(context_settings=CONTEXT)
@click.argument("name", required=False, metavar="[pack|template]")
def schema(name: str | None) -> int:
    """Print a bundled JSON Schema (for editors and the YAML language server).

    Without NAME, list the schemas and their files.
    """
    from invitepack.schemas import SCHEMA_NAMES, load_schema, schema_path

    if name is None:
        for known in SCHEMA_NAMES:
            click.echo(f"{known:10} {load_schema(known)['$id']}  ({schema_path(known)})")
        return EXIT_CLEAN
    click.echo(json.dumps(load_schema(name), indent=2))
    return EXIT_CLEAN


# --- check, validate, rules, plugins ----------------------------------------------------

lint_options = [
    click.option("--output-format", "output_format", type=click.Choice(["concise", "full", "json", "sarif", "github"]), default="concise", show_default=True, help="How to print findings."),
    click.option("--select", multiple=True, metavar="RULES", help="Only these rules: codes (IP301), prefixes (IP3) or names (sales-pitch); comma-separated or repeated."),
    click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (same forms as --select)."),
    click.option("--fail-level", type=click.Choice(["error", "warning", "info"]), help="Lowest severity that fails with exit 1. Default: config, else warning."),
    click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (errors still exit 2)."),
    *config_options,
]


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _lint_workspace(pack: str | None, config: Path | None, isolated: bool, account: str | None, select: tuple[str, ...], ignore: tuple[str, ...], fail_level: str | None):  # type: ignore[no-untyped-def]
    """A workspace whose config has the command line's rule selection applied over it."""
    from dataclasses import replace

    workspace = _workspace(pack, config, isolated, account)
    changes: dict[str, Any] = {}
    if select:
        changes["select"] = _split(select)
    if ignore:
        changes["ignore"] = _split(ignore)
    if fail_level:
        changes["fail_level"] = fail_level
    workspace.config = replace(workspace.config, **changes)
    return workspace


def _report(outcome: Any, checker: Any, output_format: str, exit_zero: bool) -> int:
    from invitepack.report import render_report, summary

    text = render_report(outcome, checker.selection.rules, output_format)
    if text:
        click.echo(text)
    for problem in (*outcome.failures, *outcome.errors):
        click.echo(f"invitepack: error: {problem}", err=True)
    if output_format in ("concise", "full"):
        click.echo(summary(outcome), err=True)
    return int(outcome.exit_code(checker.selection, exit_zero))


def _read_note(name: str, max_bytes: int) -> tuple[Path, str]:
    from invitepack.textfile import decode_text, read_text

    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise LoadError(f"the note on stdin is larger than {max_bytes:,} bytes", hint="a note is a few hundred characters; raise limits.max_note_bytes only if this is intended")
        return Path("<stdin>"), decode_text(data, Path("<stdin>"), "note")
    path = Path(name)
    return path, read_text(path, max_bytes, "note", limit_name="max_note_bytes")


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, metavar="[FILE]... | -")
@click.option("--scenario", help="What the note is for (e.g. candidate-approach): scenario rules apply. Default: unknown.")
@click.option("--channel", default="linkedin-invite", show_default=True, help="Where it will be sent: linkedin-invite, linkedin-message, linkedin-inmail, email.")
@click.option("--account", type=click.Choice(["free", "premium"]), help="LinkedIn account tier (note limit 200 or 300). Default: config, else free.")
@pack_option
@_apply(lint_options)
def check(files: tuple[str, ...], scenario: str | None, channel: str, account: str | None, pack: str | None, output_format: str, select: tuple[str, ...], ignore: tuple[str, ...], fail_level: str | None, exit_zero: bool, config: Path | None, isolated: bool) -> int:
    """Check hand-written notes the way a thoughtful recipient would.

    Each FILE holds one note; `-` (or no FILE, with input piped in) reads one note from
    stdin. A first line `Subject: ...` is taken as the subject (email, InMail).

    \b
    Examples:
      printf "Hi Sam, ..." | invitepack check -
      invitepack check --scenario candidate-approach --channel linkedin-inmail note.txt
      invitepack check notes/*.txt --output-format json

    Exit codes: 0 clean, 1 findings at or above --fail-level, 2 usage, input or plugin errors.
    """
    from invitepack.channels import get_channel
    from invitepack.check import Outcome, build_checker, local_plugin_files
    from invitepack.message import Message
    from invitepack.pack import manifest_data
    from invitepack.resources import bundled_dir

    if not files:
        if sys.stdin.isatty():
            raise click.UsageError("give note files, or `-` and pipe a note in (see --help)")
        files = ("-",)
    workspace = _lint_workspace(pack, config, isolated, account, select, ignore, fail_level)
    get_channel(workspace.channels, channel)
    root = workspace.pack_root
    manifest = {} if root == bundled_dir("templates") else manifest_data(root, workspace.config.limits)
    checker = build_checker(workspace, local_plugin_files(root, manifest), manifest.get("settings"))
    outcome = Outcome()
    for name in files:
        path, text = _read_note(name, workspace.config.limits.max_note_bytes)
        note = Message.from_note(text, path=path, channel=channel, account=workspace.account, scenario=scenario)
        checker.check_message(note, outcome)
    return _report(outcome, checker, output_format, exit_zero)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@pack_option
@click.option("--account", type=click.Choice(["free", "premium"]), help="Account tier the examples are checked for. Default: config, else free.")
@_apply(lint_options)
def validate(paths: tuple[Path, ...], pack: str | None, account: str | None, output_format: str, select: tuple[str, ...], ignore: tuple[str, ...], fail_level: str | None, exit_zero: bool, config: Path | None, isolated: bool) -> int:
    """Validate a pack, or some of its template files.

    Checks pack.yaml and every template's front matter against the schemas, the Jinja2
    syntax and sandbox safety, declared against used variables, the examples against the
    variables schema, and proves each note fits its channel with every variable at its
    longest. Then it renders every example and runs every message rule on the result.

    With PATHS (as the pre-commit hook passes changed files) only those templates are
    checked, and pack-wide rules (duplicate ids, version bumps) are skipped: run it
    without PATHS, or the invitepack-validate-pack hook, for those.

    Exit codes: 0 clean, 1 findings at or above --fail-level, 2 usage, input or plugin errors.
    """
    from invitepack.pack import locate_pack
    from invitepack.validate import validate as run_validate

    if paths and pack is None:
        pack = str(locate_pack(None, paths[0].resolve().parent))
    workspace = _lint_workspace(pack, config, isolated, account, select, ignore, fail_level)
    outcome, checker = run_validate(workspace, [p.resolve() for p in paths] if paths else None)
    return _report(outcome, checker, output_format, exit_zero)


def _plugins_here(pack: str | None, config: Path | None, isolated: bool):  # type: ignore[no-untyped-def]
    from invitepack.check import build_checker, local_plugin_files
    from invitepack.pack import manifest_data
    from invitepack.resources import bundled_dir

    workspace = _workspace(pack, config, isolated)
    root = workspace.pack_root
    manifest = {} if root == bundled_dir("templates") else manifest_data(root, workspace.config.limits)
    return build_checker(workspace, local_plugin_files(root, manifest), manifest.get("settings")).plugins


@cli.command(context_settings=CONTEXT)
@click.argument("rule", required=False, metavar="[CODE|NAME]")
@pack_option
@format_option
@_apply(config_options)
def rules(rule: str | None, pack: str | None, fmt: str, config: Path | None, isolated: bool) -> int:
    """List the rules, or explain one: code, name, severity, and why it matters."""
    from invitepack.selection import matches
    from invitepack.textout import table

    plugins = _plugins_here(pack, config, isolated)
    known = sorted(plugins.rules.values(), key=lambda pair: pair[0].code)
    if rule is not None:
        known = [(r, p) for r, p in known if matches(rule, r)]
        if not known:
            raise click.BadParameter(f"no rule {rule!r}; run `invitepack rules` to list them", param_hint="CODE|NAME")
    if fmt == "json":
        click.echo(json.dumps({"rules": [{"code": r.code, "name": r.name, "severity": r.severity, "scope": r.scope, "plugin": p, "summary": r.summary, "rationale": r.rationale, "hint": r.hint} for r, p in known]}, indent=2))
    elif rule is not None:
        import textwrap

        for r, p in known:
            click.echo(f"{r.code} {r.name} ({r.severity}, {r.scope} rule, from {p})\n\n{r.summary}\n\n{textwrap.fill(r.rationale, 88)}\n\nFix: {r.hint}\n")
    else:
        click.echo(table(["CODE", "NAME", "SEVERITY", "SCOPE", "PLUGIN", "SUMMARY"], [[r.code, r.name, r.severity, r.scope, p, r.summary] for r, p in known], max_width=70))
    return EXIT_CLEAN


@cli.command(context_settings=CONTEXT)
@click.option("--hooks", is_flag=True, help="Document the hooks a plugin can implement, instead.")
@pack_option
@format_option
@_apply(config_options)
def plugins(hooks: bool, pack: str | None, fmt: str, config: Path | None, isolated: bool) -> int:
    """List the checker plugins: name, version, source (built-in, entry point, local file) and rules.

    Plugins come from three places, in this order: invitepack's built-in rules, installed
    distributions with an `invitepack` entry point, and the local files a pack lists under
    `plugins:` in pack.yaml. Set INVITEPACK_TRACE_PLUGINS=1 to trace every hook call, and
    INVITEPACK_NO_ENTRY_POINTS=1 (or disable-entry-points in the config) to skip installed ones.
    """
    if hooks:
        import inspect

        from invitepack import hookspecs

        for name, func in inspect.getmembers(hookspecs, inspect.isfunction):
            if name.startswith("invitepack_"):
                click.echo(f"{name}{inspect.signature(func)}\n{inspect.getdoc(func)}\n")
        return EXIT_CLEAN
    found = _plugins_here(pack, config, isolated)
    infos = list(found.infos.values())
    if fmt == "json":
        click.echo(json.dumps({"plugins": [{"name": i.name, "version": i.version, "source": i.source, "location": i.location, "rules": [r.code for r in i.rules]} for i in infos]}, indent=2))
        return EXIT_CLEAN
    from invitepack.textout import table

    click.echo(table(["NAME", "VERSION", "SOURCE", "RULES", "LOCATION"], [[i.name, i.version, i.source, " ".join(r.code for r in i.rules) or "-", i.location] for i in infos], max_width=60))
    return EXIT_CLEAN


@cli.command(context_settings=CONTEXT)
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--from", "source", type=click.Choice(["starter", "builtin"]), default="starter", show_default=True, help="starter: one invite per talk scenario; builtin: a copy of every built-in template.")
@click.option("--force", is_flag=True, help="Add what is missing to a non-empty folder. Existing files are never overwritten.")
@click.option("--hooks-repo", default=None, metavar="URL", help="Where pre-commit fetches invitepack's hooks (default: invitepack's public repository).")
@click.option("--hooks-rev", default=None, metavar="REV", help="The tag or commit of --hooks-repo (default: this invitepack's version tag).")
def init(directory: Path, source: str, force: bool, hooks_repo: str | None, hooks_rev: str | None) -> int:
    """Scaffold a team template repo in DIRECTORY (default: here).

    \b
    Creates pack.yaml, templates/ (a starting template for each scenario of the talk),
    plugins/house_rules.py (a small working checker to adapt), invitepack.toml,
    .pre-commit-config.yaml using invitepack's hooks, and a README for the team.
    The scaffold passes its own hooks out of the box.
    """
    from invitepack.scaffold import DEFAULT_HOOKS_REPO, scaffold

    result = scaffold(directory, force=force, from_builtin=source == "builtin", hooks_repo=hooks_repo or DEFAULT_HOOKS_REPO, hooks_rev=hooks_rev)
    for path in result.written:
        click.echo(f"created {path}")
    for path in result.kept:
        click.echo(f"kept    {path} (already there)", err=True)
    click.echo(
        f"\nNext: cd {directory} && git init && pre-commit install && invitepack validate\n"
        "Then edit templates/ and plugins/house_rules.py; `invitepack render --help` to try a template.",
        err=True,
    )
    return EXIT_CLEAN


# --- entry point -----------------------------------------------------------------------


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
        code = EXIT_ERROR
    except click.Abort:
        click.echo("Aborted.", err=True)
        code = EXIT_ERROR
    except InvitepackError as exc:
        click.echo(f"invitepack: error: {exc}", err=True)
        code = exc.exit_code
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error worth a message.
        sys.stderr.close()
        code = EXIT_CLEAN
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"invitepack: internal error: {type(exc).__name__}: {exc}\n"
            "  This is a bug in invitepack or a plugin. Run again with --debug for the full traceback.",
            err=True,
        )
        code = EXIT_ERROR
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
