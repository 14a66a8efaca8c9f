"""Consent before a pack's own code runs: `invitepack trust`, --trust-local-plugins and
INVITEPACK_TRUST_LOCAL_PLUGINS, a changed file asking again (issue 13, item 1)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import yaml
from conftest import MANIFEST, REPO, umask

from invitepack.checks.manager import _load_local
from invitepack.errors import PluginError
from invitepack.pack import trust

PLUGIN = (REPO / "tests" / "data" / "plugins" / "no_urgency.py").read_text(encoding="utf-8")
NOTE = "Hi Sam, I'm Ada. Urgent: could you point me to who runs hiring? Thanks either way."


@pytest.fixture
def team(make_pack) -> Path:
    root = make_pack(manifest=MANIFEST + "plugins: [plugins/team.py]\n")
    (root / "plugins").mkdir()
    (root / "plugins" / "team.py").write_text(PLUGIN, encoding="utf-8")
    return root


def _check(cli, root: Path, *args: str, env: dict[str, str] | None = None):
    # The rules' verdict alone, so that the plugin's warning is all that can change it.
    args = ("--ignore", "wording", *args)
    return cli("check", "-", "--pack", str(root), *args, input=NOTE, env=env)


def _ran(result) -> bool:
    """The plugin ran: its warning is there (a warning alone exits 0)."""
    return result.returncode == 0 and "TEAM101" in result.stdout


def test_untrusted_plugins_stop_every_command_that_would_run_them(cli, team):
    for args in (
        ("check", "-", "--pack", str(team)),
        ("validate", "--pack", str(team)),
        ("render", "seeking-work", "--pack", str(team), "--example", "1"),
        ("rules", "--pack", str(team)),
        ("plugins", "--pack", str(team)),
    ):
        result = cli(*args, input=NOTE)
        assert result.returncode == 2, (args, result.stderr)
        assert "plugins/team.py (new)" in result.stderr
        assert f"invitepack trust {team}" in result.stderr
        assert "TEAM101" not in result.stdout


def test_trust_then_a_change_asks_again(cli, team, tmp_path):
    trusted = cli("trust", str(team))
    assert trusted.returncode == 0 and "plugins/team.py  sha256:" in trusted.stdout
    record = json.loads((tmp_path / "user-config" / trust.TRUST_FILE).read_text())
    assert list(record["packs"]) == [str(team.resolve())]
    result = _check(cli, team)
    assert _ran(result), result.stderr
    with (team / "plugins" / "team.py").open("a", encoding="utf-8") as plugin:
        plugin.write("# one more line\n")
    changed = _check(cli, team)
    assert changed.returncode == 2
    assert "plugins/team.py (changed since you trusted it)" in changed.stderr
    assert cli("trust", str(team)).returncode == 0
    assert _ran(_check(cli, team))


def test_the_trust_record_is_readable_by_its_owner_only(cli, team, tmp_path):
    """Which packs' code may run is the user's own decision: the record is written 0600 even
    where the user's new files are readable by all, and stays so when trust rewrites it."""
    record = tmp_path / "user-config" / trust.TRUST_FILE
    with umask(0o022):
        assert cli("trust", str(team)).returncode == 0
        assert oct(stat.S_IMODE(record.stat().st_mode)) == oct(0o600)
        assert cli("trust", "--revoke", str(team)).returncode == 0
    assert oct(stat.S_IMODE(record.stat().st_mode)) == oct(0o600)


def test_a_newly_listed_file_needs_trust_too(cli, team):
    assert cli("trust", str(team)).returncode == 0
    (team / "plugins" / "more.py").write_text("", encoding="utf-8")
    manifest = team / "pack.yaml"
    manifest.write_text(
        manifest.read_text().replace("[plugins/team.py]", "[plugins/team.py, plugins/more.py]"),
        encoding="utf-8",
    )
    result = _check(cli, team)
    assert result.returncode == 2
    assert "plugins/more.py (new)" in result.stderr and "team.py" not in result.stderr


def test_trust_is_per_folder(cli, team, tmp_path):
    assert cli("trust", str(team)).returncode == 0
    copy = tmp_path / "clone"
    copy.mkdir()
    for path in team.rglob("*"):
        target = copy / path.relative_to(team)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(path.read_bytes())
    assert _check(cli, copy).returncode == 2  # same files, another repo: ask again


def test_the_flag_and_the_environment_trust_one_run(cli, team, tmp_path):
    assert _ran(_check(cli, team, "--trust-local-plugins"))
    assert _ran(_check(cli, team, env={"INVITEPACK_TRUST_LOCAL_PLUGINS": "1"}))
    assert _check(cli, team, env={"INVITEPACK_TRUST_LOCAL_PLUGINS": "0"}).returncode == 2
    assert not (tmp_path / "user-config").exists(), "a flag records nothing"
    rendered = cli(
        "render", "seeking-work", "--pack", str(team), "--example", "1", "--trust-local-plugins"
    )
    assert rendered.returncode in (0, 1), rendered.stderr


def test_revoke(cli, team):
    assert cli("trust", str(team)).returncode == 0
    assert "Forgot" in cli("trust", "--revoke", str(team)).stdout
    assert _check(cli, team).returncode == 2
    assert "was not trusted" in cli("trust", "--revoke", str(team)).stdout


def test_trust_finds_the_nearest_pack_and_says_when_there_is_nothing(cli, team, make_pack):
    inside = team / "templates"
    assert cli("trust", cwd=inside).returncode == 0
    assert _ran(_check(cli, team))
    plain = make_pack(name="plain")
    result = cli("trust", str(plain))
    assert result.returncode == 0 and "nothing to trust" in result.stdout


def test_the_bytes_that_were_checked_are_the_bytes_that_run(tmp_path, monkeypatch):
    monkeypatch.setenv("INVITEPACK_CONFIG_DIR", str(tmp_path / "config"))
    plugin = tmp_path / "pack" / "plugins" / "team.py"
    plugin.parent.mkdir(parents=True)
    plugin.write_text("WHO = 'reviewed'\n", encoding="utf-8")
    trust.trust_files(tmp_path / "pack", [plugin])
    sources = trust.verified_sources(tmp_path / "pack", [plugin])
    plugin.write_text("WHO = 'swapped in after the check'\n", encoding="utf-8")
    assert _load_local(plugin, sources[plugin]).WHO == "reviewed"
    with pytest.raises(PluginError, match="changed since you trusted it"):
        trust.verified_sources(tmp_path / "pack", [plugin])


def test_config_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("INVITEPACK_CONFIG_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert trust.config_dir() == tmp_path / "xdg" / "invitepack"
    monkeypatch.setenv("INVITEPACK_CONFIG_DIR", str(tmp_path / "mine"))
    assert trust.config_dir() == tmp_path / "mine"


def test_a_damaged_record_is_an_input_error(cli, team, tmp_path):
    (tmp_path / "user-config").mkdir()
    (tmp_path / "user-config" / trust.TRUST_FILE).write_text("{not json", encoding="utf-8")
    result = _check(cli, team)
    assert result.returncode == 2 and "cannot read the trusted packs" in result.stderr


def test_init_trusts_what_it_wrote_and_its_hooks_pass_the_flag(cli, tmp_path):
    team = tmp_path / "team"
    created = cli("init", str(team))
    assert created.returncode == 0 and "trusted plugins/house_rules.py" in created.stderr
    assert cli("validate", cwd=team).returncode == 0
    config = yaml.safe_load((team / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = config["repos"][0]["hooks"]
    assert all("--trust-local-plugins" in hook["args"] for hook in hooks)
    (team / "plugins" / "house_rules.py").write_text(PLUGIN, encoding="utf-8")
    assert cli("validate", cwd=team).returncode == 2
    assert cli("validate", "--trust-local-plugins", cwd=team).returncode in (0, 1)


def test_init_into_a_folder_with_someone_elses_plugin_trusts_nothing(cli, tmp_path):
    team = tmp_path / "team"
    (team / "plugins").mkdir(parents=True)
    (team / "plugins" / "house_rules.py").write_text(PLUGIN, encoding="utf-8")
    created = cli("init", str(team), "--force")
    assert created.returncode == 0 and "trusted" not in created.stderr
    assert cli("validate", cwd=team).returncode == 2


def test_invitepacks_own_hooks_pass_the_flag():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert all("--trust-local-plugins" in hook["entry"] for hook in hooks)
