"""`invitepack init --plugin NAME`: a plugin distribution that passes its own tests, through
invitepack.testing, and that invitepack lists once it is installed with pip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import fresh_venv

NOTE = "Dear Sir or Madam, I enjoyed your talk on Kafka at PyCon. Would you be open to a chat?"


def _pytest(python: str, folder: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=600,
    )


def test_init_plugin_writes_a_distribution_whose_tests_run(cli, tmp_path):
    made = cli("init", "--plugin", "acme-rules", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    root = tmp_path / "invitepack-acme-rules"
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "invitepack-acme-rules"
    assert project["project"]["entry-points"]["invitepack"] == {
        "acme-rules": "invitepack_acme_rules"
    }
    source = root / "src" / "invitepack_acme_rules" / "__init__.py"
    assert 'code="ACME101"' in source.read_text(encoding="utf-8")
    tests = (root / "tests" / "test_rules.py").read_text(encoding="utf-8")
    assert "from invitepack.testing import" in tests and "CheckContext" not in tests
    assert (root / "README.md").is_file() and (
        root / "src" / "invitepack_acme_rules" / "py.typed"
    ).is_file()

    # Its tests pass here, with the package on the path (installed: see the slow test)...
    passed = _pytest(sys.executable, root, PYTHONPATH=str(root / "src"))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "6 passed" in passed.stdout
    # ...and they test something: a rule that no longer fires fails them.
    source.write_text(
        source.read_text(encoding="utf-8").replace('r"to whom it may concern",', ""),
        encoding="utf-8",
    )
    failed = _pytest(sys.executable, root, PYTHONPATH=str(root / "src"))
    assert failed.returncode == 1 and "1 failed" in failed.stdout


def test_init_plugin_with_a_directory_and_prefix(cli, tmp_path):
    made = cli("init", "--plugin", "house", "--prefix", "HR", str(tmp_path / "p"))
    assert made.returncode == 0
    text = (tmp_path / "p" / "src" / "invitepack_house" / "__init__.py").read_text(encoding="utf-8")
    assert 'code="HR101"' in text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--plugin", "Acme_Rules"], "must be kebab-case"),
        (["--plugin", "acme", "--prefix", "IP"], "not IP"),
        (["--plugin", "acme", "--prefix", "acme1"], "one to four capitals"),
        (["--prefix", "ACME"], "--prefix goes with --plugin"),
    ],
)
def test_init_plugin_refuses(cli, tmp_path, args, says):
    result = cli("init", *args, str(tmp_path / "out"))
    assert result.returncode == 2 and says in result.stderr
    assert not (tmp_path / "out").exists()


def test_init_plugin_never_overwrites(cli, tmp_path):
    target = tmp_path / "p"
    target.mkdir()
    (target / "README.md").write_text("ours\n", encoding="utf-8")
    refused = cli("init", "--plugin", "acme", str(target))
    assert refused.returncode == 2 and "not empty" in refused.stderr
    forced = cli("init", "--plugin", "acme", "--force", str(target))
    assert forced.returncode == 0 and "kept" in forced.stderr
    assert (target / "README.md").read_text(encoding="utf-8") == "ours\n"


@pytest.mark.slow
def test_scaffolded_plugin_installed_with_pip_passes_its_tests_and_is_listed(
    cli, built_wheel, tmp_path
):
    assert cli("init", "--plugin", "acme-rules", cwd=tmp_path).returncode == 0
    root = tmp_path / "invitepack-acme-rules"
    venv = fresh_venv(tmp_path / "venv", str(built_wheel), f"{root}[test]")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVITEPACK_")}

    tested = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "6 passed" in tested.stdout

    invitepack = str(venv / "bin" / "invitepack")
    listed = subprocess.run(
        [invitepack, "plugins", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    plugin = next(p for p in json.loads(listed.stdout)["plugins"] if p["name"] == "acme-rules")
    assert plugin["source"] == "entry point" and plugin["version"] == "0.1.0"
    assert plugin["rules"] == ["ACME101"]
    assert plugin["hooks"] == ["invitepack_check_message", "invitepack_rules"]
    checked = subprocess.run(
        [invitepack, "check", "-"],
        input=NOTE,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert checked.returncode in (0, 1) and "ACME101 [warning] generic-salutation" in checked.stdout
