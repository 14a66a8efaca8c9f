"""Testing checker plugins through invitepack's real checking, from a plugin's own tests.

    import my_house_rules
    from invitepack.testing import check_note

    def test_urgency_is_flagged():
        found = check_note("Hi Sam, urgent role, call me today.", plugins=[my_house_rules])
        assert "TEAM101" in found.codes
        assert found.verdict.revise

A note goes through exactly what `invitepack check` runs: the built-in rules and the plugins
given (modules or objects with @hookimpl functions, or paths of plugin files), the config's
selection and rule options, then the verdict. Installed plugins are not loaded unless asked
for, so a test sees the same rules wherever it runs. A plugin that raises, exits or returns
the wrong thing makes the call raise `PluginFailed`, chained to the plugin's own exception.

The pytest fixture `invitepack_checker` is registered when invitepack is installed (entry
point `pytest11`); without the entry point, add `pytest_plugins = ["invitepack.testing.fixtures"]`
to a conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invitepack.checks.checker import Checker
    from invitepack.checks.failures import PluginFailure
    from invitepack.checks.findings import Finding, Rule
    from invitepack.checks.verdict import Verdict
    from invitepack.pack.config import Config

__all__ = ["Findings", "NoteChecker", "PluginFailed", "check_note"]

DEFAULT_CHANNEL = "linkedin-invite"


class PluginFailed(AssertionError):
    """A plugin raised, exited or returned the wrong thing while a note was checked.

    `failures` are invitepack's reports (plugin, hook, error, traceback); `findings` are what
    the other plugins found all the same."""

    def __init__(self, failures: list[PluginFailure], findings: list[Finding]):
        super().__init__("\n".join(str(f) for f in failures))
        self.failures = failures
        self.findings = findings


class Findings(list["Finding"]):
    """The findings on one note, as `invitepack check` reports them (selected, in order), with
    the note's `verdict` (send or revise) beside them."""

    def __init__(self, findings: Iterable[Finding], verdict: Verdict):
        super().__init__(findings)
        self.verdict = verdict

    @property
    def codes(self) -> list[str]:
        """The findings' rule codes, in order, e.g. ["IP204", "TEAM101"]."""
        return [f.code for f in self]

    def of(self, rule: str) -> list[Finding]:
        """The findings of one rule, by code (TEAM101) or name (no-urgency)."""
        return [f for f in self if rule in (f.code, f.name)]


class NoteChecker:
    """Checks notes with a fixed set of plugins, config and pack settings.

    plugins: modules or objects with @hookimpl functions, or paths of plugin files (as a
      pack's `plugins:` lists them); invitepack's built-in rules always run too.
    config: the settings of an invitepack.toml as a dict (`{"rules": {"sign-off":
      {"max-words": 4}}, "ignore": ["IP204"]}`), the path of a config file, or None for the
      defaults; never the config around the test.
    settings: the pack's `settings:` from pack.yaml, which plugins read as `context.settings`.
    entry_points: also load the installed plugins (off by default).
    """

    def __init__(
        self,
        plugins: Iterable[Any] = (),
        *,
        config: Mapping[str, Any] | str | Path | Config | None = None,
        settings: Mapping[str, Any] | None = None,
        entry_points: bool = False,
    ):
        from invitepack.checks.checker import build_checker
        from invitepack.pack.workspace import Workspace

        given = list(plugins)
        files = [Path(p).resolve() for p in given if isinstance(p, (str, Path))]
        objects = [p for p in given if not isinstance(p, (str, Path))]
        # The files are named by the test itself: that is the consent `invitepack trust` asks for.
        workspace = Workspace(isolated=True, trust_local_plugins=True)
        workspace.config = _config(config)
        self.checker: Checker = build_checker(
            workspace,
            files,
            dict(settings or {}),
            entry_points=entry_points,
            objects=objects,
        )
        self.workspace = workspace

    @property
    def rules(self) -> dict[str, Rule]:
        """Every rule that can be reported, by code (built-in and the plugins')."""
        return {code: rule for code, (rule, _) in self.checker.plugins.rules.items()}

    def check(
        self,
        text: str,
        *,
        scenario: str | None = None,
        channel: str | None = None,
        account: str = "free",
    ) -> Findings:
        """Check one note as `invitepack check` would: a first line `Subject: ...` is the
        subject; `channel` defaults to linkedin-invite; `scenario` (e.g.
        candidate-approach) turns on the scenario's rules."""
        from invitepack.pack.channels import get_channel
        from invitepack.render.message import Message

        channel = channel or DEFAULT_CHANNEL
        get_channel(self.workspace.channels, channel)
        message = Message.from_note(
            text, path=None, channel=channel, account=account, scenario=scenario
        )
        outcome = self.checker.outcome("note")
        verdict = self.checker.check_message(message, outcome)
        if outcome.failures:
            failed = PluginFailed(outcome.failures, outcome.findings)
            raise failed from outcome.failures[0].exception
        return Findings(outcome.findings, verdict)


def check_note(
    text: str,
    *,
    plugins: Iterable[Any] = (),
    scenario: str | None = None,
    channel: str | None = None,
    account: str = "free",
    config: Mapping[str, Any] | str | Path | Config | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Findings:
    """The findings on one note (a list, with the note's `verdict` and `codes` on it), from
    the built-in rules and `plugins`. See NoteChecker for each argument; raises PluginFailed
    when a plugin fails."""
    checker = NoteChecker(plugins, config=config, settings=settings)
    return checker.check(text, scenario=scenario, channel=channel, account=account)


def _config(config: Mapping[str, Any] | str | Path | Config | None) -> Config:
    from invitepack.pack.config import Config, load_config, parse_config

    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    if isinstance(config, (str, Path)):
        return load_config(Path(config))
    return parse_config(Path("<test config>"), dict(config)).replace(path=None)
