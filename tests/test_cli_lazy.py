"""Commands load lazily (issue 12): the table in cli/app.py names every command's module."""

from __future__ import annotations

import importlib

from conftest import after_a_plain_check

from invitepack.cli.app import LAZY_COMMANDS, cli


def test_every_command_is_in_the_lazy_table_with_its_module():
    for module in set(LAZY_COMMANDS.values()):
        importlib.import_module(module)
    registered = {name: command.callback.__module__ for name, command in cli.commands.items()}
    for name, module in LAZY_COMMANDS.items():
        assert registered.get(name) == module, name


def test_a_plain_check_imports_only_what_it_uses():
    """No click (cli/fast.py), nor what only other commands, plugins (pluggy: the built-in
    rules alone are called without it), a plugin's failure, a config file (tomllib:
    channels.json), a many-note run (the automaton) or the type checker (typing: its modules
    import it under `TYPE_CHECKING = False`) need."""
    heavy = after_a_plain_check(
        "print([m for m in ('click', 'invitepack.cli.app', 'invitepack.cli.render', "
        "'invitepack.cli.info', 'invitepack.checks.isolation', 'invitepack.pack.trust', "
        "'invitepack.pack.loader', 'tomllib', 'jinja2', 'jsonschema', 'yaml', "
        "'importlib.metadata', 'subprocess', 'importlib.util', 'ahocorasick', "
        "'invitepack.checks.failures', 'pluggy', 'invitepack.checks.hookspecs', "
        "'invitepack.checks.manager', 'typing') if m in sys.modules])\n"
    )
    assert heavy == "[]"


def test_a_check_in_a_python_repo_does_not_read_toml_it_has_no_settings_in(tmp_path):
    """Most repos a hook runs in have a pyproject.toml for other tools: one that never names
    invitepack is passed over unparsed (no tomllib); one that does is read."""
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 88\n", "utf-8")
    report = "print('tomllib' in sys.modules)\n"
    assert after_a_plain_check(report, cwd=tmp_path) == "False"
    (tmp_path / "pyproject.toml").write_text('[tool.invitepack]\naccount = "premium"\n', "utf-8")
    assert after_a_plain_check(report, cwd=tmp_path) == "True"


def test_a_plain_check_defines_only_the_public_dataclasses():
    """Creating a dataclass costs about a millisecond at import (invitepack/records.py): the
    records a check makes are plain classes, except those plugins build on (and evidence's)."""
    defined = after_a_plain_check(
        "import dataclasses\n"
        "print(sorted(f'{k.__module__}.{k.__name__}' for name, m in list(sys.modules.items())\n"
        "    if name.startswith('invitepack') for k in vars(m).values()\n"
        "    if isinstance(k, type) and k.__module__ == name and dataclasses.is_dataclass(k)))\n"
    )
    assert defined == str(
        [
            "invitepack.checks.context.CheckContext",
            "invitepack.checks.evidence.Evidence",
            "invitepack.checks.findings.Finding",
            "invitepack.checks.findings.Rule",
            "invitepack.errors.Location",
            "invitepack.render.message.Message",
        ]
    )
