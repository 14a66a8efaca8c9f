"""What a run found and how it ends: the outcome, the exit policy and the exit codes.

Results are collected apart from output: `check`, `validate`, `render` and batch fill an
Outcome; reporters print it; ExitPolicy turns it into the process's exit code.
"""

from __future__ import annotations

from enum import IntEnum

from invitepack.records import Record
from invitepack.severities import SEVERITY_RANK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from invitepack.checks.failures import PluginFailure
    from invitepack.checks.findings import Finding, Rule
    from invitepack.checks.verdict import Verdict
    from invitepack.errors import InvitepackError, Location


class ExitCode(IntEnum):
    """Every command's exit codes (README, "Using it")."""

    CLEAN = 0  # every note fit to send, nothing at the fail level
    FINDINGS = 1  # a note to revise, findings at the fail level, a batch row that failed
    ERROR = 2  # usage, input or plugin errors: the user can fix them
    INTERNAL = 3  # a bug in invitepack (or a crash it could not pin on a plugin)


class HookResult(Record):
    """What one hook call returned: the plugins' findings, and the plugins that failed."""

    __slots__ = ("failures", "findings")
    findings: list[Finding]
    failures: list[PluginFailure]

    def __init__(
        self, findings: list[Finding] | None = None, failures: list[PluginFailure] | None = None
    ) -> None:
        self._fill([] if findings is None else findings, [] if failures is None else failures)


class NoteVerdict(Record):
    """The verdict on one note: where the note is (a file, or a template's example) and
    which rendering it was."""

    __slots__ = ("label", "location", "verdict")
    location: Location
    label: str | None
    verdict: Verdict

    def __init__(self, location: Location, label: str | None, verdict: Verdict) -> None:
        self._fill(location, label, verdict)


class ExitPolicy(Record):
    """What fails a run: a note whose verdict is "revise", and any finding at or above
    `fail-level` (default error); `exit_zero` turns both off."""

    __slots__ = ("exit_zero", "fail_level")
    fail_level: str
    exit_zero: bool

    def __init__(self, fail_level: str = "error", exit_zero: bool = False) -> None:
        self._fill(fail_level, exit_zero)

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


class Outcome:
    """Everything one run found: findings, each note's verdict, plugin failures and input
    errors, with the rules that reporters explain and the policy that decides the exit code."""

    __slots__ = (
        "checked",
        "errors",
        "failures",
        "findings",
        "notices",
        "policy",
        "rules",
        "verdicts",
        "what",
    )

    def __init__(
        self,
        findings: list[Finding] | None = None,
        verdicts: list[NoteVerdict] | None = None,
        failures: list[PluginFailure] | None = None,
        errors: list[InvitepackError] | None = None,
        notices: list[str] | None = None,
        checked: int = 0,
        what: str = "note",
        rules: dict[str, Rule] | None = None,
        policy: ExitPolicy | None = None,
    ) -> None:
        self.findings: list[Finding] = [] if findings is None else findings
        self.verdicts: list[NoteVerdict] = [] if verdicts is None else verdicts
        self.failures: list[PluginFailure] = [] if failures is None else failures
        self.errors: list[InvitepackError] = [] if errors is None else errors
        self.notices: list[str] = [] if notices is None else notices  # what was not checked
        self.checked = checked
        self.what = what
        self.rules: dict[str, Rule] = {} if rules is None else rules
        self.policy = ExitPolicy() if policy is None else policy

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
                    from dataclasses import replace

                    self.failures[index] = replace(seen, repeats=seen.repeats + 1)
                    break
            else:
                self.failures.append(failure)
        return result.findings

    def exit_code(self, exit_zero: bool = False) -> ExitCode:
        """The exit code under this outcome's policy (`--exit-zero` turns findings off)."""
        policy = self.policy.replace(exit_zero=True) if exit_zero else self.policy
        return policy.code(self)
