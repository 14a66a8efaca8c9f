"""The plugin system: local plugin files, failures isolated and reported, hooks documented."""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import MANIFEST, SEEKING_WORK, console_script

from invitepack.checks import hookspecs
from invitepack.checks.plugins import build_plugins
from invitepack.errors import PluginError

RAISES = """
@hookimpl
def invitepack_check_message(message):
    raise RuntimeError("boom")
"""
RULE = 'Rule("TEAM101", "team-rule", "warning", "A team rule.", "Why it matters.", "How to fix.")'


def _plugin_pack(make_pack, body: str, name: str = "pack") -> Path:
    root = make_pack(
        {"seeking-work-invite.md": SEEKING_WORK},
        manifest=MANIFEST + "plugins: [plugins/team.py]\n",
        name=name,
    )
    (root / "plugins").mkdir()
    (root / "plugins" / "team.py").write_text(
        "from invitepack import Rule, hookimpl\n\nRULE = " + RULE + "\n\n"
        "@hookimpl\ndef invitepack_rules():\n    return [RULE]\n\n" + textwrap.dedent(body),
        encoding="utf-8",
    )
    return root


@pytest.fixture(autouse=True)
def _trusted(monkeypatch):
    """These tests are about what plugins do once they run; consent is test_trust.py's."""
    monkeypatch.setenv("INVITEPACK_TRUST_LOCAL_PLUGINS", "1")


def test_invitepack_rules(cli, make_pack):
    root = _plugin_pack(make_pack, "")
    listed = json.loads(cli("rules", "--format", "json", "--pack", str(root)).stdout)["rules"]
    assert {"code": "TEAM101", "plugin": "team"}.items() <= next(
        r for r in listed if r["code"] == "TEAM101"
    ).items()
    plugins = cli("plugins", "--pack", str(root)).stdout
    assert (
        "team" in plugins
        and "local file" in plugins
        and "TEAM101" in plugins
        and "built-in" in plugins
    )


def test_invitepack_check_message(cli, make_pack):
    root = _plugin_pack(
        make_pack,
        """
        @hookimpl
        def invitepack_check_message(message):
            if "Ada" in message.body:
                yield RULE.on(message, "Ada again", span=(0, 2))
        """,
    )
    result = cli("check", "-", "--pack", str(root), input="Hi, Ada here. Let's connect")
    assert "TEAM101 [warning] team-rule: Ada again" in result.stdout
    validated = cli("validate", "--pack", str(root))
    assert "TEAM101" in validated.stdout and "(example 1)" in validated.stdout


def test_invitepack_check_template(cli, make_pack):
    root = _plugin_pack(
        make_pack,
        """
        @hookimpl
        def invitepack_check_template(template, context):
            if "signoff" not in template.body:
                yield RULE.at(template.location("id"), f"{template.id} has no sign-off")
        """,
    )
    result = cli("validate", "--pack", str(root), "--fail-level", "warning")
    assert result.returncode == 1 and "seeking-work-invite.md:2:5: TEAM101" in result.stdout


def test_invitepack_check_pack(cli, make_pack):
    root = _plugin_pack(
        make_pack,
        """
        @hookimpl
        def invitepack_check_pack(pack):
            if len(pack.templates) < 2:
                where = __import__("invitepack.errors").errors.Location(pack.manifest_path, 1, 1)
                yield RULE.at(where, "a pack needs two templates")
        """,
    )
    result = cli("validate", "--pack", str(root))
    assert "pack.yaml:1:1: TEAM101" in result.stdout


def test_raising_plugin_is_named_and_others_still_report(cli, make_pack):
    root = _plugin_pack(
        make_pack,
        """
        @hookimpl
        def invitepack_check_message(message):
            raise RuntimeError("boom")
        """,
    )
    result = cli(
        "check",
        "-",
        "--pack",
        str(root),
        input="I'd like to add you to my professional network on LinkedIn.",
    )
    assert result.returncode == 2
    assert (
        "plugin 'team' failed in invitepack_check_message while checking <stdin>: "
        "RuntimeError: boom" in result.stderr
    )
    assert "IP207" in result.stdout  # the built-in rules' findings still appear


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "@hookimpl\ndef invitepack_check_message(message):\n    raise SystemExit(0)\n",
            "SystemExit",
        ),
        ("@hookimpl\ndef invitepack_check_message(message):\n    return 42\n", "TypeError"),
        (
            "@hookimpl\ndef invitepack_check_message(message):\n    return ['not a finding']\n",
            "returned str, not a Finding",
        ),
        (
            "@hookimpl\ndef invitepack_check_message(message):\n    return "
            "[RULE.__class__('OTH101', 'other', 'error', 's', 'r', 'h').on(message, "
            "'x')]\n",
            "does not declare",
        ),
    ],
)
def test_plugin_failures_never_turn_into_success(cli, make_pack, body, expected):
    root = _plugin_pack(make_pack, body)
    result = cli(
        "check",
        "-",
        "--pack",
        str(root),
        input="Hi Sam, I enjoyed your talk on Rust. Would you be open to a chat?",
    )
    assert result.returncode == 2 and "plugin 'team'" in result.stderr and expected in result.stderr


def test_bad_signature_misspelled_hook_and_syntax_error(cli, make_pack):
    bad_arg = _plugin_pack(
        make_pack, "@hookimpl\ndef invitepack_check_message(note):\n    return None\n", name="a"
    )
    result = cli("check", "-", "--pack", str(bad_arg), input="x")
    assert result.returncode == 2 and "team" in result.stderr and "note" in result.stderr
    typo = _plugin_pack(
        make_pack, "@hookimpl\ndef invitepack_check_mesage(message):\n    return None\n", name="b"
    )
    result = cli("check", "-", "--pack", str(typo), input="x")
    assert result.returncode == 2 and "invitepack_check_mesage" in result.stderr
    broken = _plugin_pack(make_pack, "def oops(:\n", name="c")
    result = cli("check", "-", "--pack", str(broken), input="x")
    assert result.returncode == 2 and "team.py" in result.stderr and "syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_local_plugin_outside_the_pack_is_refused(cli, make_pack):
    root = make_pack(manifest=MANIFEST + "plugins: [../evil.py]\n")
    result = cli("check", "-", "--pack", str(root), input="x")
    assert result.returncode == 2 and "outside the pack" in result.stderr


def test_required_plugin_missing_is_an_error(cli, tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    (work / "invitepack.toml").write_text(
        'require-plugins = ["acme-house-rules"]\n', encoding="utf-8"
    )
    result = cli("check", "-", input="x", cwd=work)
    assert (
        result.returncode == 2 and "required plugin(s) not found: acme-house-rules" in result.stderr
    )


def test_trace_plugins(cli):
    result = cli("check", "-", input="Hi", env={"INVITEPACK_TRACE_PLUGINS": "1"})
    assert result.returncode == 1  # "Hi" is a note to revise
    # Each call: the hook, the plugin, what it checked, how many findings and how long it took.
    assert re.search(
        r"trace: invitepack_check_message -> content \(<stdin>\): \d+ findings? in [\d.]+ ms",
        result.stderr,
    ), result.stderr


def test_trace_plugins_marks_a_failed_call(cli, make_pack):
    root = _plugin_pack(make_pack, RAISES)
    result = cli("validate", "--pack", str(root), env={"INVITEPACK_TRACE_PLUGINS": "1"})
    assert result.returncode == 2
    assert re.search(
        r"trace: invitepack_check_message -> team \(.*seeking-work-invite\.md, example 2\): "
        r"failed in [\d.]+ ms",
        result.stderr,
    ), result.stderr


def test_debug_shows_a_failing_plugins_traceback(make_pack, tmp_path):
    root = _plugin_pack(make_pack, RAISES)
    run = [*console_script(), "check", "-", "--pack", str(root)]
    env = {**os.environ, "INVITEPACK_NO_ENTRY_POINTS": "1"}
    quiet = subprocess.run(run, input="Hi Sam", capture_output=True, text=True, env=env)
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr
    loud = subprocess.run(
        [*run[:1], "--debug", *run[1:]], input="Hi Sam", capture_output=True, text=True, env=env
    )
    assert loud.returncode == 2
    error, _, trace = loud.stderr.partition("Traceback (most recent call last):")
    assert "plugin 'team' failed in invitepack_check_message" in error
    # The plugin's own frame, file and line, ends the traceback.
    assert f'File "{root / "plugins" / "team.py"}"' in trace
    assert 'raise RuntimeError("boom")' in trace and "RuntimeError: boom" in trace


def test_plugins_lists_hooks_and_every_rule(cli, make_pack):
    root = _plugin_pack(make_pack, RAISES)
    listed = cli("plugins", "--pack", str(root))
    assert listed.returncode == 0
    blocks = {b.split()[0]: b for b in listed.stdout.split("\n\n")}
    assert "hooks: invitepack_check_message, invitepack_rules" in blocks["team"]
    assert "local file" in blocks["team"] and "TEAM101 team-rule" in blocks["team"]
    # A plugin with many rules lists every one of them, none cut short.
    templates = " ".join(blocks["templates"].split())
    from invitepack.checks.rules import templates as template_rules

    for rule in template_rules.invitepack_rules():
        assert f"{rule.code} {rule.name}" in templates
    assert "hooks: invitepack_check_pack, invitepack_check_template, invitepack_rules" in templates
    as_json = json.loads(cli("plugins", "--pack", str(root), "--format", "json").stdout)
    team = next(p for p in as_json["plugins"] if p["name"] == "team")
    assert team["hooks"] == ["invitepack_check_message", "invitepack_rules"]
    assert team["rules"] == ["TEAM101"]


def test_a_span_outside_the_note_is_a_plugin_error(cli, make_pack):
    root = _plugin_pack(
        make_pack,
        """
        @hookimpl
        def invitepack_check_message(message):
            yield RULE.on(message, "past the end", span=(0, len(message.body) + 5))
        """,
    )
    result = cli("check", "-", "--pack", str(root), input="Hi Sam, I enjoyed your talk.")
    assert result.returncode == 2
    assert "plugin 'team' failed in invitepack_check_message" in result.stderr
    assert "TEAM101 at span (0, 33), outside the note (offsets 0 to 28)" in result.stderr
    assert "TEAM101" not in result.stdout


def test_validate_names_the_example_and_reports_a_failure_once(cli, make_pack):
    root = _plugin_pack(make_pack, RAISES)
    result = cli("validate", "--pack", str(root))
    assert result.returncode == 2
    failures = [line for line in result.stderr.splitlines() if "plugin 'team' failed" in line]
    # Two examples, one error: it names the first example and counts the other.
    assert len(failures) == 1, result.stderr
    assert failures[0].endswith(
        "seeking-work-invite.md (example 1): RuntimeError: boom (and 1 more note)"
    )


def test_every_hook_is_documented_and_tested():
    specs = [
        name
        for name, f in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("invitepack_")
    ]
    assert specs, "no hooks found"
    tests = Path(__file__).read_text(encoding="utf-8")
    for name in specs:
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert len(doc) > 80, (
            f"{name} needs a docstring that says when it runs, its arguments and what to return"
        )
        assert f"def test_{name}(" in tests, f"{name} needs a test named test_{name}"


def test_builtin_rules_are_plugins_like_any_other():
    plugins = build_plugins(entry_points=False)
    assert {info.source for info in plugins.infos.values()} == {"built-in"}
    assert all(info.rules for info in plugins.infos.values())
    with pytest.raises(PluginError, match="required plugin"):
        build_plugins(entry_points=False, require=["nope"])


def test_plugins_hooks_documents_every_hook(cli):
    out = cli("plugins", "--hooks").stdout
    for name in (
        "invitepack_rules",
        "invitepack_check_message",
        "invitepack_check_template",
        "invitepack_check_pack",
    ):
        assert name in out
