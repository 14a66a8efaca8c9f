"""Running the checkers: one place that calls the hooks, filters what they find and gives
each note its verdict; and `check_notes`, the library's entry point for checking notes (what
`invitepack check` runs)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from pathlib import Path

from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding
from invitepack.checks.plugins import Plugins, local_plugin_files
from invitepack.checks.results import ExitPolicy, HookResult, NoteVerdict, Outcome
from invitepack.checks.selection import Selection
from invitepack.checks.verdict import Verdict, judge
from invitepack.checks.wording import WORDING_CODE
from invitepack.errors import LimitExceededError
from invitepack.render.message import Message
from invitepack.render.timer import one_timer, time_limit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from invitepack.pack.loader import Pack
    from invitepack.pack.template import Template
    from invitepack.pack.workspace import Workspace
    from invitepack.render.renderer import Renderer


class Checker:
    """Calls the plugins' hooks and filters their findings through the selection."""

    def __init__(
        self,
        plugins: Plugins,
        context: CheckContext,
        selection: Selection,
        policy: ExitPolicy | None = None,
        seconds: float | None = None,
    ):
        self.plugins = plugins
        self.context = context
        self.selection = selection
        self.policy = policy or ExitPolicy()
        self.seconds = seconds  # limits.check_seconds: the rules' time on one note

    def outcome(self, what: str = "note") -> Outcome:
        """An empty outcome for this checker's run: its rules and exit policy come along."""
        return Outcome(what=what, rules=self.selection.rules, policy=self.policy)

    def message_findings(self, message: Message) -> HookResult:
        """A message's findings (unfiltered: suppression and selection come after). The
        rules' time on one note is bounded by limits.check_seconds (plugins in the worker
        have their own bound, plugin_seconds)."""
        bound = (
            time_limit(self.seconds, "checking the note", "check_seconds", "shorten the note")
            if self.seconds
            else nullcontext()
        )
        self.context.phrases.prepare()  # once per run, outside the note's time limit
        try:
            with bound:
                found = self.plugins.call(
                    "invitepack_check_message",
                    message.path,
                    label=message.label,
                    message=message,
                    context=self.context,
                )
        except LimitExceededError as exc:
            if exc.location is None:
                exc.location = message.locate()
            raise
        if message.label is None:
            return found  # each finding's label stays as it is (with_context(None, None))
        labelled = [f.with_context(message.label, None) for f in found.findings]
        return HookResult(labelled, found.failures)

    def template_findings(self, template: Template) -> HookResult:
        return self.plugins.call(
            "invitepack_check_template", template.path, template=template, context=self.context
        )

    def pack_findings(self, pack: Pack) -> HookResult:
        return self.plugins.call(
            "invitepack_check_pack", pack.manifest_path, pack=pack, context=self.context
        )

    def check_message(self, message: Message, outcome: Outcome) -> Verdict:
        """Check one note: add what is selected to the outcome, with the note's verdict."""
        found = self.selection.keep(outcome.take(self.message_findings(message)))
        outcome.findings += found
        outcome.checked += 1
        return self.give_verdict(message, found, outcome)

    def check_messages(self, messages: Iterable[Message], outcome: Outcome) -> None:
        """Check many notes into one outcome, each bounded by limits.check_seconds as alone,
        under one timer (timer.one_timer): a timer set and cleared per note cost `check` about
        4% of its time on a thousand notes (bench/bench_check.py)."""
        with one_timer(self.seconds) if self.seconds else nullcontext():
            for message in messages:
                self.check_message(message, outcome)

    def wording(self, message: Message) -> str:
        """The text whose words the verdict weighs, or none when the wording rule is not
        selected (`--ignore wording`, or a `select` that leaves it out)."""
        if not self.selection.enabled(WORDING_CODE, message.path):
            return ""
        from invitepack.checks.evidence import gather  # the rules' reading, already made

        return gather(message, self.context).wording

    def give_verdict(self, message: Message, found: list[Finding], outcome: Outcome) -> Verdict:
        """The verdict on one note from its selected findings and its wording, recorded in the
        outcome at the note's place."""
        verdict = judge(found, self.wording(message))
        outcome.verdicts.append(NoteVerdict(message.locate(), message.label, verdict))
        return verdict


def check_notes(workspace: Workspace, notes: Iterable[Message]) -> Outcome:
    """Check notes with the workspace's rules, config and pack plugins: `invitepack check` as
    a library call. The outcome's `exit_code()` is what the command exits with."""
    checker = notes_checker(workspace)
    outcome = checker.outcome("note")
    checker.check_messages(notes, outcome)
    return outcome


def build_checker(
    workspace: Workspace,
    local_files: list[Path],
    settings: dict[str, Any] | None = None,
    renderer: Renderer | None = None,
    *,
    entry_points: bool | None = None,
    objects: Iterable[Any] = (),
) -> Checker:
    """Plugins, context and selection for one run, from the workspace's config. Installed
    plugins load unless the config or INVITEPACK_NO_ENTRY_POINTS turns them off (or
    `entry_points` says otherwise); `objects` are plugin objects given directly (tests)."""
    from invitepack.checks.phrases import PhraseBook
    from invitepack.checks.plugins import build_plugins

    config = workspace.config
    sources: dict[Path, bytes] = {}
    if local_files:  # consent (and its hashing) is for the pack's own code
        from invitepack.pack.trust import verified_sources

        sources = verified_sources(
            workspace.pack_root, local_files, trusted_by_run=workspace.trust_local_plugins
        )
    if entry_points is None:
        entry_points = not (config.disable_entry_points or _env_flag("INVITEPACK_NO_ENTRY_POINTS"))
    plugins = build_plugins(
        local_files,
        entry_points=entry_points,
        require=config.require_plugins,
        objects=objects,
        sources=sources,
        seconds=config.limits.plugin_seconds,
    )
    context = CheckContext(
        channels=workspace.channels,
        phrases=PhraseBook(config.phrases),
        options=config.rules,
        settings=dict(settings or {}),
        renderer=renderer,
    )
    selection = Selection(
        [rule for rule, _ in plugins.rules.values()],
        config.select,
        config.ignore,
        config.per_file_ignores,
        base=config.path.parent if config.path else None,
    )
    return Checker(
        plugins, context, selection, ExitPolicy(config.fail_level), config.limits.check_seconds
    )


def notes_checker(workspace: Workspace) -> Checker:
    """The checker for notes in a workspace: built-in rules, installed plugins, and its pack's
    local plugins and settings. The manifest is read without schema validation so that
    `check` stays fast on every commit; `validate` checks it fully."""
    from invitepack.pack.manifest import manifest_data
    from invitepack.pack.resources import bundled_dir

    root = workspace.pack_root
    manifest = (
        {} if root == bundled_dir("templates") else manifest_data(root, workspace.config.limits)
    )
    return build_checker(workspace, local_plugin_files(root, manifest), manifest.get("settings"))


def _env_flag(name: str) -> bool:
    import os

    return os.environ.get(name, "").lower() not in ("", "0", "false", "no")


def known_scenarios(pack: Pack) -> set[str]:
    """The scenarios `check --scenario` accepts: the pack's own and those the built-in rules
    react to. (The library takes any scenario: `Message.from_note` does not check it.)"""
    from invitepack.checks.evidence import DETAIL_IS_PURPOSE, REFERRAL_SCENARIO, REPLY_SCENARIOS
    from invitepack.pack.channels import RECRUITER_SCENARIO

    return {
        *(t.scenario for t in pack.templates.values()),
        *DETAIL_IS_PURPOSE,
        *REPLY_SCENARIOS,
        RECRUITER_SCENARIO,
        REFERRAL_SCENARIO,
    }
