"""A whole pack: its templates by id (with those of the pack it extends), and looking one up
by id or by scenario and channel."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invitepack.errors import LoadError
from invitepack.pack.limits import Limits
from invitepack.pack.manifest import MANIFEST, read_manifest, resolve_extends
from invitepack.pack.resources import bundled_dir
from invitepack.pack.template import Template, first_problem, load_template, template_files

DEFAULT_CHANNEL = "linkedin-invite"


@dataclass
class Pack:
    """A folder with a pack.yaml manifest and templates."""

    root: Path
    manifest: dict[str, Any]
    templates: dict[str, Template]
    builtin: bool = False

    @property
    def name(self) -> str:
        return str(self.manifest["name"])

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def owns(self, template: Template) -> bool:
        """Is the template this pack's own, rather than one from the pack it extends?"""
        return template.path.resolve().is_relative_to(self.root)

    def find(
        self,
        name: str,
        channel: str | None = None,
        account: str | None = None,
        variant: str | None = None,
    ) -> Template:
        """A template by id, or by scenario for a channel (default: linkedin-invite).

        Of a scenario's templates for one channel, the one without a `variant` is the default;
        for an `account` tier with a template of its own (`variant: premium`), that one; a
        `variant` (brief, warm, premium, ...) names one outright.
        """
        if name in self.templates:
            template = self.templates[name]
            if channel and template.channel != channel:
                raise LoadError(
                    f"template {name!r} is for channel {template.channel!r}, not {channel!r}",
                    hint=f"use the scenario name: invitepack render {template.scenario} "
                    f"--channel {channel}",
                )
            return template
        wanted = channel or DEFAULT_CHANNEL
        in_scenario = [t for t in self.templates.values() if t.scenario == name]
        matches = [t for t in in_scenario if t.channel == wanted]
        if not matches:
            if in_scenario:
                have = sorted({t.channel for t in in_scenario})
                close = difflib.get_close_matches(wanted, have, n=1)
                raise LoadError(
                    f"scenario {name!r} has no template for channel {wanted!r}",
                    hint=(f"did you mean {close[0]}? " if close else "")
                    + f"it has: {', '.join(have)} (choose one with --channel)",
                )
            known = sorted({*self.templates, *(t.scenario for t in self.templates.values())})
            close = difflib.get_close_matches(name, known, n=3)
            hint = (
                f"did you mean {' or '.join(close)}?"
                if close
                else "run `invitepack list` to see them"
            )
            raise LoadError(
                f"no template or scenario named {name!r} in pack {self.name!r}", hint=hint
            )
        if variant is not None:
            chosen = [t for t in matches if t.variant == variant]
            if not chosen:
                have = sorted({t.variant for t in matches if t.variant})
                close = difflib.get_close_matches(variant, have, n=1)
                raise LoadError(
                    f"scenario {name!r} has no {variant!r} variant for channel {wanted!r}",
                    hint=(f"did you mean {close[0]}? " if close else "")
                    + (f"it has: {', '.join(have)}" if have else "it has no variants"),
                )
            return min(chosen, key=lambda t: (not self.owns(t), t.id))
        tiered = [t for t in matches if account is not None and t.account == account]
        defaults = tiered or [t for t in matches if t.variant is None] or matches
        # A pack's own template wins over the one it extends.
        return min(defaults, key=lambda t: (not self.owns(t), t.id))


def duplicate_ids(templates: list[Template]) -> list[LoadError]:
    """A problem for each template whose id another template already has."""
    seen: dict[str, Template] = {}
    problems = []
    for template in templates:
        if template.id in seen:
            problems.append(
                LoadError(
                    f"duplicate template id {template.id!r} (also in {seen[template.id].path})",
                    template.location("id"),
                    hint="give each template its own id",
                )
            )
        else:
            seen[template.id] = template
    return problems


def load_pack(
    root: Path, limits: Limits | None = None, _seen: frozenset[Path] = frozenset()
) -> Pack:
    """Load a whole pack strictly: the first problem is raised as a LoadError (exit 2)."""
    limits = limits or Limits()
    root = root.resolve()
    manifest, problems = read_manifest(root, limits)
    if problems:
        raise first_problem(problems)
    templates = [load_template(path, limits) for path in template_files(root, manifest)]
    problems = duplicate_ids(templates)
    if problems:
        raise first_problem(problems)
    by_id = {t.id: t for t in templates}
    if "extends" in manifest:
        base = load_pack(resolve_extends(root, manifest, _seen), limits, _seen | {root})
        by_id = {**base.templates, **by_id}
    return Pack(
        root=root,
        manifest=manifest,
        templates=by_id,
        builtin=root == bundled_dir("templates").resolve(),
    )
