"""What running installed and local plugins in their own process costs (issue 13, item 2).

Two figures, each against the same work with INVITEPACK_PLUGINS_IN_PROCESS=1, measured
alternately and reported as the best of the repetitions (see _common.py for why):

- a cold `invitepack check` of one note, in a pack that lists one small local plugin: the
  fork and the worker's start-up, paid once per run;
- 1,000 notes through one checker (the batch and `check notes/*` case): the round trip per
  note to the worker, which only a hook an external plugin implements pays.

Run: python bench/bench_isolation.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The local plugin the trust tests run: a team's one rule, in a file of its own.
PLUGIN = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "plugins" / "no_urgency.py"
).read_text(encoding="utf-8")
MANIFEST = """\
name: bench
version: "1.0.0"
description: A pack with one local plugin
invitepack: ">=0.1"
extends: builtin
plugins: [plugins/team.py]
"""
NOTE = "Hi Sam, I'm Ada, a data engineer. I enjoyed your talk on dbt tests. Could we chat?"


def _pack(folder: Path) -> Path:
    (folder / "templates").mkdir(parents=True)
    (folder / "plugins").mkdir()
    (folder / "pack.yaml").write_text(MANIFEST, encoding="utf-8")
    (folder / "plugins" / "team.py").write_text(PLUGIN, encoding="utf-8")
    return folder


def _env(in_process: bool) -> dict[str, str]:
    env = {**os.environ, "INVITEPACK_NO_ENTRY_POINTS": "1", "INVITEPACK_TRUST_LOCAL_PLUGINS": "1"}
    env.pop("INVITEPACK_PLUGINS_IN_PROCESS", None)
    if in_process:
        env["INVITEPACK_PLUGINS_IN_PROCESS"] = "1"
    return env


def cold_check(pack: Path, in_process: bool) -> float:
    script = Path(sys.executable).with_name("invitepack")
    started = time.perf_counter()
    subprocess.run(
        [str(script), "check", "--isolated", "--pack", str(pack), "-"],
        input=NOTE,
        text=True,
        capture_output=True,
        env=_env(in_process),
        check=False,
    )
    return time.perf_counter() - started


def many_notes(pack: Path, in_process: bool, count: int = 1_000) -> float:
    code = f"""
import os, time
os.environ.update({_env(in_process)!r})
from invitepack.checks.checker import notes_checker
from invitepack.pack.workspace import Workspace
from invitepack.render.message import Message
checker = notes_checker(Workspace(pack_spec={str(pack)!r}, isolated=True))
notes = [Message.from_note({NOTE!r} + str(i), path=None, channel="linkedin-invite")
         for i in range({count})]
outcome = checker.outcome()
started = time.perf_counter()
for note in notes:
    checker.check_message(note, outcome)
print(time.perf_counter() - started)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pack = _pack(Path(folder) / "pack")
        for name, measure in (("cold check, 1 note", cold_check), ("1,000 notes", many_notes)):
            worker, in_process = [], []
            for _ in range(args.repeat):
                worker.append(measure(pack, False))
                in_process.append(measure(pack, True))
            best_w, best_i = min(worker), min(in_process)
            print(
                f"{name:20s} worker {best_w * 1000:8.1f} ms   in-process {best_i * 1000:8.1f} ms"
                f"   cost {(best_w - best_i) * 1000:+7.1f} ms ({best_w / best_i:.2f}x)"
            )


if __name__ == "__main__":
    main()
