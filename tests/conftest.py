"""Shared fixtures: the real CLI through its console script, and small packs on disk."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@contextmanager
def umask(mask: int) -> Iterator[None]:
    """Run with the process's umask set to mask: the CLI subprocesses a test starts inherit it,
    as they would a user's shell's."""
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def console_script() -> list[str]:
    """The installed `invitepack` entry point next to this interpreter."""
    script = Path(sys.executable).with_name("invitepack")
    return [str(script)] if script.exists() else [sys.executable, "-m", "invitepack"]


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real CLI; by default in an empty folder, with no config or pack around it."""

    def run(
        *args: str,
        input: str | None = None,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        full_env = {
            **os.environ,
            "INVITEPACK_NO_ENTRY_POINTS": "1",
            # The user's trusted packs (invitepack trust) live here, never in the real home.
            "INVITEPACK_CONFIG_DIR": str(tmp_path / "user-config"),
            **(env or {}),
        }
        workdir = cwd or tmp_path / "work"
        workdir.mkdir(exist_ok=True)
        result = subprocess.run(
            [*console_script(), *args],
            input=input,
            capture_output=True,
            text=True,
            cwd=workdir,
            env=full_env,
            timeout=120,
        )
        assert_no_crash(result.returncode, result.stderr)
        return result

    return run


def after_a_plain_check(
    report: str, env: dict[str, str] | None = None, cwd: Path | str = "/"
) -> str:
    """The last line that `report` (Python code) prints in a fresh interpreter that has just
    run a plain one-note `invitepack check -` in `cwd`: what such a check left loaded or
    defined."""
    code = (
        "import sys\n"
        "from invitepack.cli import main\n"
        "try:\n"
        "    main(['check', '-'])\n"
        "except SystemExit:\n"
        "    pass\n"
    ) + report
    done = subprocess.run(
        [sys.executable, "-c", code],
        input="Hi Priya, I enjoyed your talk on data contracts. Do you know who I should ask?",
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr
    return lines[-1]


def assert_no_crash(returncode: int, stderr: str) -> None:
    """No test expects invitepack to crash: an internal error (exit 3) fails the test that
    ran it, whatever else that test asserts."""
    assert returncode != 3 and "internal error" not in stderr and "Traceback" not in stderr, (
        f"invitepack crashed (exit {returncode}):\n{stderr[-3000:]}"
    )


MANIFEST = """\
name: test-pack
version: "1.0.0"
description: A pack for tests
invitepack: ">=0.1"
"""

SEEKING_WORK = """\
---
id: seeking-work-invite
version: "1.0.0"
scenario: seeking-work
channel: linkedin-invite
title: Seeking work
description: Ask who to talk to about work.
guidance: Use it when you are looking for work.
variables:
  type: object
  properties:
    name: {type: string, description: Your first name, minLength: 1, maxLength: 20}
    field: {type: string, description: Your field, minLength: 1, maxLength: 30}
    detail: {type: string, description: What you saw of theirs, minLength: 1, maxLength: 60}
  required: [name, field, detail]
examples:
  - {name: Ada, field: data engineering, detail: your post on testing dbt models}
  - {name: Bartholomew, field: platform engineering, detail: your PyCon talk on packaging}
---
Hi, I'm {{ name }}, looking for work in {{ field }}. I enjoyed {{ detail }}. Who would be the right person to talk to?
"""  # noqa: E501 - a template's note is one line


@pytest.fixture
def make_pack(tmp_path: Path) -> Callable[..., Path]:
    """Write a pack: make_pack({"seeking-work-invite.md": text, ...}, manifest=...)."""

    def make(
        files: dict[str, str] | None = None, manifest: str = MANIFEST, name: str = "pack"
    ) -> Path:
        root = tmp_path / name
        (root / "templates").mkdir(parents=True, exist_ok=True)
        (root / "pack.yaml").write_text(manifest, encoding="utf-8")
        for rel, text in (
            files if files is not None else {"seeking-work-invite.md": SEEKING_WORK}
        ).items():
            path = root / "templates" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8"
            )
        return root

    return make


def builtin_pack() -> Path:
    return REPO / "templates"


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """invitepack's wheel, built once per test session."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(base / "dist"), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = (base / "dist").glob("invitepack-*.whl")
    return wheel


def fresh_venv(where: Path, *requirements: str) -> Path:
    """A new virtual environment with these pip requirements installed."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=300)
    installed = subprocess.run(
        [str(where / "bin" / "pip"), "install", "--quiet", *requirements],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return where


@pytest.fixture(scope="session")
def wheel_venv(built_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only invitepack's built wheel installed (and its deps)."""
    return fresh_venv(tmp_path_factory.mktemp("wheel-venv") / "venv", str(built_wheel))
