"""Caches written like bytecode (pack/caches.py): the bundled JSON data as json reads it,
whatever the cache holds."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import after_a_plain_check

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
    env = {"PYTHONPYCACHEPREFIX": str(tmp_path), "PATH": "/usr/bin:/bin"}
    imported = [after_a_plain_check("print('json' in sys.modules)\n", env) for _ in range(2)]
    assert imported[1] == "False"  # the first run wrote the caches the second one reads
