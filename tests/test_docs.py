"""The README keeps its promises: the set-up commands CI runs, and every hook documented."""

from __future__ import annotations

import inspect
import re

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
