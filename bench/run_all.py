"""Run every benchmark and print one combined table.

Each benchmark script runs in its own process (so one's caches and imports cannot help or
hurt another), with the same interpreter as this script; their own output is shown as they
run, then the combined table. Exit code 0 even when targets are missed: benchmarks inform,
tests decide. Exit code 1 only when a benchmark itself fails to run.

Peer tools (the optional `bench` extra: proselint, mailmerge, check-jsonschema) are timed
by the same scripts where installed and printed as "peer NAME" lines with no target; each
missing one gets a one-line note instead. They never count towards the targets.

Run: python bench/run_all.py [--quick] [--profile] [--no-peers] [--only check,render]
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import Result, machine, print_table

BENCH = Path(__file__).resolve().parent
SCRIPTS = {
    "check": "bench_check.py",
    "validate": "bench_validate.py",
    "render": "bench_render.py",
    "memory": "bench_memory.py",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller, faster runs")
    parser.add_argument(
        "--profile", action="store_true", help="also print cProfile hotspots of invitepack's side"
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help="do not time the peer tools (proselint, check-jsonschema, mailmerge)",
    )
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(SCRIPTS)}")
    parser.add_argument(
        "--clock", choices=["cpu", "wall"], default="cpu", help="what the scripts time"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write all results as JSON")
    args = parser.parse_args()
    chosen = [s.strip() for s in args.only.split(",")] if args.only else list(SCRIPTS)
    unknown = [s for s in chosen if s not in SCRIPTS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    results: list[Result] = []
    broken: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="invitepack-bench-") as folder:
        for name in chosen:
            out = Path(folder) / f"{name}.json"
            command = [sys.executable, str(BENCH / SCRIPTS[name]), "--json", str(out)]
            command += ["--quick"] if args.quick else []
            command += ["--profile"] if args.profile else []
            command += ["--no-peers"] if args.no_peers else []
            command += ["--clock", args.clock] if name != "memory" else []
            print(f"==> {SCRIPTS[name]}{' --quick' if args.quick else ''}", flush=True)
            code = subprocess.call(command)
            if code != 0 or not out.is_file():
                broken.append(f"{SCRIPTS[name]} exited {code}")
                continue
            results += [Result.from_json(r) for r in json.loads(out.read_text(encoding="utf-8"))]

    print()
    print(
        f"invitepack benchmarks, {datetime.date.today().isoformat()}, {machine()}; "
        f"{time.perf_counter() - started:.0f} s{' (--quick)' if args.quick else ''}"
    )
    print_table(results, details=False)
    for problem in broken:
        print(f"ERROR: {problem}: no figures")
    targeted = [r for r in results if not r.info]  # peer lines have no target
    missed = [r.name for r in targeted if not r.passed]
    print(
        f"\n{len(targeted) - len(missed)} of {len(targeted)} targets met"
        + (f"; FAIL: {', '.join(missed)}" if missed else "")
    )
    if args.json:
        args.json.write_text(json.dumps([r.to_json() for r in results], indent=2), encoding="utf-8")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
