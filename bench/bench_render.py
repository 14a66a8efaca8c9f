"""Benchmark rendering: 10,000 rows rendered, checked and written: `render --data --out`.

render-10000-rows: the batch `invitepack render seeking-work-invite --data people.csv --out
DIR` runs, in-process (output.batch.Batch over a RowSource, as the CLI builds them): the CSV
read and scanned, every row's values validated, rendered in the sandbox within its time and
output bounds, checked by every rule and judged, the note written to its own file in a
staging folder and the folder published; template `seeking-work-invite` of the built-in pack,
values generated within each variable's maxLength. Baseline: a bare jinja2 loop over the same
rows (already in memory), `jinja2.Environment().from_string(template.body)` compiled once,
`.render(**values)` written to one file a row. Target: ratio <= 4 (issue 12).

Also shown, for information (no target): the same two loops without the file writes, and
invitepack rendering alone (no check) against the bare loop, so the share of each part is visible.

Peer (when installed, `pip install -e '.[bench]'`): mailmerge, in-process through its
importable API, on the same rows written to a CSV database, with the same template body
under mailmerge's email headers: the CSV read with mailmerge's own reader, then per row
`TemplateMessage.render(row)` (a MIME email) written to a file the same way (what its
dry run renders, without printing). It never sends: mailmerge's SendmailClient (its only
sending code) is never created, and socket connects and smtplib are refused while the peer
runs. "render-N-rows vs mailmerge" is invitepack's time over mailmerge's. Target: <= 1/3.

With worker processes: the same batch with `--jobs J`, J the CPUs this machine gives the
process (what `--jobs 0` picks, what a user here would pass), against the same baselines and
the single worker, all timed again in one round by the wall clock (a CPU clock adds the
workers' time up instead of overlapping it): "render-N-rows --jobs J" and its "vs mailmerge".

Run: python bench/bench_render.py [--quick] [--profile] [--no-peers]
"""

from __future__ import annotations

import contextlib
import csv
import os
import random
import shutil
import socket
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    Result,
    finish,
    fixed_and_per_item,
    make_result,
    parse_args,
    peer_missing,
    peer_result,
    peer_skipped,
    profile,
    time_pair,
    time_sides,
    versus_peer,
    wall_clock,
)

TARGET = 4.0
PEER_TARGET = 1 / 3  # three times faster than mailmerge's dry run
TEMPLATE_ID = "seeking-work-invite"


def _jobs() -> int:
    from invitepack.output.workers import cpu_count

    return cpu_count()


JOBS = _jobs()  # what `render --jobs 0` picks here

# Plausible values by variable name; other names fall back to the variable's own examples.
FIRST_NAMES = [
    "Priya",
    "Tomasz",
    "Chidi",
    "Zoë",
    "Siobhán",
    "Mateus",
    "Aiko",
    "Sam",
    "Olu",
    "Ingrid",
    "José",
    "Fatima",
    "Wei",
    "Kwame",
    "Lena",
    "Rahul",
    "Dara",
    "Noor",
    "Björn",
    "Amara",
    "Venkataramanan",
    "Anne-Marie",
]
FIELDS = [
    "data engineering",
    "product design",
    "supply chain planning",
    "frontend development",
    "technical writing",
    "UX research",
    "platform engineering",
    "talent acquisition",
    "clinical data science",
    "B2B marketing",
]
WORKS = [
    "post",
    "talk",
    "write-up",
    "thread",
    "newsletter issue",
    "podcast episode",
    "workshop",
    "article",
]
TOPICS = [
    "testing dbt models in CI",
    "data contracts",
    "onboarding junior engineers",
    "accessible forms",
    "on-call without burnout",
    "design systems",
    "Postgres query plans",
    "hiring for potential",
    "forecasting the winter rush",
    "the Monzo savings pots redesign",
    "moving to Kotlin",
]
PLACES = [
    "at PyData London",
    "at KubeCon",
    "on the Changelog",
    "at the Leeds data meetup",
    "last week",
    "",
]
POOLS: dict[str, Any] = {
    "recipient": lambda rng: rng.choice(FIRST_NAMES),
    "name": lambda rng: rng.choice(FIRST_NAMES),
    "first_name": lambda rng: rng.choice(FIRST_NAMES),
    "field": lambda rng: rng.choice(FIELDS),
    "detail": lambda rng: " ".join(
        w for w in ("your", rng.choice(WORKS), "on", rng.choice(TOPICS), rng.choice(PLACES)) if w
    ),
    "topic": lambda rng: rng.choice(TOPICS),
}


def make_value(name: str, spec: dict[str, Any], rng: random.Random) -> str:
    """A plausible value for a variable, within its maxLength (tries a few, then trims)."""
    limit = int(spec.get("maxLength", 60))
    make = POOLS.get(name) or (lambda r: r.choice(spec.get("examples") or [f"{name} value"]))
    for _ in range(20):
        value = make(rng)
        if len(value.encode("utf-16-le")) // 2 <= limit:
            return value
    return value[:limit].rstrip()


def make_rows(template: Any, count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    properties = template.variables.get("properties", {})
    return [
        {name: make_value(name, properties[name], rng) for name in template.required}
        for _ in range(count)
    ]


def load_template():  # type: ignore[no-untyped-def]
    """The built-in pack's workspace and template; a generated one-template pack if that fails."""
    from invitepack.pack.workspace import Workspace

    try:
        ws = Workspace(pack_spec="builtin", isolated=True)
        return ws, ws.pack.find(TEMPLATE_ID), "built-in pack"
    except Exception as exc:  # noqa: BLE001 - the benchmark should still run on a broken pack
        import atexit

        folder = Path(tempfile.mkdtemp(prefix="invitepack-bench-pack-"))
        atexit.register(shutil.rmtree, folder, True)
        (folder / "templates").mkdir()
        (folder / "pack.yaml").write_text(
            'name: bench\nversion: "1.0.0"\ndescription: fallback\ninvitepack: '
            '">=0.1"\ntemplates: "templates"\n',
            encoding="utf-8",
        )
        (folder / "templates" / f"{TEMPLATE_ID}.md").write_text(FALLBACK, encoding="utf-8")
        ws = Workspace(pack_spec=str(folder), isolated=True)
        return (
            ws,
            ws.pack.find(TEMPLATE_ID),
            f"GENERATED fallback pack (built-in failed: {type(exc).__name__}: {exc})",
        )


FALLBACK = """---
id: seeking-work-invite
version: "1.0.0"
scenario: seeking-work
channel: linkedin-invite
title: "Looking for work"
description: "Fallback copy of the built-in template for the render benchmark."
guidance: "Name a true detail."
variables:
  type: object
  properties:
    recipient: {type: string, description: "First name.", minLength: 1, maxLength: 20}
    field: {type: string, description: "Your field.", minLength: 1, maxLength: 24}
    detail: {type: string, description: "What they wrote or said.", minLength: 1, maxLength: 50}
  required: [recipient, field, detail]
  additionalProperties: false
examples:
  - {recipient: Priya, field: data engineering, detail: your post on testing dbt models in CI}
---
Hi {{ recipient }}, I'm job hunting in {{ field }} and enjoyed {{ detail }}. Do you know of anything, or who I should ask? Thanks either way.
"""  # noqa: E501 - a template's note is one line


def output_parent(choice: Path | None) -> tuple[Path | None, str]:
    """Where the output folders go: --out-dir, else RAM-backed /dev/shm when there is one.

    Writing 10,000 small files to a virtual disk costs anywhere from 20 to 260 us a file
    from one second to the next on the benchmark machine, which swamped the figure being
    measured; tmpfs costs a steady ~16 us. Use --out-dir /tmp to include the disk."""
    if choice is not None:
        return choice, str(choice)
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm, "/dev/shm (tmpfs)"
    return None, f"{tempfile.gettempdir()} (no /dev/shm)"


MAILMERGE_HEADERS = (
    "TO: bench-recipient@example.invalid\nFROM: Bench Sender "
    "<bench-sender@example.invalid>\nSUBJECT: A note\n\n"
)


class NetworkUsed(RuntimeError):
    """Raised by the guard below: a peer tried to open a connection."""


@contextlib.contextmanager
def no_network():  # type: ignore[no-untyped-def]
    """Refuse every outgoing connection (socket connect, create_connection, smtplib) while a
    peer runs: the benchmark must never send mail or touch the network. Costs nothing
    unless something tries to connect."""
    import smtplib

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise NetworkUsed(f"a peer tried to connect: {args!r} {kwargs or ''}")

    missing = object()
    targets = [
        (socket.socket, "connect"),
        (socket.socket, "connect_ex"),
        (socket, "create_connection"),
        (smtplib.SMTP, "connect"),
    ]
    # Keep what each owner itself held (a class may only inherit the method), to restore it exactly.
    saved = [(owner, name, vars(owner).get(name, missing)) for owner, name in targets]
    for owner, name in targets:
        setattr(owner, name, refuse)
    try:
        yield
    finally:
        for owner, name, value in saved:
            if value is missing:
                delattr(owner, name)
            else:
                setattr(owner, name, value)


def mailmerge_peer(root: Path, body: str, rows: list[dict[str, str]], state: dict[str, Any]):  # type: ignore[no-untyped-def]
    """mailmerge over the same rows: they are written as a CSV database and the template body
    under email headers as a mailmerge template in `root`; run() reads the CSV with
    mailmerge's reader and writes each `TemplateMessage.render(row)` message (as_string) to
    its own file in state["out"]. Only the rendering API is used: no SendmailClient, no
    server config. ImportError when mailmerge is not installed."""
    from mailmerge import TemplateMessage
    from mailmerge.__main__ import read_csv_database

    try:
        from importlib.metadata import version

        about = f"mailmerge {version('mailmerge')}"
    except Exception:  # noqa: BLE001
        about = "mailmerge"
    folder = root / "mailmerge"
    folder.mkdir()
    template_path = folder / "mailmerge_template.txt"
    template_path.write_text(MAILMERGE_HEADERS + body, encoding="utf-8")
    database = folder / "mailmerge_database.csv"
    with database.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    message = TemplateMessage(
        template_path
    )  # compiles the template once, as mailmerge does per run

    def run() -> None:
        out = state["out"]
        with no_network():
            for i, row in enumerate(read_csv_database(database)):
                _sender, _recipients, email = message.render(row)
                (out / f"row-{i:05d}.txt").write_text(email.as_string(), encoding="utf-8")

    return run, about, database


def bench_render(
    count: int,
    seed: int,
    repeat: int,
    do_profile: bool,
    top: int,
    out_dir: Path | None = None,
    peers: bool = True,
) -> list[Result]:
    import jinja2

    from invitepack.checks.checker import build_checker
    from invitepack.checks.results import Outcome
    from invitepack.render.message import Message
    from invitepack.render.renderer import Renderer

    ws, template, source = load_template()
    checker = build_checker(ws, [])
    renderer = Renderer.for_workspace(ws)
    rows = make_rows(template, count, seed)
    bare = jinja2.Environment().from_string(
        template.body
    )  # compiled once, as invitepack caches its own

    parent, where = output_parent(out_dir)
    root = Path(tempfile.mkdtemp(prefix="invitepack-bench-render-", dir=parent))
    state = {"out": root / "out-0", "n": 0}

    def fresh_folder() -> None:
        """An empty output folder for the next timed run; the last run's files are deleted
        and flushed to disk first, so that their write-back does not land in the next timing."""
        shutil.rmtree(state["out"], ignore_errors=True)
        os.sync()
        state["n"] += 1
        state["out"] = root / f"out-{state['n']}"
        state["out"].mkdir()

    outcomes: list[Outcome] = []
    data = root / "people.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    def batch_of(path: Path, jobs: int = 1):  # type: ignore[no-untyped-def]
        from invitepack.checks.checker import notes_checker
        from invitepack.output.batch import Batch, BatchOptions
        from invitepack.output.rows import RowSource

        reports: list[str] = []

        def run() -> None:
            batch = Batch(
                template,
                renderer,
                notes_checker(ws),
                BatchOptions(out_dir=state["out"], skip_invalid=True, jobs=jobs),
                report=reports.append,
            )
            result = batch.run(RowSource(path))
            outcomes.append(result.outcome)
            if result.written + result.failed != result.total:
                raise RuntimeError(f"batch wrote {result.written} of {result.total}")

        return run

    ours = batch_of(data)

    def baseline(rows: list[dict[str, str]] = rows) -> None:
        out = state["out"]
        for i, values in enumerate(rows):
            (out / f"row-{i:05d}.txt").write_text(bare.render(**values), encoding="utf-8")

    # The information-only loops run on at most 2,000 rows, to keep the run short.
    some = rows[:2000]

    def ours_in_memory() -> list[Message]:
        outcome = Outcome()
        notes = []
        for values in some:
            message = renderer.render(template, values)
            checker.check_message(message, outcome)
            notes.append(message)
        return notes

    def render_only() -> list[Message]:
        return [renderer.render(template, values) for values in some]

    def baseline_in_memory() -> list[str]:
        return [bare.render(**values) for values in some]

    try:
        warm = root / "warm.csv"
        with warm.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows[:200])
        fresh_folder()
        batch_of(warm)()  # warm-up, untimed: compiles the template and the phrase patterns
        fresh_folder()
        baseline(rows[:200])
        sample = (state["out"] / "row-00000.txt").read_text(encoding="utf-8")
        fresh_folder()
        ours()
        written = sorted(state["out"].iterdir())
        if not written:
            raise RuntimeError("the batch wrote nothing")
        peer = None
        if not peers:
            peer_line = peer_skipped("mailmerge")
        else:
            try:
                peer_run, peer_about, database = mailmerge_peer(root, template.body, rows, state)
                fresh_folder()
                peer_run()  # warm-up, untimed; also the sanity check below
                written = sorted(state["out"].iterdir())
                if len(written) != count:
                    raise RuntimeError(f"{len(written)} messages written for {count} rows")
                peer_sample = written[0].read_text(encoding="utf-8")
                peer = peer_run
            except ImportError:
                peer_line = peer_missing("mailmerge")
            except NetworkUsed:
                raise
            except Exception as exc:  # noqa: BLE001 - a broken peer must not stop the benchmark
                peer_line = peer_missing("mailmerge", f"{type(exc).__name__}: {exc}")
        if peer is None:
            ours_t, base_t = time_pair(ours, baseline, repeat, setup=fresh_folder)
        else:
            ours_t, base_t, peer_t = time_sides([ours, baseline, peer], repeat, setup=fresh_folder)
        outcome = outcomes[-1]
        if outcome.failures:
            raise RuntimeError(f"plugin failures: {outcome.failures[:3]}")
        codes = Counter(f.code for f in outcome.findings)
        details = [
            f"template {template.id} from the {source}; variables "
            f"{', '.join(template.required)}; files written under {where}",
            f"{count:,} rows, {len(outcome.findings):,} findings"
            + (": " + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())) if codes else ""),
            f"per row: ours {median(ours_t) / count * 1e6:.0f} us, baseline "
            f"{median(base_t) / count * 1e6:.0f} us; row 1: {sample[:90]!r}...",
        ]
        # Fixed and per-row cost: the batch on a fifth of the rows and on all of them.
        part = root / "part.csv"
        with part.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows[: count // 5])
        part_t = time_sides([batch_of(part)], 2, setup=fresh_folder)[0]
        details.append(
            "batch, "
            + fixed_and_per_item([count // 5, count], [median(part_t), median(ours_t)], "row")
        )
        results = [
            make_result(
                f"render-{count}-rows (render+check+write)", ours_t, base_t, TARGET, count, details
            )
        ]
        # For information: the same without file writes, and rendering alone.
        ours_m, base_m = time_pair(ours_in_memory, baseline_in_memory, 3)
        only_m, base_m2 = time_pair(render_only, baseline_in_memory, 3)
        base_best, n = min(base_m + base_m2), len(some)
        results[0].details.append(
            f"info, no file writes ({n:,} rows, best of 3): render+check "
            f"{min(ours_m) / n * 1e6:.0f} us a row vs bare jinja2 "
            f"{base_best / n * 1e6:.1f} us "
            f"({min(ours_m) / base_best:.0f}x); render alone {min(only_m) / n * 1e6:.0f} "
            f"us ({min(only_m) / base_best:.0f}x), "
            f"so check {max(0.0, min(ours_m) - min(only_m)) / n * 1e6:.0f} us a row; "
            f"file writes {(min(base_t) / count - base_best / n) * 1e6:.0f} us a row"
        )
        if peer is not None:
            results.append(
                versus_peer(
                    f"render-{count}-rows vs mailmerge",
                    ours_t,
                    peer_t,
                    PEER_TARGET,
                    count,
                    f"per row: invitepack {median(ours_t) / count * 1e6:.0f} us (every rule "
                    f"on every row), mailmerge {median(peer_t) / count * 1e6:.0f} us (no "
                    "checks); target: three times faster (<= 1/3)",
                )
            )
            from mailmerge.__main__ import read_csv_database

            csv_t = []
            for _ in range(3):
                start = time.perf_counter()
                sum(1 for _row in read_csv_database(database))
                csv_t.append(time.perf_counter() - start)
            headers = peer_sample.split("\n\n", 1)[0].replace("\n", "; ")
            peer_line = peer_result(
                "mailmerge",
                peer_t,
                base_t,
                ours_t,
                count,
                "renders each CSV row into a MIME email (headers, charset, transfer "
                "encoding); no checks, no limits",
                [
                    f"{peer_about}; {database.stat().st_size / 1e3:,.0f} kB CSV read in "
                    f"the timing ({min(csv_t) * 1e3:.0f} ms of it); message 1 headers: "
                    f"{headers[:110]}...",
                    f"per row: mailmerge {median(peer_t) / count * 1e6:.0f} us, invitepack "
                    f"{median(ours_t) / count * 1e6:.0f} us, baseline "
                    f"{median(base_t) / count * 1e6:.0f} us; never sends (no "
                    "SendmailClient; connects refused)",
                ],
            )
        results += jobs_results(
            count, repeat, batch_of(data, JOBS), ours, baseline, peer, fresh_folder
        )
        results.append(peer_line)
        if do_profile:
            profile(
                ours_in_memory, top, f"rendering and checking {len(some):,} rows (no file writes)"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return results


def jobs_results(
    count: int,
    repeat: int,
    ours_jobs: Any,
    ours: Any,
    baseline: Any,
    peer: Any,
    fresh_folder: Any,
) -> list[Result]:
    """The batch with --jobs JOBS against the bare loop and mailmerge, and beside one worker,
    all by the wall clock in one round (module docstring)."""
    sides = [ours_jobs, ours, baseline] + ([peer] if peer is not None else [])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with wall_clock():
        jobs_t, single_t, base_t, *peer_t = time_sides(sides, repeat, setup=fresh_folder)
    name = f"render-{count}-rows --jobs {JOBS}"
    line = make_result(
        name,
        jobs_t,
        base_t,
        TARGET,
        count,
        [
            f"--jobs {JOBS}: the CPUs this process may use (what --jobs 0 picks); one worker "
            f"in the same round {median(single_t):.2f} s, so {JOBS} workers are "
            f"{median(single_t) / median(jobs_t):.2f}x as fast; load average {load:.2f} "
            "before the round (workers only help with CPUs to spare)",
            f"per row: --jobs {JOBS} {median(jobs_t) / count * 1e6:.0f} us, one worker "
            f"{median(single_t) / count * 1e6:.0f} us, baseline "
            f"{median(base_t) / count * 1e6:.0f} us (wall clock)",
        ],
    )
    results = [line]
    if peer_t:
        results.append(
            versus_peer(
                f"render --jobs {JOBS} vs mailmerge",
                jobs_t,
                peer_t[0],
                PEER_TARGET,
                count,
                f"per row: invitepack --jobs {JOBS} {median(jobs_t) / count * 1e6:.0f} us, "
                f"mailmerge {median(peer_t[0]) / count * 1e6:.0f} us (wall clock)",
            )
        )
    for result in results:
        result.clock = "wall"
    return results


def main() -> None:
    def out_dir_option(parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--out-dir",
            type=Path,
            help="folder to make the output folders in (default: /dev/shm when present, else "
            "the temp dir)",
        )

    args = parse_args(
        __doc__.split("\n\n")[0], default_repeat=3, quick_repeat=2, extra=out_dir_option
    )
    count = 2000 if args.quick else 10000
    finish(
        bench_render(
            count,
            args.seed,
            args.repeat,
            args.profile,
            args.top,
            args.out_dir,
            peers=not args.no_peers,
        ),
        args,
        "bench_render",
    )


if __name__ == "__main__":
    main()
