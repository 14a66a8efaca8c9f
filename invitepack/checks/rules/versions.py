"""Version rules: a changed template must bump its version, and the pack's must move with it.

Compares each template with the baseline `validate` found (invitepack.checks.baseline): the
last commit in a pre-commit hook, or `validate --base REF` in CI. Without one (outside git,
before the first commit) it reports nothing; `validate` says that the check was skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from invitepack.checks.builtin import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding, Rule
from invitepack.checks.regexes import compiled
from invitepack.errors import LoadError, Location

TYPE_CHECKING = False
if TYPE_CHECKING:  # the version rule runs under validate, which has loaded them
    from typing import Any

    from invitepack.pack.loader import Pack
    from invitepack.pack.template import Template

VERSION_NOT_BUMPED = Rule(
    "IP713",
    "version-not-bumped",
    "error",
    "A template or the pack changed without a version bump.",
    "Teams pin and review templates by version. A template whose body, subject or variables "
    "changed needs a higher version; removing or renaming a required variable breaks anyone "
    "who fills it in, so it needs a new major version. The pack's version moves with its "
    "templates so that a release says what changed.",
    "Raise `version` (MAJOR for a removed or renamed required variable), and the pack's version.",
    "template",
)
_SEMVER = compiled(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?")


def semver_key(version: str) -> tuple[int, int, int, int, str]:
    """Order versions as SemVer does: a pre-release sorts before its release."""
    match = _SEMVER.match(version)
    if not match:
        return (0, 0, 0, 0, version)
    major, minor, patch, pre = match.groups()
    return (int(major), int(minor), int(patch), 0 if pre else 1, pre or "")


def _front_matter(text: str, path: Path) -> tuple[dict[str, Any], str] | None:
    from invitepack.pack.template import split_template

    try:
        split, doc = split_template(text, path)
    except LoadError:
        return None
    return (doc.data, split.body) if isinstance(doc.data, dict) else None


def _template_change(template: Template, committed: str, since: str) -> Finding | None:
    old = _front_matter(committed, template.path)
    if old is None:
        return None
    data, body = old
    old_version = str(data.get("version", ""))
    changed = (
        body != template.body
        or data.get("subject") != template.subject
        or data.get("variables") != template.variables
    )
    where = template.location("version")
    if changed and semver_key(template.version) <= semver_key(old_version):
        return VERSION_NOT_BUMPED.at(
            where,
            f"{template.id} changed since {since} but its version is still "
            f"{template.version} (was {old_version})",
        )
    lost = sorted(
        set((data.get("variables") or {}).get("required", []))
        - set(template.variables.get("properties", {}))
    )
    if lost and semver_key(template.version)[0] <= semver_key(old_version)[0]:
        return VERSION_NOT_BUMPED.at(
            where,
            f"{template.id} removed or renamed required variable(s) {', '.join(lost)}: "
            f"that needs a new major version, not {template.version} (was {old_version})",
        )
    return None


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [VERSION_NOT_BUMPED]


@hookimpl
def invitepack_check_pack(pack: Pack, context: CheckContext) -> Iterator[Finding]:
    base = context.baseline
    if base is None:
        return
    changed = False
    for template in sorted(
        (t for t in pack.templates.values() if pack.owns(t)), key=lambda t: t.id
    ):
        committed = base.read(template.path)
        changed = changed or committed != template.text
        finding = (
            _template_change(template, committed, base.described) if committed is not None else None
        )
        if finding:
            yield finding
    old_manifest = base.read(pack.manifest_path)
    if old_manifest is None or not changed:
        return
    from invitepack.pack.yamlfile import parse_yaml

    try:
        old_version = str(parse_yaml(old_manifest, pack.manifest_path).data.get("version", ""))
    except (LoadError, AttributeError):
        return
    if semver_key(pack.version) <= semver_key(old_version):
        yield VERSION_NOT_BUMPED.at(
            Location(pack.manifest_path, 1, 1),
            f"templates changed since {base.described} but the pack's version is still "
            f"{pack.version}",
            hint="raise `version` in pack.yaml (and note the change in the pack's CHANGELOG.md)",
        )
