"""`invitepack validate`: every template rule, with the file and line it reports."""

from __future__ import annotations

import json

from conftest import SEEKING_WORK


def _findings(cli, root, *extra):
    """validate's findings as JSON; the report is always printed, so no output is a failure."""
    result = cli("validate", "--pack", str(root), "--output-format", "json", *extra)
    assert result.returncode in (0, 1, 2) and result.stdout, result.stderr
    return result, json.loads(result.stdout)["findings"]


def _codes(findings):
    return {f["code"] for f in findings}


def test_builtin_pack_is_clean_at_every_severity(cli):
    result, findings = _findings(cli, "builtin", "--fail-level", "info")
    assert result.returncode == 0 and findings == []


def test_clean_pack_passes(cli, make_pack):
    result, findings = _findings(cli, make_pack())
    assert result.returncode == 0, findings


def test_schema_problems_become_findings_with_lines(cli, make_pack):
    root = make_pack(
        {"seeking-work-invite.md": SEEKING_WORK.replace('version: "1.0.0"', 'version: "1.0"')}
    )
    result, findings = _findings(cli, root)
    assert result.returncode == 1
    (finding,) = findings
    assert (
        finding["code"] == "IP700"
        and finding["location"]["line"] == 3
        and "version" in finding["message"]
    )


def test_jinja_syntax_error_points_at_the_body_line(cli, make_pack):
    root = make_pack({"seeking-work-invite.md": SEEKING_WORK.replace("{{ field }}", "{{ field }")})
    result, findings = _findings(cli, root)
    assert result.returncode == 1
    assert [(f["code"], f["location"]["line"]) for f in findings] == [("IP702", 20)]


def test_undeclared_and_unused_variables(cli, make_pack):
    text = SEEKING_WORK.replace("{{ field }}", "{{ feild }}")
    result, findings = _findings(cli, make_pack({"seeking-work-invite.md": text}))
    assert {"IP704", "IP705"} <= _codes(findings)
    unused = next(f for f in findings if f["code"] == "IP705")
    assert unused["location"]["line"] == 13
    assert (
        result.returncode == 1 and "failed" not in result.stderr and "'field'" in unused["message"]
    )


def test_example_failing_the_variables_schema(cli, make_pack):
    text = SEEKING_WORK.replace("{name: Bartholomew,", "{name: Bartholomew-Maximilian-Esq,")
    _result, findings = _findings(cli, make_pack({"seeking-work-invite.md": text}))
    bad = [f for f in findings if f["code"] == "IP706"]
    assert bad and bad[0]["location"]["line"] == 18 and "example 2" in bad[0]["message"]


def test_worst_case_length_proof(cli, make_pack):
    text = SEEKING_WORK.replace("maxLength: 60}", "maxLength: 120}")
    result, findings = _findings(cli, make_pack({"seeking-work-invite.md": text}))
    assert result.returncode == 1
    proof = next(f for f in findings if f["code"] == "IP708")
    assert "with every variable at its maxLength the note is 255 characters" in proof["message"]


def test_invite_variable_without_max_length(cli, make_pack):
    text = SEEKING_WORK.replace(", minLength: 1, maxLength: 60}", ", minLength: 1}")
    _result, findings = _findings(cli, make_pack({"seeking-work-invite.md": text}))
    assert "IP709" in _codes(findings)


def test_examples_are_rendered_and_checked(cli, make_pack):
    text = SEEKING_WORK.replace("Who would be the right person to talk to?", "Book a demo with me?")
    _result, findings = _findings(cli, make_pack({"seeking-work-invite.md": text}))
    pitch = [f for f in findings if f["code"] == "IP301"]
    assert [f["label"] for f in pitch] == ["example 1", "example 2"]
    assert pitch[0]["location"]["line"] == 17  # the example's line in the front matter


def test_duplicate_ids_and_ambiguous_defaults(cli, make_pack):
    other = SEEKING_WORK.replace("id: seeking-work-invite", "id: seeking-work-invite-two")
    _result, findings = _findings(
        cli,
        make_pack(
            {
                "seeking-work-invite.md": SEEKING_WORK,
                "seeking-work-invite-two.md": other,
                "x/seeking-work-invite.md": SEEKING_WORK,
            }
        ),
    )
    assert {"IP707", "IP711"} <= _codes(findings)


def test_suppression_comment_and_unused_suppression(cli, make_pack):
    pitchy = SEEKING_WORK.replace(
        "Who would be the right person to talk to?",
        "Book a demo with me? {# invitepack: disable=sales-pitch,IP999x we demo on purpose #}",
    )
    pack = make_pack({"seeking-work-invite.md": pitchy})
    result, findings = _findings(cli, pack, "--fail-level", "warning")
    assert result.returncode == 1 and "IP301" not in _codes(findings)
    # By default only errors and examples to revise fail: the suppressed pitch does neither.
    assert _findings(cli, pack)[0].returncode == 0
    unused = [f for f in findings if f["code"] == "IP712"]
    assert (
        len(unused) == 1
        and "'IP999x'" in unused[0]["message"]
        and unused[0]["location"]["line"] == 20
    )
    rendered = cli(
        "render",
        "seeking-work",
        "--pack",
        str(make_pack({"seeking-work-invite.md": pitchy}, name="p2")),
        "--example",
        "1",
    )
    # The comment never reaches the recipient (render does not apply suppressions: its advice
    # on stderr still names the pitch, and exits 1).
    assert rendered.returncode == 1 and "IP301" in rendered.stderr
    assert rendered.stdout.startswith("Hi, I'm Ada") and "invitepack" not in rendered.stdout


def test_email_template_without_subject(cli, make_pack):
    text = SEEKING_WORK.replace("id: seeking-work-invite", "id: seeking-work-email").replace(
        "channel: linkedin-invite", "channel: email"
    )
    _result, findings = _findings(cli, make_pack({"seeking-work-email.md": text}))
    assert "IP714" in _codes(findings)


def test_validate_only_given_files(cli, make_pack):
    root = make_pack({"seeking-work-invite.md": SEEKING_WORK, "broken.md": "no front matter"})
    good = cli("validate", str(root / "templates" / "seeking-work-invite.md"))
    assert good.returncode == 0, good.stdout
    bad = cli("validate", str(root / "templates" / "broken.md"), "--output-format", "concise")
    assert bad.returncode == 1 and "broken.md:1:1: IP700" in bad.stdout


def test_invalid_manifest_is_a_finding(cli, make_pack):
    root = make_pack(manifest='name: test\nversion: "1.0.0"\ndescription: x\n')
    result, findings = _findings(cli, root)
    assert (
        result.returncode == 1
        and findings[0]["code"] == "IP701"
        and findings[0]["location"]["path"].endswith("pack.yaml")
    )


def test_per_file_ignores(cli, make_pack):
    root = make_pack(
        {
            "seeking-work-invite.md": SEEKING_WORK.replace(
                "Who would be the right person to talk to?", "Book a demo with me?"
            )
        }
    )
    (root / "invitepack.toml").write_text(
        '[per-file-ignores]\n"templates/seeking-*.md" = ["sales-pitch"]\n', encoding="utf-8"
    )
    result, findings = _findings(cli, root, "--config", str(root / "invitepack.toml"))
    assert result.returncode == 0 and findings == []
    assert "IP301" in _codes(_findings(cli, root)[1])  # without the config, it is reported


def test_pack_rules_still_run_when_a_template_is_broken(cli, make_pack):
    other = SEEKING_WORK.replace("id: seeking-work-invite", "id: seeking-work-invite-two")
    files = {
        "seeking-work-invite.md": SEEKING_WORK,
        "seeking-work-invite-two.md": other,
        "zz-broken.md": "no front matter\n",
    }
    _result, findings = _findings(cli, make_pack(files))
    assert {"IP700", "IP711"} <= _codes(findings)
