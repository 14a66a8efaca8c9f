"""Benchmark `check`: a cold one-note CLI run, and 1,000 notes through the checker in-process.

a. cold-check: `invitepack check -` with one note piped on stdin, run as a fresh process from
   an empty temp folder (no pack.yaml, no config; INVITEPACK_NO_ENTRY_POINTS unset), against
   `python -c pass` with the same interpreter: what a pre-commit hook or an editor pays per
   call beyond starting Python. Target: ratio <= 5 (issue 12).
   Peer: `proselint check note.txt`, the same note, a fresh process in the same rotation;
   "cold-check vs proselint" is invitepack's time over proselint's. Target: <= 0.5.
   The fixed and per-note cost of a fresh process: `invitepack check` on 1 and 100 files.
b. check-1000-notes: 1,000 seeded, varied notes through `Checker.check_messages` (the built-in
   pack's checker, built once), against the regex floor: a plain loop that runs, per note,
   every regular expression the rules asked about, with the phrase lists as their joined
   compiled patterns (`PhraseBook.pattern(name)`, what the book answers from) and the rule
   modules' own compiled regexes, called the way the rules called them. The ratio is the cost
   of everything (prefilter, plugin machinery, findings, verdict) over that floor. Target:
   ratio <= 1.5. The fixed and per-note cost come from 100, 500 and 1,000 notes.
   Peer (when installed, `pip install -e '.[bench]'`): proselint linting the same notes
   in-process, one `LintFile(...).lint(config)` per note with its default checks, timed in
   the same rotation; "check-1000-notes vs proselint" is invitepack's time over proselint's.
   Target: <= 1/9 (nine times faster).

Run: python bench/bench_check.py [--quick] [--profile] [--no-peers]
"""

from __future__ import annotations

import functools
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    Result,
    finish,
    fixed_and_per_item,
    fmt_time,
    make_result,
    parse_args,
    peer_missing,
    peer_result,
    peer_skipped,
    print_profile,
    profile,
    time_pair,
    time_sides,
    versus_peer,
)

COLD_TARGET = 5.0
COLD_PEER_TARGET = 0.5  # at most half of proselint's cold run
LOOP_TARGET = 1.5
LOOP_PEER_TARGET = 1 / 9  # nine times faster than proselint

# --- a seeded generator of realistic notes ----------------------------------------------

NAMES = [
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
]
EVENTS = [
    "PyData London",
    "KubeCon",
    "the Leeds data meetup",
    "LeadDev Berlin",
    "the Women in Tech summit",
    "DevOpsDays Amsterdam",
    "the product design breakfast",
    "RustConf",
    "the hiring panel at SXSW",
]
TOPICS = [
    "data contracts",
    "testing dbt models in CI",
    "onboarding junior engineers",
    "pricing pages",
    "accessible forms",
    "on-call without burnout",
    "supply chain forecasting",
    "design systems at scale",
    "Postgres query plans",
    "hiring for potential",
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
]
COMPANIES = [
    "Monzo",
    "Spotify",
    "a Berlin fintech",
    "Ocado",
    "the NHS digital team",
    "Shopify",
    "a climate startup",
]

GREETINGS = [
    "Hi {name},",
    "Hello {name},",
    "Hey {name}!",
    "Dear {name},",
    "{name},",
    "Hi {name} -",
    "Good morning {name},",
]
DETAILS = [
    "I enjoyed your talk at {event} on {topic}.",
    "your post on {topic} was the clearest I've read.",
    "I read your write-up on {topic} and tried it on our pipeline.",
    "we met at {event} and chatted about {topic}.",
    "you mentioned {topic} in the Q&A at {event}, and it stuck with me.",
    "Ana suggested I get in touch about {topic}.",
    "congratulations on the launch of the {topic} guide!",
    "I saw your thread on {topic} last week.",
]
PURPOSES = [
    "I'm job hunting in {field}; do you know who I should talk to?",
    "Would you be open to a short chat about how your team approaches {topic}?",
    "I'd welcome any pointers on breaking into {field}.",
    "I'm looking for my next role in {field} and would value your advice.",
    "Happy to just connect and follow your work.",
    "Could I ask how you got started in {field}?",
    "I'm hiring for a {field} lead at {company}.",
]
CLOSERS = [
    "Thanks either way.",
    "Thanks!",
    "Best, Alex",
    "Cheers, Jo",
    "No worries if not.",
    "",
    "Thank you.",
]
GENERIC = [
    "I'd like to add you to my professional network.",
    "I came across your profile and would love to connect.",
    "Since we're in the same industry, it would be great to connect.",
    "Always looking to connect with like-minded professionals.",
    "Impressive profile! Let's connect.",
    "We have several mutual connections, so I thought I'd reach out.",
]
PITCH = [
    "Our platform helps companies like yours boost your pipeline by 30%.",
    "Could we grab a quick call this week? Book a time at calendly.com/alex-growth",
    "I'd love to show you how our app cuts hiring time in half - free demo on request.",
    "We're offering a free audit of your outreach, plus 20% off this month.",
    "Check out www.growthly.io for a case study on teams like yours.",
    "Do you have 15 minutes for a zoom next week?",
]
PLACEHOLDER = [
    "Hi {{first_name}}, loved your work at {{company}}.",
    "Hi [Name], I enjoyed your post on [topic].",
    "Dear NAME, I saw you work at <company>.",
    "Hi , I wanted to reach out about %COMPANY%.",
    "Hello ${first_name}, quick note about XYZ.",
    "TODO: add detail about their talk.",
]
RECRUITER = [
    "I have an exciting opportunity that's perfect for you.",
    "Are you looking for a new role? You'd be a perfect fit.",
    "Ready for your next challenge? When can you start?",
    "We're hiring a senior engineer and you're exactly who we're looking for.",
    "You may well be happy where you are, and that's fine; happy to just connect.",
]
SHOUTING = [
    "This is a HUGE opportunity!!",
    "DON'T miss this!",
    "Really AMAZING work on the AWS migration.",
    "It was GREAT!!!",
]
EMOJI = ["👋", "🚀", "🎉", "🙂", "👍🏽", "👨‍👩‍👧", "🇬🇧", "✨", "❤️", "🔥"]

KINDS = [
    "good",
    "good",
    "good",
    "generic",
    "pitchy",
    "placeholder",
    "emoji",
    "recruiter",
    "shouting",
    "long",
]


def make_note(rng: random.Random) -> tuple[str, str | None]:
    """One note and its scenario (recruiter notes are checked as candidate approaches)."""
    kind = rng.choice(KINDS)
    fill = {
        "name": rng.choice(NAMES),
        "event": rng.choice(EVENTS),
        "topic": rng.choice(TOPICS),
        "field": rng.choice(FIELDS),
        "company": rng.choice(COMPANIES),
    }
    parts = [rng.choice(GREETINGS)]
    scenario = None
    if kind in ("good", "emoji", "long", "shouting"):
        parts += [rng.choice(DETAILS), rng.choice(PURPOSES)]
    if kind == "generic":
        parts.append(rng.choice(GENERIC))
        if rng.random() < 0.3:
            parts.append(rng.choice(PURPOSES))
    elif kind == "pitchy":
        parts += rng.sample(PITCH, rng.randint(1, 2))
    elif kind == "placeholder":
        parts = [rng.choice(PLACEHOLDER), rng.choice(PURPOSES)]
    elif kind == "recruiter":
        scenario = "candidate-approach"
        parts += rng.sample(RECRUITER, rng.randint(1, 2))
        if rng.random() < 0.5:
            parts.append(rng.choice(DETAILS))
    elif kind == "shouting":
        parts.append(rng.choice(SHOUTING))
    elif kind == "long":
        parts += [rng.choice(DETAILS), rng.choice(DETAILS), rng.choice(PURPOSES)]
    if kind == "emoji" or rng.random() < 0.15:
        parts.append("".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 4))))
    parts.append(rng.choice(CLOSERS))
    sep = "\n\n" if rng.random() < 0.2 else " "
    text = sep.join(p for p in parts if p)
    # Fill {field}s; placeholder notes keep their {{first_name}} and ${first_name} literally.
    text = re.sub(r"(?<![{$])\{(\w+)\}(?!\})", lambda m: fill.get(m.group(1), m.group(0)), text)
    return text, scenario


def make_notes(count: int, seed: int) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    return [make_note(rng) for _ in range(count)]


# --- a. cold one-note check --------------------------------------------------------------

GOOD_NOTE = (
    "Hi Priya, I enjoyed your talk at PyData London on data contracts. I'm job hunting in "
    "data engineering; do you know who I should talk to? Thanks either way.\n"
)


def invitepack_command() -> list[str]:
    """The real console script next to this interpreter, else `python -m invitepack`."""
    script = Path(sys.executable).parent / "invitepack"
    if script.is_file():
        return [str(script), "check", "-"]
    return [sys.executable, "-m", "invitepack", "check", "-"]


def cold_env(pycache: Path) -> dict[str, str]:
    """The environment for the cold runs: no INVITEPACK_* variables, and bytecode caching on,
    into a private folder, as an installed invitepack has it (PYTHONDONTWRITEBYTECODE would
    make every run recompile invitepack's sources; the prefix keeps the repository clean)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVITEPACK_")}
    for name in (
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONSTARTUP",
        "PYTHONINSPECT",
    ):
        env.pop(name, None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def proselint_command() -> list[str] | None:
    """proselint's console script next to this interpreter (None when not installed)."""
    script = Path(sys.executable).parent / "proselint"
    return [str(script), "check"] if script.is_file() else None


def bench_cold(repeat: int, do_profile: bool, top: int, peers: bool = True) -> list[Result]:
    command = invitepack_command()
    data = GOOD_NOTE.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="invitepack-bench-cold-") as root:
        folder = Path(root) / "work"
        folder.mkdir()
        env = cold_env(Path(root) / "pycache")
        for place in (folder, *folder.parents):
            for name in ("pack.yaml", "invitepack.toml", "pyproject.toml"):
                if (place / name).exists():
                    raise RuntimeError(
                        f"{place / name} exists: the cold run would not be in an empty folder"
                    )
        note = folder / "note.txt"
        note.write_bytes(data)
        many = []
        for index, (text, _scenario) in enumerate(make_notes(100, 7)):
            many.append(folder / f"note-{index:03d}.txt")
            many[-1].write_text(text + "\n", encoding="utf-8")

        def run(args: list[str], stdin: bytes | None = None) -> None:
            proc = subprocess.run(
                args, input=stdin, cwd=folder, env=env, capture_output=True, check=False
            )
            if proc.returncode not in (0, 1):
                raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr.decode()}")

        def ours() -> None:
            run(command, data)

        def baseline() -> None:
            run([sys.executable, "-c", "pass"])

        peer_cmd = proselint_command() if peers else None

        def peer() -> None:
            assert peer_cmd is not None
            run([*peer_cmd, str(note)])

        # Untimed warm-up: fills the bytecode cache and the OS file cache for all sides.
        first = subprocess.run(
            command, input=data, cwd=folder, env=env, capture_output=True, check=False
        )
        ours()
        baseline()
        if peer_cmd is not None:
            peer()
            ours_t, base_t, peer_t = time_sides([ours, baseline, peer], repeat)
        else:
            ours_t, base_t = time_pair(ours, baseline, repeat)
        # Fixed and per-note cost of a fresh process: 1 note file, then 100.
        files_1 = [*command[:-1], str(many[0])]
        files_100 = [*command[:-1], *map(str, many)]
        one_t, hundred_t = time_pair(lambda: run(files_1), lambda: run(files_100), repeat)
        if do_profile:
            profile_cold(folder, env, data, top)
    shown = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command))
    said = first.stderr.decode().strip().splitlines()
    details = [
        f"command: {shown} < note (cwd: empty temp folder, bytecode cached); exit "
        f"{first.returncode}: {said[-1] if said else ''}",
        f"difference: {fmt_time(median(ours_t) - median(base_t))} a run beyond starting "
        f"Python (target {COLD_TARGET:g}x = {fmt_time(COLD_TARGET * median(base_t))} in all)",
        "fresh process, "
        + fixed_and_per_item([1, 100], [median(one_t), median(hundred_t)], "note"),
    ]
    results = [
        make_result("cold-check (1 note, subprocess)", ours_t, base_t, COLD_TARGET, 1, details)
    ]
    if peer_cmd is None:
        results.append(peer_skipped("proselint") if not peers else peer_missing("proselint"))
    else:
        results.append(
            versus_peer(
                "cold-check vs proselint (1 note)",
                ours_t,
                peer_t,
                COLD_PEER_TARGET,
                1,
                f"proselint check note.txt: {fmt_time(median(peer_t))}; invitepack "
                f"{fmt_time(median(ours_t))}; target: at most {COLD_PEER_TARGET:g}x proselint",
            )
        )
    return results


def profile_cold(folder: Path, env: dict[str, str], data: bytes, top: int) -> None:
    """Where a cold `check` spends its time: imports (-X importtime) and cProfile."""
    import pstats

    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "invitepack", "check", "-"],
        input=data,
        cwd=folder,
        env=env,
        capture_output=True,
        check=False,
    )
    rows = []
    for line in proc.stderr.decode().splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)", line)
        if match and len(match.group(3)) <= 2:
            rows.append((int(match.group(2)), len(match.group(3)) // 2, match.group(4)))
    total = sum(us for us, depth, _ in rows if depth == 0)
    print(
        f"\n-X importtime of a cold check: {total / 1e3:.1f} ms importing (top-level "
        "imports); the largest, with their biggest children:"
    )
    for us, depth, name in sorted(rows, key=lambda r: -r[0])[:top]:
        print(f"  {us / 1e3:8.1f} ms  {'  ' * depth}{name}")
    out = folder.parent / "cold.prof"
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "invitepack", "check", "-"],
        input=data,
        cwd=folder,
        env=env,
        capture_output=True,
        check=False,
    )
    print_profile(pstats.Stats(str(out)), top, "a cold `invitepack check -` (whole process)")


# --- b. 1,000 notes in one process -------------------------------------------------------

_REGEX_METHODS = frozenset(
    {"search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
)


class _Spy:
    """Stands in for a compiled pattern while the checker runs once, logging each regex call."""

    def __init__(self, real: re.Pattern[str], log: list) -> None:  # type: ignore[type-arg]
        self._real = real
        self._log = log

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        attr = getattr(self._real, name)
        if name not in _REGEX_METHODS:
            return attr

        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            self._log.append((self._real, name, args, kwargs))
            return attr(*args, **kwargs)

        return call


# Modules whose module-level compiled regexes the rules call: the rule modules and the
# evidence module they share.
REGEX_MODULES = ("invitepack.checks.evidence",)


def record_regex_calls(checker, messages):  # type: ignore[no-untyped-def]
    """Run the checker once over the messages with the phrase book's answers
    (search, finditer, fullmatch, pattern) and every module-level regex of the rule and
    evidence modules logged; return, per message, the regex calls the rules asked for:
    (compiled pattern, method, args), phrase lists as their joined compiled pattern."""
    import importlib

    from invitepack.checks.plugins import BUILTIN_PLUGINS
    from invitepack.checks.results import Outcome

    log: list = []  # type: ignore[type-arg]
    phrases = checker.context.phrases
    joined = {}
    real_pattern = phrases.pattern
    inside = [False]  # in one of the book's own answers: its pattern() calls are its own

    def spy_book(method: str):  # type: ignore[no-untyped-def]
        real = getattr(phrases, method)

        def call(name, *args):  # type: ignore[no-untyped-def]
            if name not in joined:
                joined[name] = real_pattern(name)
            if method == "pattern":
                return joined[name] if inside[0] else _Spy(joined[name], log)
            log.append((joined[name], method, args, {}))
            inside[0] = True
            try:
                return real(name, *args)
            finally:
                inside[0] = False

        return call

    # (an older phrase book without finditer/fullmatch: the rules call pattern() for those)
    methods = [m for m in ("search", "finditer", "fullmatch", "pattern") if hasattr(phrases, m)]
    for method in methods:
        setattr(phrases, method, spy_book(method))  # instance attributes shadow the methods
    patched = []
    for module_name in (*BUILTIN_PLUGINS, *REGEX_MODULES):
        module = importlib.import_module(module_name)
        for attr, value in list(vars(module).items()):
            if isinstance(value, re.Pattern):
                patched.append((module, attr, value))
                setattr(module, attr, _Spy(value, log))
    per_message = []
    try:
        for message in messages:
            del log[:]
            outcome = Outcome()
            checker.check_message(message, outcome)
            if outcome.failures:
                raise RuntimeError(f"recording the regex calls failed: {outcome.failures[0]}")
            per_message.append(list(log))
    finally:
        for method in methods:
            delattr(phrases, method)
        for module, attr, value in patched:
            setattr(module, attr, value)
    # Name the patterns the rules actually called, in a stable order.
    called = {id(pattern) for log in per_message for pattern, *_ in log}
    named = [(f"phrases:{name}", pattern) for name, pattern in sorted(joined.items())]
    named += [(f"{m.__name__.rsplit('.', 1)[1]}.{a}", value) for m, a, value in patched]
    names = [name for name, pattern in named if id(pattern) in called]
    return per_message, names


def make_baseline(checker, messages):  # type: ignore[no-untyped-def]
    """The regex floor: replay, per note, every regex call the rules asked for (phrase lists
    as their joined compiled patterns, the modules' own compiled regexes; same arguments;
    iterators consumed in full), plus the note's UTF-16 length, with no prefilter, no plugin
    calls, no findings and no selection."""
    recorded, names = record_regex_calls(checker, messages)
    plans = []
    calls = 0
    for message, log in zip(messages, recorded, strict=True):
        steps = []
        for pattern, method, args, kwargs in log:
            func = getattr(pattern, method)
            if kwargs:
                func = functools.partial(func, **kwargs)
            if method == "finditer":
                func = functools.partial(_consume, func)
            steps.append((func, args))
        calls += len(steps)
        plans.append((message.body, steps))

    def baseline() -> list:  # type: ignore[type-arg]
        sink: list = []  # type: ignore[type-arg]
        append = sink.append
        for body, steps in plans:
            append(len(body.encode("utf-16-le")) // 2)
            for func, args in steps:
                append(func(*args))
        return sink

    return baseline, names, calls


def _consume(finditer, *args):  # type: ignore[no-untyped-def]
    return list(finditer(*args))


def proselint_peer(bodies: list[str]):  # type: ignore[no-untyped-def]
    """proselint over the same note bodies, in-process: its checks registered once, then one
    `LintFile(name, text).lint(config)` per note (proselint >= 0.16's API; it prepares line and
    quote spans per text and runs every enabled check). The config is proselint's built-in
    default, flattened as its `load_from` does, without reading /etc/proselintrc,
    ~/.proselintrc.json or the current folder. Returns (run, description); ImportError when
    proselint is missing."""
    import proselint  # noqa: F401  (ImportError: not installed)
    from proselint.checks import __register__
    from proselint.config import DEFAULT
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile
    from proselint.version import __version__

    registry = CheckRegistry()  # a process-wide singleton
    if not registry.checks:
        registry.register_many(__register__)

    def flatten(checks, prefix=""):  # type: ignore[no-untyped-def]
        for key, value in checks.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, bool):
                yield name, value
            else:
                yield from flatten(value, name)

    enabled = dict(
        sorted(flatten(DEFAULT["checks"]), key=lambda kv: kv[0].count("."), reverse=True)
    )
    config = {"max_errors": DEFAULT.get("max_errors", 0), "checks": enabled}
    active = len(registry.get_all_enabled(enabled))

    def run() -> list:  # type: ignore[type-arg]
        return [LintFile("<note>", body).lint(config) for body in bodies]  # type: ignore[arg-type]

    return (
        run,
        f"proselint {__version__}, {active} of {len(registry.checks)} checks enabled by default",
    )


def bench_loop(
    count: int, seed: int, repeat: int, do_profile: bool, top: int, peers: bool = True
) -> list[Result]:
    import unicodedata

    from invitepack.checks.checker import build_checker
    from invitepack.checks.results import Outcome
    from invitepack.pack.workspace import Workspace
    from invitepack.render.message import Message

    ws = Workspace(pack_spec="builtin", isolated=True)
    checker = build_checker(ws, [])
    # Messages are built outside the timer: the comparison is the checking, not dataclass setup.
    messages = [
        Message(
            body=unicodedata.normalize("NFC", text.strip()),
            channel="linkedin-invite",
            scenario=scenario,
        )
        for text, scenario in make_notes(count, seed)
    ]

    def ours() -> Outcome:
        outcome = Outcome()
        checker.check_messages(messages, outcome)  # the loop `check` runs (check_notes)
        return outcome

    outcome = ours()  # warm-up: compiles every pattern once, untimed
    baseline, pattern_names, calls = make_baseline(checker, messages)
    baseline()
    if outcome.failures:
        raise RuntimeError(f"plugin failures: {outcome.failures[:3]}")
    if len(ours().findings) != len(outcome.findings):
        raise RuntimeError(
            "the checker's findings changed after recording its regex calls: the spies "
            "were not removed"
        )
    peer = None
    if not peers:
        peer_line = peer_skipped("proselint")
    else:
        try:
            peer_run, peer_about = proselint_peer([m.body for m in messages])
            peer_found = peer_run()  # warm-up, untimed: compiles proselint's patterns
            peer = peer_run
        except ImportError:
            peer_line = peer_missing("proselint")
        except Exception as exc:  # noqa: BLE001 - a broken peer must not stop the benchmark
            peer_line = peer_missing("proselint", f"{type(exc).__name__}: {exc}")
    if peer is None:
        ours_t, base_t = time_pair(ours, baseline, repeat)
    else:
        ours_t, base_t, peer_t = time_sides([ours, baseline, peer], repeat)
    codes = Counter(f.code for f in outcome.findings)
    details = [
        f"{count:,} notes, {len(outcome.findings):,} findings: "
        + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())),
        f"per note: ours {median(ours_t) / count * 1e6:.0f} us, baseline "
        f"{median(base_t) / count * 1e6:.0f} us",
    ]
    details.append(
        f"baseline replays {calls:,} regex calls ({calls / count:.1f} a note) on the "
        f"{len(pattern_names)} patterns the rules called: {', '.join(pattern_names)}"
    )
    # Fixed and per-note cost: the same checker on the first 10%, 50% and all of the notes.
    sizes = [count // 10, count // 2, count]
    costs = []
    for size in sizes:
        part = messages[:size]

        def some(part=part) -> None:  # type: ignore[no-untyped-def]
            checker.check_messages(part, Outcome())

        costs.append(median(time_sides([some], 3)[0]))
    details.append("in-process, " + fixed_and_per_item(sizes, costs, "note"))
    result = make_result(
        f"check-{count}-notes (in-process)", ours_t, base_t, LOOP_TARGET, count, details
    )
    versus = None
    if peer is not None:
        versus = versus_peer(
            f"check-{count}-notes vs proselint",
            ours_t,
            peer_t,
            LOOP_PEER_TARGET,
            count,
            f"per note: invitepack {median(ours_t) / count * 1e6:.0f} us, proselint "
            f"{median(peer_t) / count * 1e6:.0f} us; target: nine times faster (<= 1/9)",
        )
        flagged = Counter(r.check_result.check_path for found in peer_found for r in found)
        peer_line = peer_result(
            "proselint",
            peer_t,
            base_t,
            ours_t,
            count,
            "general English prose-style lint (cliches, redundancy, typography), not "
            "outreach rules",
            [
                f"{peer_about}; {sum(flagged.values()):,} findings on the same notes: "
                + ", ".join(f"{c} {n}" for c, n in flagged.most_common(6)),
                f"per note: proselint {median(peer_t) / count * 1e6:.0f} us, invitepack "
                f"{median(ours_t) / count * 1e6:.0f} us, baseline "
                f"{median(base_t) / count * 1e6:.0f} us",
            ],
        )
    if do_profile:
        profile(ours, top, f"checking {count} notes")
    return [result, peer_line] if versus is None else [result, versus, peer_line]


def main() -> None:
    args = parse_args(__doc__.split("\n\n")[0], default_repeat=7, quick_repeat=3)
    count = 200 if args.quick else 1000
    results = bench_cold(
        args.repeat + 2 if not args.quick else args.repeat,
        args.profile,
        args.top,
        peers=not args.no_peers,
    )
    results += bench_loop(
        count, args.seed, args.repeat, args.profile, args.top, peers=not args.no_peers
    )
    finish(results, args, "bench_check")


if __name__ == "__main__":
    main()
