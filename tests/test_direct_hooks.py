"""The built-in rules called without pluggy (checks/builtin.py) do what pluggy would: the same
implementations in the same order with the same arguments, the same plugin records, and so
the same findings, verdicts and failures. The pluggy path is taken here as it is in use: by
adding a plugin that is not built in (one with no hooks, which changes no finding)."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pluggy
import pytest
from verdict_quality import all_notes, note_message

from invitepack.checks import hookspecs, plugins
from invitepack.checks.builtin import MARK, hook_functions
from invitepack.checks.checker import Checker, build_checker
from invitepack.checks.plugins import Plugins, build_plugins
from invitepack.checks.validate import validate
from invitepack.pack.workspace import Workspace
from invitepack.render.message import Message

NO_HOOKS = types.ModuleType("no_hooks")  # a plugin that is not built in, and finds nothing
HOOKS = sorted(name for name in vars(hookspecs) if name.startswith("invitepack_"))


def _both() -> tuple[Plugins, Plugins]:
    """The built-ins called directly, and through pluggy."""
    direct = build_plugins(entry_points=False)
    through = build_plugins(entry_points=False, objects=[NO_HOOKS])
    assert direct.manager is None and through.manager is not None
    return direct, through


def _checkers() -> tuple[Checker, Checker]:
    workspace = Workspace(pack_spec="builtin", isolated=True)
    direct = build_checker(workspace, [])
    through = build_checker(workspace, [], objects=[NO_HOOKS])
    assert direct.plugins.manager is None and through.plugins.manager is not None
    return direct, through


def test_the_builtin_mark_is_the_one_invitepack_hookimpl_gives():
    marked = pluggy.HookimplMarker("invitepack")(lambda: None)
    for name in plugins.BUILTIN_PLUGINS:
        module = __import__(name, fromlist=["_"])
        functions = hook_functions(module)
        assert functions, name
        for function in functions.values():
            assert getattr(function, MARK) == getattr(marked, MARK), function


def test_each_hook_has_the_implementations_pluggy_calls_in_its_order():
    direct, through = _both()
    assert through.manager is not None
    for hook in HOOKS:
        expected = [
            (impl.plugin_name, impl.function, impl.argnames)
            for impl in getattr(through.manager.hook, hook).get_hookimpls()
        ]
        assert list(direct._implementations(hook)) == expected, hook
        assert expected or hook == "invitepack_rules", hook
    assert set(direct.direct) <= set(HOOKS)


def test_the_plugins_are_recorded_as_pluggy_records_them():
    direct, through = _both()
    del through.infos[NO_HOOKS.__name__]
    assert list(direct.infos.items()) == list(through.infos.items())
    assert direct.rules == through.rules
    assert direct.only_builtin()


def test_every_labelled_note_gets_the_same_findings_and_verdict():
    direct, through = _checkers()
    outcomes = [checker.outcome() for checker in (direct, through)]
    notes = all_notes()
    for note in notes:
        message = note_message(note)
        verdicts = [
            c.check_message(message, o) for c, o in zip((direct, through), outcomes, strict=True)
        ]
        assert verdicts[0] == verdicts[1], note["id"]
    assert outcomes[0].checked == len(notes) > 400
    assert outcomes[0].findings == outcomes[1].findings
    assert outcomes[0].verdicts == outcomes[1].verdicts
    assert outcomes[0].exit_code() == outcomes[1].exit_code()


def test_the_builtin_pack_validates_the_same(monkeypatch: pytest.MonkeyPatch):
    built: list[Plugins] = []

    def recorded(*args: Any, **kwargs: Any) -> Plugins:
        built.append(build_plugins(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(plugins, "build_plugins", recorded)
    direct = validate(Workspace(pack_spec="builtin", isolated=True))
    monkeypatch.setattr(
        plugins, "build_plugins", lambda *a, **k: recorded(*a, **{**k, "objects": [NO_HOOKS]})
    )
    through = validate(Workspace(pack_spec="builtin", isolated=True))
    assert [p.manager is None for p in built] == [True, False]
    assert direct.checked == through.checked > 0
    assert direct.findings == through.findings
    assert direct.verdicts == through.verdicts
    assert direct.exit_code() == through.exit_code()


def test_a_failing_builtin_is_reported_the_same(monkeypatch: pytest.MonkeyPatch):
    """A built-in that raises, and one that reports a rule it does not declare: each is a
    failure naming it, beside the other rules' findings, on either path."""
    from invitepack.checks.builtin import hookimpl
    from invitepack.checks.rules import length, tone

    @hookimpl
    def raises(message: Message) -> None:
        raise RuntimeError("boom")

    @hookimpl
    def undeclared(message: Message) -> list[Any]:
        return [length.OVER_LIMIT.on(message, "not tone's rule")]

    monkeypatch.setattr(length, "invitepack_check_message", raises)
    monkeypatch.setattr(tone, "invitepack_check_message", undeclared)
    results = []
    for checker in _checkers():
        message = Message.from_note(
            "HELLO!!! Buy now", path=Path("note.txt"), channel="linkedin-invite", account="free"
        )
        results.append(checker.message_findings(message))
    direct, through = results
    assert [(f.plugin, f.hook, f.error) for f in direct.failures] == [
        ("length", "invitepack_check_message", "RuntimeError: boom"),
        (
            "tone",
            "invitepack_check_message",
            "reported IP101, which it does not declare in invitepack_rules",
        ),
    ]
    assert direct.failures == through.failures
    assert direct.findings == through.findings and direct.findings
