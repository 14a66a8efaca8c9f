"""`invitepack trust`: consent to run a pack's local plugin files (see invitepack.pack.trust)."""

from __future__ import annotations

from pathlib import Path

import click

from invitepack.cli.app import CONTEXT, EXIT_CLEAN, cli
from invitepack.errors import printable


@cli.command(context_settings=CONTEXT)
@click.argument("pack", required=False, metavar="[PACK]")
@click.option("--revoke", is_flag=True, help="Forget the pack: its plugins need trusting again.")
def trust(pack: str | None, revoke: bool) -> int:
    """Trust a pack's local plugins: the Python files its pack.yaml lists under `plugins:`.

    They are code from whoever wrote the repo, and invitepack runs them on your machine when
    you check, render or validate with that pack. Read them first. invitepack records the
    pack's folder and each file's SHA-256 in your config folder; a changed or new file
    needs `invitepack trust` again, and a pack that is not trusted stops with exit 2 naming
    its files. PACK is the pack's folder (default: the nearest pack.yaml upwards).

    In pre-commit hooks and CI, where the repo's own code runs anyway, pass
    --trust-local-plugins to the command instead, or set INVITEPACK_TRUST_LOCAL_PLUGINS=1.
    """
    from invitepack.checks.plugins import local_plugin_files
    from invitepack.pack.limits import Limits
    from invitepack.pack.manifest import locate_pack, manifest_data
    from invitepack.pack.resources import bundled_dir
    from invitepack.pack.trust import config_dir, revoke_trust, trust_files

    root = locate_pack(pack, Path.cwd()).resolve()
    if root == bundled_dir("templates").resolve():
        raise click.UsageError(
            "no pack.yaml here or above: give the folder of the pack to trust (the built-in "
            "pack has no local plugins)"
        )
    shown = printable(str(root))
    if revoke:
        if revoke_trust(root):
            click.echo(f"Forgot {shown}: its local plugins need `invitepack trust` again.")
        else:
            click.echo(f"{shown} was not trusted.")
        return EXIT_CLEAN
    files = local_plugin_files(root, manifest_data(root, Limits()))
    if not files:
        click.echo(f"{shown} lists no local plugins: there is nothing to trust.")
        return EXIT_CLEAN
    hashes = trust_files(root, files)
    click.echo(f"Trusted {shown} and its local plugin(s):")
    for name, digest in hashes.items():
        click.echo(f"  {printable(name)}  {digest[:19]}…")
    click.echo(
        f"(recorded in {printable(str(config_dir()))}; a change to any of them needs "
        "`invitepack trust` again)",
        err=True,
    )
    return EXIT_CLEAN
