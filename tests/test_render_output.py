"""Output for people: variants, where templates come from, one output-format flag, colour
only where it helps, and `show` that reads well in a terminal."""

from __future__ import annotations

import json

import pytest
from conftest import MANIFEST


def test_variant_picks_a_scenarios_variant(cli):
    result = cli(
        "render", "seeking-work", "--pack", "builtin", "--variant", "brief", "--example", "1"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("I'm Kwame, looking for product design work.")
    assert "--variant" in cli("render", "seeking-work", "--pack", "builtin", "--help").stdout


def test_unknown_variant_exits_2_with_did_you_mean(cli):
    result = cli(
        "render", "seeking-work", "--pack", "builtin", "--variant", "breif", "--example", "1"
    )
    assert result.returncode == 2
    assert "no 'breif' variant" in result.stderr and "did you mean brief?" in result.stderr
    assert result.stdout == ""


def test_list_shows_variants_and_each_templates_source(cli, make_pack):
    pack = make_pack(manifest=MANIFEST + "extends: builtin\n")
    result = cli("list", "--pack", str(pack), "--scenario", "seeking-work")
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()[2:]
    assert header.split()[:5] == ["ID", "SCENARIO", "CHANNEL", "VARIANT", "SOURCE"]
    by_id = {row.split()[0]: row.split() for row in rows}
    assert by_id["seeking-work-invite"][4] == "own"  # the pack's own overrides the built-in
    assert by_id["seeking-work-invite-brief"][3:5] == ["brief", "built-in"]
    listed = json.loads(cli("list", "--pack", str(pack), "--output-format", "json").stdout)
    sources = {t["id"]: t["source"] for t in listed["templates"]}
    assert sources["seeking-work-invite"] == "own" and sources["warm-intro-invite"] == "built-in"


@pytest.mark.parametrize("command", [["list"], ["channels"], ["rules"], ["show", "seeking-work"]])
def test_output_format_is_one_flag_everywhere_with_format_as_alias(cli, command):
    new = (
        cli(*command, "--pack", "builtin", "--output-format", "json")
        if command[0] != "channels"
        else cli(*command, "--output-format", "json")
    )
    old = (
        cli(*command, "--pack", "builtin", "--format", "json")
        if command[0] != "channels"
        else cli(*command, "--format", "json")
    )
    assert new.returncode == 0 and old.returncode == 0, new.stderr + old.stderr
    assert json.loads(new.stdout) == json.loads(old.stdout)


def test_check_and_render_take_both_flag_names(cli):
    note = "Hi Sam, I enjoyed your talk on dbt tests at Coalesce; I'm Ada, a data engineer."
    for flag in ("--output-format", "--format"):
        result = cli("check", "-", "--format" if flag == "--format" else flag, "json", input=note)
        assert result.returncode in (0, 1), result.stderr
        assert "verdict" in json.loads(result.stdout)
        rendered = cli(
            "render", "seeking-work", "--pack", "builtin", "--example", "1", flag, "json"
        )
        assert rendered.returncode == 0, rendered.stderr
        data = json.loads(rendered.stdout)
        assert data["verdict"]["decision"] in ("send", "revise") and "findings" in data


def test_show_wraps_its_text_for_a_terminal(cli):
    result = cli("show", "seeking-work", "--pack", "builtin")
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()[3:]) <= 90
    assert "  --detail  (required; written for up to 38 characters)" in result.stdout
    assert "at most 38:" not in result.stdout
    assert "other variants: brief, premium (--variant NAME)" in result.stdout


def _note(cli, env):
    return cli("render", "seeking-work", "--pack", "builtin", "--example", "1", env=env)


def test_plain_when_piped_and_with_no_color(cli):
    for env in ({}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}):
        result = _note(cli, {"NO_COLOR": "", "FORCE_COLOR": "", **env})
        assert result.returncode == 0, result.stderr
        assert "\x1b[" not in result.stderr and "\x1b[" not in result.stdout


def test_force_color_colours_the_budget_but_never_the_note(cli):
    result = _note(cli, {"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert result.returncode == 0, result.stderr
    assert "\x1b[32m" in result.stderr  # green: within the limit
    assert "\x1b[" not in result.stdout  # the note is pasted: never coloured


def test_budget_is_amber_near_the_limit(cli):
    result = cli(
        "render",
        "seeking-work",
        "--pack",
        "builtin",
        "--example",
        "1",
        "--detail",
        "your long post on testing dbt models in CI at work",
        env={"FORCE_COLOR": "1", "NO_COLOR": ""},
    )
    assert result.returncode in (0, 1), result.stderr
    assert "\x1b[33m" in result.stderr, result.stderr
