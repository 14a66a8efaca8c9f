"""`invitepack lsp`: the language server for editors (needs the `lsp` extra)."""

from __future__ import annotations

import importlib.util

import click

from invitepack.cli.app import CONTEXT, EXIT_CLEAN, cli
from invitepack.errors import InvitepackError


@cli.command(context_settings=CONTEXT)
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk over stdin and stdout (the only transport; accepted because editors pass it).",
)
def lsp(stdio: bool) -> int:
    """Run the language server for template authors, over stdio.

    Diagnostics as you type in a pack's templates and pack.yaml (the findings of
    `invitepack validate`, each at the line that caused it), rule explanations on hover,
    fixes, completion and each example's length budget. See the README for editor set-up.
    """
    if importlib.util.find_spec("pygls") is None:
        raise InvitepackError(
            "the language server needs pygls", hint="pip install 'invitepack[lsp]'"
        )
    from invitepack.lsp.server import serve

    serve()
    return EXIT_CLEAN
