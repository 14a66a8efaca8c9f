"""Packs and templates: finding a pack, reading its manifest and templates, looking one up."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invitepack.errors import LoadError, Location
from invitepack.frontmatter import split_front_matter
from invitepack.limits import Limits
from invitepack.resources import bundled_dir
from invitepack.textfile import read_text

if TYPE_CHECKING:
    from invitepack.yamlfile import YamlDocument

MANIFEST = "pack.yaml"
DEFAULT_CHANNEL = "linkedin-invite"
BUILTIN = "builtin"
# README.md, CHANGELOG.md and the like document a pack; template ids are lower-case.
_DOC_FILE = re.compile(r"^[A-Z][A-Z0-9_-]*\.md$")


@dataclass(frozen=True)
class Template:
    """One parsed template: its front matter, Jinja2 body and where each came from."""

    id: str
    version: str
    scenario: str
    channel: str
    title: str
    description: str
    guidance: str
    variables: dict[str, Any]
    examples: list[dict[str, Any]]
    body: str
    body_line: int
    path: Path
    source: YamlDocument = field(repr=False, compare=False)
    subject: str | None = None
    variant: str | None = None

    @property
    def required(self) -> list[str]:
        """Names of the required variables, in declaration order."""
        required = set(self.variables.get("required", []))
        return [name for name in self.variables.get("properties", {}) if name in required]

    def location(self, *json_path: str | int) -> Location:
        """Where a front-matter key (e.g. 'examples', 0) stands in the file."""
        return self.source.location(json_path)


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

    def find(self, name: str, channel: str | None = None) -> Template:
        """A template by id, or by scenario for a channel (default: linkedin-invite).

        Of a scenario's templates for one channel, the one without a `variant` is the default.
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
                raise LoadError(
                    f"scenario {name!r} has no template for channel {wanted!r}",
                    hint=f"it has: {', '.join(have)} (choose one with --channel)",
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
        defaults = [t for t in matches if t.variant is None] or matches
        # A pack's own template wins over the one it extends.
        return min(defaults, key=lambda t: (not self.owns(t), t.id))


def locate_pack(spec: str | None, start: Path | None = None) -> Path:
    """The pack folder: --pack PATH or 'builtin'; else the nearest pack.yaml upwards, or builtin."""
    if spec == BUILTIN:
        return bundled_dir("templates")
    if spec is not None:
        path = Path(spec)
        root = path.parent if path.name == MANIFEST else path
        if not (root / MANIFEST).is_file():
            raise LoadError(
                "no pack.yaml here",
                Location(root),
                hint="give the folder that holds pack.yaml, or --pack builtin",
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MANIFEST).is_file():
            return folder
    return bundled_dir("templates")


def manifest_data(root: Path, limits: Limits) -> dict[str, Any]:
    """The manifest's data without schema validation: what `check` needs (plugins, settings),
    without paying for jsonschema on every commit. `validate` checks the manifest fully."""
    from invitepack.yamlfile import parse_yaml

    path = root / MANIFEST
    data = parse_yaml(read_text(path, limits.max_file_bytes, "pack manifest"), path).data
    return data if isinstance(data, dict) else {}


def read_manifest(root: Path, limits: Limits) -> tuple[dict[str, Any], list[LoadError]]:
    """The pack manifest and any problems with it (empty when valid)."""
    from invitepack.schemas import schema_errors
    from invitepack.yamlfile import parse_yaml

    path = root / MANIFEST
    doc = parse_yaml(read_text(path, limits.max_file_bytes, "pack manifest"), path)
    if not isinstance(doc.data, dict):
        return {}, [
            LoadError("pack.yaml must be a mapping of keys to values", Location(path, 1, 1))
        ]
    problems = [LoadError(msg, loc, hint) for loc, msg, hint in schema_errors("pack", doc)]
    if not problems:
        problems += _compatibility(doc)
    return doc.data, problems


def _compatibility(doc: YamlDocument) -> list[LoadError]:
    """A problem if this invitepack is not among the versions the pack says it works with."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from invitepack import __version__

    wanted = str(doc.data["invitepack"])
    where = doc.location(["invitepack"])
    try:
        specifier = SpecifierSet(wanted)
    except InvalidSpecifier:
        return [
            LoadError(
                f"invitepack: {wanted!r} is not a version specifier",
                where,
                hint='write it as in pip, e.g. ">=0.1,<2"',
            )
        ]
    if not specifier.contains(__version__, prereleases=True):
        return [
            LoadError(
                f"this pack needs invitepack {wanted}, and this is invitepack {__version__}",
                where,
                hint="pip install --upgrade invitepack, or use a pack made for this version",
            )
        ]
    return []


def templates_folder(root: Path, manifest: dict[str, Any]) -> Path:
    """The folder that holds a pack's templates."""
    return (root / str(manifest.get("templates", "templates"))).resolve()


def is_template_file(path: Path, folder: Path) -> bool:
    """A Markdown file inside the templates folder that is not documentation (README.md)."""
    return (
        path.suffix == ".md"
        and not _DOC_FILE.match(path.name)
        and path.resolve().is_relative_to(folder)
        and path.is_file()
    )


def template_files(root: Path, manifest: dict[str, Any]) -> list[Path]:
    """Every template file of a pack, sorted; documentation files are skipped."""
    folder = templates_folder(root, manifest)
    if not folder.is_dir():
        raise LoadError(
            f"the pack's templates folder {folder.name!r} does not exist",
            Location(root / MANIFEST),
            hint="create it, or set `templates:` in pack.yaml to the folder that holds the "
            ".md files",
        )
    return sorted(p for p in folder.rglob("*.md") if is_template_file(p, folder))


def read_template(path: Path, limits: Limits) -> tuple[Template | None, list[LoadError]]:
    """Parse one template file; return it (None if unusable) and every problem found."""
    from invitepack.schemas import schema_errors
    from invitepack.yamlfile import parse_yaml

    try:
        split = split_front_matter(read_text(path, limits.max_file_bytes, "template"), path)
        doc = parse_yaml(split.front_matter, path, split.front_matter_line)
    except LoadError as exc:
        return None, [exc]
    if not isinstance(doc.data, dict):
        return None, [
            LoadError("front matter must be a mapping of keys to values", Location(path, 2, 1))
        ]
    problems = [LoadError(msg, loc, hint) for loc, msg, hint in schema_errors("template", doc)]
    if problems:
        return None, problems
    data = doc.data
    if data["id"] != path.stem:
        problems.append(
            LoadError(
                f"id {data['id']!r} does not match the file name {path.name!r}",
                doc.location(["id"]),
                hint=f"rename the file to {data['id']}.md or set id: {path.stem}",
            )
        )
    template = Template(
        id=data["id"],
        version=data["version"],
        scenario=data["scenario"],
        channel=data["channel"],
        title=data["title"],
        description=data["description"],
        guidance=data["guidance"],
        variables=data["variables"],
        examples=data["examples"],
        body=split.body,
        body_line=split.body_line,
        path=path,
        source=doc,
        subject=data.get("subject"),
        variant=data.get("variant"),
    )
    return template, problems


def load_template(path: Path, limits: Limits) -> Template:
    """Parse one template file, raising its first problem."""
    template, problems = read_template(path, limits)
    if problems:
        raise _first(problems)
    assert template is not None
    return template


def _first(problems: list[LoadError]) -> LoadError:
    first = problems[0]
    if len(problems) > 1:
        first.hint = (first.hint + "; " if first.hint else "") + (
            f"{len(problems) - 1} more problem(s): run `invitepack validate` to see them all"
        )
    return first


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
        raise _first(problems)
    templates = [load_template(path, limits) for path in template_files(root, manifest)]
    problems = duplicate_ids(templates)
    if problems:
        raise _first(problems)
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


def resolve_extends(
    root: Path, manifest: dict[str, Any], seen: frozenset[Path] = frozenset()
) -> Path:
    """The folder of the pack that this one extends; a cycle is an error."""
    spec = str(manifest["extends"])
    base = bundled_dir("templates").resolve() if spec == BUILTIN else (root / spec).resolve()
    if base == root or base in seen:
        raise LoadError(
            "pack.yaml `extends` makes a cycle",
            Location(root / MANIFEST),
            hint="extend a different pack",
        )
    if not (base / MANIFEST).is_file():
        raise LoadError(
            f"pack.yaml extends {spec!r}, which has no pack.yaml",
            Location(root / MANIFEST),
            hint="use `extends: builtin` or a path to a pack folder",
        )
    return base
