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


def default_hooks_rev() -> str:
    """The release tag of this invitepack, e.g. v0.1.0: releases are tagged `v` + the version
    in pyproject.toml, with a CHANGELOG.md entry (a test keeps the three in step)."""
    return f"v{__version__}"


@dataclass
class Scaffold:
    """What `init` wrote, and what it left alone because it already existed."""

    root: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def write_new(path: Path, text: str, result: Scaffold) -> None:
    """Write a file atomically, never replacing one that exists."""
    (result.written if write_atomic(path, text.encode("utf-8")) else result.kept).append(path)


def _check_empty(target: Path, force: bool) -> None:
    """init writes only into a new or empty folder, or adds what is missing with force. A
    folder that holds only a repository's `.git` counts as empty: `git init` first is the
    usual start of a team's repo."""
    if target.exists() and not target.is_dir():
        raise InvitepackError(
            "not a folder", Location(target), hint="give a folder to create the files in"
        )
    if target.is_dir() and any(p.name != ".git" for p in target.iterdir()) and not force:
        raise InvitepackError(
            "this folder is not empty",
            Location(target),
            hint="choose a new folder, or pass --force to add what is missing (existing files "
            "are never overwritten)",
        )


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
# `rev` pins invitepack's hooks: a release tag, or a full commit id until the release you
# want is tagged (`invitepack init --hooks-rev COMMIT`). Update it with a reviewed change.
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      # The repo's own plugins (plugins/) run in its own hooks: trusted here, as the rest
      # of the repo's code that pre-commit runs. Elsewhere, `invitepack trust` allows them.
      - id: invitepack-validate
        args: [--trust-local-plugins]
        # Each hook runs in pre-commit's own environment: list the team's plugin
        # distributions here (pinned), e.g. [invitepack-acme-house-rules==1.0.0], and the
        # other hook gets the same list. A plugin that invitepack.toml requires
        # (require-plugins) and only one hook has makes the other hook fail.
        additional_dependencies: &plugins []
      - id: invitepack-validate-pack
        args: [--trust-local-plugins]
        additional_dependencies: *plugins
        # In CI, compare with the branch's merge base instead of the last commit:
        # INVITEPACK_BASE="$(git merge-base origin/main HEAD)" pre-commit run --all-files
"""


def _install_line(repo: str, rev: str) -> str:
    """How a teammate installs the invitepack these hooks run."""
    return f'pip install pre-commit "invitepack @ git+{repo}@{rev}"'


_README = """\
# {name}

Our outreach templates, checked by [invitepack]({repo}).

- `templates/`: one Markdown file per template (YAML front matter, Jinja2 body).
- `plugins/house_rules.py`: our own checker rules (see `invitepack rules TEAM101`).
- `invitepack.toml`: settings; `pack.yaml`: the pack's name and version;
  `CHANGELOG.md`: what changed in each version.

Every commit runs `invitepack validate` through pre-commit (the hooks are pinned in
`.pre-commit-config.yaml`). To render notes yourself, install the same invitepack:

    {install}
    pre-commit install

Render a note: `invitepack render candidate-approach --help`. Changing a template's body or
variables needs a higher `version` in it and in pack.yaml, and a line in CHANGELOG.md;
removing a required variable needs a new major version. CI can check a whole branch:
`invitepack validate --base "$(git merge-base origin/main HEAD)"`.
"""

_CHANGELOG = """\
# Changelog: {name}

What changed in each version of this pack. A template's `version` and the pack's `version` in
pack.yaml move together (invitepack's version-not-bumped rule checks it): MAJOR when a
template is removed or a required variable is removed or renamed, MINOR for new templates or
optional variables, PATCH for wording.

## 0.1.0

- The first templates, from `invitepack init`.
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
    _check_empty(target, force)
    result = Scaffold(target)
    builtin = bundled_dir("templates")
    sources = template_files(builtin, {"templates": "."})
    if not from_builtin:
        sources = [p for p in sources if p.stem in STARTER_TEMPLATES]
    name = _slug(target.resolve().name)
    rev = hooks_rev or default_hooks_rev()
    write_new(target / MANIFEST, _manifest(name), result)
    write_new(target / "invitepack.toml", _CONFIG, result)
    write_new(target / ".pre-commit-config.yaml", _pre_commit(hooks_repo, rev), result)
    readme = _README.format(name=name, repo=hooks_repo, install=_install_line(hooks_repo, rev))
    write_new(target / "README.md", readme, result)
    write_new(target / "CHANGELOG.md", _CHANGELOG.format(name=name), result)
    write_new(
        target / "plugins" / "house_rules.py",
        data_file("scaffold/house_rules.py").read_text(encoding="utf-8"),
        result,
    )
    for source in sources:
        write_new(target / "templates" / source.name, source.read_text(encoding="utf-8"), result)
    return result


PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_PLUGIN_FILES = {
    "pyproject.toml": "pyproject.toml.in",
    "README.md": "README.md.in",
    "src/{package}/__init__.py": "__init__.py.in",
    "src/{package}/py.typed": None,
    "tests/test_rules.py": "test_rules.py.in",
}


def plugin_prefix(name: str) -> str:
    """A rule-code prefix from a plugin's name: its first word's letters, in capitals, at
    most four (acme-rules -> ACME); never invitepack's own IP."""
    letters = re.sub(r"[^a-z]", "", name.split("-")[0]).upper()[:4] or "X"
    return "IPX" if letters == "IP" else letters


def scaffold_plugin(
    target: Path, name: str, *, prefix: str | None = None, force: bool = False
) -> Scaffold:
    """Create a plugin distribution for `name` in target: pyproject.toml with the entry point,
    one rule, tests using invitepack.testing, a README. It passes its own tests once
    installed (`pip install -e '.[test]' && python -m pytest`)."""
    if not PLUGIN_NAME.match(name):
        raise InvitepackError(
            f"plugin name {name!r} must be kebab-case, e.g. acme-rules",
            hint="it becomes the entry-point name that `invitepack plugins` shows",
        )
    prefix = prefix or plugin_prefix(name)
    if not re.fullmatch(r"[A-Z]{1,4}", prefix) or prefix == "IP":
        raise InvitepackError(
            f"code prefix {prefix!r} must be one to four capitals, not IP (invitepack's own)",
            hint="e.g. --prefix ACME for codes ACME101, ACME102, ...",
        )
    _check_empty(target, force)
    package = "invitepack_" + name.replace("-", "_")
    values = {
        "__NAME__": name,
        "__DIST__": f"invitepack-{name}",
        "__PACKAGE__": package,
        "__PREFIX__": prefix,
        "__INVITEPACK_VERSION__": __version__,
        "__INVITEPACK_REV__": default_hooks_rev(),
    }
    result = Scaffold(target)
    for rel, source in _PLUGIN_FILES.items():
        text = ""
        if source is not None:
            text = data_file(f"scaffold/plugin/{source}").read_text(encoding="utf-8")
            for token, value in values.items():
                text = text.replace(token, value)
        write_new(target / rel.format(package=package), text, result)
    return result
