"""Commands that show what there is: `list`, `show`, `channels`, `schema`, and `init`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


@cli.command("list", context_settings=CONTEXT)
@click.option("--scenario", help="Only this scenario.")
@click.option("--channel", help="Only this channel.")
@pack_option
@format_option
def list_templates(scenario: str | None, channel: str | None, pack: str | None, fmt: str) -> int:
    """List the pack's templates: id, scenario, channel, variant (`render --variant`), source
    (built-in, the pack's own, or from the pack it extends), version and title."""
    workspace = workspace_for(pack)
    from invitepack.pack.names import unknown

    every = workspace.pack.templates.values()
    if scenario is not None and scenario not in {t.scenario for t in every}:
        raise unknown(
            "scenario", scenario, {t.scenario for t in every}, listing="run `invitepack list`"
        )
    if channel is not None and channel not in workspace.channels:
        raise unknown("channel", channel, workspace.channels)
    templates = sorted(
        (
            t
            for t in workspace.pack.templates.values()
            if scenario in (None, t.scenario) and channel in (None, t.channel)
        ),
        key=lambda t: (t.scenario, t.channel, t.variant or "", t.id),
    )
    if fmt == "json":
        rows = [
            {
                "id": t.id,
                "scenario": t.scenario,
                "channel": t.channel,
                "variant": t.variant,
                "title": t.title,
                "version": t.version,
                "source": _source(workspace.pack, t),
            }
            for t in templates
        ]
        click.echo(
            json.dumps(
                {"pack": workspace.pack.name, "version": workspace.pack.version, "templates": rows},
                indent=2,
            )
        )
        return EXIT_CLEAN
    from invitepack.output.textout import table

    click.echo(f"{workspace.pack.name} {workspace.pack.version} ({workspace.pack.root})\n")
    click.echo(
        table(
            ["ID", "SCENARIO", "CHANNEL", "VARIANT", "SOURCE", "VERSION", "TITLE"],
            [
                [
                    t.id,
                    t.scenario,
                    t.channel,
                    t.variant or "-",
                    _source(workspace.pack, t),
                    t.version,
                    t.title,
                ]
                for t in templates
            ],
        )
    )
    if not templates:
        click.echo("(no templates match)", err=True)
    return EXIT_CLEAN


def _source(pack: Any, template: Any) -> str:
    """Where a template comes from: the built-in pack, the pack's own file, or (with
    `extends`) the pack it extends."""
    from invitepack.pack.resources import bundled_dir

    if template.path.resolve().is_relative_to(bundled_dir("templates").resolve()):
        return "built-in"
    return "own" if pack.owns(template) else "extends"


@cli.command(context_settings=CONTEXT)
@click.argument("name", metavar="ID_OR_SCENARIO")
@click.option("--channel", help="Channel, when NAME is a scenario (default linkedin-invite).")
@click.option("--variant", metavar="NAME", help="A scenario's variant: brief, warm, premium, ...")
@pack_option
@format_option
def show(name: str, channel: str | None, variant: str | None, pack: str | None, fmt: str) -> int:
    """Show a template: what it is for, its variables, guidance and an example rendering."""
    from invitepack.pack.channels import get_channel
    from invitepack.render.budget import measure

    workspace = workspace_for(pack)
    template = workspace.pack.find(name, channel, variant=variant)
    from invitepack.render.renderer import Renderer

    example = Renderer.for_workspace(workspace).render(
        template, template.examples[0], account=workspace.account, label="example 1"
    )
    budget = measure(example, get_channel(workspace.channels, template.channel))
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "id": template.id,
                    "path": str(template.path),
                    "version": template.version,
                    "scenario": template.scenario,
                    "channel": template.channel,
                    "variant": template.variant,
                    "title": template.title,
                    "description": template.description,
                    "guidance": template.guidance,
                    "subject": template.subject,
                    "variables": template.variables,
                    "examples": template.examples,
                    "example_rendering": {
                        "subject": example.subject,
                        "body": example.body,
                        "length": budget.length,
                        "limit": budget.limit,
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_CLEAN
    from invitepack.output.textout import describe_template

    siblings = [
        t.variant or "default"
        for t in workspace.pack.templates.values()
        if t.scenario == template.scenario and t.channel == template.channel
    ]
    click.echo(
        describe_template(
            template, example, budget, _source(workspace.pack, template), sorted(siblings)
        )
    )
    return EXIT_CLEAN


@cli.command(context_settings=CONTEXT)
@format_option
@with_options(config_options)
def channels(fmt: str, config: Path | None, isolated: bool) -> int:
    """List the channels and their limits (UTF-16 code units), after config overrides.

    Limits live in a data file, not in code: override one in the config, e.g.
    `[channels.linkedin-invite] body_limit = {free = 200, premium = 300}`.
    """
    known = workspace_for(None, config, isolated).channels
    if fmt == "json":
        click.echo(json.dumps({"channels": [c.as_fields() for c in known.values()]}, indent=2))
        return EXIT_CLEAN
    from invitepack.output.textout import table

    def limit(channel: Any) -> str:
        if channel.body_limit is None:
            return "-"
        return " / ".join(f"{tier} {n:,}" for tier, n in channel.body_limit.items())

    rows = [
        [
            c.id,
            c.title,
            limit(c),
            str(c.subject_limit or c.subject_display or "-"),
            str(c.reply_drop_length or c.line_limit or "-"),
        ]
        for c in known.values()
    ]
    click.echo(
        table(["CHANNEL", "TITLE", "BODY LIMIT", "SUBJECT", "ADVICE/LINE"], rows, max_width=60)
    )
    return EXIT_CLEAN


@cli.command(context_settings=CONTEXT)
@click.argument("name", required=False, metavar="[pack|template]")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--path", "show_path", is_flag=True, help="Print the schema file's path instead.")
@click.option(
    "--front-matter",
    "front_matter",
    is_flag=True,
    help="Print the front matter of the template FILES as JSON (several need --out).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="With --front-matter: write one NAME.json per file into this folder.",
)
def schema(
    name: str | None,
    files: tuple[Path, ...],
    show_path: bool,
    front_matter: bool,
    out: Path | None,
) -> int:
    """Print a bundled JSON Schema (Draft 2020-12), for editors and other tools.

    Each schema is self-contained (no remote references), so tools use it offline:
    `check-jsonschema --schemafile "$(invitepack schema pack --path)" pack.yaml`.
    Without NAME, list the schemas and their files.

    A template's front matter sits inside Markdown, which JSON Schema tools do not read:
    `--front-matter FILE...` prints it as JSON (as invitepack reads it) to check with them:

    \b
      invitepack schema template --front-matter templates/a.md | \\
        check-jsonschema --schemafile "$(invitepack schema template --path)" -
      invitepack schema template --front-matter templates/*.md --out build/fm
    """
    from invitepack.pack.schemas import SCHEMA_NAMES, load_schema, schema_path

    if name is None:
        if show_path or front_matter or out:
            raise click.UsageError("name a schema: pack or template")
        for known in SCHEMA_NAMES:
            click.echo(f"{known:10} {schema_path(known)}  ({load_schema(known)['title']})")
        return EXIT_CLEAN
    if front_matter or files or out:
        if name != "template" or not front_matter:
            raise click.UsageError(
                "FILES go with `schema template --front-matter FILE...` (templates only)"
            )
        if not files:
            raise click.UsageError("give the template files: --front-matter FILE...")
        return _export_front_matter(files, out)
    if show_path:
        click.echo(str(schema_path(name)))
        return EXIT_CLEAN
    click.echo(json.dumps(load_schema(name), indent=2))
    return EXIT_CLEAN


def _trust_what_init_wrote(directory: Path, written: list[Path]) -> None:
    """The scaffold's plugin is invitepack's own file, just written: trust it for this user,
    so that `invitepack validate` works at once. Only when init wrote both pack.yaml and
    every plugin file it lists (with --force, a kept file is someone else's to trust)."""
    from invitepack.checks.plugins import local_plugin_files
    from invitepack.pack.limits import Limits
    from invitepack.pack.manifest import MANIFEST, manifest_data
    from invitepack.pack.trust import trust_files

    if directory / MANIFEST not in written:
        return
    root = directory.resolve()
    plugins = local_plugin_files(root, manifest_data(root, Limits()))
    mine = {path.resolve() for path in written}
    if plugins and all(path in mine for path in plugins):
        trust_files(root, plugins)
        names = ", ".join(path.relative_to(root).as_posix() for path in plugins)
        click.echo(
            f"trusted {names} for you (written by init); after you edit it, run `invitepack "
            "trust` again (the pre-commit hooks pass --trust-local-plugins)",
            err=True,
        )


def _export_front_matter(files: tuple[Path, ...], out: Path | None) -> int:
    """Each file's front matter as JSON: on stdout for one file, else a NAME.json per file."""
    from invitepack.pack.frontmatter import split_front_matter
    from invitepack.pack.limits import Limits
    from invitepack.pack.template import is_doc_file
    from invitepack.pack.textfile import read_text
    from invitepack.pack.yamlfile import parse_yaml

    skipped = [f for f in files if is_doc_file(f)]
    for path in skipped:
        click.echo(
            f"skipped {path}: documentation (README.md, CHANGELOG.md), not a template", err=True
        )
    files = tuple(f for f in files if f not in skipped)

    if out is None and len(files) > 1:
        raise click.UsageError("several files need --out DIR (one NAME.json each)")
    names = [f.stem for f in files]
    twice = sorted({n for n in names if names.count(n) > 1})
    if out is not None and twice:
        raise click.UsageError(f"two files would both write {twice[0]}.json")
    limits = Limits()
    for path in files:
        split = split_front_matter(read_text(path, limits.max_file_bytes, "template"), path)
        data = parse_yaml(split.front_matter, path, split.front_matter_line).data
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if out is None:
            click.echo(text)
            continue
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{path.stem}.json"
        target.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {target}", err=True)
    return EXIT_CLEAN


@cli.command(context_settings=CONTEXT)
@click.argument(
    "directory", required=False, default=None, type=click.Path(path_type=Path, file_okay=False)
)
@click.option(
    "--plugin",
    "plugin",
    metavar="NAME",
    help="Scaffold a checker plugin distribution named NAME (e.g. acme-rules) instead of a "
    "template repo, in DIRECTORY (default: invitepack-NAME).",
)
@click.option(
    "--prefix",
    metavar="CODE",
    help="With --plugin: its rule-code prefix (default: from NAME, e.g. ACME).",
)
@click.option(
    "--from",
    "source",
    type=click.Choice(["starter", "builtin"]),
    default="starter",
    show_default=True,
    help="starter: one invite per talk scenario; builtin: a copy of every built-in template.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Add what is missing to a non-empty folder. Existing files are never overwritten.",
)
@click.option(
    "--hooks-repo",
    default=None,
    metavar="URL",
    help="Where pre-commit fetches invitepack's hooks (default: invitepack's public repository).",
)
@click.option(
    "--hooks-rev",
    default=None,
    metavar="REV",
    help="The tag or full commit id of --hooks-repo that pre-commit pins (default: this "
    "invitepack's release tag, v + its version). Give a commit id for an untagged version.",
)
def init(
    directory: Path | None,
    plugin: str | None,
    prefix: str | None,
    source: str,
    force: bool,
    hooks_repo: str | None,
    hooks_rev: str | None,
) -> int:
    """Scaffold a team template repo in DIRECTORY (default: here), or with --plugin NAME
    a checker plugin distribution.

    \b
    Creates pack.yaml, templates/ (a starting template for each scenario of the talk),
    plugins/house_rules.py (a small working checker to adapt), invitepack.toml,
    .pre-commit-config.yaml using invitepack's hooks (pinned to --hooks-rev), CHANGELOG.md
    and a README for the team. The scaffold passes its own hooks out of the box.
    """
    from invitepack.output.scaffold import DEFAULT_HOOKS_REPO, scaffold

    if plugin is not None:
        return _init_plugin(directory or Path(f"invitepack-{plugin}"), plugin, prefix, force)
    if prefix is not None:
        raise click.UsageError("--prefix goes with --plugin NAME")
    directory = directory or Path(".")
    result = scaffold(
        directory,
        force=force,
        from_builtin=source == "builtin",
        hooks_repo=hooks_repo or DEFAULT_HOOKS_REPO,
        hooks_rev=hooks_rev,
    )
    for path in result.written:
        click.echo(f"created {path}")
    for path in result.kept:
        click.echo(f"kept    {path} (already there)", err=True)
    _trust_what_init_wrote(directory, result.written)
    inside = directory.resolve()
    in_a_repo = any((folder / ".git").exists() for folder in (inside, *inside.parents))
    git_init = [] if in_a_repo else ["git init"]
    steps = _next(directory, *git_init, "pre-commit install", "invitepack validate")
    click.echo(
        f"\n{steps}\nThen edit templates/ and plugins/house_rules.py; `invitepack render "
        "--help` to try a template.",
        err=True,
    )
    return EXIT_CLEAN


def _next(directory: Path, *steps: str) -> str:
    """The commands to run next, from where the user is: no `cd` into the folder they are in."""
    import shlex

    if directory.resolve() != Path.cwd().resolve():
        steps = (f"cd {shlex.quote(str(directory))}", *steps)
    return "Next: " + " && ".join(steps)


def _init_plugin(directory: Path, name: str, prefix: str | None, force: bool) -> int:
    from invitepack.output.scaffold import scaffold_plugin

    result = scaffold_plugin(directory, name, prefix=prefix, force=force)
    for path in result.written:
        click.echo(f"created {path}")
    for path in result.kept:
        click.echo(f"kept    {path} (already there)", err=True)
    steps = _next(directory, "pip install -e '.[test]'", "python -m pytest")
    click.echo(
        f"\n{steps}\nThen `invitepack plugins` lists it; edit the rule in src/ and its tests.",
        err=True,
    )
    return EXIT_CLEAN
