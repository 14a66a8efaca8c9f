"""`invitepack catalogue`: a pack's templates as a static site."""

from __future__ import annotations

from pathlib import Path

import click

from invitepack.cli.app import (
    CONTEXT,
    EXIT_CLEAN,
    EXIT_ERROR,
    cli,
    config_options,
    pack_option,
    trust_option,
    with_options,
    workspace_for,
)


@cli.command(context_settings=CONTEXT)
@pack_option
@click.option(
    "--out",
    "out",
    required=True,
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="The folder to write the site into: new or empty, or (with --force) an earlier catalogue.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the catalogue that an earlier run wrote in DIR. A folder of other files "
    "is never replaced.",
)
@with_options([*config_options, trust_option])
def catalogue(pack: str | None, out: Path, force: bool, config: Path | None, isolated: bool) -> int:
    """Write a static site of the pack's templates, for people who review them.

    \b
    index.html lists every template (scenario, channel, variant, version, the longest note it
    can render against the channel's limit, and how its examples fare), with filters and a
    search box; each template's page shows its guidance, its variables, each example as the
    recipient sees it with its length against the limit (free and premium), what the checks
    find, and the CHANGELOG entries that name it.

    The site is plain files: open DIR/index.html, or publish DIR as it is (e.g. GitHub Pages).
    Nothing in it loads from the network. Exit codes: 0 written, 2 a usage, pack or plugin
    error (nothing is written).
    """
    from invitepack.output.catalogue import build_catalogue, write_site

    workspace = workspace_for(pack, config, isolated)
    site, outcome = build_catalogue(workspace)
    for failure in outcome.failures:
        click.echo(f"invitepack: error: {failure}", err=True)
    if outcome.failures:
        click.echo(
            f"{len(outcome.failures)} plugin error(s): the catalogue was not written.", err=True
        )
        return EXIT_ERROR
    write_site(site, out, force=force)
    for problem in site.problems:
        click.echo(f"invitepack: warning: {problem}", err=True)
    examples = sum(len(view.examples) for view in site.templates)
    click.echo(
        f"Wrote the catalogue of {site.pack_name} {site.pack_version}: "
        f"{_count(len(site.templates), 'template')}, {_count(examples, 'example')}. "
        f"Open {out / 'index.html'}",
        err=True,
    )
    return EXIT_CLEAN


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
