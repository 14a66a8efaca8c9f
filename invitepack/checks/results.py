"""What a run found and how it ends: the outcome, the exit policy and the exit codes.

Results are collected apart from output: `check`, `validate`, `render` and batch fill an
Outcome; reporters print it; ExitPolicy turns it into the process's exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import IntEnum
from pathlib import Path

from invitepack.checks.findings import Finding, Rule
from invitepack.checks.verdict import Verdict
from invitepack.errors import InvitepackError, Location, printable
from invitepack.severities import SEVERITY_RANK


class ExitCode(IntEnum):
    """Every command's exit codes (README, "Using it")."""

    CLEAN = 0  # every note fit to send, nothing at the fail level
    FINDINGS = 1  # a note to revise, findings at the fail level, a batch row that failed
    ERROR = 2  # usage, input or plugin errors: the user can fix them
    INTERNAL = 3  # a bug in invitepack (or a crash it could not pin on a plugin)


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that raised, exited or returned the wrong thing (exit 2).

    `path` and `label` say what it was checking (a note file, a template and which example
    or row); `traceback` is shown with --debug; `repeats` counts the further calls that failed
    the same way, which are reported once, not once per note."""

    plugin: str
    hook: str
    error: str
    path: Path | None
    label: str | None = None
    traceback: str = field(default="", compare=False, repr=False)
    exception: BaseException | None = field(default=None, compare=False, repr=False)
    repeats: int = 0

    def __str__(self) -> str:
        where = f" while checking {printable(str(self.path))}" if self.path else ""
        if self.label:
            label = printable(self.label)
            where += f" ({label})" if self.path else f" while checking {label}"
        more = ""
        if self.repeats:
            noun = _CHECKED.get(self.hook, "note")
            more = f" (and {self.repeats} more {noun}{'' if self.repeats == 1 else 's'})"
        return f"plugin {self.plugin!r} failed in {self.hook}{where}: {printable(self.error)}{more}"

    def same_as(self, other: PluginFailure) -> bool:
        """The same plugin failing the same way in the same hook (on another note)."""
        return (self.plugin, self.hook, self.error) == (other.plugin, other.hook, other.error)


# What each hook is called on, for "(and 3 more notes)".
_CHECKED = {"invitepack_check_template": "template", "invitepack_check_pack": "pack"}


@dataclass(frozen=True)
class HookResult:
    """What one hook call returned: the plugins' findings, and the plugins that failed."""

    findings: list[Finding] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)


@dataclass(frozen=True)
class NoteVerdict:
    """The verdict on one note: where the note is (a file, or a template's example) and
    which rendering it was."""

    location: Location
    label: str | None
    verdict: Verdict


@dataclass(frozen=True)
class ExitPolicy:
    """What fails a run: a note whose verdict is "revise", and any finding at or above
    `fail-level` (default error); `exit_zero` turns both off."""

    fail_level: str = "error"
    exit_zero: bool = False

    def fails(self, finding: Finding) -> bool:
        """Is this finding at or above the fail level?"""
        return SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[self.fail_level]

    def code(self, outcome: Outcome) -> ExitCode:
        """2 for plugin or input errors; 1 for a note to revise or a finding at the fail
        level; else 0."""
        if outcome.failures or outcome.errors:
            return ExitCode.ERROR
        if self.exit_zero:
            return ExitCode.CLEAN
        if outcome.to_revise or any(self.fails(f) for f in outcome.findings):
            return ExitCode.FINDINGS
        return ExitCode.CLEAN


@dataclass
class Outcome:
    """Everything one run found: findings, each note's verdict, plugin failures and input
    errors, with the rules that reporters explain and the policy that decides the exit code."""

    findings: list[Finding] = field(default_factory=list)
    verdicts: list[NoteVerdict] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)
    errors: list[InvitepackError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what was not checked, and why
    checked: int = 0
    what: str = "note"
    rules: dict[str, Rule] = field(default_factory=dict)
    policy: ExitPolicy = field(default_factory=ExitPolicy)

    @property
    def to_revise(self) -> list[NoteVerdict]:
        """The notes whose verdict is "revise"."""
        return [v for v in self.verdicts if v.verdict.revise]

    def take(self, result: HookResult) -> list[Finding]:
        """Record a hook call's plugin failures; return its findings for the caller to filter.

        A failure like one already recorded (same plugin, hook and error, on another note or
        example) is counted on the first, so a plugin that fails on everything is reported
        once, naming the first thing it failed on."""
        for failure in result.failures:
            for index, seen in enumerate(self.failures):
                if seen.same_as(failure):
                    self.failures[index] = replace(seen, repeats=seen.repeats + 1)
                    break
            else:
                self.failures.append(failure)
        return result.findings

    def exit_code(self, exit_zero: bool = False) -> ExitCode:
        """The exit code under this outcome's policy (`--exit-zero` turns findings off)."""
        policy = replace(self.policy, exit_zero=True) if exit_zero else self.policy
        return policy.code(self)
