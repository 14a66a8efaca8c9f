"""invitepack.testing, the plugin author's helper: notes checked as `invitepack check` checks
them, without building a CheckContext or calling the plugin manager."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import invitepack
from invitepack import CheckContext, Finding, Location, Message, Rule, hookimpl
from invitepack.errors import LoadError
from invitepack.testing import Findings, NoteChecker, PluginFailed, check_note

BOOKING = Rule(
    code="TEAM102",
    name="no-booking-link",
    severity="error",
    summary="The note asks the reader to book a meeting.",
    rationale="A booking link presumes the reader wants a meeting before they said so.",
    hint="Ask whether they would like to talk; send a link once they say yes.",
)


class BookingRules:
    """A plugin as an object: its methods are the hook implementations."""

    @hookimpl
    def invitepack_rules(self) -> list[Rule]:
        return [BOOKING]

    @hookimpl
    def invitepack_check_message(self, message: Message, context: CheckContext) -> list[Finding]:
        found = re.search(r"calendly\.com/\S+", message.body)
        limit = context.option("no-booking-link", "max", 0)
        if found and limit == 0:
            return [BOOKING.on(message, "a booking link", span=found.span())]
        return []


NOTE = "Hi Sam, I enjoyed your talk on Rust at RustConf. Book me: calendly.com/ada/30"


def test_the_plugin_authors_names_import_from_invitepack():
    assert {"hookimpl", "Rule", "Finding", "Message", "CheckContext", "Location"} <= set(
        invitepack.__all__
    )
    assert Location(Path("x"), 1, 2).line == 1
    assert BOOKING.code == "TEAM102" and BOOKING.scope == "message"  # built with keywords


def test_check_note_returns_the_findings_with_the_verdict():
    found = check_note(NOTE, plugins=[BookingRules()], channel="linkedin-message")
    assert isinstance(found, Findings) and isinstance(found, list)
    [booking] = found.of("no-booking-link")
    assert booking.code == "TEAM102" and booking.plugin == "BookingRules"
    assert booking.excerpt == "calendly.com/ada/30" and booking.location.line == 1
    assert found.verdict.revise  # an error is a hard rule
    assert "TEAM102" in {reason.code for reason in found.verdict.reasons}
    clean = check_note(
        "Hi Sam, I'm Ada, a data engineer at Loop. I enjoyed your talk on Rust at RustConf. "
        "Would you be open to a chat about how your team adopted it?",
        plugins=[BookingRules()],
    )
    assert "TEAM102" not in clean.codes and not clean.verdict.revise


def test_config_selects_and_sets_rule_options():
    plugin = BookingRules()
    assert "TEAM102" not in check_note(NOTE, plugins=[plugin], config={"ignore": ["TEAM1"]}).codes
    relaxed = {"rules": {"no-booking-link": {"max": 1}}}
    assert "TEAM102" not in check_note(NOTE, plugins=[plugin], config=relaxed).codes
    with pytest.raises(LoadError, match="unknown config key"):
        check_note(NOTE, plugins=[plugin], config={"ignroe": ["TEAM102"]})


def test_a_plugin_file_and_pack_settings(tmp_path):
    plugin = tmp_path / "team.py"
    plugin.write_text(
        "from invitepack import Rule, hookimpl\n"
        "R = Rule(code='TEAM103', name='company', severity='warning', summary='s',"
        " rationale='r', hint='h')\n"
        "@hookimpl\ndef invitepack_rules():\n    return [R]\n"
        "@hookimpl\ndef invitepack_check_message(message, context):\n"
        "    if context.settings['company'] not in message.body:\n"
        "        yield R.on(message, 'no company')\n",
        encoding="utf-8",
    )
    note = "Hi Sam, I enjoyed your talk on Rust. Would you be open to a chat?"
    assert "TEAM103" in check_note(note, plugins=[plugin], settings={"company": "Acme"}).codes
    assert "TEAM103" not in check_note(note, plugins=[str(plugin)], settings={"company": "Rust"})


def test_a_failing_plugin_raises_with_its_own_exception():
    class Broken:
        @hookimpl
        def invitepack_rules(self) -> list[Rule]:
            return [BOOKING]

        @hookimpl
        def invitepack_check_message(self, message: Message) -> None:
            raise KeyError("company")

    with pytest.raises(PluginFailed) as failed:
        check_note(NOTE, plugins=[Broken()])
    assert "plugin 'Broken' failed in invitepack_check_message" in str(failed.value)
    assert isinstance(failed.value.__cause__, KeyError)
    assert any(f.code.startswith("IP") for f in failed.value.findings)  # the others still ran


def test_an_unknown_channel_is_an_error():
    with pytest.raises(LoadError, match="unknown channel 'linkedin-dm'"):
        check_note(NOTE, channel="linkedin-dm")


def test_the_pytest_fixture(invitepack_checker):
    # Registered by invitepack's `pytest11` entry point: no conftest import needed.
    checker = invitepack_checker(BookingRules())
    assert isinstance(checker, NoteChecker) and "TEAM102" in checker.rules
    found = checker.check(NOTE, scenario="genuine-networking", channel="linkedin-message")
    assert "TEAM102" in found.codes and found.verdict.revise
