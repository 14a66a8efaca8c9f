"""Caches written like bytecode (pack/caches.py): the bundled JSON data as json reads it,
whatever the cache holds."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from invitepack.pack import caches
from invitepack.pack.resources import data_file


@pytest.mark.parametrize("name", ["channels.json", "verdict.json"])
def test_bundled_json_is_what_json_reads(name, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    expected = json.loads(data_file(name).read_bytes())
    assert caches.bundled_json(name) == expected  # parsed, and remembered
    [remembered] = tmp_path.rglob(f"{name}.*.marshal")
    assert caches.bundled_json(name) == expected  # from the cache
    remembered.write_bytes(b"not marshal")
    assert caches.bundled_json(name) == expected  # a damaged cache is parsed afresh


def test_a_plain_check_with_its_caches_imports_no_json(tmp_path):
    code = (
        "import sys\n"
        "from invitepack.cli import main\n"
        "try:\n"
        "    main(['check', '-'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('json' in sys.modules)\n"
    )
    env = {"PYTHONPYCACHEPREFIX": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            input="Hi Priya, I enjoyed your talk on data contracts. Do you know who I should ask?",
            capture_output=True,
            text=True,
            cwd="/",
            env=env,
        )
        for _ in range(2)
    ]
    assert runs[1].stdout.strip().splitlines()[-1] == "False", runs[1].stdout + runs[1].stderr
