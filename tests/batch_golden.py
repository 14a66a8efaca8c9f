"""The batch's golden output: a few hundred varied rows through the real `render --data`, every
output file and report line recorded, so that any speed-up shows drift byte for byte.

`python tests/batch_golden.py --write` records tests/data/batch-golden/expected.json with the
invitepack that the interpreter imports (run it from outside the repository, with the
installed code that is to be the reference); tests/test_batch_golden.py compares against it.
The rows (people.csv) are made once from a fixed seed by `--make-rows` and kept as they are.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "data" / "batch-golden"
PEOPLE = HERE / "people.csv"
EXPECTED = HERE / "expected.json"
WHY_YOU = ["--why-you", "you run the Leeds data meetup"]
HEADER = ["id", "recipient", "name", "field", "detail", "why_you", "recent", "email"]

# Each run: its name, the arguments after `render`, and where it writes (out folder or file).
RUNS: list[tuple[str, list[str], str]] = [
    (
        "invite-out-skip",
        ["seeking-work", *WHY_YOU, "--id-column", "id", "--skip-invalid", "--out", "out"],
        "out",
    ),
    ("invite-out-all-or-nothing", ["seeking-work", *WHY_YOU, "--out", "out"], "out"),
    (
        "invite-premium-jsonl",
        ["seeking-work", "--account", "premium", "--skip-invalid", "--jsonl", "out.jsonl"],
        "out.jsonl",
    ),
    (
        "email-jsonl",
        ["seeking-work", "--channel", "email", "--skip-invalid", "--jsonl", "out.jsonl"],
        "out.jsonl",
    ),
    (
        "email-eml",
        [
            *("seeking-work", "--channel", "email", "--format", "eml", "--skip-invalid"),
            *("--id-column", "id", "--to-column", "email", "--from", "ada@example.com"),
            *("--out", "out"),
        ],
        "out",
    ),
]
_DATA = ["--data", "people.csv", "--no-input"]
# A loaded machine must not turn a slow first row (phrase lists compiled) into a failed run.
CONFIG = "[limits]\ncheck_seconds = 60\nrender_seconds = 60\ncompile_seconds = 60\n"
# An email's Date, Message-ID and MIME boundary differ on every run; nothing else may.
_VOLATILE = re.compile(rb"^(?:Date|Message-ID): [^\r\n]*|={15}[0-9]{19}==", re.MULTILINE)

FIRST = ["Priya", "Zoë", "Anne-Marie", "Siobhán", "O'Neil", "Venkataramanan", "José", "Wei"]
FIELDS = ["data engineering", "product design", "UX research", "platform engineering"]
DETAILS = [
    "your post on dbt tests",
    "your talk at PyData London",
    "your write-up on data contracts",
    "your thread on on-call",
]
WHY = ["you hire for Wise's platform team", "you run the Leeds data meetup", ""]
RECENT = ["moved nightly jobs from cron to Airflow", "redesigned a sign-up flow", ""]
# Values that must fail, or that look like what the rules and the masking look for.
ODD = [
    "{{ recipient }}",
    "{{first_name}} work",
    "[Name]",
    "{name}",
    "<FIRST NAME>",
    "our platform free demo",
    "WOW AMAZING post!!",
    "your profile",
    "calendly.com/x",
    "a\u200bb",
    "x" * 80,
    "the perfect role for you",
    "\U0001f680\U0001f680\U0001f680 launch",
    "line\nbreak",
    "e\u0301cole",
    "I saw your post",
    "hiring? DM me",
    "%(name)s",
    "$name",
    "Hi Priya, I'm Ada",
    "   ",
    "",
]


def make_rows(count: int = 320, seed: int = 20261130) -> list[list[str]]:
    """Rows of plausible values, a fifth of them with an odd value in one column, some over
    length, some missing a required value, some with a repeated id."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        row = [
            f"p{i % 290}" if i % 7 else "",
            rng.choice(FIRST),
            rng.choice(FIRST),
            rng.choice(FIELDS),
            rng.choice(DETAILS),
            rng.choice(WHY),
            rng.choice(RECENT),
            f"p{i}@example.com" if i % 11 else "not an address",
        ]
        if rng.random() < 0.25:
            row[rng.randrange(1, 7)] = rng.choice(ODD)
        if rng.random() < 0.1:
            row[4] = row[4] + " and " + rng.choice(DETAILS) + " and more besides"
        rows.append(row)
    return rows


def write_rows(path: Path = PEOPLE) -> None:
    """people.csv from make_rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(make_rows())


def _output(target: Path) -> dict[str, str] | str | None:
    if target.is_dir():
        return {
            p.name: _VOLATILE.sub(b"(varies)", p.read_bytes()).decode("utf-8")
            for p in sorted(target.iterdir())
        }
    return target.read_bytes().decode("utf-8") if target.exists() else None


def run_all(
    command: list[str], run: Callable[..., Any] = subprocess.run, jobs: int = 1
) -> dict[str, Any]:
    """Every run of RUNS through `command` (the invitepack console script), each in a fresh
    folder holding a copy of people.csv: exit code, stderr and what was written. `jobs`:
    render's --jobs (the recording: one, as the code before --jobs ran)."""
    results: dict[str, Any] = {}
    for name, args, target in RUNS:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "people.csv").write_bytes(PEOPLE.read_bytes())
            (work / "invitepack.toml").write_text(CONFIG, encoding="utf-8")
            done = run(
                [*command, "render", *args[:1], "--pack", "builtin", *args[1:], *_DATA]
                + (["--jobs", str(jobs)] if jobs != 1 else []),
                capture_output=True,
                text=True,
                cwd=work,
                env={**os.environ, "INVITEPACK_NO_ENTRY_POINTS": "1"},
                timeout=300,
            )
            results[name] = {
                "exit": done.returncode,
                "stderr": done.stderr.splitlines(),
                "output": _output(work / target),
            }
    return results


def api_run(jobs: int = 1) -> list[str]:
    """The Batch API with findings printed as JSON (what `check --output-format json` prints),
    over the invite template with --skip-invalid: every line it reports."""
    from invitepack.checks.checker import notes_checker
    from invitepack.output.batch import Batch, BatchOptions
    from invitepack.output.rows import RowSource
    from invitepack.pack.workspace import Workspace
    from invitepack.render.renderer import Renderer

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "people.csv").write_bytes(PEOPLE.read_bytes())
        here = Path.cwd()
        os.chdir(work)  # locations in the report name the data file as given: people.csv
        try:
            workspace = Workspace(pack_spec="builtin", isolated=True)
            batch = Batch(
                workspace.pack.find("seeking-work-invite"),
                Renderer.for_workspace(workspace),
                notes_checker(workspace),
                BatchOptions(out_dir=Path("out"), skip_invalid=True, jobs=jobs),
                report=lines.append,
                defaults={"why_you": WHY_YOU[1]},
                output_format="json",
            )
            batch.run(RowSource(Path("people.csv"), id_column="id"))
        finally:
            os.chdir(here)
    return lines


def main(argv: list[str]) -> int:
    if "--make-rows" in argv:
        write_rows()
    if "--write" in argv:
        script = Path(sys.executable).with_name("invitepack")
        results = run_all(
            [str(script)] if script.exists() else [sys.executable, "-m", "invitepack"]
        )
        results["api-json-report"] = api_run()
        EXPECTED.write_text(
            json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
