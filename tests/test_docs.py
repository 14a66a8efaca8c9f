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
