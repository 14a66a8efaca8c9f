"""The README keeps its promises: the set-up commands CI runs, every hook documented, the
examples and recipes run as written, and the versions it names agree."""

from __future__ import annotations

import inspect
import json
import re

import yaml
from conftest import REPO

from invitepack.checks import hookspecs


def _readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command():
    blocks = re.findall(r"```sh\n(.*?)\n```", _readme(), re.DOTALL)
    setup = [b for b in blocks if "pip install" in b]
    assert len(setup) >= 2, "the README's set-up has an install-and-run command and a test command"
    assert "invitepack render" in setup[0]
    readme_lines = next(b for b in setup if "pytest" in b).strip().splitlines()
    ci_lines = [
        line.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    ]
    # .ci/run runs the README's lines, in the README's order (other lines may come between).
    positions = [ci_lines.index(line) for line in readme_lines if line in ci_lines]
    assert len(positions) == len(readme_lines), f"{readme_lines} not all in .ci/run"
    assert positions == sorted(positions)


def test_readme_documents_every_hook():
    readme = _readme()
    for name, _ in inspect.getmembers(hookspecs, inspect.isfunction):
        if name.startswith("invitepack_"):
            assert f"`{name}(" in readme, f"document {name} in the README's plugin guide"


def _block(language: str, containing: str) -> str:
    """The README's one code block in `language` that contains `containing`."""
    found = [
        b for b in re.findall(rf"```{language}\n(.*?)```", _readme(), re.DOTALL) if containing in b
    ]
    assert len(found) == 1, f"expected one ```{language} block with {containing!r}"
    return found[0]


def test_version_scaffold_rev_and_changelog_agree(cli, tmp_path):
    import tomllib

    import invitepack
    from invitepack.output.scaffold import default_hooks_rev

    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    assert invitepack.__version__ == version
    assert default_hooks_rev() == f"v{version}"
    newest = re.search(r"^## (\S+)", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert newest and newest.group(1) == version, "add the release to CHANGELOG.md"
    assert cli("init", str(tmp_path / "team")).returncode == 0
    config = yaml.safe_load((tmp_path / "team" / ".pre-commit-config.yaml").read_text("utf-8"))
    assert config["repos"][0]["rev"] == f"v{version}"
    assert f"rev: v{version}" in _readme()


def test_pre_commit_configs_put_plugins_on_both_hooks(cli, tmp_path):
    assert cli("init", str(tmp_path / "team")).returncode == 0
    configs = {
        "README": _block("yaml", "# .pre-commit-config.yaml"),
        "scaffold": (tmp_path / "team" / ".pre-commit-config.yaml").read_text(encoding="utf-8"),
        "acme README": next(
            b
            for b in re.findall(
                r"```yaml\n(.*?)```",
                (REPO / "plugins" / "invitepack-acme-house-rules" / "README.md").read_text(
                    encoding="utf-8"
                ),
                re.DOTALL,
            )
            if "repos:" in b
        ),
    }
    for where, text in configs.items():
        hooks = {h["id"]: h for h in yaml.safe_load(text)["repos"][0]["hooks"]}
        assert set(hooks) == {"invitepack-validate", "invitepack-validate-pack"}, where
        plugins = [hooks[h].get("additional_dependencies") for h in sorted(hooks)]
        assert plugins[0] is not None and plugins[0] == plugins[1], where


def test_readme_ci_recipe_compares_with_the_merge_base():
    workflow = yaml.safe_load(_block("yaml", ".github/workflows/templates.yml"))
    steps = workflow["jobs"]["validate"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    commands = " ".join(step.get("run", "") for step in steps)
    assert 'invitepack validate --base "$(git merge-base origin/${{ github.base_ref }} HEAD)"' in (
        commands
    )
    assert "invitepack @ git+https://github.com/invitepack/invitepack@v" in commands


def test_readme_plugin_example_runs_beside_the_scaffold(cli, tmp_path):
    team = tmp_path / "team"
    assert cli("init", str(team)).returncode == 0
    (team / "plugins" / "booking.py").write_text(
        _block("python", "# plugins/booking.py"), encoding="utf-8"
    )
    manifest = team / "pack.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "plugins: [plugins/house_rules.py]",
            "plugins: [plugins/house_rules.py, plugins/booking.py]",
        ),
        encoding="utf-8",
    )
    assert cli("trust", cwd=team).returncode == 0  # a new plugin file: the team's own consent
    validated = cli("validate", cwd=team)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    rules = json.loads(cli("rules", "--format", "json", cwd=team).stdout)["rules"]
    assert {r["code"]: r["plugin"] for r in rules if r["code"].startswith("TEAM")} == {
        "TEAM101": "house_rules",
        "TEAM102": "booking",
    }
    note = "Hi Ana, your talk on rotas was great. Urgent: book me at calendly.com/ada/30"
    checked = cli("check", "-", "--output-format", "json", input=note, cwd=team)
    assert checked.returncode in (0, 1)
    codes = {f["code"] for f in json.loads(checked.stdout)["findings"]}
    assert {"TEAM101", "TEAM102"} <= codes


def test_readme_testing_example_passes(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "booking.py").write_text(_block("python", "# plugins/booking.py"), "utf-8")
    (tmp_path / "test_booking.py").write_text(
        _block("python", "from invitepack.testing import check_note"), "utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_booking.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


NOTE = "Subject: Platform role at Monzo\n\nHi Priya, I'm Sam, recruiting for Monzo's platform team. Your Kafka talk at Current London stood out; would you be open to a chat about a Lead Platform Engineer role? If the timing's wrong, just say.\n"  # noqa: E501 - the InMail `check` reads in the README's example


def _console_commands(block: str) -> list[tuple[str, list[str]]]:
    """Each `$ command` of a console block (with `\\` continuations) and the lines shown
    after it."""
    commands: list[tuple[str, list[str]]] = []
    lines = block.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\") and i + 1 < len(lines):
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            commands.append((command, []))
        elif commands:
            commands[-1][1].append(line)
        i += 1
    return commands


def test_every_console_block_in_the_readme_runs_as_written(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    from conftest import assert_no_crash

    readme = _readme()
    blocks = re.findall(r"```console\n(.*?)\n```", readme, re.DOTALL)
    assert len(blocks) >= 4
    (tmp_path / "people.csv").write_text(
        re.search(r"```csv\n(.*?)\n```", readme, re.DOTALL).group(1) + "\n", encoding="utf-8"
    )
    (tmp_path / "note.txt").write_text(NOTE, encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "INVITEPACK_NO_ENTRY_POINTS": "1",
        "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    ran = 0
    for number, block in enumerate(blocks):
        work = tmp_path / f"block-{number}"
        work.mkdir()
        for name in ("people.csv", "note.txt"):
            (work / name).write_bytes((tmp_path / name).read_bytes())
        # One shell per block, so `cd` carries to the next command as it would for a reader.
        script = []
        for index, (command, _) in enumerate(_console_commands(block)):
            # The command on a line of its own: a trailing `# comment` ends with the line.
            script.append(
                f"{{ {command}\n}} > {tmp_path}/out-{number}-{index} 2>&1 < /dev/null\n"
                f"echo $? > {tmp_path}/rc-{number}-{index}"
            )
        subprocess.run(["bash", "-c", "\n".join(script)], cwd=work, env=env, timeout=600)
        for index, (command, shown) in enumerate(_console_commands(block)):
            output = (tmp_path / f"out-{number}-{index}").read_text(encoding="utf-8")
            code = int((tmp_path / f"rc-{number}-{index}").read_text())
            assert_no_crash(code, output)
            expects_error = any("error:" in line for line in shown)
            allowed = (2,) if expects_error else (0, 1)
            assert code in allowed, f"$ {command}\nexit {code}\n{output}"
            for line in shown:
                expected = line.split("...")[0].rstrip() if "..." in line else line
                if expected.strip():
                    assert expected in output, f"$ {command}\nmissing: {expected}\n{output}"
            ran += 1
    assert ran >= 12
