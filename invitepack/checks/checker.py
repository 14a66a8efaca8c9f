"""Running the checkers: one place that calls the hooks, keeps plugin failures apart from
findings, and decides the exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding
from invitepack.checks.plugins import PluginFailure, Plugins
from invitepack.checks.selection import Selection
from invitepack.errors import InvitepackError
from invitepack.render.message import Message

if TYPE_CHECKING:
    from invitepack.pack.loader import Pack
    from invitepack.pack.template import Template
    from invitepack.pack.workspace import Workspace
    from invitepack.render.renderer import Renderer

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class Outcome:
    """Everything one run found: findings, plugin failures, and input errors (exit 2)."""

    findings: list[Finding] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)
    errors: list[InvitepackError] = field(default_factory=list)
    checked: int = 0
    what: str = "note"

    def exit_code(self, selection: Selection, exit_zero: bool = False) -> int:
        """2 for plugin or input errors, 1 for findings at the fail level, else 0."""
        if self.failures or self.errors:
            return EXIT_ERROR
        if not exit_zero and any(selection.fails(f) for f in self.findings):
            return EXIT_FINDINGS
        return EXIT_CLEAN


class Checker:
    """Calls the plugins' hooks and filters their findings through the selection."""

    def __init__(self, plugins: Plugins, context: CheckContext, selection: Selection):
        self.plugins = plugins
        self.context = context
        self.selection = selection

    def message_findings(self, message: Message, outcome: Outcome) -> list[Finding]:
        """A message's findings (unfiltered: suppression and selection come after)."""
        found = self.plugins.call(
            "invitepack_check_message",
            message.path,
            outcome.failures,
            message=message,
            context=self.context,
        )
        return [f.with_context(message.label, None) for f in found]

    def template_findings(self, template: Template, outcome: Outcome) -> list[Finding]:
        return self.plugins.call(
            "invitepack_check_template",
            template.path,
            outcome.failures,
            template=template,
            context=self.context,
        )

    def pack_findings(self, pack: Pack, outcome: Outcome) -> list[Finding]:
        return self.plugins.call(
            "invitepack_check_pack",
            pack.manifest_path,
            outcome.failures,
            pack=pack,
            context=self.context,
        )

    def check_message(self, message: Message, outcome: Outcome) -> None:
        """Check one note and add what is selected to the outcome."""
        outcome.findings += self.selection.keep(self.message_findings(message, outcome))
        outcome.checked += 1


def local_plugin_files(root: Path, manifest: dict[str, Any]) -> list[Path]:
    """The pack's declared plugin files, which must lie inside the pack."""
    from invitepack.errors import Location, PluginError

    files = []
    for entry in manifest.get("plugins") or []:
        path = (root / str(entry)).resolve()
        if not path.is_relative_to(root.resolve()):
            raise PluginError(
                f"local plugin {entry!r} is outside the pack",
                Location(root / "pack.yaml"),
                hint="keep plugin files inside the pack's folder",
            )
        files.append(path)
    return files


def build_checker(
    workspace: Workspace,
    local_files: list[Path],
    settings: dict[str, Any] | None = None,
    renderer: Renderer | None = None,
) -> Checker:
    """Plugins, context and selection for one run, from the workspace's config."""
    from invitepack.checks.phrases import PhraseBook
    from invitepack.checks.plugins import build_plugins

    config = workspace.config
    plugins = build_plugins(
        local_files,
        entry_points=not (config.disable_entry_points or _env_flag("INVITEPACK_NO_ENTRY_POINTS")),
        require=config.require_plugins,
    )
    context = CheckContext(
        channels=workspace.channels,
        phrases=PhraseBook(config.phrases),
        options=config.rules,
        settings=dict(settings or {}),
        renderer=renderer,
    )
    selection = Selection(
        [rule for rule, _ in plugins.rules.values()],
        config.select,
        config.ignore,
        config.per_file_ignores,
        config.fail_level,
        base=config.path.parent if config.path else None,
    )
    return Checker(plugins, context, selection)


def notes_checker(workspace: Workspace) -> Checker:
    """The checker for notes in a workspace: built-in rules, installed plugins, and its pack's
    local plugins and settings. The manifest is read without schema validation so that
    `check` stays fast on every commit; `validate` checks it fully."""
    from invitepack.pack.manifest import manifest_data
    from invitepack.pack.resources import bundled_dir

    root = workspace.pack_root
    manifest = (
        {} if root == bundled_dir("templates") else manifest_data(root, workspace.config.limits)
    )
    return build_checker(workspace, local_plugin_files(root, manifest), manifest.get("settings"))


def _env_flag(name: str) -> bool:
    import os

    return os.environ.get(name, "").lower() not in ("", "0", "false", "no")
