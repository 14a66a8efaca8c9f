"""A team's template repo: `init`, real pre-commit runs, an installed plugin distribution."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, umask

DEFAULT_TEXT = "I'd like to add you to my professional network on LinkedIn.\n"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def _replace_in(path: Path, old: str, new: str) -> None:
    """Edit a scaffolded file as a user would; the text to replace must be there (a scaffold
    that changed would otherwise leave the test checking nothing)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _replace_body(path: Path, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    front = text[: text.index("\n---\n", 4) + 5]
    path.write_text(front + body, encoding="utf-8")


def test_init_refuses_a_non_empty_folder_and_never_overwrites(cli, tmp_path):
    target = tmp_path / "team"
    target.mkdir()
    (target / "README.md").write_text("ours\n", encoding="utf-8")
    refused = cli("init", str(target))
    assert (
        refused.returncode == 2
        and "not empty" in refused.stderr
        and not (target / "pack.yaml").exists()
    )
    forced = cli("init", str(target), "--force")
    assert forced.returncode == 0 and "kept" in forced.stderr
    assert (target / "README.md").read_text(encoding="utf-8") == "ours\n"
    assert (target / "pack.yaml").is_file() and (target / "plugins" / "house_rules.py").is_file()


@pytest.mark.parametrize(
    ("mask", "mode"), [(0o022, 0o644), (0o027, 0o640)], ids=["umask-022", "umask-027"]
)
def test_init_writes_files_the_team_can_read_as_the_umask_says(cli, tmp_path, mask, mode):
    """A team's template repo is read by others (a shared server, a CI runner under another
    user): init writes its files as an editor would under the user's umask, not private to
    whoever ran it."""
    with umask(mask):
        assert cli("init", str(tmp_path / "team")).returncode == 0
    files = [path for path in (tmp_path / "team").rglob("*") if path.is_file()]
    assert len(files) >= 10, files
    assert {oct(stat.S_IMODE(path.stat().st_mode)) for path in files} == {oct(mode)}


def test_init_writes_into_a_fresh_git_repository(cli, tmp_path):
    # `git init` first is how a team's repo usually starts: its .git is not content.
    target = tmp_path / "team"
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    head = (target / ".git" / "HEAD").read_text(encoding="utf-8")
    result = cli("init", cwd=target)
    assert result.returncode == 0, result.stderr
    # What to run next, from here: the repository exists, and this is the folder.
    assert "Next: pre-commit install && invitepack validate\n" in result.stderr
    assert (target / "pack.yaml").is_file() and (target / ".pre-commit-config.yaml").is_file()
    assert (target / ".git" / "HEAD").read_text(encoding="utf-8") == head
    again = cli("init", str(target))  # what init wrote is content now
    assert again.returncode == 2 and "not empty" in again.stderr
    # A pack in a folder of a larger repository needs no repository of its own.
    nested = cli("init", "outreach", cwd=target)
    assert nested.returncode == 0, nested.stderr
    assert "Next: cd outreach && pre-commit install && invitepack validate\n" in nested.stderr


def test_scaffold_passes_validate_and_its_plugin_runs(cli, tmp_path):
    assert cli("init", str(tmp_path / "team")).returncode == 0
    team = tmp_path / "team"
    result = cli("validate", cwd=team)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "house_rules" in cli("plugins", cwd=team).stdout
    urgent = cli(
        "check",
        "-",
        input="Hi Ana, your talk on rotas was great. Urgent role, can we talk today?",
        cwd=team,
    )
    assert "TEAM101" in urgent.stdout


def test_init_from_builtin_copies_every_template(cli, tmp_path):
    assert cli("init", str(tmp_path / "all"), "--from", "builtin").returncode == 0
    listed = json.loads(cli("list", "--format", "json", cwd=tmp_path / "all").stdout)
    builtin = json.loads(cli("list", "--format", "json", "--pack", "builtin").stdout)
    assert {t["id"] for t in listed["templates"]} == {t["id"] for t in builtin["templates"]}


def test_extends_builtin_and_overrides_by_id(cli, tmp_path):
    team = tmp_path / "ext"
    (team / "templates").mkdir(parents=True)
    (team / "pack.yaml").write_text(
        'name: ext\nversion: "1.0.0"\ndescription: x\ninvitepack: ">=0.1"\nextends: builtin\n',
        encoding="utf-8",
    )
    source = (REPO / "templates" / "genuine-networking-invite.md").read_text(encoding="utf-8")
    (team / "templates" / "genuine-networking-invite.md").write_text(
        source.replace('title: "', 'title: "Ours - ', 1), encoding="utf-8"
    )
    listed = json.loads(cli("list", "--format", "json", cwd=team).stdout)["templates"]
    assert any(t["id"] == "seeking-work-invite" for t in listed)  # from the built-in pack
    assert next(t for t in listed if t["id"] == "genuine-networking-invite")["title"].startswith(
        "Ours -"
    )
    assert cli("validate", cwd=team).returncode == 0


def test_version_bump_is_required_for_a_changed_template(cli, tmp_path):
    assert cli("init", str(tmp_path / "v")).returncode == 0
    team = tmp_path / "v"
    _git(team, "init", "-q")
    _git(team, "add", "-A")
    _git(team, "commit", "-qm", "start")
    template = team / "templates" / "genuine-networking-invite.md"
    body = template.read_text(encoding="utf-8").rstrip("\n")
    template.write_text(body[:-1] + "!\n", encoding="utf-8")  # the note's last full stop
    result = cli("validate", "--output-format", "json", cwd=team)
    messages = [f["message"] for f in json.loads(result.stdout)["findings"] if f["code"] == "IP713"]
    assert any("genuine-networking-invite changed since the last commit" in m for m in messages)
    assert any("pack's version is still 0.1.0" in m for m in messages)
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace('version: "2.0.0"', 'version: "2.0.1"', 1), encoding="utf-8")
    manifest = team / "pack.yaml"
    _replace_in(manifest, 'version: "0.1.0"', 'version: "0.1.1"')
    assert cli("validate", cwd=team).returncode == 0
    _git(team, "commit", "-qam", "bumped")
    # Renaming a required variable breaks callers: a minor bump is not enough, a major one is.
    renamed = (
        template.read_text(encoding="utf-8")
        .replace("detail", "specific")
        .replace('version: "2.0.1"', 'version: "2.1.0"', 1)
    )
    template.write_text(renamed, encoding="utf-8")
    _replace_in(manifest, 'version: "0.1.1"', 'version: "0.2.0"')
    result = cli("validate", "--output-format", "json", cwd=team)
    messages = [f["message"] for f in json.loads(result.stdout)["findings"] if f["code"] == "IP713"]
    assert messages == [
        "genuine-networking-invite removed or renamed required variable(s) detail: that "
        "needs a new major version, not 2.1.0 (was 2.0.1)"
    ]
    template.write_text(
        renamed.replace('version: "2.1.0"', 'version: "3.0.0"', 1), encoding="utf-8"
    )
    assert cli("validate", cwd=team).returncode == 0


@pytest.mark.slow
def test_real_pre_commit_run_with_this_checkout_as_hook_repo(cli, tmp_path, tmp_path_factory):
    if not (REPO / ".git").exists():
        pytest.skip("needs invitepack as a git checkout (pre-commit clones the hook repository)")
    rev = _git(REPO, "rev-parse", "HEAD")
    team = tmp_path / "team"
    assert cli("init", str(team), "--hooks-repo", str(REPO), "--hooks-rev", rev).returncode == 0
    _git(team, "init", "-q")
    _git(team, "add", "-A")
    _git(team, "commit", "-qm", "scaffold")
    env = {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(tmp_path_factory.getbasetemp() / "pre-commit-home"),
    }
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--show-diff-on-failure"]
    clean = subprocess.run(run, cwd=team, capture_output=True, text=True, env=env, timeout=900)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "invitepack validate (changed templates)" in clean.stdout and "Passed" in clean.stdout
    _replace_body(team / "templates" / "genuine-networking-invite.md", DEFAULT_TEXT)
    _git(team, "add", "-A")
    failing = subprocess.run(run, cwd=team, capture_output=True, text=True, env=env, timeout=900)
    assert failing.returncode == 1
    assert "IP207" in failing.stdout and "default-text" in failing.stdout


@pytest.mark.slow
def test_example_plugin_distribution_installs_and_fires(wheel_venv, tmp_path):
    pip = wheel_venv / "bin" / "pip"
    install = subprocess.run(
        [str(pip), "install", "--quiet", str(REPO / "plugins" / "invitepack-acme-house-rules")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr
    invitepack = str(wheel_venv / "bin" / "invitepack")
    listed = subprocess.run(
        [invitepack, "plugins", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    acme = next(p for p in json.loads(listed.stdout)["plugins"] if p["name"] == "acme-house-rules")
    assert (
        acme["source"] == "entry point"
        and acme["version"] == "1.0.0"
        and "ACME101" in acme["rules"]
    )
    note = "Hi Sam, I enjoyed your post on hiring at ACME. Would you be open to a chat?"
    checked = subprocess.run(
        [invitepack, "check", "-"],
        input=note,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert checked.returncode == 1 and "ACME101" in checked.stdout


def _pre_commit_team(cli, tmp_path, tmp_path_factory) -> tuple[Path, dict[str, str], list[str]]:
    """A scaffolded, committed team repo whose hooks come from this checkout's HEAD, the
    environment to run pre-commit in (one hook cache for the session) and its command."""
    if not (REPO / ".git").exists():
        pytest.skip("needs invitepack as a git checkout (pre-commit clones the hook repository)")
    rev = _git(REPO, "rev-parse", "HEAD")
    team = tmp_path / "team"
    assert cli("init", str(team), "--hooks-repo", str(REPO), "--hooks-rev", rev).returncode == 0
    _git(team, "init", "-q")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("INVITEPACK_")},
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(tmp_path_factory.getbasetemp() / "pre-commit-home"),
    }
    return team, env, [sys.executable, "-m", "pre_commit", "run", "--all-files"]


@pytest.mark.slow
def test_real_pre_commit_base_argument_catches_a_no_verify_commit(cli, tmp_path, tmp_path_factory):
    team, env, run = _pre_commit_team(cli, tmp_path, tmp_path_factory)
    config = team / ".pre-commit-config.yaml"
    _replace_in(
        config,
        "        additional_dependencies: *plugins\n",
        "        additional_dependencies: *plugins\n        args: [--base, HEAD~1]\n",
    )
    _git(team, "add", "-A")
    _git(team, "commit", "-qm", "scaffold")
    template = team / "templates" / "genuine-networking-invite.md"
    template.write_text(
        template.read_text(encoding="utf-8").rstrip("\n") + "{# reworded #}\n", encoding="utf-8"
    )
    _git(team, "commit", "--no-verify", "-qam", "edit without a bump")
    caught = subprocess.run(run, cwd=team, capture_output=True, text=True, env=env, timeout=900)
    assert caught.returncode == 1, caught.stdout + caught.stderr
    assert "genuine-networking-invite changed since HEAD~1" in caught.stdout
    # Without the argument, INVITEPACK_BASE does the same for a CI job running every hook;
    # the per-file hook ignores it.
    _replace_in(config, "        args: [--base, HEAD~1]\n", "")
    _git(team, "commit", "--no-verify", "-qam", "no argument")
    plain = subprocess.run(run, cwd=team, capture_output=True, text=True, env=env, timeout=900)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    from_env = subprocess.run(
        run,
        cwd=team,
        capture_output=True,
        text=True,
        env={**env, "INVITEPACK_BASE": "HEAD~2"},
        timeout=900,
    )
    assert from_env.returncode == 1 and "changed since HEAD~2" in from_env.stdout
    assert "invitepack validate (changed templates)" in from_env.stdout


@pytest.mark.slow
def test_real_pre_commit_required_plugin_on_both_hooks(cli, tmp_path, tmp_path_factory):
    team, env, run = _pre_commit_team(cli, tmp_path, tmp_path_factory)
    plugin = REPO / "plugins" / "invitepack-acme-house-rules"
    config = team / ".pre-commit-config.yaml"
    scaffolded = config.read_text(encoding="utf-8")
    config.write_text(scaffolded.replace("&plugins []", f"&plugins [{plugin}]"), encoding="utf-8")
    settings = team / "invitepack.toml"
    _replace_in(
        settings,
        'require-plugins = ["house_rules"]',
        'require-plugins = ["house_rules", "acme-house-rules"]',
    )
    _git(team, "add", "-A")
    _git(team, "commit", "-qm", "scaffold")
    both = subprocess.run(run, cwd=team, capture_output=True, text=True, env=env, timeout=900)
    assert both.returncode == 0, both.stdout + both.stderr
    # On one hook only, the other cannot find it: the mistake the README warns about.
    config.write_text(
        scaffolded.replace("&plugins []\n", f"&plugins [{plugin}]\n", 1).replace(
            "        additional_dependencies: *plugins\n", ""
        ),
        encoding="utf-8",
    )
    _git(team, "add", "-A")
    one = subprocess.run(run, cwd=team, capture_output=True, text=True, env=env, timeout=900)
    assert one.returncode == 1
    assert "required plugin(s) not found: acme-house-rules" in one.stdout
