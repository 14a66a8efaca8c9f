"""Rendering: values are validated data, never templates; the budget line; exit codes."""

from __future__ import annotations

import json

import pytest
from conftest import SEEKING_WORK

from invitepack.errors import VariableError
from invitepack.pack.limits import Limits
from invitepack.pack.loader import load_pack
from invitepack.render.renderer import Renderer

VALUES = [
    "--name",
    "Ada",
    "--field",
    "data engineering",
    "--detail",
    "your post on testing dbt models",
]


def test_render_prints_note_and_budget(cli, make_pack):
    result = cli("render", "seeking-work", "--pack", str(make_pack()), *VALUES)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
        == "Hi, I'm Ada, looking for work in data engineering. I enjoyed your post on "
        "testing dbt models. Who would be the right person to talk to?\n"
    )
    assert result.stderr.strip() == "linkedin-invite (free account): 135/200 characters"


def test_value_is_data_never_a_template(cli, make_pack):
    result = cli(
        "render", "seeking-work", "--pack", str(make_pack()), *VALUES[2:], "--name", "{{ 7*7 }}"
    )
    # Printed as given, never evaluated; and the checker rightly reads the braces in the
    # finished note as a leftover placeholder (exit 1), as a recipient would.
    assert result.returncode == 1, result.stderr
    assert "I'm {{ 7*7 }}," in result.stdout and "49" not in result.stdout
    assert "IP501" in result.stderr and "'{{ 7*7 }}'" in result.stderr


def test_missing_variables_are_all_listed_with_descriptions(cli, make_pack):
    result = cli("render", "seeking-work", "--pack", str(make_pack()), "--field", "data")
    assert result.returncode == 2
    assert (
        "--name  Your first name" in result.stderr
        and "--detail  What you saw of theirs" in result.stderr
    )
    assert result.stdout == ""


def test_a_value_past_max_length_renders_while_the_note_fits(cli, make_pack):
    # maxLength is what validate proves the note fits with, not a cap on what users type.
    result = cli(
        "render",
        "seeking-work",
        "--pack",
        str(make_pack()),
        *VALUES[2:],
        "--name",
        "Bartholomew-Maximilian-Jo",
    )
    assert result.returncode == 0, result.stderr
    assert "I'm Bartholomew-Maximilian-Jo," in result.stdout


def test_invalid_value_names_variable_and_constraint(cli, make_pack):
    patterned = SEEKING_WORK.replace(
        "description: Your first name, minLength: 1",
        "description: Your first name, pattern: '^[A-Z]', minLength: 1",
    )
    root = make_pack({"seeking-work-invite.md": patterned})
    result = cli("render", "seeking-work", "--pack", str(root), *VALUES[2:], "--name", "ada")
    assert result.returncode == 2
    assert "--name: 'ada' does not match the required pattern ^[A-Z]" in result.stderr


def test_emoji_count_double_against_max_length(make_pack):
    pack = load_pack(make_pack(), Limits())
    template = pack.find("seeking-work")
    values = {"name": "Ada" + "👋" * 9, "field": "x", "detail": "y"}
    with pytest.raises(VariableError, match="21 characters as LinkedIn counts them"):
        Renderer(pack.root).render(template, values, strict=True)  # how validate checks examples
    assert Renderer(pack.root).render(template, values).length == 108


def test_control_and_bidi_characters_are_refused_and_escaped(make_pack):
    pack = load_pack(make_pack(), Limits())
    template = pack.find("seeking-work")
    renderer = Renderer(pack.root)
    with pytest.raises(VariableError, match=r"control character '\\u000a'"):
        renderer.render(template, {"name": "Ada\nBcc: x", "field": "x", "detail": "y"})
    with pytest.raises(VariableError, match=r"invisible character '\\u202e'"):
        renderer.render(template, {"name": "Ada\u202e", "field": "x", "detail": "y"})


def test_values_are_nfc_normalised(make_pack):
    pack = load_pack(make_pack(), Limits())
    message = Renderer(pack.root).render(
        pack.find("seeking-work"), {"name": "Zoe\u0301", "field": "x", "detail": "y"}
    )
    assert "Zoé" in message.body and "\u0301" not in message.body


def test_over_the_limit_exits_1_and_says_by_how_much(cli, make_pack):
    long_body = SEEKING_WORK.replace(
        "Who would be the right person to talk to?",
        "Who would be the right person to talk to? " + "Thanks so much. " * 8,
    )
    result = cli(
        "render",
        "seeking-work",
        "--pack",
        str(make_pack({"seeking-work-invite.md": long_body})),
        *VALUES,
    )
    assert result.returncode == 1
    assert "over the limit by" in result.stderr and "nothing was printed" in result.stderr
    assert result.stdout == ""  # a note that can't be sent is refused, not printed


def test_premium_account_allows_300(cli, make_pack):
    long_body = SEEKING_WORK.replace(
        "Who would be the right person to talk to?",
        "Who would be the right person to talk to? " + "Thanks so much. " * 8,
    )
    result = cli(
        "render",
        "seeking-work",
        "--pack",
        str(make_pack({"seeking-work-invite.md": long_body})),
        *VALUES,
        "--account",
        "premium",
    )
    assert (
        result.returncode == 0
        and "(premium account)" in result.stderr
        and "/300 characters" in result.stderr
    )


def test_example_var_and_vars_file_combine(cli, make_pack, tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text("field: robotics\n", encoding="utf-8")
    result = cli(
        "render",
        "seeking-work-invite",
        "--pack",
        str(make_pack()),
        "--example",
        "2",
        "--vars-file",
        str(values),
        "--var",
        "name=Grace",
    )
    assert result.returncode == 0, result.stderr
    assert "I'm Grace, looking for work in robotics. I enjoyed your PyCon talk" in result.stdout


def test_json_output(cli, make_pack):
    result = cli("render", "seeking-work", "--pack", str(make_pack()), *VALUES, "--format", "json")
    data = json.loads(result.stdout)
    assert (
        data["id"] == "seeking-work-invite"
        and data["length"] == 135
        and data["limit"] == 200
        and data["over_by"] == 0
    )


def test_unknown_scenario_suggests(cli, make_pack):
    result = cli("render", "seeking-wrok", "--pack", str(make_pack()))
    assert result.returncode == 2 and "did you mean seeking-work" in result.stderr


def test_unknown_variable_option_is_a_usage_error(cli, make_pack):
    result = cli("render", "seeking-work", "--pack", str(make_pack()), *VALUES, "--nmae", "x")
    assert (
        result.returncode == 2
        and "No such option '--nmae'" in result.stderr
        and "'--name'" in result.stderr
    )


def test_render_help_lists_the_templates_variables(cli, make_pack):
    result = cli("render", "seeking-work", "--pack", str(make_pack()), "--help")
    assert result.returncode == 0
    assert "Variables of seeking-work-invite" in result.stdout
    assert (
        "--detail TEXT" in result.stdout
        and "What you saw of theirs [required; written for up to 60 characters]"
        in " ".join(result.stdout.split())
    )


def test_python_dash_m_works_like_the_command(make_pack, tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invitepack",
            "render",
            "seeking-work",
            "--pack",
            str(make_pack()),
            *VALUES,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0 and result.stdout.startswith("Hi, I'm Ada")


def test_scenario_without_that_channel(cli, make_pack):
    result = cli("render", "seeking-work", "--channel", "email", "--pack", str(make_pack()))
    assert result.returncode == 2 and "has no template for channel 'email'" in result.stderr


def test_list_and_show_json(cli, make_pack):
    root = make_pack()
    listed = json.loads(cli("list", "--pack", str(root), "--format", "json").stdout)
    assert listed["templates"] == [
        {
            "id": "seeking-work-invite",
            "scenario": "seeking-work",
            "channel": "linkedin-invite",
            "variant": None,
            "title": "Seeking work",
            "version": "1.0.0",
            "source": "own",
        }
    ]
    shown = json.loads(cli("show", "seeking-work", "--pack", str(root), "--format", "json").stdout)
    assert shown["path"].endswith("seeking-work-invite.md")
    assert shown["variables"]["required"] == ["name", "field", "detail"]
    assert shown["examples"][0]["name"] == "Ada"


def test_schema_command_prints_bundled_schemas(cli):
    listing = cli("schema")
    assert "template" in listing.stdout and "pack" in listing.stdout
    schema = json.loads(cli("schema", "template").stdout)
    assert schema["$schema"].endswith("2020-12/schema") and schema["title"]
    assert cli("schema", "nope").returncode == 2


def test_rendered_note_is_checked_by_the_rules(cli, make_pack):
    result = cli(
        "render",
        "seeking-work",
        "--pack",
        str(make_pack()),
        *VALUES[:4],
        "--detail",
        "a demo of our platform",
    )
    assert result.returncode == 1
    assert result.stdout.startswith("Hi, I'm Ada")
    assert "IP301 [error] sales-pitch" in result.stderr


def test_config_option_applies_to_the_pack_and_channels(cli, make_pack, tmp_path):
    config = tmp_path / "tight.toml"
    config.write_text("[channels.linkedin-invite]\nbody_limit = {free = 100}\n", encoding="utf-8")
    result = cli(
        "render", "seeking-work", "--pack", str(make_pack()), *VALUES, "--config", str(config)
    )
    assert result.returncode == 1 and "135/100 characters, over the limit by 35" in result.stderr
    isolated = cli(
        "render",
        "seeking-work",
        "--pack",
        str(make_pack(name="p2")),
        *VALUES,
        "--config",
        str(config),
        "--isolated",
    )
    assert isolated.returncode == 0 and "/200 characters" in isolated.stderr
