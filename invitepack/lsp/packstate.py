"""What the language server knows about one pack: its manifest, the config in force, the
checker (plugins, rules, selection), reloaded when any of the files they came from changes.

Which files belong to a pack is decided here too: pack.yaml, and the Markdown templates in
its templates folder (a file the editor has not saved yet counts as well)."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from invitepack.checks.baseline import find_baseline
from invitepack.checks.checker import Checker, build_checker
from invitepack.checks.plugins import local_plugin_files
from invitepack.errors import InvitepackError, LoadError
from invitepack.pack.config import find_config
from invitepack.pack.manifest import MANIFEST, read_manifest, templates_folder
from invitepack.pack.trust import TRUST_FILE, config_dir
from invitepack.pack.workspace import Workspace
from invitepack.render.renderer import Renderer

_DOC_FILE = re.compile(r"^[A-Z][A-Z0-9_-]*\.md$")  # README.md and the like document a pack


def pack_root_of(path: Path) -> Path | None:
    """The folder of the nearest pack.yaml at or above a file, or None."""
    for folder in path.resolve().parents:
        if (folder / MANIFEST).is_file():
            return folder
    return None


def _stamp(path: Path | None) -> float | None:
    try:
        return path.stat().st_mtime_ns if path else None
    except OSError:
        return None


@dataclass
class PackState:
    """One pack as configured for files in one folder (config is found from there upwards)."""

    root: Path
    start: Path
    manifest: dict[str, Any] = field(default_factory=dict)
    manifest_problems: list[LoadError] = field(default_factory=list)
    workspace: Workspace | None = None
    checker: Checker | None = None
    error: InvitepackError | None = None  # the config or a plugin could not be loaded
    stamps: tuple[tuple[str, float | None], ...] = ()
    _scenarios: list[str] | None = None

    @classmethod
    def load(cls, root: Path, start: Path) -> PackState:
        """Read the manifest, config and plugins; a failure is kept in `error`, not raised."""
        state = cls(root=root, start=start)
        workspace = Workspace(pack_spec=str(root), cwd=start)
        state.workspace = workspace
        try:
            state.manifest, state.manifest_problems = read_manifest(root, workspace.config.limits)
            state.checker = build_checker(
                workspace, local_plugin_files(root, state.manifest), state.manifest.get("settings")
            )
            # The version-bump rule compares with HEAD, as the pre-commit hook does.
            baseline, _ = find_baseline(root)
            state.checker.context = replace(state.checker.context, baseline=baseline)
        except InvitepackError as exc:
            state.error = exc
        state.stamps = state._current_stamps()
        return state

    def _watched(self) -> list[Path]:
        files = [self.root / MANIFEST]
        config = self.workspace.config.path if self.workspace and self.error is None else None
        files += [config] if config else []
        with contextlib.suppress(InvitepackError):
            files += local_plugin_files(self.root, self.manifest)
        return files

    def _current_stamps(self) -> tuple[tuple[str, float | None], ...]:
        try:
            config = find_config(self.start)
        except InvitepackError:
            config = None
        return (
            ("config", _stamp(config) if config else None),
            ("config-path", hash(str(config))),
            ("trust", _stamp(config_dir() / TRUST_FILE)),  # after `invitepack trust`, reload
            *((str(p), _stamp(p)) for p in self._watched()),
        )

    def stale(self) -> bool:
        """Has the manifest, the config (or which config applies) or a local plugin changed?"""
        return self._current_stamps() != self.stamps

    @property
    def account(self) -> str:
        return self.workspace.account if self.workspace and self.error is None else "free"

    @property
    def channels(self) -> dict[str, Any]:
        return self.checker.context.channels if self.checker else {}

    def renderer(self) -> Renderer:
        """A fresh renderer (its cache would otherwise grow with every keystroke)."""
        limits = self.workspace.config.limits if self.workspace and self.error is None else None
        return Renderer(self.root, limits)

    def checker_with(self, renderer: Renderer) -> Checker | None:
        if self.checker is None:
            return None
        return Checker(
            self.checker.plugins,
            replace(self.checker.context, renderer=renderer),
            self.checker.selection,
        )

    def templates_folder(self) -> Path:
        return templates_folder(self.root, self.manifest)

    def owns_template(self, path: Path) -> bool:
        """A Markdown file in the templates folder that is not documentation."""
        path = path.resolve()
        return (
            path.suffix == ".md"
            and not _DOC_FILE.match(path.name)
            and path.is_relative_to(self.templates_folder())
        )

    def scenarios(self) -> list[str]:
        """Scenario names the pack's templates (and the built-in pack's) already use."""
        if self._scenarios is None:
            from invitepack.pack.frontmatter import split_front_matter
            from invitepack.pack.resources import bundled_dir
            from invitepack.pack.yamlfile import parse_yaml

            found: set[str] = set()
            for folder in {self.templates_folder(), bundled_dir("templates")}:
                for path in sorted(folder.rglob("*.md"))[:500]:
                    try:
                        split = split_front_matter(path.read_text(encoding="utf-8-sig"), path)
                        data = parse_yaml(split.front_matter, path).data
                    except (OSError, UnicodeDecodeError, LoadError):
                        continue
                    if isinstance(data, dict) and isinstance(data.get("scenario"), str):
                        found.add(data["scenario"])
            self._scenarios = sorted(found)
        return self._scenarios


class PackStates:
    """The states of every pack the editor has files open in, reloaded when stale."""

    def __init__(self) -> None:
        self._states: dict[tuple[Path, Path], PackState] = {}

    def for_file(self, path: Path) -> PackState | None:
        """The state of the pack a file belongs to (pack.yaml or a template), or None."""
        root = pack_root_of(path)
        if root is None:
            return None
        key = (root, path.resolve().parent)
        state = self._states.get(key)
        if state is None or state.stale():
            state = self._states[key] = PackState.load(root, path.resolve().parent)
        return state

    def forget(self) -> None:
        """Drop every state: the next file analysed reloads its pack."""
        self._states.clear()
