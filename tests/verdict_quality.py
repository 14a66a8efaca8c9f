"""How often the verdict agrees with people, on real published notes.

    python tests/verdict_quality.py               # the development half
    python tests/verdict_quality.py test -v       # the untouched test half, every wrong call
    python tests/verdict_quality.py unseen.yaml   # notes collected since, labelled the same way

The notes in tests/data/real/ were published by others (each keeps its source address) and
labelled by the guide in LABELLING.md. dev.yaml tunes the rules and fits the weights;
test.yaml is only ever measured (README, Judgement quality, says how many times it was looked at).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import yaml

from invitepack.checks.checker import build_checker
from invitepack.checks.evidence import Evidence, gather
from invitepack.checks.findings import Finding
from invitepack.checks.verdict import Model, Verdict, judge
from invitepack.pack.workspace import Workspace
from invitepack.render.message import Message

REAL = Path(__file__).resolve().parent / "data" / "real"
# A note told any of these is told it is not specific to its reader (a leftover placeholder
# says it is a template).
NOT_SPECIFIC = frozenset(
    {"generic-note", "weak-detail", "no-personal-detail", "empty-note", "leftover-placeholder"}
)


def load(half: str) -> list[dict]:
    """The notes of one half ("dev" or "test"), as split by scripts/split_real_notes.py, or of
    a labelled file in the same format (notes collected after a release, never tuned on)."""
    if half not in ("dev", "test"):
        return load_file(Path(half))
    wanted = set(yaml.safe_load((REAL / "split.yaml").read_text(encoding="utf-8"))[half])
    return [n for n in all_notes() if n["id"] in wanted]


def all_notes(extra: Sequence[Path] = ()) -> list[dict]:
    """Every labelled real note, of both halves, in file order; with `extra` collected files
    (pending/raw-c88.yaml) read as if they lay beside the others, as a deal would leave them."""
    paths = sorted([*REAL.glob("raw-*.yaml"), *extra], key=lambda path: path.name)
    return [n for path in paths for n in load_file(path)]


REQUIRED = ("id", "source", "scenario", "channel", "text", "verdict", "why")


def load_file(path: Path) -> list[dict]:
    """Labelled notes from a YAML file written by LABELLING.md; exits 2 naming what is wrong."""
    try:
        notes = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        _refuse(f"{path}: cannot read labelled notes: {error}")
    if not isinstance(notes, list) or not notes:
        _refuse(f"{path}: expected a YAML list of labelled notes (see {REAL / 'LABELLING.md'})")
    for number, note in enumerate(notes, 1):
        missing = [key for key in REQUIRED if not isinstance(note, dict) or key not in note]
        if missing or note["verdict"] not in ("send", "revise"):
            _refuse(
                f"{path}: note {number} needs {', '.join(missing) or 'verdict: send or revise'}"
                f" (see {REAL / 'LABELLING.md'})"
            )
    return notes


def _refuse(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    sys.exit(2)


# The published notes were written for LinkedIn's 300-character note (free accounts have had
# 200 only since 2025): they are judged at that limit, as their authors could send them.
ACCOUNT = "premium"


def check_notes(notes: list[dict], *, with_scenario: bool = True) -> list[list[Finding]]:
    """Each note's reported findings under the default configuration, at premium limits."""
    return [found for found, _ in checked(notes, with_scenario=with_scenario)]


def checked(
    notes: list[dict], *, with_scenario: bool = True
) -> Iterator[tuple[list[Finding], Evidence]]:
    """Each note's reported findings, with the graded evidence the rules read them from."""
    checker = build_checker(Workspace(pack_spec="builtin", isolated=True), [])
    for note in notes:
        message = note_message(note, with_scenario=with_scenario)
        found = checker.selection.keep(checker.message_findings(message).findings)
        yield found, gather(message, checker.context)


def note_message(note: dict, *, with_scenario: bool = True) -> Message:
    """A labelled note as `check` reads it: its channel at premium limits, and its scenario."""
    return Message.from_note(
        note["text"],
        path=None,
        channel=note["channel"],
        account=ACCOUNT,
        scenario=note["scenario"] if with_scenario else None,
    )


def second_opinions(name: str) -> dict[str, str]:
    """A second reader's blind verdicts, by note id: second-opinion.yaml's, and for a file of
    notes not yet dealt in (pending/raw-c52.yaml) those beside it (pending/second-c52.yaml)."""
    paths = [REAL / "second-opinion.yaml"]
    notes = Path(name)
    if name not in ("dev", "test") and notes.name.startswith("raw-"):
        paths.append(notes.with_name("second-" + notes.name.removeprefix("raw-")))
    return {
        entry["id"]: entry["verdict"]
        for path in paths
        if path.exists()
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []
    }


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0

    def add(self, ok: bool) -> None:
        if ok:
            self.right += 1
        else:
            self.wrong += 1

    @property
    def rate(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0

    def __str__(self) -> str:
        if not self.right + self.wrong:
            return "- (no such note)"
        return f"{self.rate:.2f} ({self.right}/{self.right + self.wrong})"


@dataclass
class Verdicts:
    """How one kind of note was judged: accuracy, and precision and recall on the bad ones."""

    accuracy: Tally = field(default_factory=Tally)
    bad_precision: Tally = field(default_factory=Tally)  # of notes told "revise", how many are bad
    bad_recall: Tally = field(default_factory=Tally)  # of bad notes, how many are told "revise"

    def add(self, bad: bool, revise: bool) -> None:
        self.accuracy.add(bad == revise)
        if revise:
            self.bad_precision.add(bad)
        if bad:
            self.bad_recall.add(revise)

    def __str__(self) -> str:
        return f"{self.accuracy}, precision {self.bad_precision}, recall {self.bad_recall}"


@dataclass
class Report:
    overall: Verdicts = field(default_factory=Verdicts)
    good_kept: Tally = field(default_factory=Tally)  # of good notes, how many are told "send"
    # Of generic notes, how many are told they are not specific.
    generic_recall: Tally = field(default_factory=Tally)
    # How often a second reader, labelling blind, agreed with the first; and the verdict's
    # accuracy on the notes both readers agree on.
    readers_agree: Tally = field(default_factory=Tally)
    consensus_accuracy: Tally = field(default_factory=Tally)
    # How often the graded evidence agrees with the reader's grade of the same note: detail
    # strong/weak/none, purpose explicit/implied/none. A wrong verdict usually starts here.
    detail_agrees: Tally = field(default_factory=Tally)
    purpose_agrees: Tally = field(default_factory=Tally)
    by_scenario: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    # An invitation note and a long email are different work: each channel on its own.
    by_channel: dict[str, Verdicts] = field(default_factory=lambda: defaultdict(Verdicts))
    # Accuracy by how the verdict was reached: a hard rule, a clear score, or a close call.
    by_sureness: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_problem: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misjudged: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> Tally:
        return self.overall.accuracy

    @property
    def bad_precision(self) -> Tally:
        return self.overall.bad_precision

    @property
    def bad_recall(self) -> Tally:
        return self.overall.bad_recall


def evaluate(name: str, model: Model | None = None, *, with_scenario: bool = True) -> Report:
    notes = load(name)
    second = second_opinions(name)
    report = Report()
    for note, (found, evidence) in zip(
        notes, checked(notes, with_scenario=with_scenario), strict=True
    ):
        verdict: Verdict = judge(found, evidence.wording, model)
        if "detail" in note:
            report.detail_agrees.add(evidence.detail == note["detail"])
        if "purpose" in note:
            report.purpose_agrees.add(evidence.purpose == note["purpose"])
        bad = note["verdict"] == "revise"
        ok = verdict.revise == bad
        report.overall.add(bad, verdict.revise)
        if note["id"] in second:
            agree = second[note["id"]] == note["verdict"]
            report.readers_agree.add(agree)
            if agree:
                report.consensus_accuracy.add(ok)
        report.by_scenario[note["scenario"]].add(ok)
        report.by_channel[note["channel"]].add(bad, verdict.revise)
        hard = any(reason.contribution is None for reason in verdict.reasons)
        report.by_sureness["hard rule" if hard else "close call" if verdict.close else "clear"].add(
            ok
        )
        if bad:
            for problem in note.get("problems") or []:
                report.by_problem[problem].add(verdict.revise)
        else:
            report.good_kept.add(not verdict.revise)
        if {"generic", "default-text"} & set(note.get("problems") or []):
            report.generic_recall.add(bool(NOT_SPECIFIC & {f.name for f in found}))
        if not ok:
            report.misjudged.append(
                f"{note['id']} [{note['scenario']}] labelled {note['verdict']}, "
                f"got {verdict.describe()}\n    {note['text'][:160]!r}\n    label: {note['why']}"
                f"\n    detail {evidence.detail} (label {note.get('detail')}),"
                f" purpose {evidence.purpose} (label {note.get('purpose')})"
            )
    return report


def render(report: Report, verbose: bool) -> str:
    lines = [
        f"verdict accuracy   {report.accuracy}",
        f"bad precision      {report.bad_precision}",
        f"bad recall         {report.bad_recall}",
        f"good notes kept    {report.good_kept}",
        f"generic recall     {report.generic_recall}",
        f"second reader agrees with the label     {report.readers_agree}",
        f"verdict accuracy where both readers agree {report.consensus_accuracy}",
        f"detail grade agrees with the reader's     {report.detail_agrees}",
        f"purpose grade agrees with the reader's    {report.purpose_agrees}",
        "verdict accuracy, by how it was reached:",
        *(f"  {k:26} {v}" for k, v in sorted(report.by_sureness.items())),
        "by channel:",
        *(f"  {k:26} {v}" for k, v in sorted(report.by_channel.items())),
        "by scenario:",
        *(f"  {k:26} {v}" for k, v in sorted(report.by_scenario.items())),
        "bad notes caught, by problem:",
        *(f"  {k:26} {v}" for k, v in sorted(report.by_problem.items())),
    ]
    if verbose:
        lines += ["misjudged:", *report.misjudged]
    return "\n".join(lines)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    for set_name in args or ["dev"]:
        print(f"== {set_name} ({len(load(set_name))} notes)")
        print(
            render(
                evaluate(set_name, with_scenario="--no-scenario" not in sys.argv), "-v" in sys.argv
            )
        )
        print(dict(Counter(n["verdict"] for n in load(set_name))))
