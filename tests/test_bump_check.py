"""The version-bump check against a chosen commit (`validate --base REF`), in real git
repositories: what a pre-commit hook misses after `--no-verify`, what CI catches, and what
is said when there is nothing to compare with."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import console_script
from test_team_repo import GIT_ENV, _git

TEMPLATE = Path("templates") / "genuine-networking-invite.md"


@pytest.fixture
def team(cli, tmp_path) -> Path:
    """A scaffolded team repo with one commit."""
    root = tmp_path / "team"
    assert cli("init", str(root)).returncode == 0
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "scaffold")
    return root


def _edit_body(root: Path) -> None:
    """Change the template's body (a Jinja comment: what the note says stays the same)."""
    path = root / TEMPLATE
    path.write_text(
        path.read_text(encoding="utf-8").rstrip("\n") + "{# reworded #}\n", encoding="utf-8"
    )


def _version(path: Path) -> str:
    found = re.search(r'^version: "([^"]+)"', path.read_text(encoding="utf-8"), re.MULTILINE)
    assert found, path
    return found.group(1)


def _bump(root: Path) -> None:
    """A patch bump of the template and of the pack."""
    for path in (root / TEMPLATE, root / "pack.yaml"):
        old = _version(path)
        major, minor, patch = old.split(".")
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(f'version: "{old}"', f'version: "{major}.{minor}.{int(patch) + 1}"', 1),
            encoding="utf-8",
        )


def _ip713(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [f["message"] for f in json.loads(result.stdout)["findings"] if f["code"] == "IP713"]


def test_a_missed_bump_committed_with_no_verify_fails_validate_base(cli, team):
    # The commit hook: what pre-commit's invitepack-validate-pack runs, as a plain git hook.
    hook = team / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        f"#!/bin/sh\nexec {' '.join(console_script())} validate --isolated --trust-local-plugins\n",
        encoding="utf-8",
    )
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, **GIT_ENV, "INVITEPACK_NO_ENTRY_POINTS": "1"}
    _edit_body(team)
    blocked = subprocess.run(
        ["git", "commit", "-qam", "edit"], cwd=team, capture_output=True, text=True, env=env
    )
    assert blocked.returncode == 1 and "IP713" in blocked.stderr  # git shows hooks on stderr
    _git(team, "commit", "--no-verify", "-qam", "edit without a bump")

    # Against HEAD nothing has changed any more: the hook alone can never catch it now.
    head = cli("validate", "--output-format", "json", cwd=team)
    assert head.returncode == 0 and _ip713(head) == []
    # Against the commit before it (in CI: the pull request's merge base), it is caught.
    base = cli("validate", "--base", "HEAD~1", "--output-format", "json", cwd=team)
    assert base.returncode == 1
    version = _version(team / TEMPLATE)
    assert sorted(_ip713(base)) == [
        f"genuine-networking-invite changed since HEAD~1 but its version is still {version} "
        f"(was {version})",
        "templates changed since HEAD~1 but the pack's version is still 0.1.0",
    ]
    text = cli("validate", "--base", "HEAD~1", cwd=team)
    assert text.returncode == 1 and "IP713 [error] version-not-bumped" in text.stdout
    # The environment variable does the same, for CI that runs the hooks through pre-commit.
    from_env = cli("validate", cwd=team, env={"INVITEPACK_BASE": "HEAD~1"})
    assert from_env.returncode == 1 and "IP713" in from_env.stdout

    # The fix is a later commit with both bumps: the change as a whole is then in order.
    _bump(team)
    _git(team, "commit", "--no-verify", "-qam", "bump")
    merge_base = _git(team, "rev-parse", "HEAD~2")
    fixed = cli("validate", "--base", merge_base, cwd=team)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def test_base_names_what_it_compares_with_by_commit(cli, team):
    first = _git(team, "rev-parse", "HEAD")
    _edit_body(team)
    _git(team, "commit", "-qam", "edit")
    result = cli("validate", "--base", first, "--output-format", "json", cwd=team)
    assert result.returncode == 1
    assert f"changed since {first[:12]} but" in _ip713(result)[0]


def test_a_base_that_cannot_be_read_is_an_error(cli, team, tmp_path):
    unknown = cli("validate", "--base", "origin/main", cwd=team)
    assert unknown.returncode == 2
    assert "--base origin/main: no such commit in this clone" in unknown.stderr
    assert "git fetch" in unknown.stderr
    option_like = cli("validate", "--base", "--output=x", cwd=team)
    assert option_like.returncode == 2 and "no such commit" in option_like.stderr

    loose = tmp_path / "loose"
    assert cli("init", str(loose)).returncode == 0
    outside = cli("validate", "--base", "HEAD~1", cwd=loose)
    assert outside.returncode == 2
    assert "--base HEAD~1: the pack is not in a git repository" in outside.stderr

    files = cli("validate", "--base", "HEAD", str(team / TEMPLATE), cwd=team)
    assert files.returncode == 2 and "--base compares a whole pack" in files.stderr
    # INVITEPACK_BASE set for a whole CI job does not break the per-file hook.
    per_file = cli("validate", str(team / TEMPLATE), cwd=team, env={"INVITEPACK_BASE": "HEAD"})
    assert per_file.returncode == 0, per_file.stderr


def test_a_skipped_bump_check_is_said(cli, tmp_path):
    loose = tmp_path / "loose"
    assert cli("init", str(loose)).returncode == 0
    result = cli("validate", cwd=loose)
    assert result.returncode == 0
    assert (
        "invitepack: note: version bumps not checked: the pack is not in a git repository"
        in result.stderr
    )
    as_json = cli("validate", "--output-format", "json", cwd=loose)
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout)["notices"] == [
        "version bumps not checked: the pack is not in a git repository"
    ]
    github = cli("validate", "--output-format", "github", cwd=loose)
    assert github.returncode == 0
    assert "::notice title=invitepack::version bumps not checked" in github.stdout
    # Ignoring the rule silences what would only be said about it.
    ignored = cli("validate", "--ignore", "version-not-bumped", cwd=loose)
    assert ignored.returncode == 0 and "version bumps" not in ignored.stderr

    _git(loose, "init", "-q")
    fresh = cli("validate", cwd=loose)
    assert fresh.returncode == 0
    assert "version bumps not checked: the repository has no commits yet" in fresh.stderr
    _git(loose, "add", "-A")
    _git(loose, "commit", "-qm", "first")
    committed = cli("validate", cwd=loose)
    assert committed.returncode == 0 and "version bumps" not in committed.stderr


def test_shallow_clone_without_the_base(cli, team, tmp_path):
    _edit_body(team)
    _git(team, "commit", "-qam", "edit without a bump")
    clone = tmp_path / "ci"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{team}", str(clone))

    # A CI checkout: the repo's plugin runs there as its hooks run it (--trust-local-plugins).
    ci = "--trust-local-plugins"
    head_only = cli("validate", ci, cwd=clone)
    assert head_only.returncode == 0
    assert "version bumps compared with the last commit only" in head_only.stderr
    assert "shallow" in head_only.stderr and "--base" in head_only.stderr

    missing = cli("validate", ci, "--base", "HEAD~1", cwd=clone)
    assert missing.returncode == 2
    assert "--base HEAD~1: no such commit in this clone" in missing.stderr
    assert "shallow" in missing.stderr and "fetch-depth: 0" in missing.stderr

    _git(clone, "fetch", "-q", "--unshallow")
    caught = cli("validate", ci, "--base", "HEAD~1", cwd=clone)
    assert caught.returncode == 1 and "IP713" in caught.stdout
