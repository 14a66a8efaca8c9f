"""Benchmark `validate`: a generated pack of 1,000 templates, validated in-process.

validate-1000-templates:
`invitepack.checks.validate.validate(Workspace(pack_spec=<dir>, isolated=True))` over a
generated pack (pack.yaml plus 1,000 valid linkedin-invite templates, each with three
variables with maxLength and two examples), against jsonschema alone: a
`jsonschema.Draft202012Validator` on the template schema validating the same 1,000 front
matters, already parsed with yaml.safe_load before the timer starts. validate does far more
(reads and parses the files with source positions, the manifest, Jinja2 parsing, sandbox
checks, worst-case renders, the examples rendered and checked by every rule), so the ratio
says what all of that costs per template over schema validation. Target: ratio <= 2.

Peer (when installed, `pip install -e '.[bench]'`): check-jsonschema, which has no stable
Python API, run as ONE process over the same 1,000 front matters written as .yaml files
(`check-jsonschema --schemafile template.schema.json f1.yaml ... f1000.yaml`), timed in the
same rotation against the same baseline; printed as "peer check-jsonschema" (no target). Its
time includes starting Python and its imports, shown separately on its detail line.

Run: python bench/bench_validate.py [--quick] [--profile] [--no-peers]
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
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
    profile,
    time_pair,
    time_sides,
    versus_peer,
)

TARGET = 2.0
PEER_TARGET = 1 / 1.5  # 1.5 times faster than check-jsonschema's schema-only run
INVITE_LIMIT = 200  # a free account's invitation note

# Variable families: name, description, maxLength, example values (all within maxLength).
VARIABLES = {
    "recipient": (
        "Their first name, as on their profile, e.g. 'Priya'.",
        20,
        ["Priya", "Tomasz", "Chidi", "Zoë", "Siobhán", "Kwame"],
    ),
    "detail": (
        "The specific, true thing they wrote, said or built, e.g. 'your post on testing "
        "dbt models'.",
        50,
        [
            "your post on testing dbt models in CI",
            "your write-up on forecasting the winter rush",
            "your talk on data contracts",
        ],
    ),
    "field": (
        "Your field, as it reads after 'I work in ', e.g. 'data engineering'.",
        24,
        ["data engineering", "product design", "UX research", "supply chain planning"],
    ),
    "event": (
        "Where you met or saw them, e.g. 'PyData London'.",
        30,
        ["PyData London", "KubeCon Paris", "the Leeds data meetup", "LeadDev Berlin"],
    ),
    "topic": (
        "What their talk or post was about, e.g. 'data contracts'.",
        36,
        ["data contracts", "on-call without burnout", "accessible forms", "design systems"],
    ),
    "company": (
        "Their company, e.g. 'Monzo'.",
        24,
        ["Monzo", "Ocado", "Shopify", "a climate startup"],
    ),
    "skill": (
        "What you could help with, e.g. 'Postgres tuning'.",
        30,
        ["Postgres tuning", "accessibility audits", "technical writing"],
    ),
}
# Sentences by the variables they use; {v} becomes a Jinja2 expression.
OPENERS = {
    "recipient": ["Hi {recipient},", "Hello {recipient},", "Dear {recipient},"],
}
MIDDLES = {
    "detail": ["I enjoyed {detail}.", "I read {detail} and learned a lot.", "Thanks for {detail}."],
    "event": ["We met at {event}.", "I saw you speak at {event}."],
    "topic": ["I enjoyed your talk on {topic}.", "Your post on {topic} was great."],
    "company": [
        "I saw your post about the team at {company}.",
        "I read your write-up on your work at {company}.",
    ],
    "field": ["I'm job hunting in {field}.", "I work in {field} too."],
    "skill": ["I help teams with {skill}.", "I'm a freelancer in {skill}."],
}
ASKS = [
    "Could I ask who I should talk to?",
    "Would you be open to a short chat?",
    "Do you know of anything?",
    "Happy to just connect.",
]
CLOSERS = ["Thanks either way.", "Thanks!", "No worries if not.", ""]
SCENARIOS = [
    "seeking-work",
    "offering-skills",
    "genuine-networking",
    "event-follow-up",
    "informational-chat",
    "reconnect",
]
WORDS = [
    "clear",
    "short",
    "honest",
    "specific",
    "friendly",
    "courteous",
    "plain",
    "warm",
    "brief",
    "careful",
]


def _q(value: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def make_template(index: int, rng: random.Random) -> tuple[str, str]:
    """(id, file text) of one valid template whose worst case fits a free invitation note."""
    others = [v for v in VARIABLES if v != "recipient"]
    while True:
        names = ["recipient", *rng.sample(others, 2)]
        sentences = [rng.choice(OPENERS["recipient"])] + [rng.choice(MIDDLES[n]) for n in names[1:]]
        sentences += [rng.choice(ASKS), rng.choice(CLOSERS)]
        body_fmt = " ".join(s for s in sentences if s)
        fixed = len(body_fmt.format(**dict.fromkeys(names, "")))
        if fixed + sum(VARIABLES[n][1] for n in names) <= INVITE_LIMIT:
            break
    body = body_fmt.format(**{n: "{{ " + n + " }}" for n in names})
    template_id = f"bench-{index:04d}"
    scenario = rng.choice(SCENARIOS)
    words = scenario.replace("-", " ")
    title = f"{words.capitalize()} note {index}"
    lines = [
        "---",
        f"id: {template_id}",
        f'version: "{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}"',
        f"scenario: {scenario}",
        "channel: linkedin-invite",
        f"variant: v{index:04d}",
        f"title: {_q(title)}",
        "description: >-",
        f"  A {rng.choice(WORDS)}, {rng.choice(WORDS)} invitation note for {words},",
        "  generated for the validate benchmark.",
        "guidance: |",
        f"  Use it when you have something {rng.choice(WORDS)} and true to say about the person.",
        "  Fill in the detail with what they wrote, said or built; never their job title.",
        f"tags: [{_q(scenario)}, {_q('bench')}]",
        "variables:",
        "  type: object",
        "  properties:",
    ]
    for name in names:
        description, max_length, examples = VARIABLES[name]
        lines += [
            f"    {name}:",
            "      type: string",
            f"      description: {_q(description)}",
            "      minLength: 1",
            f"      maxLength: {max_length}",
            f"      examples: [{', '.join(_q(e) for e in examples[:2])}]",
        ]
    lines += [f"  required: [{', '.join(names)}]", "  additionalProperties: false", "examples:"]
    for _ in range(2):
        for i, name in enumerate(names):
            lines.append(
                f"{'  - ' if i == 0 else '    '}{name}: {_q(rng.choice(VARIABLES[name][2]))}"
            )
    lines += ["---", body, ""]
    return template_id, "\n".join(lines)


def make_pack(folder: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    (folder / "pack.yaml").write_text(
        'name: bench-pack\nversion: "1.0.0"\ndescription: A generated pack for the '
        'validate benchmark.\ninvitepack: ">=0.1"\ntemplates: "templates"\n',
        encoding="utf-8",
    )
    templates = folder / "templates"
    templates.mkdir()
    paths = []
    for index in range(1, count + 1):
        template_id, text = make_template(index, rng)
        path = templates / f"{template_id}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def front_matter(path: Path) -> str:
    """The YAML between the first two '---' lines (for the baseline's yaml.safe_load)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    return "\n".join(lines[1:end])


def check_jsonschema_command() -> list[str] | None:
    """The check-jsonschema console script next to this interpreter, else `python -m
    check_jsonschema` when importable; None when it is not installed."""
    import importlib.util

    script = Path(sys.executable).parent / "check-jsonschema"
    if script.is_file():
        return [str(script)]
    try:
        found = importlib.util.find_spec("check_jsonschema") is not None
    except ImportError:
        found = False
    return [sys.executable, "-m", "check_jsonschema"] if found else None


def check_jsonschema_peer(folder: Path, texts: list[str], schema: dict):  # type: ignore[no-untyped-def, type-arg]
    """Write the front matters as .yaml files and the template schema as a file under
    `folder`; return (run, description). run() is one `check-jsonschema --schemafile ...
    files...` process over all of them, with its cache folder inside `folder` (a local
    schema is never downloaded; the cache is for remote ones). FileNotFoundError when
    check-jsonschema is not installed; RuntimeError when it does not pass the valid files."""
    command = check_jsonschema_command()
    if command is None:
        raise FileNotFoundError("check-jsonschema")
    peer_dir = folder / "check-jsonschema"
    (peer_dir / "front-matter").mkdir(parents=True)
    schema_file = peer_dir / "template.schema.json"
    schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    files = []
    for index, text in enumerate(texts, 1):
        path = peer_dir / "front-matter" / f"bench-{index:04d}.yaml"
        path.write_text(text + "\n", encoding="utf-8")
        files.append(str(path))
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVITEPACK_")}
    env.update(XDG_CACHE_HOME=str(peer_dir / "cache"), NO_COLOR="1")
    argv = [*command, "--schemafile", str(schema_file), *files]

    def run() -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(argv, cwd=peer_dir, env=env, capture_output=True, check=False)

    first = run()  # warm-up, untimed (bytecode and file caches); also the sanity check
    if first.returncode != 0:
        said = (first.stdout + first.stderr).decode(errors="replace").strip().splitlines()
        raise RuntimeError(
            f"exit {first.returncode} on {len(files)} valid files: {' | '.join(said[:3])}"
        )
    version = (
        subprocess.run([*command, "--version"], env=env, capture_output=True, check=False)
        .stdout.decode()
        .strip()
    )
    starts = []
    for _ in range(3):  # what the process costs before it reads a file: start + imports
        start = time.perf_counter()
        subprocess.run(
            [*command, "--version"], cwd=peer_dir, env=env, capture_output=True, check=False
        )
        starts.append(time.perf_counter() - start)
    said = first.stdout.decode(errors="replace").strip().splitlines()
    about = f"{version or 'check-jsonschema'}: {said[-1] if said else 'exit 0'}"
    return run, about, min(starts)


def bench_validate(
    count: int, seed: int, repeat: int, do_profile: bool, top: int, peers: bool = True
) -> list[Result]:
    import yaml
    from jsonschema import Draft202012Validator

    from invitepack.checks.validate import validate
    from invitepack.pack.schemas import load_schema
    from invitepack.pack.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="invitepack-bench-validate-") as root:
        folder = Path(root)
        paths = make_pack(folder, count, seed)
        texts = [front_matter(p) for p in paths]
        docs = [yaml.safe_load(text) for text in texts]  # parsed before any timer
        schema_validator = Draft202012Validator(load_schema("template"))

        def ours():  # type: ignore[no-untyped-def]
            return validate(Workspace(pack_spec=str(folder), isolated=True))

        def baseline() -> int:
            errors = 0
            for doc in docs:
                errors += len(list(schema_validator.iter_errors(doc)))
            return errors

        outcome = ours()  # warm-up, untimed; also the sanity check below
        schema_errors = baseline()
        if outcome.checked != count or schema_errors:
            raise RuntimeError(
                f"generated pack is not what it should be: {outcome.checked} checked, "
                f"{schema_errors} schema errors"
            )
        if outcome.failures or outcome.errors:
            raise RuntimeError(f"validate failed: {(outcome.failures + outcome.errors)[:3]}")
        peer = None
        if not peers:
            peer_line = peer_skipped("check-jsonschema")
        else:
            try:
                peer, peer_about, peer_start = check_jsonschema_peer(
                    folder, texts, load_schema("template")
                )
            except FileNotFoundError:
                peer_line = peer_missing("check-jsonschema")
            except Exception as exc:  # noqa: BLE001 - a broken peer must not stop the benchmark
                peer_line = peer_missing("check-jsonschema", f"{type(exc).__name__}: {exc}")
        if peer is None:
            ours_t, base_t = time_pair(ours, baseline, repeat)
        else:
            ours_t, base_t, peer_t = time_sides([ours, baseline, peer], repeat)
        codes = Counter(f.code for f in outcome.findings)
        found = (
            ": " + ", ".join(f"{c} {n}" for c, n in sorted(codes.items()))
            if codes
            else " (clean pack)"
        )
        size = sum(p.stat().st_size for p in paths) / 1e3
        details = [
            f"{count:,} templates ({size:,.0f} kB), {outcome.checked:,} validated, "
            f"{len(outcome.findings)} findings{found}",
            f"per template: ours {min(ours_t) / count * 1e3:.2f} ms, baseline "
            f"{min(base_t) / count * 1e3:.3f} ms",
        ]
        # Fixed and per-template cost: a pack of a fifth as many templates, validated alike.
        small = folder / "small"
        small.mkdir()
        make_pack(small, count // 5, seed)
        small_t = time_sides([lambda: validate(Workspace(pack_spec=str(small), isolated=True))], 3)
        sizes, medians = [count // 5, count], [median(small_t[0]), median(ours_t)]
        details.append(fixed_and_per_item(sizes, medians, "template"))
        result = make_result(f"validate-{count}-templates", ours_t, base_t, TARGET, count, details)
        versus = None
        if peer is not None:
            versus = versus_peer(
                f"validate-{count}-templates vs check-jsonschema",
                ours_t,
                peer_t,
                PEER_TARGET,
                count,
                f"invitepack {fmt_time(median(ours_t))} (files, YAML, schema, Jinja2, sandbox, "
                f"worst case, examples rendered and checked), check-jsonschema "
                f"{fmt_time(median(peer_t))} (YAML and schema only, one process); target: "
                "1.5 times faster (<= 0.667)",
            )
            peer_line = peer_result(
                "check-jsonschema",
                peer_t,
                base_t,
                ours_t,
                count,
                "one process that parses each YAML file and checks it against the "
                "schema, nothing more",
                [
                    f"{peer_about}; of its {fmt_time(min(peer_t))}, "
                    f"{fmt_time(peer_start)} is starting the process and its imports "
                    "(`--version`, best of 3)",
                    "per template beyond that: check-jsonschema "
                    f"{max(0.0, min(peer_t) - peer_start) / count * 1e3:.2f} ms, "
                    f"invitepack {min(ours_t) / count * 1e3:.2f} ms, baseline "
                    f"{min(base_t) / count * 1e3:.3f} ms",
                ],
            )
        if do_profile:
            profile(ours, top, f"validating {count} templates")
    return [result, peer_line] if versus is None else [result, versus, peer_line]


def main() -> None:
    args = parse_args(__doc__.split("\n\n")[0], default_repeat=3, quick_repeat=3)
    count = 200 if args.quick else 1000
    results = bench_validate(
        count, args.seed, args.repeat, args.profile, args.top, peers=not args.no_peers
    )
    finish(results, args, "bench_validate")


if __name__ == "__main__":
    main()
