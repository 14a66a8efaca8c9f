"""`invitepack validate` of a varied pack gives exactly the output it gave before validate was
made faster (issue 12): the full JSON report, the notices on stderr and the exit code.

tests/data/validate-pack/ holds valid templates and broken ones (front matter of the wrong
types, unknown keys, YAML syntax errors, refused YAML, bad variables schemas, examples that
fail their schema or the message rules, Jinja2 and sandbox errors, a duplicate id, an unused
suppression, includes that are missing or cycle); GENERATED adds the files whose bytes a
repository should not carry. The golden was written by `golden_runs` running the code before
the speed-up (commit a4bc1c2, the judgement of v0.2.0 before the validate speed-up was merged;
`python -m invitepack` with that tree first on PYTHONPATH).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import DATA

PACK = DATA / "validate-pack"
GOLDEN = DATA / "validate-pack.golden.json"
GENERATED = {
    "latin.md": b"---\nid: latin\ntitle: caf\xe9\n---\nHi\n",
    "nul.md": b"---\nid: nul\x00\n---\n",
    "yaml-control.md": (PACK / "templates" / "seeking-work-invite.md")
    .read_bytes()
    .replace(b"seeking-work-invite", b"yaml-control")
    .replace(b"title: Seeking work", b"title: Seeking\x07 work"),
}
# Each run: its name and the arguments after `invitepack validate --pack pack`.
RUNS = {
    "whole-pack": [],
    "named-files": ["pack/templates/bad-types.md", "pack/templates", "pack/templates/nul.md"],
    "selected-rules": ["--select", "IP7,sales-pitch", "--ignore", "IP711"],
}


def copy_pack(folder: Path) -> Path:
    """The pack, written under `folder` (not a git repository, so no version bumps)."""
    root = folder / "pack"
    shutil.copytree(PACK, root)
    for name, data in GENERATED.items():
        (root / "templates" / name).write_bytes(data)
    return root


def golden_runs(
    run: Callable[..., subprocess.CompletedProcess[str]], folder: Path
) -> dict[str, Any]:
    """Every run's exit code, stderr lines and JSON report, with `folder` written `<tmp>`."""
    copy_pack(folder)
    found: dict[str, Any] = {}
    for name, extra in RUNS.items():
        result = run(
            "validate",
            "--pack",
            "pack",
            "--output-format",
            "json",
            "--isolated",
            *extra,
            cwd=folder,
        )
        placeholders = [str(folder.resolve()), str(folder)]
        stdout, stderr = result.stdout, result.stderr
        for text in placeholders:
            stdout, stderr = stdout.replace(text, "<tmp>"), stderr.replace(text, "<tmp>")
        report = json.loads(stdout)
        report["tool"]["version"] = "<version>"  # a release changes it, not the findings
        found[name] = {"exit": result.returncode, "stderr": stderr.splitlines(), "report": report}
    return found


def test_validate_output_is_the_golden(cli, tmp_path):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    found = golden_runs(cli, tmp_path)
    for name in RUNS:
        assert found[name] == expected[name], name
