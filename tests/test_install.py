"""From a built wheel in a fresh virtual environment: the pack and schemas ship inside it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(wheel_venv: Path) -> Path:
    return wheel_venv / "bin" / "invitepack"


def _run(script: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


REQUIRED = [
    "--recipient",
    "Priya",
    "--field",
    "data engineering",
    "--detail",
    "your post on testing dbt models in CI",
    "--why-you",
    "you hire for Wise's platform team",
]


def test_wheel_carries_the_pack_and_schemas(installed: Path, tmp_path: Path) -> None:
    listed = json.loads(_run(installed, "list", "--format", "json", cwd=tmp_path).stdout)
    scenarios = {t["scenario"] for t in listed["templates"]}
    assert {
        "seeking-work",
        "offering-skills",
        "genuine-networking",
        "candidate-approach",
    } <= scenarios
    assert all(
        "_bundled" in p
        for p in [
            json.loads(
                _run(installed, "show", "seeking-work", "--format", "json", cwd=tmp_path).stdout
            )["path"]
        ]
    )
    schema = json.loads(_run(installed, "schema", "template", cwd=tmp_path).stdout)
    assert schema["title"] == "invitepack template front matter"
    path = _run(installed, "schema", "template", "--path", cwd=tmp_path).stdout.strip()
    assert "_bundled" in path and json.loads(Path(path).read_text(encoding="utf-8")) == schema


def test_show_gives_the_documented_fields(installed: Path, tmp_path: Path) -> None:
    shown = json.loads(
        _run(installed, "show", "seeking-work", "--format", "json", cwd=tmp_path).stdout
    )
    assert {"id", "path", "scenario", "channel", "version", "variables", "examples"} <= set(shown)
    assert shown["variables"]["properties"] and shown["variables"]["required"]
    assert isinstance(shown["examples"], list) and isinstance(shown["examples"][0], dict)


def test_render_with_name_within_200_units(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, "render", "seeking-work", *REQUIRED, "--name", "Ada", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    note = result.stdout.strip()
    assert "Ada" in note and len(note.encode("utf-16-le")) // 2 <= 200
    assert "linkedin-invite (free account):" in result.stderr and "/200 characters" in result.stderr


def test_missing_name_exits_2_naming_it(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, "render", "seeking-work", *REQUIRED, cwd=tmp_path)
    assert result.returncode == 2 and "--name" in result.stderr and "Traceback" not in result.stderr


def test_value_stays_literal(installed: Path, tmp_path: Path) -> None:
    result = _run(
        installed, "render", "seeking-work", *REQUIRED, "--name", "{{ 7*7 }}", cwd=tmp_path
    )
    # Printed as given, never evaluated (exit 1: the braces read as a leftover placeholder).
    assert result.returncode == 1 and "{{ 7*7 }}" in result.stdout and "49" not in result.stdout
    assert "IP501" in result.stderr
