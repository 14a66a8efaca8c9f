"""`invitepack init`: scaffold a team template repo that passes its own hooks out of the box."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from invitepack import __version__
from invitepack.errors import InvitepackError, Location
from invitepack.pack.files import write_atomic
from invitepack.pack.manifest import MANIFEST
from invitepack.pack.resources import bundled_dir, data_file
from invitepack.pack.template import template_files

STARTER_TEMPLATES = (
    "seeking-work-invite",
    "offering-skills-invite",
    "genuine-networking-invite",
    "candidate-approach-invite",
)
DEFAULT_HOOKS_REPO = "https://github.com/invitepack/invitepack"


@dataclass
class Scaffold:
    """What `init` wrote, and what it left alone because it already existed."""

    root: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def write_new(path: Path, text: str, result: Scaffold) -> None:
    """Write a file atomically, never replacing one that exists."""
    (result.written if write_atomic(path, text.encode("utf-8")) else result.kept).append(path)


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9_.-]+", "-", name.lower()).strip("-.") or "team-outreach"
    return slug[:64]


def _manifest(name: str) -> str:
    return f"""\
# The pack manifest. Schema: `invitepack schema pack`.
name: {name}
version: "0.1.0"
description: Our team's outreach templates.
invitepack: ">={__version__}"
templates: templates
# Local checker plugins: code that runs when anyone validates this pack. List only files you trust.
plugins: [plugins/house_rules.py]
settings:
  company: Your Company
"""


_CONFIG = """\
# invitepack settings for this repo. Every key: README of invitepack, "Configuration".
account = "free"            # LinkedIn notes are checked against 200 characters (premium: 300)
fail-level = "warning"      # a team's own templates stay clean: any warning fails the commit
require-plugins = ["house_rules"]   # a missing house plugin is an error, not a silent skip
"""


def _pre_commit(repo: str, rev: str) -> str:
    return f"""\
# Run: pip install pre-commit && pre-commit install
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      # The repo's own plugins (plugins/) run in its own hooks: trusted here, as the rest
      # of the repo's code that pre-commit runs. Elsewhere, `invitepack trust` allows them.
      - id: invitepack-validate
        args: [--trust-local-plugins]
      - id: invitepack-validate-pack
        args: [--trust-local-plugins]
        # Installed team plugins go here, e.g. [invitepack-acme-house-rules==1.0.0]
        additional_dependencies: []
"""


_README = """\
# {name}

Our outreach templates, checked by [invitepack](https://pypi.org/project/invitepack/).

- `templates/`: one Markdown file per template (YAML front matter, Jinja2 body).
- `plugins/house_rules.py`: our own checker rules (see `invitepack rules TEAM101`).
- `invitepack.toml`: settings; `pack.yaml`: the pack's name and version.

Every commit runs `invitepack validate` through pre-commit:

    pip install pre-commit invitepack && pre-commit install

Render a note: `invitepack render candidate-approach --help`. Changing a template's body or
variables needs a higher `version` in it and in pack.yaml; removing a required variable needs
a new major version.
"""


def scaffold(
    target: Path,
    *,
    force: bool = False,
    from_builtin: bool = False,
    hooks_repo: str = DEFAULT_HOOKS_REPO,
    hooks_rev: str | None = None,
) -> Scaffold:
    """Create a team template repo in target (which must be empty unless force)."""
    if target.exists() and not target.is_dir():
        raise InvitepackError(
            "not a folder", Location(target), hint="give a folder to create the template repo in"
        )
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InvitepackError(
            "this folder is not empty",
            Location(target),
            hint="choose a new folder, or pass --force to add what is missing (existing files "
            "are never overwritten)",
        )
    result = Scaffold(target)
    builtin = bundled_dir("templates")
    sources = template_files(builtin, {"templates": "."})
    if not from_builtin:
        sources = [p for p in sources if p.stem in STARTER_TEMPLATES]
    name = _slug(target.resolve().name)
    write_new(target / MANIFEST, _manifest(name), result)
    write_new(target / "invitepack.toml", _CONFIG, result)
    write_new(
        target / ".pre-commit-config.yaml",
        _pre_commit(hooks_repo, hooks_rev or f"v{__version__}"),
        result,
    )
    write_new(target / "README.md", _README.format(name=name), result)
    write_new(
        target / "plugins" / "house_rules.py",
        data_file("scaffold/house_rules.py").read_text(encoding="utf-8"),
        result,
    )
    for source in sources:
        write_new(target / "templates" / source.name, source.read_text(encoding="utf-8"), result)
    return result
