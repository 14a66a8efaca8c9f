"""Unknown names are errors with the closest known name, everywhere a user types one."""

from __future__ import annotations

import pytest
from conftest import MANIFEST, SEEKING_WORK


@pytest.mark.parametrize(
    ("args", "wrong", "meant"),
    [
        (
            ["check", "--scenario", "candidat-approach", "-"],
            "scenario 'candidat-approach'",
            "candidate-approach",
        ),
        (
            ["check", "--channel", "linkedin-invit", "-"],
            "channel 'linkedin-invit'",
            "linkedin-invite",
        ),
        (["list", "--scenario", "seekng-work"], "scenario 'seekng-work'", "seeking-work"),
        (["list", "--channel", "emial"], "channel 'emial'", "email"),
        (["rules", "sales-pich"], "rule 'sales-pich'", "sales-pitch"),
        (["render", "seeking-work", "--channel", "emial", "--example", "1"], "channel", "email"),
    ],
)
def test_unknown_names_exit_2_with_did_you_mean(cli, args, wrong, meant):
    result = cli(*args, "--pack", "builtin", input="Hi Sam, I enjoyed your talk.\n")
    assert result.returncode == 2, result.stderr
    assert f"did you mean {meant}" in result.stderr
    assert wrong in result.stderr or "no template" in result.stderr


def test_check_with_a_known_scenario_still_applies_its_rules(cli):
    note = "Hi Sam, we're hiring a Data Lead at Monzo, a great opportunity. Send me your CV.\n"
    result = cli("check", "--scenario", "candidate-approach", "--pack", "builtin", "-", input=note)
    assert result.returncode == 1, result.stderr
    assert "verdict revise" in result.stdout


def test_vars_file_unknown_key_names_file_line_and_closest_variable(cli, make_pack, tmp_path):
    pack = make_pack()
    values = tmp_path / "values.yaml"
    values.write_text("name: Ada\nfeild: data\ndetail: your talk\n", encoding="utf-8")
    result = cli("render", "seeking-work", "--pack", str(pack), "--vars-file", str(values))
    assert result.returncode == 2
    assert "values.yaml:2:" in result.stderr and "unknown variable 'feild'" in result.stderr
    assert "did you mean field?" in result.stderr


def test_suppression_of_an_unknown_code_is_unknown_rule_not_unused(cli, make_pack):
    body = SEEKING_WORK.replace(
        "Who would be the right person to talk to?",
        "Who would be the right person to talk to? {# invitepack: disable=IP2O4 typo #}",
    )
    pack = make_pack({"seeking-work-invite.md": body}, manifest=MANIFEST)
    result = cli("validate", "--pack", str(pack), cwd=pack)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "suppression names an unknown rule 'IP2O4'" in result.stdout
    assert "is unused" not in result.stdout


def test_worst_case_over_limit_says_which_variables_to_shorten(cli, make_pack):
    body = SEEKING_WORK.replace("maxLength: 60}", "maxLength: 160}")
    pack = make_pack({"seeking-work-invite.md": body})
    result = cli("validate", "--pack", str(pack), cwd=pack)
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if "IP708" in line)
    assert "lower the maxLength of detail from 160 to" in line
    assert "or shorten the fixed text by" in line


def test_counts_are_true_and_the_file_hook_runs_once_for_all_files(cli, make_pack):
    import yaml
    from conftest import REPO

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    per_file = next(h for h in hooks if h["id"] == "invitepack-validate")
    # pre-commit would otherwise split the files over processes, each with its own summary.
    assert per_file["require_serial"] is True
    body = SEEKING_WORK.replace(
        "Who would be the right person to talk to?",
        "Who would be the right person to talk to? {# invitepack: disable=IP2O4 typo #}",
    )
    other = body.replace("id: seeking-work-invite", "id: seeking-work-message").replace(
        "channel: linkedin-invite", "channel: linkedin-message"
    )
    pack = make_pack({"seeking-work-invite.md": body, "seeking-work-message.md": other})
    files = [
        str(pack / "templates" / n) for n in ("seeking-work-invite.md", "seeking-work-message.md")
    ]
    result = cli("validate", *files, cwd=pack)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("IP712") == 2
    assert "Found 2 problems (2 warnings) in 2 templates" in result.stderr
    assert "All clear" not in result.stderr
