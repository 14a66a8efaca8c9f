"""Installed and local plugins run in a worker process: every call bounded in time, and an end
without an answer is a failure, never a pass (issue 13, item 2). The CLI side is in
tests/hostile/plugin-*; these drive invitepack.checks.plugins directly."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding
from invitepack.checks.phrases import PhraseBook
from invitepack.checks.plugins import build_plugins
from invitepack.errors import LimitExceededError, PluginError
from invitepack.pack.channels import load_channels
from invitepack.render.message import Message
from invitepack.render.timer import time_limit

HEAD = """\
import os, sys, time
from invitepack import Rule, hookimpl
from invitepack.checks.findings import Finding
from invitepack.errors import LimitExceededError

RULE = Rule("TEAM101", "team-rule", "warning", "A team rule.", "Why it matters.", "How to fix.")


@hookimpl
def invitepack_rules():
    return [RULE]


@hookimpl
def invitepack_check_message(message):
    text = message.body
"""
BEHAVIOUR = {
    "finds": "    yield RULE.on(message, 'found ' + text[:5])\n\n\n"
    "with open(__file__ + '.pids', 'a') as pids:  # which process imported it\n"
    "    pids.write(f'{os.getpid()}\\n')",
    "sleeps": "    if 'sleep' in text:\n        time.sleep(60)\n    return []",
    "exits": "    if 'exit' in text:\n        os._exit(0)\n    return []",
    "limit": "    raise LimitExceededError('limit exceeded: the plugin says so')",
    "subclass": (
        "    class Mine(Finding):\n        pass\n"
        "    base = RULE.on(message, 'mine')\n"
        "    yield Mine(**{k: getattr(base, k) for k in base.__dataclass_fields__})"
    ),
}


def _plugin(tmp_path: Path, behaviour: str) -> Path:
    path = tmp_path / f"{behaviour}.py"
    path.write_text(HEAD + BEHAVIOUR[behaviour] + "\n", encoding="utf-8")
    return path


def _call(plugins, text: str, context: CheckContext | None = None):
    context = context or CheckContext(channels=load_channels(), phrases=PhraseBook())
    message = Message.from_note(text, path=None, channel="linkedin-message")
    return plugins.call("invitepack_check_message", None, message=message, context=context)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a zombie not yet reaped counts as gone only once reaped
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return bool(done)


def test_local_plugins_run_in_a_worker_and_answer_as_in_process(tmp_path):
    path = _plugin(tmp_path, "finds")
    isolated = build_plugins([path], entry_points=False)
    pids = Path(f"{path}.pids")
    assert isolated.worker is not None
    assert pids.read_text().split() == [str(isolated.worker.pid)]  # imported there, not here
    in_process = build_plugins([path], entry_points=False, isolate=False)
    assert in_process.worker is None and pids.read_text().split()[-1] == str(os.getpid())
    assert isolated.infos["finds"].rules == in_process.infos["finds"].rules
    context = CheckContext(channels=load_channels(), phrases=PhraseBook())
    for text in ("Hello there, Sam", "Another note entirely"):
        assert _call(isolated, text, context) == _call(in_process, text, context)
    found = _call(isolated, "Hello there").findings
    assert [f.plugin for f in found if f.code == "TEAM101"] == ["finds"]
    isolated.worker.close()


def test_a_plugin_that_hangs_is_stopped_and_named_and_the_rest_of_the_run_knows(tmp_path):
    plugins = build_plugins([_plugin(tmp_path, "sleeps")], entry_points=False, seconds=0.5)
    assert _call(plugins, "fine").failures == []
    pid = plugins.worker.pid
    started = time.monotonic()
    result = _call(plugins, "please sleep")
    assert time.monotonic() - started < 10
    (failure,) = result.failures
    assert failure.plugin == "sleeps" and "took longer than 0.5 s" in failure.error
    assert _gone(pid)
    later = _call(plugins, "fine again").failures
    assert len(later) == 1 and "not run" in later[0].error


def test_a_plugin_that_exits_is_a_failure_not_silence(tmp_path):
    plugins = build_plugins([_plugin(tmp_path, "exits")], entry_points=False)
    (failure,) = _call(plugins, "exit now").failures
    assert failure.plugin == "exits" and "ended the plugin process (exit status 0)" in failure.error


def test_a_safety_limit_raised_in_the_worker_stops_the_run_as_in_process(tmp_path):
    plugins = build_plugins([_plugin(tmp_path, "limit")], entry_points=False)
    with pytest.raises(LimitExceededError, match="the plugin says so"):
        _call(plugins, "anything")


def test_a_plugins_own_finding_class_arrives_as_a_finding(tmp_path):
    plugins = build_plugins([_plugin(tmp_path, "subclass")], entry_points=False)
    (finding,) = [f for f in _call(plugins, "anything").findings if f.code == "TEAM101"]
    assert type(finding) is Finding and finding.message == "mine"


def test_arguments_that_cannot_travel_are_a_failure(tmp_path):
    plugins = build_plugins([_plugin(tmp_path, "finds")], entry_points=False)
    context = CheckContext(
        channels=load_channels(), phrases=PhraseBook(), settings={"hook": lambda: None}
    )
    (failure,) = _call(plugins, "anything", context).failures
    assert "could not be passed to the plugin process" in failure.error


def test_the_notes_time_limit_does_not_count_the_plugins_time(tmp_path):
    """A note's check_seconds bounds invitepack's own rules; a plugin has plugin_seconds."""
    slow = tmp_path / "slow.py"
    slow.write_text(
        HEAD.replace("TEAM101", "TEAM102") + "    time.sleep(0.6)\n    return []\n",
        encoding="utf-8",
    )
    plugins = build_plugins([slow], entry_points=False, seconds=3)
    with time_limit(0.3, "checking the note", "check_seconds"):
        assert _call(plugins, "anything").failures == []
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0  # the note's own time runs on


def test_loading_is_bounded_and_failures_there_are_named(tmp_path):
    hang = tmp_path / "hang.py"
    hang.write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    with pytest.raises(PluginError, match=r"plugin 'hang' took longer than 0\.5 s"):
        build_plugins([hang], entry_points=False, seconds=0.5)
    leave = tmp_path / "leave.py"
    leave.write_text("import os\nos._exit(3)\n", encoding="utf-8")
    with pytest.raises(PluginError, match=r"plugin 'leave' ended the plugin process \(exit"):
        build_plugins([leave], entry_points=False)
    interrupts = tmp_path / "interrupts.py"
    interrupts.write_text("raise KeyboardInterrupt\n", encoding="utf-8")
    with pytest.raises(PluginError, match=r"could not be loaded: .*KeyboardInterrupt"):
        build_plugins([interrupts], entry_points=False)
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n", encoding="utf-8")
    with pytest.raises(PluginError, match="has a syntax error"):
        build_plugins([broken], entry_points=False)


def test_in_process_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("INVITEPACK_PLUGINS_IN_PROCESS", "1")
    plugins = build_plugins([_plugin(tmp_path, "finds")], entry_points=False)
    assert plugins.worker is None and _call(plugins, "Hello").failures == []
