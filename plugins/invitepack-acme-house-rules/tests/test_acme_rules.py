"""The house rules, run through invitepack's own machinery: the plugin is registered by
`invitepack.checks.plugins.build_plugins` exactly as `invitepack check` registers a pack's
local plugin, and its findings come back through `Plugins.call`, which records any plugin failure.

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

from invitepack.checks.context import CheckContext
from invitepack.checks.findings import Finding
from invitepack.checks.phrases import PhraseBook
from invitepack.checks.plugins import Plugins, build_plugins
from invitepack.checks.results import PluginFailure
from invitepack.pack.channels import load_channels
from invitepack.render.message import Message

PLUGIN_FILE = (
    Path(__file__).resolve().parents[1] / "src" / "invitepack_acme_house_rules" / "__init__.py"
)
PLUGIN_NAME = (
    PLUGIN_FILE.parent.name
)  # a package loaded from its __init__.py is named after its folder
CODES = {"company-spelling": "ACME101", "sign-off": "ACME102", "no-emoji-in-inmail": "ACME103"}


@pytest.fixture(scope="module")
def plugins() -> Plugins:
    # entry_points=False: the built-ins plus this file only, whether or not the package is
    # also installed (two copies would both declare ACME101, which invitepack refuses).
    return build_plugins([PLUGIN_FILE], entry_points=False)


def run(
    plugins: Plugins,
    text: str,
    channel: str = "linkedin-invite",
    *,
    settings: dict[str, Any] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
) -> tuple[list[Finding], list[PluginFailure]]:
    """Every plugin's findings for one note, as `invitepack check` computes them."""
    context = CheckContext(
        channels=load_channels(),
        phrases=PhraseBook(),
        options=options or {},
        settings={"company": "Acme"} if settings is None else settings,
    )
    message = Message.from_note(text, path=None, channel=channel)
    result = plugins.call("invitepack_check_message", None, message=message, context=context)
    return result.findings, result.failures


def found(
    plugins: Plugins, text: str, rule: str, channel: str = "linkedin-invite", **kwargs: Any
) -> list[Finding]:
    """The findings of one house rule for a note; the plugin must not have failed."""
    findings, failures = run(plugins, text, channel, **kwargs)
    assert failures == []
    return [f for f in findings if f.code == CODES[rule]]


# --- the plugin as invitepack sees it ---------------------------------------------------------


def test_declares_its_rules(plugins: Plugins) -> None:
    info = plugins.infos[PLUGIN_NAME]
    assert info.source == "local file"
    assert info.version == "1.0.0"
    assert [(r.code, r.name, r.severity) for r in info.rules] == [
        ("ACME101", "company-spelling", "error"),
        ("ACME102", "sign-off", "warning"),
        ("ACME103", "no-emoji-in-inmail", "warning"),
    ]
    for rule in info.rules:
        assert rule.summary and rule.rationale and rule.hint
        assert plugins.rules[rule.code] == (rule, PLUGIN_NAME)


def test_a_clean_note_has_no_house_findings(plugins: Plugins) -> None:
    note = (
        "Subject: Platform role at Acme\n\nHi Priya,\n\nI enjoyed your Kafka talk. Would you "
        "be open to a chat about a role at Acme?\n\nBest,\nAda"
    )
    for channel in ("linkedin-invite", "linkedin-message", "linkedin-inmail", "email"):
        findings, failures = run(plugins, note, channel)
        assert failures == []
        assert [f for f in findings if f.code.startswith("ACME")] == []


# --- ACME101 company-spelling -----------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["ACME", "acme", "AcMe", "Acme Inc", "Acme, Inc.", "Acme Ltd", "acme corp"]
)
def test_company_misspelled(plugins: Plugins, spelling: str) -> None:
    text = f"Hi Sam, I enjoyed your post on hiring at {spelling} and would like to connect."
    [finding] = found(plugins, text, "company-spelling")
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
def test_company_spelled_right_or_in_an_address(plugins: Plugins, text: str) -> None:
    assert found(plugins, text, "company-spelling") == []


def test_company_in_the_subject(plugins: Plugins) -> None:
    [finding] = found(
        plugins,
        "Subject: A role at ACME\n\nHi Sam,\n\nA question.\n\nAda",
        "company-spelling",
        "email",
    )
    assert "in the subject" in finding.message
    assert finding.span is None


def test_company_comes_from_the_pack_settings(plugins: Plugins) -> None:
    text = "Hi Sam, I left ACME for GLOBEX and Globex Corp last year."
    findings = found(plugins, text, "company-spelling", settings={"company": "Globex"})
    assert [f.excerpt for f in findings] == ["GLOBEX", "Globex Corp"]
    # Unconfigured, the default is Acme.
    assert [f.excerpt for f in found(plugins, text, "company-spelling", settings={})] == ["ACME"]


def test_company_with_a_legal_form(plugins: Plugins) -> None:
    text = "Hi Sam, Acme Inc. is hiring; I mean acme inc, or just Acme."
    findings = found(plugins, text, "company-spelling", settings={"company": "Acme Inc"})
    assert [f.excerpt for f in findings] == ["acme inc", "Acme"]


def test_company_off_when_the_pack_sets_none(plugins: Plugins) -> None:
    assert (
        found(plugins, "Hi Sam, hiring at ACME.", "company-spelling", settings={"company": None})
        == []
    )


def test_company_setting_of_the_wrong_type_is_a_plugin_error(plugins: Plugins) -> None:
    findings, failures = run(plugins, "Hi Sam, hiring at ACME.", settings={"company": ["Acme"]})
    [failure] = failures
    assert failure.plugin == PLUGIN_NAME and failure.hook == "invitepack_check_message"
    assert "settings.company" in failure.error
    assert "IP501" in [
        f.code for f in findings
    ]  # the other plugins still report (ACME is a stock placeholder)


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
def test_sign_off_missing(plugins: Plugins, channel: str, ending: str, says: str) -> None:
    text = BODY + ending
    [finding] = found(plugins, text, "sign-off", channel)
    assert says in finding.message
    last_line = text.rsplit("\n", 1)[1]
    assert finding.excerpt == last_line
    assert finding.location.line == text.count("\n") + 1


@pytest.mark.parametrize("channel", ["linkedin-message", "linkedin-inmail", "email"])
@pytest.mark.parametrize(
    "ending",
    ["Ada", "Best, Ada", "Best wishes,\nAda", "Thanks, Ada", "— Ada Lovelace", "Cheers,\nÉtienne"],
)
def test_sign_off_present(plugins: Plugins, channel: str, ending: str) -> None:
    assert found(plugins, f"{BODY}\n\n{ending}", "sign-off", channel) == []


def test_sign_off_on_one_line_is_not_a_sign_off(plugins: Plugins) -> None:
    assert (
        len(
            found(
                plugins,
                "Hi Priya, would you be open to a chat? Ada",
                "sign-off",
                "linkedin-message",
            )
        )
        == 1
    )


def test_invitations_are_exempt_from_sign_off(plugins: Plugins) -> None:
    assert found(plugins, BODY, "sign-off", "linkedin-invite") == []


def test_sign_off_options(plugins: Plugins) -> None:
    long_name = f"{BODY}\n\nKind regards, Ada Lovelace"
    assert len(found(plugins, long_name, "sign-off", "email")) == 1
    assert (
        found(plugins, long_name, "sign-off", "email", options={"sign-off": {"max-words": 4}}) == []
    )
    email_only = {"sign-off": {"channels": ["email"]}}
    assert found(plugins, BODY, "sign-off", "linkedin-message", options=email_only) == []
    assert len(found(plugins, BODY, "sign-off", "email", options=email_only)) == 1


def test_sign_off_bad_option_is_a_plugin_error(plugins: Plugins) -> None:
    _, failures = run(plugins, BODY, "email", options={"sign-off": {"max-words": "three"}})
    [failure] = failures
    assert "[rules.sign-off] max-words" in failure.error


# --- ACME103 no-emoji-in-inmail ---------------------------------------------------------------


def test_emoji_in_inmail(plugins: Plugins) -> None:
    text = f"{BODY} 🙂\n\nBest,\nAda"
    [finding] = found(plugins, text, "no-emoji-in-inmail", "linkedin-inmail")
    start = text.index("🙂")
    assert finding.span == (start, start + 1)
    assert finding.excerpt == "🙂"
    assert finding.location.line == 3


def test_emoji_counted_as_a_reader_sees_them(plugins: Plugins) -> None:
    # A ZWJ family, a flag and a thumbs-up with skin tone: three emoji, one finding.
    text = f"{BODY} 👨‍👩‍👧 🇬🇧 👍🏽\n\nAda"
    [finding] = found(plugins, text, "no-emoji-in-inmail", "linkedin-inmail")
    assert finding.message.startswith("3 emoji in an InMail")
    assert finding.excerpt == "👨‍👩‍👧"


def test_emoji_in_inmail_subject(plugins: Plugins) -> None:
    [finding] = found(
        plugins,
        f"Subject: A platform role 🚀\n\n{BODY}\n\nAda",
        "no-emoji-in-inmail",
        "linkedin-inmail",
    )
    assert "subject" in finding.message and finding.span is None


@pytest.mark.parametrize("channel", ["linkedin-invite", "linkedin-message", "email"])
def test_emoji_allowed_outside_inmail(plugins: Plugins, channel: str) -> None:
    assert found(plugins, f"{BODY} 🙂\n\nAda", "no-emoji-in-inmail", channel) == []


def test_inmail_without_emoji(plugins: Plugins) -> None:
    assert found(plugins, f"{BODY} :-)\n\nAda", "no-emoji-in-inmail", "linkedin-inmail") == []


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
