"""The catalogue of hostile and broken input (tests/hostile/), run through the real CLI.

Each folder under tests/hostile/ is one case: `case.yaml` says which promise it tests, what it
tries and what must happen, the command (with `{pack}` for the case's pack folder), the
expected exit code and text that must or must not appear; the other files are what the
command reads. Every case must also finish within TIMEOUT seconds, print no traceback, and
leave the case folder as it found it: no file an escape attempt tried to create.

case.yaml keys:
  promise, tries, must     which promise of "hostile and broken input", and in words
  command                  the arguments after `invitepack`; `{pack}` is the case's pack/
  stdin                    text, or a byte recipe (below), piped to the command
  exit                     the expected exit code
  stdout, stderr           text that must appear there
  absent                   text that must appear in neither
  marker                   a file (relative to the case folder) an escape attempt would create
  generate                 files written at test time, for bytes a repository should not
                           carry (encodings, NUL, BOMs, CRLF, non-ASCII names, large files):
                           path: {parts: [{file: ...} | {text: ..., repeat: N} | {hex: ...}],
                                  encoding, newline}
  symlinks                 link (relative) -> target, made at test time
"""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import assert_no_crash, console_script

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = sorted(path.parent for path in HOSTILE.glob("*/case.yaml"))
PROMISES = range(1, 11)
TIMEOUT = 20.0


def build_bytes(recipe: str | dict[str, Any], folder: Path) -> bytes:
    """The bytes of a `generate` or `stdin` recipe (a plain string is UTF-8 text); `file`
    parts are UTF-8 files in the case folder, re-encoded."""
    if isinstance(recipe, str):
        return recipe.encode("utf-8")
    encoder = codecs.getincrementalencoder(recipe.get("encoding", "utf-8"))()  # one BOM at most
    newline = recipe.get("newline", "\n")
    data = b""
    for part in recipe["parts"]:
        if "hex" in part:
            data += bytes.fromhex(part["hex"])
            continue
        text = (
            (folder / part["file"]).read_text(encoding="utf-8")
            if "file" in part
            else part["text"] * part.get("repeat", 1)
        )
        data += encoder.encode(text.replace("\n", newline))
    return data


def files_under(folder: Path) -> set[Path]:
    """Every path under folder: an escape attempt that ran would have added one."""
    return {path.relative_to(folder) for path in folder.rglob("*")}


def prepare(case: Path, work: Path) -> dict[str, Any]:
    """Copy the case into work, make its generated files and symlinks, and return its spec."""
    spec: dict[str, Any] = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    shutil.copytree(case, work, symlinks=True)
    for rel, recipe in (spec.get("generate") or {}).items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_bytes(build_bytes(recipe, work))
    for link, target in (spec.get("symlinks") or {}).items():
        (work / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, work / link)
    return spec


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_case(case: Path, tmp_path: Path) -> None:
    work = tmp_path / case.name
    spec = prepare(case, work)
    before = files_under(tmp_path)
    args = [arg.replace("{pack}", str(work / "pack")) for arg in spec["command"]]
    stdin = build_bytes(spec["stdin"], work) if "stdin" in spec else b""
    env = {
        **os.environ,
        "INVITEPACK_NO_ENTRY_POINTS": "1",
        "INVITEPACK_CONFIG_DIR": str(tmp_path / "user-config"),  # no pack is trusted there
    }
    for name in ("INVITEPACK_DEBUG", "INVITEPACK_TRUST_LOCAL_PLUGINS"):
        env.pop(name, None)
    started = time.monotonic()
    result = subprocess.run(
        [*console_script(), *args],
        input=stdin,
        capture_output=True,
        cwd=work,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    elapsed = time.monotonic() - started
    stdout = result.stdout.decode("utf-8", errors="replace")
    stderr = result.stderr.decode("utf-8", errors="replace")
    shown = f"\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}"
    assert result.returncode == spec["exit"], (
        f"exit {result.returncode}, expected {spec['exit']}{shown}"
    )
    assert "Traceback" not in stdout + stderr, shown
    assert_no_crash(result.returncode, stderr)
    for text in spec.get("stdout", []):
        assert text in stdout, f"{text!r} not on stdout{shown}"
    for text in spec.get("stderr", []):
        assert text in stderr, f"{text!r} not on stderr{shown}"
    for text in spec.get("absent", []):
        assert text not in stdout + stderr, f"{text!r} was printed{shown}"
    if "marker" in spec:
        assert not (work / spec["marker"]).exists(), "an escape attempt created its marker file"
    assert files_under(tmp_path) == before, "the command created files"
    assert elapsed < TIMEOUT, f"took {elapsed:.1f} s"


def test_catalogue_is_complete() -> None:
    """Every case says what it tries and what must happen, and every promise has several cases."""
    required = {"promise", "tries", "must", "command", "exit"}
    known = required | {"stdin", "stdout", "stderr", "absent", "marker", "generate", "symlinks"}
    per_promise = dict.fromkeys(PROMISES, 0)
    for case in CASES:
        spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
        assert required <= set(spec) and set(spec) <= known, f"{case.name}: keys {sorted(spec)}"
        assert spec.get("stdout") or spec.get("stderr"), f"{case.name} must expect some text"
        per_promise[spec["promise"]] += 1
    assert len(CASES) >= 40
    assert all(count >= 3 for count in per_promise.values()), per_promise
