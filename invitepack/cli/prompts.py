"""Asking for missing values on a terminal (`render` with variables left out).

click's own prompt is used rather than questionary or prompt_toolkit: each question is one
line of free text, checked as it is answered, which click does with no extra dependency and
no start-up cost for `check`, and it reads a pseudo-terminal exactly as a user's terminal.
What to ask and whether an answer fits live in the library (invitepack.render.asking)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from invitepack.cli.style import budget_colour, paint, say

if TYPE_CHECKING:
    from invitepack.pack.template import Template
    from invitepack.pack.workspace import Workspace

EXIT_INTERRUPTED = 130  # as a shell reports a command ended by Ctrl-C (128 + SIGINT)


def can_ask(no_input: bool) -> bool:
    """Prompt only for a person: stdin a terminal and no --no-input (scripts and CI never)."""
    return not no_input and sys.stdin.isatty()


def ask_missing(
    workspace: Workspace, template: Template, values: dict[str, Any], account: str
) -> dict[str, Any]:
    """The values with each missing required variable asked for, one at a time, with the
    budget so far after each answer; an answer that doesn't fit is asked again, with why.
    Ctrl-C (or end of input) exits 130 and prints nothing."""
    from invitepack.pack.channels import get_channel
    from invitepack.render.asking import Asker, questions
    from invitepack.render.renderer import Renderer

    channel = get_channel(workspace.channels, template.channel, template.location("channel"))
    asker = Asker(Renderer.for_workspace(workspace), template, channel, account)
    values = dict(values)
    asked = questions(template, values)
    click.echo(
        f"{template.id} needs {len(asked)} more value{'s' * (len(asked) != 1)} (Ctrl-C to stop):",
        err=True,
    )
    for question in asked:
        say("")
        for line in question.lines():
            say(line)
        while True:
            try:
                answer = click.prompt(question.label, err=True).strip()
            except click.Abort:
                raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
            if not answer:
                continue
            checked = asker.check(values, question.name, answer)
            if checked.reason:
                say(paint(f"  can't use that: {checked.reason}", "red"))
                continue
            values[question.name] = answer
            colour = budget_colour(checked.length, checked.limit)
            say(f"  budget so far: {paint(checked.budget, colour)}")
            break
    say("")
    return values
