"""Commands that explain the judging: `rules` (codes, names, weights, why each matters) and
`plugins` (where the rules come from, and the hooks a plugin implements)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from invitepack.cli.app import (
    CONTEXT,
    EXIT_CLEAN,
    cli,
    config_options,
    format_option,
    pack_option,
    trust_option,
    with_options,
    workspace_for,
)

if TYPE_CHECKING:
    from invitepack.checks.findings import Rule
    from invitepack.checks.plugins import Plugins
    from invitepack.checks.verdict import Model


def _verdict_scale(model: Model) -> str:
    return (
        f" (a note starts at {model.bias:+.2f}, adds the weights of the rules it breaks and "
        f"what its wording adds, and is to revise at {model.threshold:+.2f})\n"
    )


def _plugins_here(pack: str | None, config: Path | None, isolated: bool) -> Plugins:
    from invitepack.checks.checker import notes_checker

    return notes_checker(workspace_for(pack, config, isolated)).plugins


@cli.command(context_settings=CONTEXT)
@click.argument("rule", required=False, metavar="[CODE|NAME]")
@pack_option
@format_option
@with_options([*config_options, trust_option])
def rules(rule: str | None, pack: str | None, fmt: str, config: Path | None, isolated: bool) -> int:
    """List the rules, or explain one: code, name, severity, and why it matters.

    WEIGHT says how a message rule moves a note's verdict: "hard" (an error: the note is to
    revise), a weight added to the note's score (revise when the score reaches 0),
    "per-word" (IP209, the wording: a weight for each word the labelled notes hold), or
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
@with_options([*config_options, trust_option])
def plugins(hooks: bool, pack: str | None, fmt: str, config: Path | None, isolated: bool) -> int:
    """List the checker plugins: name, version, source (built-in, entry point, file), where
    it was loaded from, the hooks it implements and every rule it declares.

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
                            "hooks": list(i.hooks),
                            "rules": [r.code for r in i.rules],
                        }
                        for i in infos
                    ]
                },
                indent=2,
            )
        )
        return EXIT_CLEAN
    blocks = []
    for i in infos:
        lines = [f"{i.name} {i.version or '(no version)'} - {i.source}: {i.location}"]
        lines += _listing("hooks", list(i.hooks))
        lines += _listing("rules", [f"{r.code} {r.name}" for r in i.rules])
        blocks.append("\n".join(lines))
    click.echo("\n\n".join(blocks))
    return EXIT_CLEAN


def _listing(label: str, items: list[str], width: int = 96) -> list[str]:
    """`  label: a, b, c` wrapped between items (never inside one), continued under the first."""
    lines: list[str] = []
    start = line = f"  {label}:"
    for index, item in enumerate(items or ["-"]):
        piece = f" {item}{',' if index < len(items) - 1 else ''}"
        if len(line) + len(piece) > width and line.strip() and line != start:
            lines.append(line)
            line = " " * (len(label) + 3)
        line += piece
    return [*lines, line]
