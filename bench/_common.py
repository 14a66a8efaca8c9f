"""Shared helpers for the benchmark scripts: timing, result table, profiling, CLI flags.

Every benchmark compares invitepack against a baseline measured in the same run, on the
same seeded workload, and reports the ratio (ours / baseline). Absolute times on a shared
2-core machine mean little; the ratio is the figure to watch.

Timing policy: the sides are run alternately (ours, baseline, ours, baseline, ...) so that a
burst of noise hits both, and each side's figure is the MEDIAN of its repetitions; the best
(minimum) is shown on the detail line. Times are CPU time (user + system) of this process
and of the processes it waited for (`--clock cpu`, the default): on a machine shared with
other work, wall time measures the neighbours as much as the code; `--clock wall` times the
wall clock instead.

Peers (proselint, check-jsonschema, mailmerge: the optional `bench` extra) are timed in the
same rotation as ours and the baseline, on the same workload, and printed as extra lines
("peer NAME") whose ratio is the peer over the same baseline. They have no target: a peer
does different work, said in one phrase on its detail line. A peer that is not installed
gets one line saying so instead.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import json
import os
import platform
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
CLOCK = {"name": "cpu"}  # set by parse_args: cpu (this process and its children) or wall


def now() -> float:
    """The benchmark clock: CPU seconds of this process and its waited-for children, or the
    wall clock with --clock wall."""
    if CLOCK["name"] == "wall":
        return time.perf_counter()
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


@contextlib.contextmanager
def wall_clock() -> Iterator[None]:
    """Time by the wall clock inside: for work spread over processes, whose CPU time adds
    up rather than overlaps (mark its results with clock="wall")."""
    before = CLOCK["name"]
    CLOCK["name"] = "wall"
    try:
        yield
    finally:
        CLOCK["name"] = before


REPO = BENCH_DIR.parent
PEER_INSTALL = "pip install -e '.[bench]'"


@dataclass
class Result:
    """One benchmark's figures. Times are seconds for the whole workload."""

    name: str
    ours: float
    baseline: float
    target: float
    unit: str = "s"
    ours_median: float = 0.0
    baseline_median: float = 0.0
    repeat: int = 0
    size: int = 0
    details: list[str] = field(default_factory=list)
    info: bool = False  # a peer line: no target, the ratio is for information
    missing: str = ""  # a peer that could not run: this line is printed instead of figures
    clock: str = ""  # the clock it was timed by, when not the run's (see wall_clock)

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline > 0 else float("inf")

    @property
    def passed(self) -> bool:
        return self.info or self.ratio <= self.target

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ratio=self.ratio, passed=self.passed)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        keys = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in keys})


def fmt_value(value: float, unit: str) -> str:
    """A figure in its unit: seconds get ms/us scaling, anything else is printed as is."""
    return fmt_time(value) if unit == "s" else f"{value:.1f} {unit}"


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} us"


HEADER = f"{'benchmark':<38} {'ours':>10} {'baseline':>10} {'ratio':>7} {'target':>8}  result"


def table_line(r: Result) -> str:
    if r.missing:
        return r.missing
    if r.info:
        return (
            f"{r.name:<38} {fmt_time(r.ours):>10} {fmt_time(r.baseline):>10} "
            f"{r.ratio:>6.2f}x {'-':>8}  info (peer, no target)"
        )
    verdict = "PASS" if r.passed else "FAIL  <-- target missed"
    return (
        f"{r.name:<38} {fmt_value(r.ours, r.unit):>10} {fmt_value(r.baseline, r.unit):>10} "
        f"{r.ratio:>6.2f}x {'<= ' + format(r.target, '.3g'):>8}  {verdict}"
    )


def print_table(results: list[Result], details: bool = True) -> None:
    print(HEADER)
    print("-" * len(HEADER))
    for r in results:
        print(table_line(r))
        if details and not r.missing:
            med_ratio = r.ours_median / r.baseline_median if r.baseline_median else float("nan")
            print(
                f"    size {r.size:,}, median of {r.repeat} ({r.clock or CLOCK['name']} "
                "time); best "
                f"{fmt_value(r.ours_median, r.unit)} vs "
                f"{fmt_value(r.baseline_median, r.unit)} (ratio {med_ratio:.2f}x)"
            )
            for line in r.details:
                print(f"    {line}")


def time_pair(
    ours: Callable[[], Any],
    baseline: Callable[[], Any],
    repeat: int,
    setup: Callable[[], Any] | None = None,
) -> tuple[list[float], list[float]]:
    """Run ours and baseline alternately `repeat` times each; return both lists of seconds.

    `setup` (untimed) runs before every timed call, e.g. to make a fresh output folder.
    Garbage collection is run before each call and left enabled during it, as in real use.
    """
    ours_times, base_times = time_sides([ours, baseline], repeat, setup)
    return ours_times, base_times


def time_sides(
    sides: list[Callable[[], Any]],
    repeat: int,
    setup: Callable[[], Any] | None = None,
) -> list[list[float]]:
    """Run every side `repeat` times, interleaved; return each side's list of seconds.

    Repetition i runs the sides in an order rotated by i (two sides: ours, baseline, then
    baseline, ours, ...; three: A B C, B C A, C A B, ...), so that no side always runs first
    or always right after another. `setup` and garbage collection as in time_pair.
    """
    times: list[list[float]] = [[] for _ in sides]
    count = len(sides)
    for i in range(repeat):
        shift = i % count
        for index in list(range(count))[shift:] + list(range(count))[:shift]:
            if setup is not None:
                setup()
            gc.collect()
            start = now()
            sides[index]()
            times[index].append(now() - start)
    return times


def make_result(
    name: str,
    ours: list[float],
    base: list[float],
    target: float,
    size: int,
    details: list[str] | None = None,
) -> Result:
    return Result(
        name=name,
        ours=statistics.median(ours),
        baseline=statistics.median(base),
        target=target,
        ours_median=min(ours),  # the detail line's "best"
        baseline_median=min(base),
        repeat=len(ours),
        size=size,
        details=details or [],
    )


def peer_result(
    name: str,
    peer: list[float],
    base: list[float],
    ours: list[float],
    size: int,
    does: str,
    details: list[str] | None = None,
) -> Result:
    """A peer's line: its best time over the same baseline's best (no target). The detail
    lines say what the peer does, in a phrase, and its time relative to invitepack's."""
    result = make_result(f"peer {name}", peer, base, 0.0, size)
    result.info = True
    versus = statistics.median(peer) / statistics.median(ours) if min(ours) > 0 else float("inf")
    result.details = [
        f"{name} does different work: {does}",
        f"{name} / invitepack: {versus:.2f}x (median against median)",
    ] + (details or [])
    return result


def versus_peer(
    name: str, ours: list[float], peer: list[float], target: float, size: int, how: str
) -> Result:
    """A targeted line against a peer: invitepack's median over the peer's (the baseline
    column holds the peer's time). E.g. target 0.5: at most half the peer's time; 1/9: nine
    times faster."""
    result = make_result(name, ours, peer, target, size)
    result.details = [how]
    return result


def fixed_and_per_item(sizes: list[int], times: list[float], unit: str = "item") -> str:
    """Least-squares line through (size, time): the fixed cost and the cost per item, so a
    benchmark shows its cost is linear in the work."""
    n = len(sizes)
    mean_x, mean_y = sum(sizes) / n, sum(times) / n
    var = sum((x - mean_x) ** 2 for x in sizes)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(sizes, times, strict=True)) / var
    fixed = mean_y - slope * mean_x
    points = ", ".join(f"{x:,}: {fmt_time(y)}" for x, y in zip(sizes, times, strict=True))
    return (
        f"cost = fixed {fmt_time(max(fixed, 0.0))} + {fmt_time(slope)} per {unit} "
        f"(medians at {points})"
    )


def peer_missing(name: str, reason: str = "") -> Result:
    """The one line printed for a peer that is not installed (or could not run)."""
    line = (
        f"peer {name}: not installed ({PEER_INSTALL})"
        if not reason
        else f"peer {name}: could not run: {reason}"
    )
    return Result(name=f"peer {name}", ours=0.0, baseline=0.0, target=0.0, info=True, missing=line)


def peer_skipped(name: str) -> Result:
    return Result(
        name=f"peer {name}",
        ours=0.0,
        baseline=0.0,
        target=0.0,
        info=True,
        missing=f"peer {name}: skipped (--no-peers)",
    )


def parse_args(
    description: str,
    default_repeat: int,
    quick_repeat: int,
    extra: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    if extra is not None:
        extra(parser)
    parser.add_argument(
        "--quick", action="store_true", help="a smaller, faster run (fewer items and repetitions)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        help=f"repetitions per side (default {default_repeat}, --quick {quick_repeat})",
    )
    parser.add_argument("--seed", type=int, default=20240601, help="seed of the generated workload")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile invitepack's side with cProfile and print its hotspots",
    )
    parser.add_argument(
        "--top", type=int, default=12, help="how many hotspots --profile prints (default 12)"
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="FILE",
        help="also write the results as JSON (used by run_all.py)",
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help=f"do not time the peer tools even when installed ({PEER_INSTALL})",
    )
    parser.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        default="cpu",
        help="cpu: CPU time of this process and its children (default); wall: the wall clock",
    )
    args = parser.parse_args()
    CLOCK["name"] = args.clock
    if args.repeat is None:
        args.repeat = quick_repeat if args.quick else default_repeat
    return args


def machine() -> str:
    return (
        f"{platform.system()} {platform.machine()}, nproc {os.cpu_count()}, Python "
        f"{platform.python_version()} ({sys.executable})"
    )


def finish(results: list[Result], args: argparse.Namespace, title: str) -> None:
    print()
    print(f"{title}  [{machine()}]")
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps([r.to_json() for r in results], indent=2), encoding="utf-8")


def _package_dir() -> str:
    import invitepack

    return str(Path(invitepack.__file__).resolve().parent)


def profile(
    func: Callable[[], Any], top: int = 12, label: str = ""
) -> list[tuple[str, float, float, int]]:
    """Run func under cProfile; print the top invitepack functions by cumulative time.

    Returns (file:function, cumulative s, own s, calls) rows. Functions outside invitepack/
    (jinja2, jsonschema, yaml, re) are listed separately so that the costs they carry for
    invitepack code are visible too.
    """
    prof = cProfile.Profile()
    prof.enable()
    func()
    prof.disable()
    return print_profile(pstats.Stats(prof), top, label)


def print_profile(
    stats: pstats.Stats, top: int = 12, label: str = ""
) -> list[tuple[str, float, float, int]]:
    """Print the top invitepack functions of a profile by cumulative time (see profile)."""
    total = stats.total_tt  # type: ignore[attr-defined]
    package = _package_dir()
    rows = []
    others = []
    for (filename, _line, funcname), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if filename.startswith(package):
            rel = os.path.relpath(filename, REPO)
            rows.append((f"{rel}:{funcname}", ct, tt, nc))
        elif not filename.startswith(str(BENCH_DIR)):
            short = (
                filename.split("site-packages/")[-1] if "site-packages/" in filename else filename
            )
            if short.startswith(sys.base_prefix):
                short = "stdlib/" + os.path.relpath(short, sys.base_prefix)
            others.append((f"{short}:{funcname}", ct, tt, nc))
    rows.sort(key=lambda r: -r[1])
    print(
        f"\ncProfile{(' of ' + label) if label else ''}: {total:.2f} s profiled; top "
        f"{top} invitepack functions by cumulative time"
    )
    print(f"  {'cumulative':>10} {'%':>5} {'own':>8} {'calls':>8}  function")
    for name, ct, tt, nc in rows[:top]:
        print(f"  {ct:>9.3f}s {100 * ct / total:>4.0f}% {tt:>7.3f}s {nc:>8}  {name}")
    others.sort(key=lambda r: -r[2])
    print(
        f"  top {min(8, len(others))} library functions by OWN time (where the time is "
        "actually spent):"
    )
    for name, ct, tt, nc in others[:8]:
        print(f"  {ct:>9.3f}s {100 * tt / total:>4.0f}% {tt:>7.3f}s {nc:>8}  {name}")
    return rows[:top]
