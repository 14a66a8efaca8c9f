"""Finding a pack and reading its manifest, pack.yaml: where its templates are, which pack it
extends, and whether this invitepack is among the versions it works with."""

from __future__ import annotations

from pathlib import Path

from invitepack.errors import LoadError, Location
from invitepack.pack.limits import Limits
from invitepack.pack.resources import bundled_dir
from invitepack.pack.textfile import read_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from invitepack.pack.yamlfile import YamlDocument

MANIFEST = "pack.yaml"
BUILTIN = "builtin"


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
    from invitepack.pack.yamlfile import parse_yaml

    path = root / MANIFEST
    data = parse_yaml(read_text(path, limits.max_file_bytes, "pack manifest"), path).data
    return data if isinstance(data, dict) else {}


def read_manifest(root: Path, limits: Limits) -> tuple[dict[str, Any], list[LoadError]]:
    """The pack manifest and any problems with it (empty when valid)."""
    path = root / MANIFEST
    return parse_manifest(read_text(path, limits.max_file_bytes, "pack manifest"), path)


def parse_manifest(text: str, path: Path) -> tuple[dict[str, Any], list[LoadError]]:
    """A manifest's data and problems from its text (an editor's unsaved buffer, too)."""
    from invitepack.pack.schemas import schema_errors
    from invitepack.pack.yamlfile import parse_yaml

    doc = parse_yaml(text, path)
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
    """The folder that holds a pack's templates, which must lie inside the pack (symlinks
    resolved), as included files must: `templates: ..` or `/usr` would read, or walk, files
    the pack does not own."""
    spec = str(manifest.get("templates", "templates"))
    pack = root.resolve()
    try:
        folder = (pack / spec).resolve()
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a name too long, a symlink loop
        folder = None
    if folder is None or not folder.is_relative_to(pack):
        raise LoadError(
            f"`templates: {spec!r}` is outside the pack's folder",
            Location(root / MANIFEST),
            hint="name a folder inside the pack, e.g. `templates: templates`",
        )
    return folder


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
