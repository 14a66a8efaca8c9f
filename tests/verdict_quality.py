"""How often the verdict agrees with people, on real published notes.

    python tests/verdict_quality.py               # the development half
    python tests/verdict_quality.py test -v       # the untouched test half, every wrong call

The notes in tests/data/real/ were published by others (each keeps its source address) and
labelled by the guide in LABELLING.md. dev.yaml tunes the rules and fits the weights;
test.yaml is only ever measured (README, Rule quality, says how many times it was looked at).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from invitepack.checks.checker import build_checker
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
    """The notes of one half ("dev" or "test"), as split by scripts/split_real_notes.py."""
    wanted = set(yaml.safe_load((REAL / "split.yaml").read_text(encoding="utf-8"))[half])
    notes = [
        n
        for path in sorted(REAL.glob("raw-*.yaml"))
        for n in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    return [n for n in notes if n["id"] in wanted]


# The published notes were written for LinkedIn's 300-character note (free accounts have had
# 200 only since 2025): they are judged at that limit, as their authors could send them.
ACCOUNT = "premium"


def check_notes(notes: list[dict], *, with_scenario: bool = True) -> list[list[Finding]]:
    """Each note's reported findings under the default configuration, at premium limits."""
    checker = build_checker(Workspace(pack_spec="builtin", isolated=True), [])
    results = []
    for note in notes:
        message = Message.from_note(
            note["text"],
            path=None,
            channel=note["channel"],
            account=ACCOUNT,
            scenario=note["scenario"] if with_scenario else None,
        )
        results.append(checker.selection.keep(checker.message_findings(message).findings))
    return results


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
        return f"{self.rate:.2f} ({self.right}/{self.right + self.wrong})"


@dataclass
class Report:
    accuracy: Tally = field(default_factory=Tally)
    bad_precision: Tally = field(default_factory=Tally)  # of notes told "revise", how many are bad
    bad_recall: Tally = field(default_factory=Tally)  # of bad notes, how many are told "revise"
    good_kept: Tally = field(default_factory=Tally)  # of good notes, how many are told "send"
    generic_recall: Tally = field(
        default_factory=Tally
    )  # of generic notes, how many are told they are not specific
    by_scenario: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_problem: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misjudged: list[str] = field(default_factory=list)


def evaluate(name: str, model: Model | None = None, *, with_scenario: bool = True) -> Report:
    notes = load(name)
    report = Report()
    for note, found in zip(notes, check_notes(notes, with_scenario=with_scenario), strict=True):
        verdict: Verdict = judge(found, model)
        bad = note["verdict"] == "revise"
        ok = verdict.revise == bad
        report.accuracy.add(ok)
        report.by_scenario[note["scenario"]].add(ok)
        if verdict.revise:
            report.bad_precision.add(bad)
        if bad:
            report.bad_recall.add(verdict.revise)
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
            )
    return report


def render(report: Report, verbose: bool) -> str:
    lines = [
        f"verdict accuracy   {report.accuracy}",
        f"bad precision      {report.bad_precision}",
        f"bad recall         {report.bad_recall}",
        f"good notes kept    {report.good_kept}",
        f"generic recall     {report.generic_recall}",
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
