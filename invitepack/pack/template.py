"""Templates: one Markdown file with YAML front matter, parsed and checked against the schema."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invitepack.errors import LoadError, Location
from invitepack.pack.frontmatter import SplitFile, split_front_matter
from invitepack.pack.limits import Limits
from invitepack.pack.manifest import MANIFEST, templates_folder
from invitepack.pack.textfile import read_text

if TYPE_CHECKING:
    from invitepack.pack.yamlfile import YamlDocument

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
    text: str = field(default="", repr=False, compare=False)  # the whole file, as read

    @property
    def account(self) -> str | None:
        """The account tier a `variant: premium` (or `variant: free`) template is written
        for; None for a template meant for any account."""
        from invitepack.pack.channels import ACCOUNT_TIERS

        return self.variant if self.variant in ACCOUNT_TIERS else None

    @property
    def required(self) -> list[str]:
        """Names of the required variables, in declaration order."""
        required = set(self.variables.get("required", []))
        return [name for name in self.variables.get("properties", {}) if name in required]

    def location(self, *json_path: str | int) -> Location:
        """Where a front-matter key (e.g. 'examples', 0) stands in the file."""
        return self.source.location(json_path)


def is_doc_file(path: Path) -> bool:
    """README.md, CHANGELOG.md and the like: documentation beside templates, not one."""
    return bool(_DOC_FILE.match(path.name))


def is_template_file(path: Path, folder: Path, listed_regular: bool = False) -> bool:
    """A Markdown file inside the templates folder that is not documentation (README.md).

    `listed_regular`: a walk of the resolved folder that follows no symlink listed it as a
    regular file, so it is where its path says, and neither resolve() (a system call per
    folder on its path) nor a stat is needed."""
    return (
        path.suffix == ".md"
        and not is_doc_file(path)
        and (listed_regular or (path.resolve().is_relative_to(folder) and path.is_file()))
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
    return [
        path
        for path, regular in _markdown_entries(folder)
        if is_template_file(path, folder, listed_regular=regular)
    ]


def markdown_files(folder: Path) -> list[Path]:
    """The .md files under a folder, sorted. Symlinked folders are not followed: one pointing
    outside would be walked (`/usr`), and one pointing inside would list its files twice."""
    return [path for path, _ in _markdown_entries(folder)]


def _markdown_entries(folder: Path) -> list[tuple[Path, bool]]:
    """markdown_files, each with whether it is a regular file and no symlink (what the
    directory listing says, without a system call per file)."""
    found = []
    for current, entries in _walk(folder):
        found += [
            (Path(current, entry.name), _regular(entry))
            for entry in entries
            if entry.name.endswith(".md")
        ]
    return sorted(found)


def _regular(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:  # gone since it was listed: is_template_file will say so
        return False


def _walk(folder: str | Path) -> Iterator[tuple[str | Path, list[os.DirEntry[str]]]]:
    """os.walk(folder, followlinks=False), top down, giving each folder's entries that are not
    folders as os.DirEntry objects (os.walk gives only their names); unreadable folders are
    skipped, as os.walk skips them."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    files: list[os.DirEntry[str]] = []
    folders: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        (folders if is_dir else files).append(entry)
    yield folder, files
    for entry in folders:
        if not entry.is_symlink():
            yield from _walk(entry.path)


def read_template(path: Path, limits: Limits) -> tuple[Template | None, list[LoadError]]:
    """Parse one template file; return it (None if unusable) and every problem found."""
    try:
        text = read_text(path, limits.max_file_bytes, "template")
    except LoadError as exc:
        return None, [exc]
    return parse_template(text, path)


def split_template(text: str, path: Path) -> tuple[SplitFile, YamlDocument]:
    """A template file's text split into front matter and body, the front matter parsed (not
    yet checked against the schema): how every reader of a template file starts, this one's
    or a committed version's."""
    from invitepack.pack.yamlfile import parse_yaml

    split = split_front_matter(text, path)
    return split, parse_yaml(split.front_matter, path, split.front_matter_line)


def parse_template(text: str, path: Path) -> tuple[Template | None, list[LoadError]]:
    """Parse a template from its text (an editor's unsaved buffer, too), as read_template does."""
    from invitepack.pack.schemas import schema_errors

    try:
        split, doc = split_template(text, path)
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
        text=text,
    )
    return template, problems


def load_template(path: Path, limits: Limits) -> Template:
    """Parse one template file, raising its first problem."""
    template, problems = read_template(path, limits)
    if problems:
        raise first_problem(problems)
    assert template is not None
    return template


def first_problem(problems: list[LoadError]) -> LoadError:
    first = problems[0]
    if len(problems) > 1:
        first.hint = (first.hint + "; " if first.hint else "") + (
            f"{len(problems) - 1} more problem(s): run `invitepack validate` to see them all"
        )
    return first
