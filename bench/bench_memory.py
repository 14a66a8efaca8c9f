"""Peak memory of a large batch: `invitepack render --data` streams, so memory stays flat.

Generates a CSV of N rows (default 1,000,000; --quick 100,000), runs the real console script
`invitepack render seeking-work --data people.csv --jsonl out.jsonl` in a child process, and
reads the child's peak resident memory (ru_maxrss). The baseline is the same command on
1,000 rows, measured in the same run: a ratio near 1 means memory does not grow with rows.
The issue's bar: a 1,000,000-row batch in well under 100 MB.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import Result, finish, parse_args

HEADER = ["id", "recipient", "name", "field", "detail", "why_you"]  # the template's required


def _write_rows(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow(
                [
                    f"p{i}",
                    "Priya",
                    "Ada",
                    "data engineering",
                    f"your post on dbt tests, part {i % 97}",
                    "you lead the data platform team",
                ]
            )


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("invitepack")
    return [str(script)] if script.exists() else [sys.executable, "-m", "invitepack"]


def _peak_mb(folder: Path, rows: int) -> tuple[float, float]:
    """Peak RSS (MB) and wall time of one batch run in a fresh child process."""
    data = folder / f"people-{rows}.csv"
    _write_rows(data, rows)
    out = folder / f"out-{rows}.jsonl"
    command = [
        *_console_script(),
        "render",
        "seeking-work",
        "--pack",
        "builtin",
        "--isolated",
        "--data",
        str(data),
        "--jsonl",
        str(out),
    ]
    # A helper process per measurement, so ru_maxrss of RUSAGE_CHILDREN is this run's alone.
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); code = subprocess.call(sys.argv[1:], "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
        "time.perf_counter() - t)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    code, kib, seconds = result.stdout.split()
    if code != "0":
        raise SystemExit(f"the batch exited {code}: {' '.join(command)}")
    lines = sum(1 for _ in out.open(encoding="utf-8"))
    if lines != rows:
        raise SystemExit(f"expected {rows} notes in {out}, found {lines}")
    out.unlink()
    data.unlink()
    return int(kib) / 1024, float(seconds)


def bench_memory(rows: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="invitepack-memory-") as folder:
        small_mb, small_s = _peak_mb(Path(folder), 1_000)
        big_mb, big_s = _peak_mb(Path(folder), rows)
    return Result(
        name=f"peak-memory ({rows:,}-row batch)",
        ours=big_mb,
        baseline=small_mb,
        target=1.25,
        unit="MB",
        ours_median=big_mb,
        baseline_median=small_mb,
        repeat=1,
        size=rows,
        details=[
            f"peak RSS {big_mb:.1f} MB for {rows:,} rows ({big_s:.0f} s) vs "
            f"{small_mb:.1f} MB for 1,000 rows ({small_s:.1f} s)",
            "bar: well under 100 MB for 1,000,000 rows; ratio near 1 = memory flat in "
            "the row count",
        ],
    )


def main() -> None:
    args = parse_args(__doc__.split("\n\n")[0], default_repeat=1, quick_repeat=1)
    started = time.perf_counter()
    result = bench_memory(100_000 if args.quick else 1_000_000)
    finish([result], args, f"bench_memory ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
