"""The house rules, tested through invitepack's public testing helper: `check_note` runs a
note through exactly what `invitepack check` runs (the built-in rules, this plugin, the
config's options, the verdict) and raises `PluginFailed` if the plugin fails.

Run: python -m pytest tests -q (with invitepack installed; this package need not be).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from invitepack import Finding
from invitepack.testing import NoteChecker, PluginFailed, check_note

# The plugin is loaded from its file, as a pack's `plugins:` would load it, so the tests run
# whether or not the package is installed (and never against a stale installed copy).
PLUGIN_FILE = (
    Path(__file__).resolve().parents[1] / "src" / "invitepack_acme_house_rules" / "__init__.py"
)
PLUGIN_NAME = PLUGIN_FILE.parent.name  # a package loaded from its __init__.py: its folder's name
CODES = {"company-spelling": "ACME101", "sign-off": "ACME102", "no-emoji-in-inmail": "ACME103"}
ACME = {"company": "Acme"}


def found(
    text: str,
    rule: str,
    channel: str = "linkedin-invite",
    *,
    settings: dict[str, Any] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
) -> list[Finding]:
    """The findings of one house rule for a note (a plugin failure raises PluginFailed)."""
    findings = check_note(
        text,
        plugins=[PLUGIN_FILE],
        channel=channel,
        settings=ACME if settings is None else settings,
        config={"rules": options or {}},
    )
    return findings.of(CODES[rule])


# --- the plugin as invitepack sees it ---------------------------------------------------------


def test_declares_its_rules() -> None:
    rules = NoteChecker([PLUGIN_FILE]).rules
    house = [rules[code] for code in sorted(rules) if code.startswith("ACME")]
    assert [(r.code, r.name, r.severity) for r in house] == [
        ("ACME101", "company-spelling", "error"),
        ("ACME102", "sign-off", "warning"),
        ("ACME103", "no-emoji-in-inmail", "warning"),
    ]
    for rule in house:
        assert rule.summary and rule.rationale and rule.hint


def test_a_clean_note_has_no_house_findings(invitepack_checker: Any) -> None:
    # The fixture: one checker, reused for several notes.
    checker = invitepack_checker(PLUGIN_FILE, settings=ACME)
    note = (
        "Subject: Platform role at Acme\n\nHi Priya,\n\nI enjoyed your Kafka talk. Would you "
        "be open to a chat about a role at Acme?\n\nBest,\nAda"
    )
    for channel in ("linkedin-invite", "linkedin-message", "linkedin-inmail", "email"):
        findings = checker.check(note, channel=channel)
        assert [f for f in findings if f.code.startswith("ACME")] == []


def test_a_house_error_makes_the_note_one_to_revise() -> None:
    findings = check_note(
        "Hi Sam, I enjoyed your post on hiring at ACME and would like to connect.",
        plugins=[PLUGIN_FILE],
        settings=ACME,
    )
    assert "ACME101" in findings.codes
    assert findings.verdict.revise  # ACME101 is an error: it decides the verdict alone
    assert "ACME101" in {reason.code for reason in findings.verdict.reasons}


# --- ACME101 company-spelling -----------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["ACME", "acme", "AcMe", "Acme Inc", "Acme, Inc.", "Acme Ltd", "acme corp"]
)
def test_company_misspelled(spelling: str) -> None:
    text = f"Hi Sam, I enjoyed your post on hiring at {spelling} and would like to connect."
    [finding] = found(text, "company-spelling")
    start = text.index(spelling)
    assert finding.span == (start, start + len(spelling))
    assert finding.excerpt == spelling
    assert finding.plugin == PLUGIN_NAME
    assert (finding.location.line, finding.location.column) == (1, start + 1)
    assert "'Acme'" in finding.message and "'Acme'" in (finding.hint or "")


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sam, I enjoyed your post on hiring at Acme and would like to connect.",
        "Hi Sam, Acme's data team is growing.",
        "Hi Sam, details are at acme.com/careers, or write to jo@acme.com.",
        "Hi Sam, see https://www.acme.com/jobs and #acmelife, #acme.",
        "Hi Sam, I enjoyed your post on hiring at Acmeology.",  # another company
    ],
)
def test_company_spelled_right_or_in_an_address(text: str) -> None:
    assert found(text, "company-spelling") == []


def test_company_in_the_subject() -> None:
    [finding] = found(
        "Subject: A role at ACME\n\nHi Sam,\n\nA question.\n\nAda",
        "company-spelling",
        "email",
    )
    assert "in the subject" in finding.message
    assert finding.span is None


def test_company_comes_from_the_pack_settings() -> None:
    text = "Hi Sam, I left ACME for GLOBEX and Globex Corp last year."
    findings = found(text, "company-spelling", settings={"company": "Globex"})
    assert [f.excerpt for f in findings] == ["GLOBEX", "Globex Corp"]
    # Unconfigured, the default is Acme.
    assert [f.excerpt for f in found(text, "company-spelling", settings={})] == ["ACME"]


def test_company_with_a_legal_form() -> None:
    text = "Hi Sam, Acme Inc. is hiring; I mean acme inc, or just Acme."
    findings = found(text, "company-spelling", settings={"company": "Acme Inc"})
    assert [f.excerpt for f in findings] == ["acme inc", "Acme"]


def test_company_off_when_the_pack_sets_none() -> None:
    assert found("Hi Sam, hiring at ACME.", "company-spelling", settings={"company": None}) == []


def test_company_setting_of_the_wrong_type_is_a_plugin_error() -> None:
    with pytest.raises(PluginFailed) as failed:
        found("Hi Sam, hiring at ACME.", "company-spelling", settings={"company": ["Acme"]})
    [failure] = failed.value.failures
    assert failure.plugin == PLUGIN_NAME and failure.hook == "invitepack_check_message"
    assert "settings.company" in failure.error
    # The other plugins still report (ACME is a stock placeholder).
    assert "IP501" in [f.code for f in failed.value.findings]


# --- ACME102 sign-off -------------------------------------------------------------------------

BODY = (
    "Hi Priya,\n\nI enjoyed your Kafka talk. Would you be open to a chat about the platform role?"
)


@pytest.mark.parametrize("channel", ["linkedin-message", "linkedin-inmail", "email"])
@pytest.mark.parametrize(
    ("ending", "says"),
    [
        ("", "does not end with a sign-off"),  # ends on the question
        ("\n\nThanks!", "'Thanks!' does not name you"),
        ("\n\nTalk soon,", "'Talk soon,' does not name you"),
        ("\n\nLet me know what you think, I'm around all week.", "does not end with a sign-off"),
        ("\n\nInterested?", "does not end with a sign-off"),
    ],
)
def test_sign_off_missing(channel: str, ending: str, says: str) -> None:
    text = BODY + ending
    [finding] = found(text, "sign-off", channel)
    assert says in finding.message
    last_line = text.rsplit("\n", 1)[1]
    assert finding.excerpt == last_line
    assert finding.location.line == text.count("\n") + 1


@pytest.mark.parametrize("channel", ["linkedin-message", "linkedin-inmail", "email"])
@pytest.mark.parametrize(
    "ending",
    ["Ada", "Best, Ada", "Best wishes,\nAda", "Thanks, Ada", "— Ada Lovelace", "Cheers,\nÉtienne"],
)
def test_sign_off_present(channel: str, ending: str) -> None:
    assert found(f"{BODY}\n\n{ending}", "sign-off", channel) == []


def test_sign_off_on_one_line_is_not_a_sign_off() -> None:
    assert (
        len(
            found(
                "Hi Priya, would you be open to a chat? Ada",
                "sign-off",
                "linkedin-message",
            )
        )
        == 1
    )


def test_invitations_are_exempt_from_sign_off() -> None:
    assert found(BODY, "sign-off", "linkedin-invite") == []


def test_sign_off_options() -> None:
    long_name = f"{BODY}\n\nKind regards, Ada Lovelace"
    assert len(found(long_name, "sign-off", "email")) == 1
    assert found(long_name, "sign-off", "email", options={"sign-off": {"max-words": 4}}) == []
    email_only = {"sign-off": {"channels": ["email"]}}
    assert found(BODY, "sign-off", "linkedin-message", options=email_only) == []
    assert len(found(BODY, "sign-off", "email", options=email_only)) == 1


def test_sign_off_bad_option_is_a_plugin_error() -> None:
    with pytest.raises(PluginFailed, match=r"\[rules.sign-off\] max-words"):
        found(BODY, "sign-off", "email", options={"sign-off": {"max-words": "three"}})


# --- ACME103 no-emoji-in-inmail ---------------------------------------------------------------


def test_emoji_in_inmail() -> None:
    text = f"{BODY} 🙂\n\nBest,\nAda"
    [finding] = found(text, "no-emoji-in-inmail", "linkedin-inmail")
    start = text.index("🙂")
    assert finding.span == (start, start + 1)
    assert finding.excerpt == "🙂"
    assert finding.location.line == 3


def test_emoji_counted_as_a_reader_sees_them() -> None:
    # A ZWJ family, a flag and a thumbs-up with skin tone: three emoji, one finding.
    text = f"{BODY} 👨‍👩‍👧 🇬🇧 👍🏽\n\nAda"
    [finding] = found(text, "no-emoji-in-inmail", "linkedin-inmail")
    assert finding.message.startswith("3 emoji in an InMail")
    assert finding.excerpt == "👨‍👩‍👧"


def test_emoji_in_inmail_subject() -> None:
    [finding] = found(
        f"Subject: A platform role 🚀\n\n{BODY}\n\nAda",
        "no-emoji-in-inmail",
        "linkedin-inmail",
    )
    assert "subject" in finding.message and finding.span is None


@pytest.mark.parametrize("channel", ["linkedin-invite", "linkedin-message", "email"])
def test_emoji_allowed_outside_inmail(channel: str) -> None:
    assert found(f"{BODY} 🙂\n\nAda", "no-emoji-in-inmail", channel) == []


def test_inmail_without_emoji() -> None:
    assert found(f"{BODY} :-)\n\nAda", "no-emoji-in-inmail", "linkedin-inmail") == []


# --- the two ways a team uses it -------------------------------------------------------------


def test_as_a_local_plugin_of_a_pack(tmp_path: Path) -> None:
    """`invitepack check` in a pack that lists this file under `plugins:` with its settings."""
    (tmp_path / "plugins").mkdir()
    shutil.copy(PLUGIN_FILE, tmp_path / "plugins" / "acme_house_rules.py")
    (tmp_path / "pack.yaml").write_text(
        'name: globex-talent\nversion: "1.0.0"\ndescription: Globex outreach\ninvitepack: ">=0.1"\n'
        "extends: builtin\nplugins: [plugins/acme_house_rules.py]\nsettings: {company: Globex}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "INVITEPACK_NO_ENTRY_POINTS": "1"}  # in case the package is installed too
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invitepack",
            "check",
            "--isolated",
            "--trust-local-plugins",  # this test's own copy: consent is given here
            "--channel",
            "linkedin-message",
            "-",
        ],
        input="Hi Sam, I enjoyed your post on hiring at GLOBEX.\n\nWould you be open to a chat?",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert (
        "<stdin>:1:42: ACME101 [error] company-spelling: 'GLOBEX' should be spelled 'Globex'"
        in result.stdout
    )
    assert "<stdin>:3:1: ACME102 [warning] sign-off" in result.stdout


# The installed path (pip install, entry point, `invitepack plugins`) is tested by invitepack's
# own suite: tests/test_team_repo.py::test_example_plugin_distribution_installs_and_fires.
