"""Which rules run: `select`, `ignore` and per-file ignores, by code, code prefix or name."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path

from invitepack.checks.findings import Finding, Rule
from invitepack.checks.regexes import compiled
from invitepack.errors import LoadError

_CODE_PREFIX = compiled(r"[A-Z]{1,4}[0-9]{0,3}")


def matches(selector: str, rule: Rule) -> bool:
    """A selector names a rule by code (IP301), code prefix (IP3, IP) or name (sales-pitch)."""
    if _CODE_PREFIX.fullmatch(selector):
        return rule.code.startswith(selector)
    return rule.name == selector


class Selection:
    """Decides whether a finding is reported."""

    def __init__(
        self,
        rules: Iterable[Rule],
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        per_file_ignores: dict[str, tuple[str, ...]] | None = None,
        base: Path | None = None,
    ):
        self.rules = {rule.code: rule for rule in rules}
        self.select = tuple(select)
        self.ignore = tuple(ignore)
        self.per_file = per_file_ignores or {}
        # No selector at all: every rule is reported, and no finding need be asked about.
        self.reports_all = not (self.select or self.ignore or self.per_file)
        self.base = (base or Path.cwd()).resolve()
        everything = [*self.select, *self.ignore, *(s for v in self.per_file.values() for s in v)]
        unknown = [s for s in everything if not any(matches(s, r) for r in self.rules.values())]
        if unknown:
            raise LoadError(
                f"unknown rule selector(s): {', '.join(sorted(set(unknown)))}",
                hint="use a code (IP301), a code prefix (IP3) or a name (sales-pitch); "
                "`invitepack rules` lists them",
            )

    def enabled(self, code: str, path: Path | None = None) -> bool:
        """Is a rule code reported (for this file)?"""
        rule = self.rules.get(code)
        if rule is None or self.reports_all:
            return True
        if self.select and not any(matches(s, rule) for s in self.select):
            return False
        if any(matches(s, rule) for s in self.ignore):
            return False
        if path is not None and self.per_file:
            for glob, selectors in self.per_file.items():
                if self._glob_matches(glob, path) and any(matches(s, rule) for s in selectors):
                    return False
        return True

    def _glob_matches(self, glob: str, path: Path) -> bool:
        """Globs are relative to the config file's folder (or match the file name alone)."""
        try:
            relative = path.resolve().relative_to(self.base).as_posix()
        except ValueError:
            relative = path.as_posix()
        return fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(path.name, glob)

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings that are reported, sorted by place."""
        if self.reports_all:
            return sorted(findings, key=Finding.sort_key)
        return sorted(
            (f for f in findings if self.enabled(f.code, f.location.path)), key=Finding.sort_key
        )
