"""Unit tests, in-process: finding the config, which one wins, and what it may hold."""

from __future__ import annotations

import pytest

from invitepack.errors import LoadError
from invitepack.pack.config import Config, find_config, load_config, parse_config
from invitepack.pack.limits import Limits


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_nearest_file_wins_and_invitepack_toml_beats_pyproject_in_one_folder(tmp_path):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    write(tmp_path / "invitepack.toml", 'account = "premium"\n')
    assert find_config(deep) == tmp_path / "invitepack.toml"
    write(tmp_path / "a" / "pyproject.toml", '[tool.invitepack]\naccount = "free"\n')
    assert find_config(deep) == tmp_path / "a" / "pyproject.toml"
    write(tmp_path / "a" / "invitepack.toml", "")
    assert find_config(deep) == tmp_path / "a" / "invitepack.toml"


def test_a_pyproject_without_invitepack_settings_is_passed_over(tmp_path):
    write(tmp_path / "invitepack.toml", 'fail-level = "warning"\n')
    write(tmp_path / "sub" / "pyproject.toml", "[tool.black]\nline-length = 88\n")
    assert find_config(tmp_path / "sub") == tmp_path / "invitepack.toml"
    assert load_config(start=tmp_path / "sub").fail_level == "warning"


def test_a_broken_pyproject_that_never_names_invitepack_is_not_ours_to_fail_on(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.black\nline-length = \n")
    found = find_config(tmp_path)
    assert found is None or not found.is_relative_to(tmp_path)
    write(tmp_path / "pyproject.toml", "[tool.invitepack\naccount = \n")
    with pytest.raises(LoadError, match="invalid TOML") as caught:
        find_config(tmp_path)
    assert caught.value.location is not None
    assert caught.value.location.path == tmp_path / "pyproject.toml"


def test_no_file_means_the_defaults(tmp_path):
    found = find_config(tmp_path)
    assert found is None or not found.is_relative_to(tmp_path)  # nothing here, maybe above
    assert load_config(isolated=True, start=tmp_path) == Config()


def test_explicit_config_beats_discovery_and_isolated_beats_both(tmp_path):
    write(tmp_path / "invitepack.toml", 'account = "premium"\n')
    other = write(tmp_path / "elsewhere.toml", 'account = "free"\nignore = ["IP3"]\n')
    assert load_config(start=tmp_path).account == "premium"
    explicit = load_config(other, start=tmp_path)
    assert explicit.account == "free" and explicit.ignore == ("IP3",) and explicit.path == other
    assert load_config(other, isolated=True, start=tmp_path) == Config()


def test_a_missing_explicit_config_is_an_error(tmp_path):
    with pytest.raises(LoadError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_every_key_is_parsed(tmp_path):
    path = write(
        tmp_path / "invitepack.toml",
        """\
account = "premium"
select = ["IP"]
ignore = "near-limit"
fail-level = "warning"
require-plugins = ["acme-house-rules"]
disable-entry-points = true
[per-file-ignores]
"templates/legacy-*.md" = ["IP204"]
[phrases]
pitch = ['our (widget|gizmo)']
[channels.linkedin-invite]
body_limit = {free = 250}
[limits]
render_seconds = 5.0
max_range = 50
[rules.emoji-overload]
max = 1
""",
    )
    config = load_config(path)
    assert config.account == "premium" and config.fail_level == "warning"
    assert config.select == ("IP",) and config.ignore == ("near-limit",)  # a string is a list
    assert config.per_file_ignores == {"templates/legacy-*.md": ("IP204",)}
    assert config.require_plugins == ("acme-house-rules",) and config.disable_entry_points
    assert config.phrases == {"pitch": ("our (widget|gizmo)",)}
    assert config.channels == {"linkedin-invite": {"body_limit": {"free": 250}}}
    assert config.limits == Limits(render_seconds=5.0, max_range=50)
    assert config.rules == {"emoji-overload": {"max": 1}}


def test_unknown_keys_are_an_error_that_lists_the_known_ones(tmp_path):
    path = tmp_path / "invitepack.toml"
    with pytest.raises(LoadError, match=r"unknown config key.*acount.*selekt") as caught:
        parse_config(path, {"acount": "premium", "selekt": []})
    assert caught.value.location is not None and caught.value.location.path == path
    assert "account" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"account": "gold"}, "`account` must be one of free, premium"),
        ({"fail-level": "fatal"}, "`fail-level` must be one of"),
        ({"select": [1]}, "`select` must be a list of strings"),
        ({"per-file-ignores": ["x"]}, "`per-file-ignores` must be a table"),
        ({"per-file-ignores": {"*.md": 3}}, "`per-file-ignores.*.md` must be a list of strings"),
        ({"phrases": ["x"]}, "`phrases` must be a table"),
        ({"phrases": {"pitch": [1]}}, "`phrases.pitch` must be a list of strings"),
        ({"channels": {"email": 3}}, "`channels` must be a table of tables"),
        ({"rules": []}, "`rules` must be a table of tables"),
        ({"disable-entry-points": "yes"}, "`disable-entry-points` must be true or false"),
        ({"limits": {"max_range": 0}}, "limits.max_range must be a positive number"),
        ({"limits": {"max_range": 1.5}}, "limits.max_range must be a whole number"),
        ({"limits": {"render_seconds": 10_000}}, "must be at most 3,600"),
        ({"limits": {"max_rangee": 5}}, "unknown limit.*max_rangee"),
        ({"limits": {"max_range": True}}, "must be a positive number"),
    ],
)
def test_bad_values_name_the_key(tmp_path, settings, message):
    path = tmp_path / "invitepack.toml"
    with pytest.raises(LoadError, match=message) as caught:
        parse_config(path, settings)
    assert caught.value.location is not None and caught.value.location.path == path


def test_invalid_toml_names_the_file(tmp_path):
    path = write(tmp_path / "invitepack.toml", "account = \n")
    with pytest.raises(LoadError, match="invalid TOML") as caught:
        load_config(path)
    assert caught.value.location is not None and caught.value.location.path == path
